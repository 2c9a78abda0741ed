/**
 * Rate limits whose state is in the service's PostgreSQL database, shared by all its instances
 * ({@link io.privacyplatform.support.ratelimit.PostgresRateLimiter}). A service builds one limiter and checks its
 * {@link io.privacyplatform.support.ratelimit.RateLimit}s before doing work; the table comes with the platform
 * migrations ({@code db/platform/ratelimit}), and the service's prune deletes ended windows
 * ({@code PostgresRateLimiter.prune}).
 */
package io.privacyplatform.support.ratelimit;
