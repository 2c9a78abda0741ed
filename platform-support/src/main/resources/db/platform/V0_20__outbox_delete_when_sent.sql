-- Rows that carry sealed or otherwise sensitive data (a verification code for the mailer) are deleted by the relay
-- in the transaction that would mark them sent, instead of resting in the table until the sent-row prune.
ALTER TABLE outbox_event ADD COLUMN delete_when_sent BOOLEAN NOT NULL DEFAULT FALSE;
