#!/usr/bin/env bash
# A test scenario driven entirely through vault-mock's control API, as a
# test suite in any language can drive it: seed a user and two sessions,
# queue a fault, call the API, read the request log, expire a session,
# list and revoke the user's sessions as an administrator, reset. It
# needs bash and curl only.
#
# Start vault-mock first, and take its variables:
#
#	go build -o vault-mock ./cmd/vault-mock
#	eval "$(./vault-mock -addr 127.0.0.1:0 2>vault-mock.log &)"
#	export VAULT_BASE_URL VAULT_CONTROL_URL
#	examples/mock-control/run.sh
#
# The script prints one line per check and exits 1 at the first that
# fails. test_control.py beside it is a suite of the same kind in
# Python. The script starts and ends with a reset, so it can run again
# and again against the same vault-mock.
set -euo pipefail

: "${VAULT_BASE_URL:?set VAULT_BASE_URL to the API base URL vault-mock printed}"
: "${VAULT_CONTROL_URL:?set VAULT_CONTROL_URL to the control URL vault-mock printed}"

body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT

# call METHOD URL [JSON [HEADER...]] sends a request and sets status and
# body. A POST carries Content-Type: application/json, as the control
# API requires of every POST.
call() {
	local method=$1 url=$2 data=${3-}
	local args=(--silent --show-error --max-time 30 --output "$body_file" --write-out '%{http_code}' --request "$method")
	if [ "$method" = POST ]; then
		args+=(--header 'Content-Type: application/json')
	fi
	if [ -n "$data" ]; then
		args+=(--data "$data")
	fi
	if [ $# -gt 3 ]; then
		local h
		for h in "${@:4}"; do
			args+=(--header "$h")
		done
	fi
	status=$(curl "${args[@]}" "$url")
	body=$(cat "$body_file")
}

# control METHOD PATH [JSON] calls the control API.
control() { call "$1" "$VAULT_CONTROL_URL$2" "${3-}"; }

# api METHOD PATH TOKEN calls the Sessions API as the tenant "acme".
api() { call "$1" "$VAULT_BASE_URL$2" "" "Authorization: Bearer $3" "X-Tenant-Slug: acme"; }

fail() {
	echo "FAIL $*" >&2
	exit 1
}

# expect STATUS WHAT checks the status of the last answer.
expect() {
	[ "$status" = "$1" ] || fail "$2: status $status, want $1: $body"
	echo "ok   $2"
}

# holds TEXT WHAT checks that the last body holds TEXT.
holds() {
	case "$body" in
	*"$1"*) ;;
	*) fail "$2: no $1 in $body" ;;
	esac
}

# member NAME prints the first string member NAME of the last body.
member() { printf '%s' "$body" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# 1. A known state: the demo as vault-mock started, a frozen clock.
control POST /reset
expect 204 "reset"
control POST /clock '{"now":"2025-03-14T09:00:00Z"}'
expect 200 "freeze the clock"
holds '"frozen":true' "the clock is frozen"

# 2. Seed: alice of the tenant acme, with a laptop and a phone.
control POST /users '{"id":"alice","tenantId":"tnt_4f2a9c","tenantSlug":"acme"}'
expect 201 "add alice"
control POST /users/alice/sessions '{"id":"ses_laptop","ipAddress":"203.0.113.24","userAgent":"Mozilla/5.0 (Macintosh)","mfaVerified":true}'
expect 201 "sign alice in on her laptop"
laptop_token=$(member token)
[ -n "$laptop_token" ] || fail "no token in $body"
control POST /users/alice/sessions '{"id":"ses_phone","ipAddress":"198.51.100.7","userAgent":"Mozilla/5.0 (iPhone)"}'
expect 201 "sign alice in on her phone"

# 3. Fault: the phone's revocation answers 503 once.
control POST /faults '{"sessionId":"ses_phone","status":503,"retryAfter":"1"}'
expect 201 "queue a fault"
holds '"pending":1' "one fault pending"
control POST /faults '{"route":"DELETE /users/me/sessions/ses_phone","status":503}'
expect 400 "a fault that could never fire is refused"
holds '"code":"INVALID_FAULT"' "the refusal says why"

# 4. Call the API as the laptop: the fault, then the revocation.
api GET /users/me/sessions "$laptop_token"
expect 200 "list alice's sessions"
holds '"id":"ses_phone"' "the phone is listed"
api DELETE /users/me/sessions/ses_phone "$laptop_token"
expect 503 "the first revocation meets the fault"
api DELETE /users/me/sessions/ses_phone "$laptop_token"
expect 200 "the second revocation signs the phone out"
control GET /sessions/ses_phone
expect 200 "read the phone's session"
holds '"revoked":true' "the phone's session is revoked"

# 5. Read the request log: three calls, the second answered by the fault.
control GET /requests
expect 200 "read the request log"
[ "$(printf '%s' "$body" | grep -o '"id":"req-' | wc -l)" -eq 3 ] || fail "three requests logged: $body"
holds '"status":503,"fault":true,"userId":"alice","sessionId":"ses_laptop"' "the faulted call is logged with its caller"
holds '"Authorization":["Bearer [REDACTED]"]' "the log leaves the token out"
case "$body" in *"$laptop_token"*) fail "the token is in the log" ;; esac
control DELETE /requests
expect 204 "clear the request log"

# 6. Expire the laptop's session: its token is refused from then on.
control POST /clock '{"advance":"1h"}'
expect 200 "move the clock an hour on"
holds '"now":"2025-03-14T10:00:00Z"' "the clock moved"
control POST /sessions/ses_laptop/expire
expect 200 "expire the laptop's session"
api GET /users/me/sessions "$laptop_token"
expect 401 "an expired session's token is refused"

# 7. An administrator of acme sees alice's sessions, gone ones included,
# and signs her out everywhere.
control POST /users '{"id":"usr_support","tenantId":"tnt_4f2a9c","tenantSlug":"acme","admin":true}'
expect 201 "add an administrator of acme"
control POST /users/usr_support/sessions ''
expect 201 "sign the administrator in"
admin_token=$(member token)
api GET /users/alice/sessions "$admin_token"
expect 404 "the user routes are the caller's own"
api GET /admin/users/alice/sessions "$admin_token"
expect 200 "list alice's sessions as the administrator"
holds '"id":"ses_phone"' "the revoked phone is listed"
holds '"status":"revoked"' "with its status"
holds '"status":"expired"' "and the expired laptop with its"
api GET /admin/users/alice/sessions "$laptop_token"
expect 401 "an expired session's token is refused on the admin routes too"
api DELETE /admin/users/alice/sessions "$admin_token"
expect 200 "revoke all of alice's sessions"
holds '"message":"Revoked 0 sessions for user alice"' "none was active"

# 8. Reset: alice is gone and the clock runs again.
control POST /reset
expect 204 "reset"
control GET /users/alice
expect 404 "alice is gone"
control GET /clock
holds '"frozen":false' "the clock runs again"

echo "PASS"
