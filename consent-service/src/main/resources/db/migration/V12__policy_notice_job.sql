-- A material policy version is announced to every subject of the tenant in batches after the PUT (issue 11): one
-- job per version; last_subject is the keyset position (subjects in id order), so each subject gets one notice.
CREATE TABLE policy_notice_job (
    policy_version_id  UUID          PRIMARY KEY REFERENCES policy_version (id),
    tenant_id          VARCHAR(100)  NOT NULL,
    last_subject       VARCHAR(200),
    created_at         TIMESTAMPTZ   NOT NULL,
    completed_at       TIMESTAMPTZ
);

CREATE INDEX policy_notice_job_pending ON policy_notice_job (created_at) WHERE completed_at IS NULL;
