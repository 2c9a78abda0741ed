-- A row that Kafka keeps rejecting for a reason of its own (its topic does not exist, it is larger than the broker
-- accepts) must not stall the rows behind it in its shard: after privacy.outbox.max-attempts such rejections the
-- relay sets it aside (set_aside_at, with the error in last_error) and publishes the rest. A broker outage is not a
-- rejection and never counts here. An admin re-sends a set-aside row (set_aside_at back to NULL) or deletes it;
-- platform-support's README has the SQL.
ALTER TABLE outbox_event ADD COLUMN rejected_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox_event ADD COLUMN set_aside_at TIMESTAMPTZ;

-- The relay reads only rows it may publish; set-aside rows are few and found by their own index.
DROP INDEX outbox_event_pending;
CREATE INDEX outbox_event_pending ON outbox_event (shard, id) WHERE sent_at IS NULL AND set_aside_at IS NULL;
CREATE INDEX outbox_event_set_aside ON outbox_event (set_aside_at) WHERE set_aside_at IS NOT NULL;
