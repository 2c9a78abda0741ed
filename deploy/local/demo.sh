#!/usr/bin/env bash
# Walks the erasure scenario against the system deploy/local/run.sh started, with curl only:
# ingest e-mails and consents for alice@example.com at tenant acme, submit a verified erasure, wait until every
# store acknowledged it, and show the signed deletion certificate (verified with openssl when jq is at hand).
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONSENT=http://127.0.0.1:$(service_port consent-service) REQUEST=http://127.0.0.1:$(service_port request-service)
RETENTION=http://127.0.0.1:$(service_port retention-service) MAIL_LOG=http://127.0.0.1:$(service_port mail-log-store)
TOKENS="$RUN_DIR/tokens"
[[ -s "$TOKENS/acme-app.jwt" ]] || { echo "no tokens in $TOKENS: run deploy/local/run.sh first" >&2; exit 1; }
APP=$(cat "$TOKENS/acme-app.jwt") ADMIN=$(cat "$TOKENS/acme-admin.jwt") OPERATOR=$(cat "$TOKENS/acme-operator.jwt")
PLATFORM_ADMIN=$(cat "$TOKENS/platform-admin.jwt")
RUN=$(date +%s)
SUBJECT="alice" ALICE="alice@example.com" BOB="bob@example.com"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
call() { # method url token [body] — prints the body, fails on a non-2xx answer
  local method=$1 url=$2 token=$3 body=${4:-} out code
  out=$(mktemp)
  if [[ -n "$body" ]]; then
    code=$(printf '%s' "$body" | curl -s -o "$out" -w '%{http_code}' -X "$method" "$url" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary @-)
  else
    code=$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token")
  fi
  if [[ "$code" != 2* ]]; then
    echo "$method $url answered $code: $(cat "$out")" >&2; rm -f "$out"; return 1
  fi
  cat "$out"; rm -f "$out"
}
pretty() { if command -v jq >/dev/null; then jq .; else cat; echo; fi; }
messages() { # recipient count
  local recipient=$1 count=$2 i items=()
  for ((i = 0; i < count; i++)); do
    items+=("{\"messageId\":\"<demo-$RUN-$recipient-$i@acme.example>\",\"from\":\"news@acme.example\",\"to\":[\"$recipient\"],\"subject\":\"Newsletter $i\",\"sentAt\":\"$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"headers\":{\"X-Campaign\":\"spring\"},\"body\":\"Hello $i\"}")
  done
  local IFS=,
  call POST "$MAIL_LOG/v1/messages/batch" "$APP" "{\"messages\":[${items[*]}]}"
}

step "1. stores on retention-service's data map (mail-log-store, consent-service and request-service register themselves)"
for _ in $(seq 1 60); do
  systems=$(call GET "$RETENTION/v1/systems" "$PLATFORM_ADMIN")
  if [[ "$systems" == *mail-log-store* && "$systems" == *consent-service* ]]; then break; fi
  sleep 1
done
echo "$systems" | pretty

step "2. the sending pipeline logs 200 e-mails to $ALICE and 20 to $BOB (tenant acme)"
messages "$ALICE" 200 | pretty
messages "$BOB" 20 | pretty

step "3. the product app records three consent decisions of subject '$SUBJECT'"
call PUT "$CONSENT/v1/purposes/newsletter" "$ADMIN" \
  '{"title":"Newsletter","description":"Monthly product news","category":"marketing_email","defaultLawfulBasis":"consent"}' >/dev/null
call PUT "$CONSENT/v1/purposes/analytics" "$ADMIN" \
  '{"title":"Analytics","description":"Usage statistics","category":"analytics","defaultLawfulBasis":"consent"}' >/dev/null
call PUT "$CONSENT/v1/policy-versions/2026-01" "$ADMIN" \
  '{"effectiveAt":"2026-01-01T00:00:00Z","material":false,"summary":"Privacy policy 2026"}' >/dev/null
for decision in "newsletter granted" "analytics granted" "newsletter withdrawn"; do
  set -- $decision
  call POST "$CONSENT/v1/consents" "$APP" \
    "{\"subjectId\":\"$SUBJECT\",\"purpose\":\"$1\",\"decision\":\"$2\",\"lawfulBasis\":\"consent\",\"policyVersion\":\"2026-01\",\"channel\":\"web\"}" | pretty
done

step "4. alice asks to be forgotten; the app vouches for her identity (she is logged in)"
request=$(call POST "$REQUEST/v1/requests" "$APP" \
  "{\"type\":\"erasure\",\"subjectId\":\"$SUBJECT\",\"contactEmail\":\"$ALICE\",\"regulation\":\"gdpr\",\"identityVerified\":true,\"verifiedBy\":\"app-session\"}")
echo "$request" | pretty
request_id=$(echo "$request" | sed -E 's/.*"requestId" *: *"([^"]+)".*/\1/')

step "5. waiting for every store to acknowledge (retention-service fans the erasure out over Kafka)"
status=""
for _ in $(seq 1 120); do
  status=$(call GET "$REQUEST/v1/requests/$request_id" "$OPERATOR" | sed -E 's/.*"status" *: *"([^"]+)".*/\1/')
  [[ "$status" == completed ]] && break
  sleep 0.5
done
call GET "$REQUEST/v1/requests/$request_id" "$OPERATOR" | pretty
[[ "$status" == completed ]] || { echo "the erasure did not complete within 60 s (status $status)" >&2; exit 1; }

step "6. what is left: alice's e-mails and consent history are gone, bob's e-mails are still there"
echo "alice's messages: $(call GET "$MAIL_LOG/v1/messages?recipient=$ALICE&limit=200" "$OPERATOR" | grep -o '"messageId"' | wc -l)"
echo "bob's messages:   $(call GET "$MAIL_LOG/v1/messages?recipient=$BOB&limit=200" "$OPERATOR" | grep -o '"messageId"' | wc -l)"
echo "alice's consent history: HTTP $(curl -s -o /dev/null -w '%{http_code}' "$CONSENT/v1/subjects/$SUBJECT/consents/history" -H "Authorization: Bearer $OPERATOR")"

step "7. the signed deletion certificate"
certificate=$(call GET "$RETENTION/v1/requests/$request_id/certificate" "$OPERATOR")
echo "$certificate" | pretty
if command -v jq >/dev/null; then
  work=$(mktemp -d)
  # The certificate names the key that signed it (keyId); the service publishes its current and retired keys.
  key_id=$(echo "$certificate" | jq -r .keyId)
  call GET "$RETENTION/v1/certificates/keys" "$OPERATOR" \
    | jq -r --arg kid "$key_id" '.keys[] | select(.keyId == $kid) | .publicKey' | base64 -d >"$work/key.der"
  openssl pkey -pubin -inform DER -in "$work/key.der" -out "$work/key.pem"
  echo "$certificate" | jq -cjS 'del(.signature)' >"$work/signed.json"
  echo "$certificate" | jq -r .signature | base64 -d >"$work/signature"
  if openssl pkeyutl -verify -pubin -inkey "$work/key.pem" -rawin -in "$work/signed.json" -sigfile "$work/signature" >/dev/null; then
    echo "signature: valid (Ed25519, key $key_id from $RETENTION/v1/certificates/keys)"
  else
    echo "signature: INVALID" >&2; rm -rf "$work"; exit 1
  fi
  rm -rf "$work"
fi
printf '\n\033[1mErasure %s completed and certified.\033[0m\n' "$request_id"
