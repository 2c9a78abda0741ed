-- Rate limits shared by every instance of a service (platform-support's ratelimit.PostgresRateLimiter): one row per
-- limit, key and fixed window, its hits counted by a single INSERT … ON CONFLICT … DO UPDATE … RETURNING, so two
-- instances never count the same hit twice nor miss one. The key is an HMAC of what is limited (a client address, an
-- e-mail address), never the value itself. Rows whose window has ended are deleted by the service's prune.
CREATE TABLE rate_limit_window (
    limit_name   VARCHAR(100) NOT NULL,
    key_hash     CHAR(64)     NOT NULL,
    window_start TIMESTAMPTZ  NOT NULL,
    window_end   TIMESTAMPTZ  NOT NULL,
    hits         INTEGER      NOT NULL,
    PRIMARY KEY (limit_name, key_hash, window_start)
);

CREATE INDEX rate_limit_window_end ON rate_limit_window (window_end);
