package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestFaultTargets(t *testing.T) {
	type step struct {
		method, path, token string
		status              int
	}
	const (
		list    = "/users/me/sessions"
		session = "/users/me/sessions/"
	)
	tests := []struct {
		name    string
		fault   vaulttest.Fault
		steps   []step
		pending int
	}{
		{
			name:  "one session",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeSession, SessionID: "a2", Status: 500},
			steps: []step{
				{http.MethodDelete, session + "a3", "tok-a1", 200},
				{http.MethodGet, list, "tok-a1", 200},
				{http.MethodDelete, session + "a2", "tok-a1", 500},
				{http.MethodDelete, session + "a2", "tok-a1", 200},
			},
		},
		{
			name:  "one session without a route",
			fault: vaulttest.Fault{SessionID: "a2", Status: 500},
			steps: []step{
				{http.MethodDelete, list, "tok-a1", 200},
				{http.MethodGet, session + "a2", "tok-b1", 405}, // no revocation
				{http.MethodDelete, session + "a2", "tok-b1", 500},
			},
		},
		{
			name:  "an escaped session ID",
			fault: vaulttest.Fault{SessionID: "a/b", Status: 500},
			steps: []step{
				{http.MethodDelete, session + "a", "tok-a1", 404},
				{http.MethodDelete, session + "a%2Fb", "tok-a1", 500},
			},
		},
		{
			name:  "a session that is not asked for",
			fault: vaulttest.Fault{SessionID: "a9", Status: 500},
			steps: []step{
				{http.MethodDelete, session + "a2", "tok-a1", 200},
				{http.MethodDelete, list, "tok-a1", 200},
			},
			pending: 1,
		},
		{
			name:  "one token",
			fault: vaulttest.Fault{Token: "tok-a2", Status: 503},
			steps: []step{
				{http.MethodGet, list, "tok-a1", 200},
				{http.MethodGet, list, "", 401},
				{http.MethodGet, list, "tok-a2", 503},
				{http.MethodGet, list, "tok-a2", 200},
			},
		},
		{
			name:  "one user",
			fault: vaulttest.Fault{UserID: "bob", Status: 503, Count: 2},
			steps: []step{
				{http.MethodGet, list, "tok-a1", 200},
				{http.MethodGet, list, "tok-b1", 503},
				{http.MethodGet, list, "nope", 401},
				{http.MethodDelete, session + "b1", "tok-b1", 503},
				{http.MethodGet, list, "tok-b1", 200},
			},
		},
		{
			name:  "a user's revoked token",
			fault: vaulttest.Fault{Route: vaulttest.RouteListSessions, UserID: "alice", Status: 503},
			steps: []step{
				{http.MethodDelete, session + "a3", "tok-a3", 200},
				{http.MethodGet, list, "tok-a3", 503},
				{http.MethodGet, list, "tok-a3", 401},
			},
		},
		{
			name:  "every selector at once",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeSession, SessionID: "a2", Token: "tok-a1", UserID: "alice", Status: 500},
			steps: []step{
				{http.MethodDelete, session + "a2", "tok-b1", 404},
				{http.MethodDelete, session + "a3", "tok-a1", 200},
				{http.MethodDelete, session + "a2", "tok-a1", 500},
				{http.MethodDelete, session + "a2", "tok-a1", 200},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			for _, s := range []struct{ user, id string }{{"alice", "a1"}, {"alice", "a2"}, {"alice", "a3"}, {"alice", "a/b"}, {"bob", "b1"}} {
				srv.AddSession(s.user, vaulttest.SessionSeed{ID: s.id, Token: "tok-" + s.id})
			}
			srv.Faults().Add(tt.fault)
			for i, s := range tt.steps {
				r := call(t, srv.Client(), s.method, srv.URL+s.path, s.token)
				assert.Equal(t, s.status, r.status, "step %d: %s %s", i, s.method, s.path)
			}
			assert.Equal(t, tt.pending, srv.Faults().Pending())
		})
	}
}
