#!/usr/bin/env bash
# Creates or updates the secrets the platform's operator provides: those no operator in the cluster makes (Strimzi
# makes one per KafkaUser, CloudNativePG makes <cluster>-app). Read from a directory laid out like the local run's
# .run/ (deploy/local/run.sh writes one): a development cluster can take the local run's credentials; production
# prepares the same layout from its own key management, or creates the same secrets another way (README.md lists
# each one and its keys).
#
#   deploy/k8s/create-secrets.sh [--from DIR] [--namespace NS] [--print]
#
# --from      the directory (default: .run of this repository)
# --namespace the namespace (default: privacy-dev, the dev overlay's)
# --print     print the Secret manifests instead of applying them (they hold keys: do not commit the output)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FROM="$REPO_ROOT/.run"
NAMESPACE=privacy-dev
PRINT=0
while (($#)); do
  case "$1" in
    --from) FROM="$2"; shift 2 ;;
    --namespace) NAMESPACE="$2"; shift 2 ;;
    --print) PRINT=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -d "$FROM" ]] || { echo "no directory $FROM (run deploy/local/run.sh once, or pass --from)" >&2; exit 1; }

# secret <name> <kubectl create secret generic arguments...>
secret() {
  local name="$1"; shift
  local manifest
  manifest=$(kubectl create secret generic "$name" --namespace "$NAMESPACE" "$@" --dry-run=client -o yaml)
  if ((PRINT)); then
    printf -- '---\n%s\n' "$manifest"
  else
    printf '%s\n' "$manifest" | kubectl apply -f -
  fi
}

# Shared by every service.
secret privacy-jwt-public-key --from-file=public.pem="$FROM/jwt/public.pem"
secret privacy-pseudonym --from-file=secret="$FROM/pseudonym.secret"
# request-service seals verification codes to the mailer's key (base64 X.509, the PEM's body on one line).
secret privacy-mailer-public-key --from-literal=public-key="$(grep -v -- '-----' "$FROM/mailer/public.pem" | tr -d '\n')"
secret mail-log-sampling --from-file=secret="$FROM/sampling.secret"
# The master key wrapping the subjects' data keys in the key store (base64 of 32 bytes).
secret privacy-keys-master-key --from-file=secret="$FROM/keys-master.secret"

# Per service: the Ed25519 key its events are signed with; per store: its data-map token.
# Named one by one (not in a loop) so that each name can be found here: ManifestsTests checks that every secret a
# Deployment reads is created by this script.
secret consent-service-signing-key --from-file=signing.pem="$FROM/signing/consent-service.pem"
secret request-service-signing-key --from-file=signing.pem="$FROM/signing/request-service.pem"
secret retention-service-signing-key --from-file=signing.pem="$FROM/signing/retention-service.pem"
secret mail-log-store-signing-key --from-file=signing.pem="$FROM/signing/mail-log-store.pem"
secret consent-service-store-token --from-file=token="$FROM/tokens/store-consent-service.jwt"
secret request-service-store-token --from-file=token="$FROM/tokens/store-request-service.jwt"
secret mail-log-store-store-token --from-file=token="$FROM/tokens/store-mail-log-store.jwt"

# Key directories (<id>.pem, retired <id>.pub.pem) and which of them signs now.
key_directory() {
  local name="$1" dir="$2" current="$3" args=() file
  for file in "$dir"/*.pem; do args+=(--from-file="$(basename "$file")=$file"); done
  secret "$name" "${args[@]}" --from-literal=current-key-id="$(tr -d '[:space:]' <"$current")"
}
key_directory request-service-audit-keys "$FROM/keys/request" "$FROM/keys/request.current"
key_directory retention-service-certificate-keys "$FROM/keys/retention" "$FROM/keys/retention.current"

# request-service's OpenDSR key and certificate (the local run's certificate is self-signed: give a production
# namespace a CA-issued one for the host in REQUESTS_OPENDSR_PUBLIC_URL).
secret request-service-opendsr --from-file=key.pem="$FROM/keys/opendsr/key.pem" \
  --from-file=certificate.pem="$FROM/keys/opendsr/certificate.pem"
