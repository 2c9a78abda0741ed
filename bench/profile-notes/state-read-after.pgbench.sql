\set n random(1, 100)
BEGIN;
SELECT r.*, pv.effective_at AS version_effective_at, (SELECT restricted_at FROM restricted_subject WHERE tenant_id = 'acme' AND subject_id = 's' || :n) AS restricted_at, (SELECT max(effective_at) FROM policy_version WHERE tenant_id = 'acme' AND material AND effective_at <= now()) AS latest_material_at FROM (SELECT r.* FROM consent_current c JOIN consent_record r ON r.id = c.record_id WHERE c.tenant_id = 'acme' AND c.subject_id = 's' || :n) r LEFT JOIN policy_version pv ON pv.tenant_id = r.tenant_id AND pv.version = r.policy_version ORDER BY r.purpose_id;
COMMIT;
