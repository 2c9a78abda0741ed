\set n random(1, 100)
BEGIN;
SELECT count(*) FROM consent_record WHERE tenant_id = 'acme' AND subject_id = 's' || :n;
SELECT r.* FROM consent_current c JOIN consent_record r ON r.id = c.record_id WHERE c.tenant_id = 'acme' AND c.subject_id = 's' || :n ORDER BY r.purpose_id;
SELECT * FROM policy_version WHERE tenant_id = 'acme' AND material = true AND effective_at <= now() ORDER BY effective_at DESC LIMIT 1;
SELECT * FROM policy_version WHERE tenant_id = 'acme' ORDER BY effective_at DESC, version;
SELECT restricted_at FROM restricted_subject WHERE tenant_id = 'acme' AND subject_id = 's' || :n;
COMMIT;
