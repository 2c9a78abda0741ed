-- pgbench script: only the three writes of a consent (ledger record, current state, outbox row), one commit each;
-- what the issue's 7,567 tx/s figure measured. lib/pgbench-consent.sql is the full set (the baseline).
\set n random(1, 10000000)
\set p random(1, 8)
BEGIN;
INSERT INTO consent_record (category, channel, consent_id, decision, event_id, gpc, lawful_basis, occurred_at,
                            purpose_id, recorded_at, subject_id, tenant_id)
VALUES ('analytics', 'web', gen_random_uuid(), 'granted', gen_random_uuid(), false, 'consent', now(),
        'bench-p' || :p::text, now(), 'pgb-' || :n::text, 'acme');
INSERT INTO consent_current (tenant_id, subject_id, purpose_id, record_id, occurred_at)
VALUES ('acme', 'pgb-' || :n::text, 'bench-p' || :p::text, currval('consent_record_id_seq'), now())
ON CONFLICT (tenant_id, subject_id, purpose_id) DO UPDATE
   SET record_id = EXCLUDED.record_id, occurred_at = EXCLUDED.occurred_at
 WHERE (consent_current.occurred_at, consent_current.record_id) < (EXCLUDED.occurred_at, EXCLUDED.record_id);
INSERT INTO outbox_event (event_id, topic, record_key, shard, ce_type, ce_source, ce_subject, ce_time, tenant_id,
                          payload, delete_when_sent)
VALUES (gen_random_uuid()::text, 'privacy.consent.changed.v1', md5('pgb-' || :n::text) || md5(:n::text), :n::int % 4,
        'io.privacyplatform.consent.changed.v1', '/services/consent-service', md5('pgb-' || :n::text) || md5(:n::text), now(),
        'acme', convert_to(repeat('{"eventId":"1f5e94a1-a035-4999-a24c-a6ff5058a91c","x":1}', 6), 'UTF8'), false);
COMMIT;
