package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestFailSessionFailsOnlyTheRevocation holds -fail-session to its help
// and to docs/vault-mock.md: "only fail the revocation of this session
// ID". An administrator reading that session with GET
// /admin/users/{userId}/sessions/{sessionId} is no revocation, and must
// not use up the failure the operator meant for one.
func TestFailSessionFailsOnlyTheRevocation(t *testing.T) {
	demo := vaulttest.NewHandler().SeedDemo(vaulttest.Demo{Sessions: 3})
	target := demo[1].ID
	m := startMock(t, "-sessions", "3", "-fail-session", target, "-fail-status", "503")

	resp := get(t, m.baseURL+"/admin/users/"+vaulttest.DemoUserID+"/sessions/"+target, m.adminToken)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "reading the session is not its revocation")

	status, body := send(t, http.MethodDelete, m.baseURL+"/users/me/sessions/"+target, m.token, "")
	assert.Equal(t, http.StatusServiceUnavailable, status, "the revocation gets the failure: %s", body)
	require.Equal(t, 0, m.stop(t))
}
