-- Issue 15, part 5: the register of personal-data breaches (Art. 33(5) GDPR) and the 72-hour clock to notify the
-- supervisory authority (Art. 33(1)). No data subject is named here: the subjects told are only counted.
CREATE TABLE breach (
    id                    UUID          PRIMARY KEY,
    tenant_id             VARCHAR(100)  NOT NULL,
    status                VARCHAR(20)   NOT NULL,
    description           VARCHAR(4000) NOT NULL,
    detected_at           TIMESTAMPTZ   NOT NULL,
    -- detected_at + 72 h: what the deadline watch and the dashboard count down to.
    authority_due_at      TIMESTAMPTZ   NOT NULL,
    categories            TEXT[]        NOT NULL,
    approximate_subjects  BIGINT        NOT NULL CHECK (approximate_subjects >= 0),
    systems               TEXT[]        NOT NULL,
    likely_consequences   VARCHAR(4000) NOT NULL,
    measures              VARCHAR(4000) NOT NULL,
    recorded_at           TIMESTAMPTZ   NOT NULL,
    recorded_by           VARCHAR(200)  NOT NULL,
    updated_at            TIMESTAMPTZ   NOT NULL,
    -- Recording the authority's notification stops the clock.
    notified_authority_at TIMESTAMPTZ,
    authority_reference   VARCHAR(200),
    delay_reason          VARCHAR(2000),
    subjects_notified     BIGINT        NOT NULL DEFAULT 0,
    subjects_notified_at  TIMESTAMPTZ,
    closed_at             TIMESTAMPTZ,
    close_reason          VARCHAR(2000),
    -- The deadline alerts already sent (set in the transaction that writes the alert to the outbox).
    alert_due_soon_at     TIMESTAMPTZ,
    alert_overdue_at      TIMESTAMPTZ,
    -- Head of the breach's audit chain (its entries are in request_audit, keyed by the breach id).
    audit_seq             INTEGER       NOT NULL DEFAULT 0,
    audit_head            VARCHAR(64),
    version               BIGINT        NOT NULL DEFAULT 0
);

CREATE INDEX breach_listing ON breach (tenant_id, detected_at DESC, id DESC);
-- The deadline watch's and the dashboard's question: whose clock still runs.
CREATE INDEX breach_clock_running ON breach (authority_due_at)
    WHERE notified_authority_at IS NULL AND status <> 'closed';

-- request_audit now holds the chains of breaches too (same hashing, same append-only trigger, anchored on
-- privacy.audit-anchor.v1 with the requests'): a chain id is no longer always a rights request.
ALTER TABLE request_audit DROP CONSTRAINT request_audit_request_id_fkey;
ALTER TABLE audit_anchored_seq DROP CONSTRAINT audit_anchored_seq_request_id_fkey;
