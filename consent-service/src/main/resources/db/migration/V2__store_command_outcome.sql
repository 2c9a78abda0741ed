-- The answered commands move to the platform's store_command_outcome (V0_3), which platform-support's
-- StoreCommandInbox reads and writes: a command answered before the upgrade still gets its ack again.
-- EXPORT answers were never kept here.
INSERT INTO store_command_outcome (command_id, system_name, tenant_id, request_id, outcome, records, digest, detail,
                                   completed_at, remembered_at)
SELECT command_id, ack::jsonb ->> 'system', tenant_id, ack::jsonb ->> 'requestId', ack::jsonb ->> 'outcome',
       (ack::jsonb ->> 'records')::bigint, ack::jsonb ->> 'digest', ack::jsonb ->> 'detail',
       (ack::jsonb ->> 'completedAt')::timestamptz, handled_at
  FROM handled_command
 WHERE kind <> 'EXPORT' AND ack::jsonb ->> 'outcome' <> 'FAILED'
ON CONFLICT (command_id) DO NOTHING;

DROP TABLE handled_command;
