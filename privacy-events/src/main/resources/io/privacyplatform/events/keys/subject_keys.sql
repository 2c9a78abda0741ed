-- The platform's key store (JdbcSubjectKeys): one row per data key of a data subject. Applied by JdbcSubjectKeys
-- when the table is missing (idempotent, under an advisory lock); a deployment whose roles may not create tables
-- applies this file once with an owner role instead.
CREATE SCHEMA IF NOT EXISTS privacy_keys;

CREATE TABLE IF NOT EXISTS privacy_keys.subject_key (
    key_id        text PRIMARY KEY,
    tenant_id     text NOT NULL,
    -- The subject's pseudonym (the Kafka key of its events): the key store never learns who the subject is.
    subject_ref   text NOT NULL,
    -- AES-256-GCM of the data key under the master key master_key_id; NULL once destroyed (crypto-shredded).
    wrapped_key   bytea,
    master_key_id text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    destroyed_at  timestamptz,
    CONSTRAINT subject_key_destroyed_has_no_key CHECK ((destroyed_at IS NULL) = (wrapped_key IS NOT NULL))
);

-- At most one live key per subject; destroyed ones stay as a record of what was shredded and when.
CREATE UNIQUE INDEX IF NOT EXISTS subject_key_live ON privacy_keys.subject_key (tenant_id, subject_ref)
    WHERE destroyed_at IS NULL;
CREATE INDEX IF NOT EXISTS subject_key_subject ON privacy_keys.subject_key (tenant_id, subject_ref);
