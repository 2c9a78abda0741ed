-- Consent propagation (issue 15, part 2): the internal systems that act on consent decisions (the mailer, an ads
-- integration) are registered as consent subscribers with the Ed25519 key their acknowledgements are signed with;
-- each acknowledgement (privacy.consent.applied.v1) is kept per decision, so the service shows who applied a decision
-- and when, and finds the withdrawals a registered subscriber has not applied in time.

CREATE TABLE consent_subscriber (
    id              VARCHAR(100)   PRIMARY KEY,
    description     VARCHAR(1000)  NOT NULL,
    owner           VARCHAR(200)   NOT NULL,
    -- Base64 X.509 Ed25519 public key; an acknowledgement that does not verify with it is rejected.
    public_key      VARCHAR(200)   NOT NULL,
    -- Decisions recorded before this are not expected from the subscriber.
    registered_at   TIMESTAMPTZ    NOT NULL,
    updated_at      TIMESTAMPTZ    NOT NULL,
    updated_by      VARCHAR(200)   NOT NULL
);

-- One row per decision and system that applied it. No foreign key to consent_subscriber: what a removed subscriber
-- applied stays on record. Deleted with the decision (an erasure deletes the subject's records).
CREATE TABLE consent_application (
    consent_id     UUID           NOT NULL REFERENCES consent_record (consent_id) ON DELETE CASCADE,
    subscriber_id  VARCHAR(100)   NOT NULL,
    event_id       UUID           NOT NULL,
    applied_at     TIMESTAMPTZ    NOT NULL,
    received_at    TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (consent_id, subscriber_id)
);

-- The withdrawals already alerted as not applied in time, per subscriber: each is alerted once.
CREATE TABLE consent_propagation_alert (
    consent_id     UUID           NOT NULL REFERENCES consent_record (consent_id) ON DELETE CASCADE,
    subscriber_id  VARCHAR(100)   NOT NULL,
    alerted_at     TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (consent_id, subscriber_id)
);

-- The overdue check reads withdrawals by the time they were recorded; other decisions have no deadline.
CREATE INDEX consent_record_withdrawn_recorded ON consent_record (recorded_at) WHERE decision = 'withdrawn';
