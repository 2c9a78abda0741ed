package io.privacyplatform.retention;

import java.time.Clock;

import io.privacyplatform.testing.MutableClock;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The application's clock under test: tests move it instead of waiting. */
public class TestClock {

    @Produces
    @Singleton
    Clock clock() {
        return MutableClock.shared();
    }
}
