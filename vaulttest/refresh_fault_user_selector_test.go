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

// TestRefreshFaultByTokenIsRefused checks that a fault selecting the
// refreshes by bearer token, which a refresh never sends, is refused as
// one that could never fire, through Validate and the control API.
func TestRefreshFaultByTokenIsRefused(t *testing.T) {
	fault := vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Token: "vr_anything", Status: http.StatusServiceUnavailable}
	var fe *vaulttest.FaultError
	require.ErrorAs(t, fault.Validate(), &fe)
	assert.Equal(t, "Token", fe.Field)

	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/faults", `{"route":"POST /auth/refresh","token":"vr_anything","status":503}`)
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
	assert.Equal(t, "token", decode[controlError](t, r.body).Error.Field)
}
