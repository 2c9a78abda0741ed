# shellcheck shell=bash
# Growth data for consent-service, written with SQL straight into the tables a decision writes (consent_record and
# its current state consent_current; nothing into the outbox: these decisions are not events to relay).
# 1x = 25,000 records = 3,125 subjects "bench-preload-<n>" x the 8 bench purposes of tenant acme (16x = 400,000;
# BENCH_PRELOAD_SUBJECTS_PER_X changes it; sized so that run-all.sh fits its 15 minutes).
# Subjects are numbered from 1, so the level is read back from the table and only the missing ones are added.
BENCH_PRELOAD_SUBJECTS_PER_X="${BENCH_PRELOAD_SUBJECTS_PER_X:-3125}"

# Subjects already preloaded (the highest n with all 8 records is the count: they go in whole subjects).
bench_preloaded_subjects() {
  pg_psql "$CONSENT_DB" -Atc "SELECT count(*) / 8 FROM consent_current
    WHERE tenant_id = 'acme' AND subject_id LIKE 'bench-preload-%'"
}

# bench_preload_consents <factor>: makes the preloaded data exactly <factor> x 1x (adds, never removes; 0 removes).
bench_preload_consents() {
  local factor="$1" have want from to chunk=25000 t0
  want=$((factor * BENCH_PRELOAD_SUBJECTS_PER_X))
  have=$(bench_preloaded_subjects)
  if ((want == 0)); then
    bench_remove_preload
    return 0
  fi
  if ((have >= want)); then
    bench_log "preload: $have subjects already stored (want $want)"
    return 0
  fi
  t0=$(now_ms)
  from=$((have + 1))
  while ((from <= want)); do
    to=$((from + chunk - 1))
    ((to > want)) && to=$want
    pg_psql "$CONSENT_DB" -v from="$from" -v to="$to" <<'SQL'
WITH subject AS (
  SELECT n FROM generate_series(:from, :to) AS n
), bench_purpose AS (
  SELECT purpose_id, category, default_lawful_basis FROM purpose WHERE tenant_id = 'acme' AND purpose_id LIKE 'bench-%'
), written AS (
  INSERT INTO consent_record (consent_id, tenant_id, subject_id, purpose_id, category, decision, lawful_basis,
                              policy_version, channel, gpc, occurred_at, recorded_at, event_id)
  SELECT gen_random_uuid(), 'acme', 'bench-preload-' || s.n, p.purpose_id, p.category,
         CASE WHEN (s.n + length(p.purpose_id)) % 3 = 0 THEN 'withdrawn' ELSE 'granted' END,
         p.default_lawful_basis, NULL, 'import', FALSE,
         now() - make_interval(secs => s.n), now(), gen_random_uuid()
    FROM subject s CROSS JOIN bench_purpose p
  RETURNING id, tenant_id, subject_id, purpose_id, occurred_at
)
INSERT INTO consent_current (tenant_id, subject_id, purpose_id, record_id, occurred_at)
SELECT tenant_id, subject_id, purpose_id, id, occurred_at FROM written;
SQL
    from=$((to + 1))
  done
  pg_psql "$CONSENT_DB" -c "VACUUM ANALYZE consent_record" -c "VACUUM ANALYZE consent_current"
  bench_log "preload: $have -> $want subjects ($((want * 8)) records) in $(($(now_ms) - t0)) ms"
}

bench_remove_preload() {
  local t0
  t0=$(now_ms)
  # consent_current.record_id references consent_record without an index on record_id: every deleted record
  # would make PostgreSQL scan consent_current for referencing rows (minutes for 100,000). The referencing rows go
  # first, so the check is skipped for this session (replica role: no FK triggers).
  pg_psql "$CONSENT_DB" <<'SQL'
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM consent_current WHERE tenant_id = 'acme' AND subject_id LIKE 'bench-preload-%';
DELETE FROM consent_record WHERE tenant_id = 'acme' AND subject_id LIKE 'bench-preload-%';
COMMIT;
VACUUM ANALYZE consent_current;
VACUUM ANALYZE consent_record;
SQL
  bench_log "preload: removed in $(($(now_ms) - t0)) ms"
}
