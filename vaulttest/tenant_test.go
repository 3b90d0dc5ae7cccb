package vaulttest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"

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

func TestTenantSlug(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "tnt_1", TenantSlug: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "tnt_2"})
	srv.AddUser(vaulttest.User{ID: "dave", TenantSlug: "initech"})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	carol := srv.AddSession("carol", vaulttest.SessionSeed{})
	dave := srv.AddSession("dave", vaulttest.SessionSeed{})

	tests := []struct {
		name   string
		token  string
		header []string
		status int
	}{
		{"slug alone", alice.Token, []string{"X-Tenant-Slug", "acme"}, http.StatusOK},
		{"ID alone", alice.Token, []string{"X-Tenant-ID", "tnt_1"}, http.StatusOK},
		{"ID and slug", alice.Token, []string{"X-Tenant-ID", "tnt_1", "X-Tenant-Slug", "acme"}, http.StatusOK},
		{"lower-case header name", alice.Token, []string{"x-tenant-slug", "acme"}, http.StatusOK},
		{"another tenant's slug", alice.Token, []string{"X-Tenant-Slug", "globex"}, http.StatusUnauthorized},
		{"slug is case sensitive", alice.Token, []string{"X-Tenant-Slug", "ACME"}, http.StatusUnauthorized},
		{"right ID, wrong slug", alice.Token, []string{"X-Tenant-ID", "tnt_1", "X-Tenant-Slug", "globex"}, http.StatusUnauthorized},
		{"right slug, wrong ID", alice.Token, []string{"X-Tenant-ID", "tnt_2", "X-Tenant-Slug", "acme"}, http.StatusUnauthorized},
		{"the tenant's ID as slug", alice.Token, []string{"X-Tenant-Slug", "tnt_1"}, http.StatusUnauthorized},
		{"neither", alice.Token, nil, http.StatusUnauthorized},
		{"a tenant without a slug", bob.Token, []string{"X-Tenant-Slug", "tnt_2"}, http.StatusUnauthorized},
		{"a tenant known by its slug only", dave.Token, []string{"X-Tenant-Slug", "initech"}, http.StatusOK},
		{"a tenant known by its slug only, with an ID", dave.Token, []string{"X-Tenant-ID", "initech"}, http.StatusUnauthorized},
		{"a user without a tenant", carol.Token, []string{"X-Tenant-Slug", "acme"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", tt.token, tt.header...)
			assert.Equal(t, tt.status, r.status)
		})
	}
}

func TestTenantSlugThroughTheSDK(t *testing.T) {
	srv := newServer(t)
	me := srv.SeedDemo(vaulttest.Demo{TenantID: "tnt_1", TenantSlug: "acme"})[0]
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:     srv.URL,
		AccessToken: me.Token,
		Headers:     http.Header{"X-Tenant-Slug": {"acme"}},
	})
	require.NoError(t, err)
	_, err = client.Sessions.ListSessions(context.Background())
	assert.NoError(t, err)
	u, _ := srv.User(vaulttest.DemoUserID)
	assert.Equal(t, "acme", u.TenantSlug)
}

func TestTenantHeadersIgnoredByTheServerDialect(t *testing.T) {
	srv := newServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "tnt_1", TenantSlug: "acme"})
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token, "X-Tenant-Slug", "globex")
	assert.Equal(t, http.StatusOK, r.status, "the server takes the tenant from the token")
}
