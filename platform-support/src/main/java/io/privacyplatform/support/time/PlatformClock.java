package io.privacyplatform.support.time;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The clock every service reads "now" from. Deadlines, retention cut-offs and schedules depend on it, so tests
 * replace it (a {@code @Singleton} bean of type {@link Clock} in the test sources wins over this default) and
 * move time instead of waiting.
 */
public class PlatformClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
