#!/usr/bin/env bash
# Purposes p1..p8 and policy version 2026-01 for tenant acme on the local run of slot $LOCAL_RUN_SLOT (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=$((8081 + 10 * ${LOCAL_RUN_SLOT:-2}))
ADMIN=$(cat .run/tokens/acme-admin.jwt)
cats=(marketing_email analytics other marketing_email analytics other service marketing_email)
for i in 1 2 3 4 5 6 7 8; do
  curl -sf -o /dev/null -X PUT "localhost:$PORT/v1/purposes/p$i" -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' \
    -d "{\"title\":\"P$i\",\"category\":\"${cats[$((i-1))]}\",\"defaultLawfulBasis\":\"consent\"}"
done
curl -sf -o /dev/null -X PUT "localhost:$PORT/v1/policy-versions/2026-01" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' \
  -d '{"effectiveAt":"2026-01-01T00:00:00Z","material":false,"summary":"Privacy policy 2026"}' || true
echo "catalog ready on :$PORT"
