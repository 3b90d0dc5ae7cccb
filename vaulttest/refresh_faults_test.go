package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRefreshFaultsSelectWhatTheLogShows queues a fault for ann's
// refreshes, selected as the request log names them, sends her refresh
// and checks that the fault answers it and that the log names the
// refresh as the fault selected it:
//   - without a bearer token, as clients refresh, by the user of its
//     refresh token: a fault that stayed pending while the log listed
//     the refresh as ann's never fired;
//   - with her access token as a bearer token, as a client that sends it
//     with every call does, by that token: Faults.Add must take such a
//     fault, not panic on it as one that never fires.
func TestRefreshFaultsSelectWhatTheLogShows(t *testing.T) {
	tests := []struct {
		name string
		// fault selects ann's refresh by her session s; header is
		// what the refresh sends besides its body.
		fault  func(s vaulttest.Session) vaulttest.Fault
		header func(s vaulttest.Session) []string
		filter func(s vaulttest.Session) vaulttest.RequestFilter
	}{
		{
			name:   "by the user of the refresh token",
			fault:  func(vaulttest.Session) vaulttest.Fault { return vaulttest.Fault{UserID: "ann"} },
			header: func(vaulttest.Session) []string { return nil },
			filter: func(vaulttest.Session) vaulttest.RequestFilter { return vaulttest.RequestFilter{UserID: "ann"} },
		},
		{
			name:   "by its bearer token",
			fault:  func(s vaulttest.Session) vaulttest.Fault { return vaulttest.Fault{Token: s.Token} },
			header: func(s vaulttest.Session) []string { return []string{"Authorization", "Bearer " + s.Token} },
			filter: func(s vaulttest.Session) vaulttest.RequestFilter { return vaulttest.RequestFilter{SessionID: s.ID} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := vaulttest.NewTestServer(t)
			s := srv.AddSession("ann", vaulttest.SessionSeed{})
			fault := tt.fault(s)
			fault.Route, fault.Status, fault.Count = vaulttest.RouteRefreshToken, http.StatusServiceUnavailable, 1
			require.NoError(t, fault.ValidateInput(0), "a fault for ann's refreshes is taken")
			require.NotPanics(t, func() { srv.Faults().Add(fault) }, "a fault for ann's refreshes is refused")

			got := refresh(t, srv, "application/json", `{"refreshToken":"`+s.RefreshToken+`"}`, tt.header(s)...)

			filter := tt.filter(s)
			filter.Route = vaulttest.RouteRefreshToken
			logged, err := srv.Handler().FindRequests(filter)
			require.NoError(t, err)
			require.Len(t, logged, 1, "the log lists the refresh as ann's")
			assert.Equal(t, http.StatusServiceUnavailable, got.status, "the fault for ann's refreshes did not answer the refresh the log lists as ann's")
			assert.Zero(t, srv.Faults().Pending(), "the fault is still pending")
		})
	}
}
