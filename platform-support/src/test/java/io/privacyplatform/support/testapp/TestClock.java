package io.privacyplatform.support.testapp;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.privacyplatform.testing.MutableClock;

/** The test application's clock: tests set and move it (the prune tests move it past a retention). */
public class TestClock {

    @Produces
    @Singleton
    Clock clock() {
        return MutableClock.shared();
    }
}
