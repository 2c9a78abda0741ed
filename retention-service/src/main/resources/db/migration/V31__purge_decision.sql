-- A policy run PURGEs every account (tenant 'platform'), so it is sent only for a platform admin's recorded decision
-- (issue 12): who decided, when, why, and the exact policy definition approved (canonical JSON and its SHA-256).
-- Changing the definition voids the decision (voided_at); a later identical definition needs a new decision.
CREATE TABLE purge_decision (
    id                 UUID           PRIMARY KEY,
    policy_id          VARCHAR(100)   NOT NULL REFERENCES retention_policy (id),
    decided_by         VARCHAR(200)   NOT NULL,
    decided_at         TIMESTAMPTZ    NOT NULL,
    reason             VARCHAR(1000)  NOT NULL,
    definition         TEXT           NOT NULL,
    definition_digest  VARCHAR(64)    NOT NULL,
    voided_at          TIMESTAMPTZ,
    -- 'policy changed by <actor>' or 'superseded by <decision id>'
    voided_reason      VARCHAR(300),
    CHECK ((voided_at IS NULL) = (voided_reason IS NULL))
);

-- At most one decision in force per policy.
CREATE UNIQUE INDEX purge_decision_in_force ON purge_decision (policy_id) WHERE voided_at IS NULL;

-- The decision a run carried out, or why a run sent nothing (no decision in force: state 'action_required').
ALTER TABLE policy_run ADD COLUMN decision_id UUID REFERENCES purge_decision (id);
ALTER TABLE policy_run ADD COLUMN detail VARCHAR(500);
