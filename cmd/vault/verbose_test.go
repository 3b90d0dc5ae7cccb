package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestVerboseLogsRequestsAndRetries(t *testing.T) {
	h := newHarness(t)
	h.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: 503, RetryAfter: "0"})
	r := h.run("sessions", "list", "--verbose", "--output", "json")
	requireCode(t, exitOK, r)
	assert.True(t, json.Valid([]byte(r.stdout)), "logs stay off stdout: %s", r.stdout)

	assert.Contains(t, r.stderr, `level=DEBUG msg="vault: config" base_url=`+h.srv.URL+` tenant_id="" token_from=VAULT_TOKEN timeout=30s retries=3`)
	assert.Contains(t, r.stderr, `level=DEBUG msg="vault: attempt" operation="list sessions" attempt=1 status=503`)
	assert.Contains(t, r.stderr, `level=INFO msg="vault: retrying" operation="list sessions" attempt=1 wait=0s status=503`)
	assert.Contains(t, r.stderr, `level=DEBUG msg="vault: attempt" operation="list sessions" attempt=2 status=200`)
}

func TestVerboseLogsFailures(t *testing.T) {
	h := newHarness(t)
	h.env[envToken] = h.secret("vt_logged_nowhere")
	r := h.run("sessions", "revoke", "--verbose", h.demo[1].ID)
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, `level=WARN msg="vault: call failed" operation="revoke session" method=DELETE`)
	assert.Contains(t, r.stderr, "status=401")
}

func TestQuietWithoutVerbose(t *testing.T) {
	h := newHarness(t)
	h.srv.Faults().Add(vaulttest.Fault{Status: 503, RetryAfter: "0"})
	r := h.run("sessions", "list")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stderr)
}
