-- pgbench script: the statements consent-service issued for one POST /v1/consents (captured 2026-12-01 with
-- log_statement = 'all' on its database, one consent for a new subject, no policy version, no GPC), in one
-- transaction with one commit, as the service runs them. Random subject among 10 million; an Idempotency-Key unique
-- per transaction; uuids from gen_random_uuid(); a payload of the size the service writes (~320 bytes of JSON).
-- Left out: the JDBC driver's one-time type lookups (pg_type, once per connection) and the outbox relay's polling
-- (SELECT ... FOR UPDATE SKIP LOCKED per shard, a background loop, not per consent).
\set n random(1, 10000000)
\set k random(1, 1000000000000)
\set p random(1, 8)
BEGIN;
INSERT INTO idempotency_key (tenant_id, scope, idempotency_key, request_hash)
VALUES ('acme', 'POST /v1/consents', 'pgb-' || :client_id::text || '-' || :k::text, md5(:k::text) || md5(:n::text)) ON CONFLICT DO NOTHING;
SELECT id, category, created_at, default_lawful_basis, description, purpose_id, tenant_id, title, updated_at
  FROM purpose WHERE tenant_id = 'acme' AND purpose_id = (ARRAY['bench-marketing_email','bench-analytics','bench-advertising','bench-social','bench-survey','bench-live_chat','bench-service','bench-other'])[:p]
 FETCH FIRST 1 ROWS ONLY;
SELECT pg_advisory_xact_lock(1668247155, :n % 32);
SELECT count(*) FROM restricted_subject WHERE tenant_id = 'acme' AND subject_id = 'pgb-' || :n::text;
INSERT INTO consent_record (category, channel, consent_id, decision, event_id, evidence_ip, evidence_text,
                            evidence_user_agent, gpc, lawful_basis, occurred_at, policy_version, purpose_id,
                            recorded_at, request_id, subject_id, tenant_id)
VALUES ('analytics', 'web', gen_random_uuid(), 'granted', gen_random_uuid(), NULL, NULL, NULL, false, 'consent', now(),
        NULL, 'bench-p' || :p::text, now(), NULL, 'pgb-' || :n::text, 'acme')
RETURNING *;
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
UPDATE idempotency_key SET status = 201,
       response_body = '{"consentId":"784a6aa8-dc87-4d98-bda0-244c5367d096","subjectId":"pgb-' || :n::text || '","purpose":"bench-analytics","category":"analytics","decision":"granted","lawfulBasis":"consent","channel":"web","gpc": false,"occurredAt":"2026-12-01T23.41.47.485683547Z","recordedAt":"2026-12-01T23.41.47.485929284Z","receiptUrl":"/v1/consents/784a6aa8-dc87-4d98-bda0-244c5367d096/receipt"}'
 WHERE tenant_id = 'acme' AND scope = 'POST /v1/consents' AND idempotency_key = 'pgb-' || :client_id::text || '-' || :k::text;
COMMIT;
