package vaulttest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestFaultFixOfAnAdminRouteStaysAnAdminRoute checks the route a refused
// fault suggests when its SessionID goes with an admin route that names
// no session: the admin route that does, with the same method, not the
// user's own revoke route, which an administrator's requests never take.
func TestFaultFixOfAnAdminRouteStaysAnAdminRoute(t *testing.T) {
	tests := []struct {
		route, want string
	}{
		{vaulttest.RouteRevokeAllUserSessions, vaulttest.RouteRevokeUserSession},
		{vaulttest.RouteListUserSessions, vaulttest.RouteGetUserSession},
	}
	for _, tt := range tests {
		t.Run(tt.route, func(t *testing.T) {
			err := vaulttest.Fault{Route: tt.route, SessionID: "ses_1", Status: 503}.Validate()
			var fe *vaulttest.FaultError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, "SessionID", fe.Field)
			assert.Equal(t, tt.want, fe.Route, "what to write instead")
			assert.Equal(t, "ses_1", fe.SessionID)
		})
	}
}
