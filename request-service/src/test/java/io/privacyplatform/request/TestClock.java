package io.privacyplatform.request;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.privacyplatform.testing.MutableClock;

/** The application's clock under test: tests set and move it. */
public class TestClock {

    @Produces
    @Singleton
    Clock clock() {
        return MutableClock.shared();
    }
}
