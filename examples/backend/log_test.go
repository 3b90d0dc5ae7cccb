package main

import (
	"net/http"
	"testing"

	"github.com/vault-dev/vault-go/internal/syncbuf"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestLogsHoldNoToken(t *testing.T) {
	api := vaulttest.NewServer()
	t.Cleanup(api.Close)
	alice := api.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 3})
	var logs syncbuf.Buffer
	service := startService(t, api.URL, &logs)

	api.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, Count: vaulttest.Unlimited})
	call(t, service, http.MethodGet, "/account/sessions", alice[0].Token, nil)
	api.Faults().Clear()
	call(t, service, http.MethodDelete, "/account/sessions/nope", alice[0].Token, nil)
	call(t, service, http.MethodPost, "/account/sessions/revoke-others", alice[0].Token, nil)
	call(t, service, http.MethodPost, "/account/logout-everywhere", alice[0].Token, nil)
	call(t, service, http.MethodGet, "/account/sessions", alice[0].Token, nil)

	out := logs.String()
	require.Contains(t, out, "vault call failed", "failures were logged")
	require.Contains(t, out, "vault: retrying", "the SDK's records were logged")
	for _, s := range alice {
		assert.NotContains(t, out, s.Token)
	}
}
