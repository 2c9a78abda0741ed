-- What a store kept instead of erasing (CommandAck.retained), remembered with the ack: a re-sent command is
-- answered with the same ack, retained list included, so a certificate never loses what was kept.
ALTER TABLE store_command_outcome ADD COLUMN retained JSONB NOT NULL DEFAULT '[]'::jsonb;
