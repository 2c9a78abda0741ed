#!/usr/bin/env bash
# Mints fresh local bearer tokens while the platform runs, without restarting anything: the
# services verify tokens with .run/jwt/public.pem, which this keeps, so new tokens work at once.
# Local tokens live 8 hours (TestTokens.LOCAL_LIFETIME); run.sh mints a set on every start.
#
#   deploy/local/tokens.sh                     .run/tokens/<tenant>-<role>.jwt, for every service
#   deploy/local/tokens.sh retention-service   .run/tokens/<tenant>-<role>.retention-service.jwt,
#                                              accepted by that service only (aud = its name)
#
# Tenants platform and acme; roles app, operator, admin. Keys and tokens are credentials: owner-only.
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JWT_DIR="$RUN_DIR/jwt"
TOKEN_DIR="$RUN_DIR/tokens"

[[ -f "$JWT_DIR/private.pem" && -f "$JWT_DIR/public.pem" ]] \
  || die "no key pair in .run/jwt: start the platform with deploy/local/run.sh first"
[[ -s "$TOOLS_CLASSPATH" && -d "$REPO_ROOT/platform-testing/target/classes" ]] \
  || die "platform-testing is not built: run deploy/local/run.sh first"

(umask 077 && platform_tool io.privacyplatform.testing.TestTokens "$JWT_DIR" "$TOKEN_DIR" "$@") \
  || die "minting tokens failed"
if (($# == 0)); then
  ok "minted .run/tokens/{platform,acme}-{app,operator,admin}.jwt (every service), valid 8 hours"
else
  ok "minted .run/tokens/{platform,acme}-{app,operator,admin}.$1.jwt (only $1), valid 8 hours"
fi
