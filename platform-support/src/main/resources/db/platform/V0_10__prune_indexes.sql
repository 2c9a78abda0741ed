-- The scheduled prune (platform-support's PlatformTablesPruner) deletes by these timestamps; without an index each
-- run would read the whole table. (outbox_event and idempotency_key have theirs since V0_1 and V0_2.)
CREATE INDEX inbox_event_processed ON inbox_event (processed_at);
CREATE INDEX store_command_outcome_remembered ON store_command_outcome (remembered_at);
