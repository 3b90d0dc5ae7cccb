package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestTenants(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "globex"})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	carol := srv.AddSession("carol", vaulttest.SessionSeed{})

	tests := []struct {
		name   string
		token  string
		tenant []string
		status int
	}{
		{"own tenant", alice.Token, []string{"X-Tenant-ID", "acme"}, http.StatusOK},
		{"other tenant", alice.Token, []string{"X-Tenant-ID", "globex"}, http.StatusUnauthorized},
		{"missing tenant", alice.Token, nil, http.StatusUnauthorized},
		{"tenant is case sensitive", alice.Token, []string{"X-Tenant-ID", "ACME"}, http.StatusUnauthorized},
		{"second tenant", bob.Token, []string{"X-Tenant-ID", "globex"}, http.StatusOK},
		{"user without tenant, no header", carol.Token, nil, http.StatusOK},
		{"user without tenant, any header", carol.Token, []string{"X-Tenant-ID", "acme"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", tt.token, tt.tenant...)
			assert.Equal(t, tt.status, r.status)
			if tt.status == http.StatusUnauthorized {
				assert.Equal(t, "UNAUTHORIZED", errorCode(t, r.body))
			}
		})
	}

	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", alice.Token, "X-Tenant-ID", "globex")
	assert.Equal(t, http.StatusUnauthorized, r.status)
	s, _ := srv.Session(alice.ID)
	assert.False(t, s.Revoked, "a request for the wrong tenant changes nothing")

	u, ok := srv.User("alice")
	assert.True(t, ok)
	assert.Equal(t, vaulttest.User{ID: "alice", TenantID: "acme"}, u)
}
