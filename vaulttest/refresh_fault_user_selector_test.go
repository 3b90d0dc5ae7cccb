package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRefreshFaultSelectsTheUserTheLogShows queues a fault for one
// user's refreshes and sends a refresh with that user's refresh token,
// without a bearer token, as clients refresh. The request log names the
// user of a refresh by its refresh token, so a suite that finds ann's
// refreshes with the filter {Route, UserID} writes the fault with the
// same selectors: it must fire, or be refused as one that never can,
// not stay pending while the log lists the request it should have
// answered.
func TestRefreshFaultSelectsTheUserTheLogShows(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	fault := vaulttest.Fault{Route: vaulttest.RouteRefreshToken, UserID: "ann", Status: http.StatusServiceUnavailable, Count: 1}
	require.NoError(t, fault.ValidateInput(0), "a fault for ann's refreshes is taken")
	srv.Faults().Add(fault)

	got := refreshWith(t, srv, s.RefreshToken)

	logged, err := srv.Handler().FindRequests(vaulttest.RequestFilter{Route: vaulttest.RouteRefreshToken, UserID: "ann"})
	require.NoError(t, err)
	require.Len(t, logged, 1, "the log lists the refresh as ann's")
	assert.Equal(t, http.StatusServiceUnavailable, got.status, "the fault for ann's refreshes did not answer the refresh the log lists as ann's")
	assert.Zero(t, srv.Faults().Pending(), "the fault is still pending")
}
