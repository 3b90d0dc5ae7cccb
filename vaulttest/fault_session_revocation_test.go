package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestFaultSessionIDSelectsTheRevocation checks which admin requests a
// fault's SessionID selects: the revocations of the session, not an
// administrator's read of it, unless the fault's Route is the read.
func TestFaultSessionIDSelectsTheRevocation(t *testing.T) {
	const one = "/admin/users/alice/sessions/ses_active"
	type step struct {
		method string
		status int
	}
	tests := []struct {
		name  string
		fault vaulttest.Fault
		steps []step
	}{
		{
			name:  "SessionID alone",
			fault: vaulttest.Fault{SessionID: "ses_active", Status: http.StatusServiceUnavailable},
			steps: []step{{http.MethodGet, http.StatusOK}, {http.MethodDelete, http.StatusServiceUnavailable}},
		},
		{
			name:  "with the admin path for every method",
			fault: vaulttest.Fault{Route: "/admin/users/{userId}/sessions/{sessionId}", SessionID: "ses_active", Status: http.StatusServiceUnavailable},
			steps: []step{{http.MethodGet, http.StatusOK}, {http.MethodDelete, http.StatusServiceUnavailable}},
		},
		{
			name:  "with the revocation route",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeUserSession, SessionID: "ses_active", Status: http.StatusServiceUnavailable},
			steps: []step{{http.MethodGet, http.StatusOK}, {http.MethodDelete, http.StatusServiceUnavailable}},
		},
		{
			name:  "with the read route",
			fault: vaulttest.Fault{Route: vaulttest.RouteGetUserSession, SessionID: "ses_active", Status: http.StatusServiceUnavailable},
			steps: []step{{http.MethodDelete, http.StatusOK}, {http.MethodGet, http.StatusServiceUnavailable}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAdminFixture(t)
			f.srv.Faults().Add(tt.fault)
			for i, s := range tt.steps {
				r := f.as(t, f.admin.Token, s.method, one)
				assert.Equal(t, s.status, r.status, "step %d: %s %s: %s", i, s.method, one, r.body)
			}
			assert.Zero(t, f.srv.Faults().Pending(), "the fault answered once")
		})
	}
}
