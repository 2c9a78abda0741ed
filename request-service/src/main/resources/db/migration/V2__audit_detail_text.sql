-- A reason of 2000 characters can take twice that as escaped JSON in an audit detail: no length limit there.
ALTER TABLE request_audit ALTER COLUMN detail TYPE TEXT;
