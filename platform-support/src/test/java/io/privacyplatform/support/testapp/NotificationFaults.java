package io.privacyplatform.support.testapp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults the tests switch on for {@link NotificationListener}: a gate that holds events of kind {@link #GATED}
 * (a slow consumer, so records wait and the lag shows), and a rejection of kind {@link #REJECTED_UNTIL_FIXED}
 * (a bug in the consumer, so the record goes to the dead-letter topic until it is fixed and the record replayed).
 */
public final class NotificationFaults {

    public static final String GATED = "gated";
    public static final String REJECTED_UNTIL_FIXED = "rejected-until-fixed";
    /** A gate never holds an event longer than this, so a failed test cannot block the consumer for good. */
    private static final long GATE_LIMIT_SECONDS = 60;

    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final AtomicBoolean rejecting = new AtomicBoolean();

    private NotificationFaults() {
    }

    public static void closeGate() {
        gate = new CountDownLatch(1);
    }

    public static void openGate() {
        gate.countDown();
    }

    public static void rejectUntilFixed() {
        rejecting.set(true);
    }

    public static void fix() {
        rejecting.set(false);
    }

    static void apply(String kind) {
        if (GATED.equals(kind)) {
            try {
                gate.await(GATE_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (REJECTED_UNTIL_FIXED.equals(kind) && rejecting.get()) {
            throw new IllegalArgumentException("the test consumer rejects " + kind + " until it is fixed");
        }
    }
}
