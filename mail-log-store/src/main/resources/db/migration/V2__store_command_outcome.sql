-- The commands' outcomes move to the platform's store_command_outcome (V0_3), which platform-support's
-- StoreCommandInbox reads and writes: a command answered before the upgrade still gets its ack again. Exports are
-- no longer remembered (a re-sent EXPORT runs again), so the exported data kept here is not carried over.
INSERT INTO store_command_outcome (command_id, system_name, tenant_id, request_id, outcome, records, digest, detail,
                                   completed_at)
SELECT command_id, 'mail-log-store', tenant_id, request_id, outcome, records, digest, detail, completed_at
  FROM command_outcome
 WHERE data IS NULL
ON CONFLICT (command_id) DO NOTHING;

DROP TABLE command_outcome;
