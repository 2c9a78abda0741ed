-- The id of the subject's data key an event's personal fields are sealed with (EventCodec), published as the
-- CloudEvents attribute ce_subjectkeyid; NULL for an event in clear. The payload column holds the sealed form, so a
-- pending or sent row of an erased subject is as unreadable as the event on Kafka.
ALTER TABLE outbox_event ADD COLUMN key_id TEXT;
