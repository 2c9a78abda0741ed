-- consent_current.record_id references consent_record(id). Without an index, every deleted consent_record row (an
-- erasure) made PostgreSQL scan all of consent_current to check that no current state still points at it:
-- 1.1 s per subject with 100,000 records stored, 45 ms with the index (bench/profile-notes/a1.md).
CREATE INDEX consent_current_record_id ON consent_current (record_id);
