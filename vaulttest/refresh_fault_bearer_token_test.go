package vaulttest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRefreshFaultByBearerTokenFires queues a fault for the refreshes
// sent with one access token, as a suite does for a client that sends
// its access token with every call, its refreshes included (the handler
// takes such a refresh, and its log and faults name the request by the
// bearer token). Such a fault fires; Faults.Add must keep taking it, not
// panic on it as one that never can.
func TestRefreshFaultByBearerTokenFires(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	fault := vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Token: s.Token, Status: http.StatusServiceUnavailable}
	require.NotPanics(t, func() { srv.Faults().Add(fault) }, "a fault for the refreshes sent with ann's access token is refused")

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/auth/refresh",
		strings.NewReader(`{"refreshToken":"`+s.RefreshToken+`"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "the fault for ann's bearer token did not answer her refresh")
}
