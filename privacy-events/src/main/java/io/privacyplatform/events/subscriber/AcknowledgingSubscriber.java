package io.privacyplatform.events.subscriber;

/**
 * What every subscriber of the kit is to its system: started once, closed once, running in between, reading as its
 * system in its consumer group. {@link CommandSubscriber} and {@link ConsentSubscriber} are the two kinds; the work
 * is their {@link SubscriberLoop}'s.
 *
 * @param <S> the concrete subscriber, returned by {@link #start()}
 */
public abstract class AcknowledgingSubscriber<S extends AcknowledgingSubscriber<S>> implements AutoCloseable {

    private final SubscriberLoop<?, ?> loop;

    AcknowledgingSubscriber(SubscriberLoop<?, ?> loop) {
        this.loop = loop;
    }

    public String systemName() {
        return loop.systemName();
    }

    public String groupId() {
        return loop.groupId();
    }

    /**
     * Events skipped since {@link #start()} because their subject was erased (its data key destroyed): nothing was
     * left to act on. A metric for the system's monitoring.
     */
    public long erasedSkipped() {
        return loop.erasedSkipped();
    }

    /** True from {@link #start()} until the loop ends (by {@link #close()} or an unrecoverable error). */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Creates the clients and starts the loop thread. */
    public S start() {
        loop.start();
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
    }

    /**
     * Stops the loop (a handler that is running finishes first, up to the close timeout), commits what was
     * acknowledged and closes the clients. Idempotent.
     */
    @Override
    public void close() {
        loop.close();
    }
}
