package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestServerDialectKeepsSlugTenantsApart holds the user's revoke route of
// DialectServer to the tenants User.Admin documents and the admin routes
// apply: users are in the same tenant when they have the same TenantID
// or, both without one, the same TenantSlug. The server looks a session
// up within the caller's tenant, so another tenant's session is 404, as
// one that does not exist; 403 "Access denied" is for another user of the
// same tenant, and would tell an administrator of one tenant that a
// session ID exists in another.
func TestServerDialectKeepsSlugTenantsApart(t *testing.T) {
	srv := newServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
	srv.AddUser(vaulttest.User{ID: "alice", TenantSlug: "acme", Admin: true})
	srv.AddUser(vaulttest.User{ID: "carol", TenantSlug: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantSlug: "globex"})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.AddSession("carol", vaulttest.SessionSeed{ID: "ses_carol"})
	srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})

	// The admin routes already tell the two tenants apart.
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/admin/users/bob/sessions", alice.Token)
	require.Equal(t, http.StatusNotFound, r.status, "bob is not in alice's tenant")

	tests := []struct {
		name    string
		session string
		status  int
	}{
		{"a session of the same tenant's other user", "ses_carol", http.StatusForbidden},
		{"a session of another tenant", "ses_bob", http.StatusNotFound},
		{"no such session", "ses_none", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+tt.session, alice.Token)
			assert.Equal(t, tt.status, r.status, "body: %s", r.body)
		})
	}
	bob, _ := srv.Session("ses_bob")
	assert.False(t, bob.Revoked)
}
