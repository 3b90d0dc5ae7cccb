package contracttest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestAdminResponsesConformToOpenAPI sends the admin routes' requests, and
// checks them and vaulttest's answers against api/openapi.yaml.
func TestAdminResponsesConformToOpenAPI(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(vaulttest.User{ID: "usr_admin", TenantID: "acme", Admin: true})
	admin := srv.AddSession("usr_admin", vaulttest.SessionSeed{})
	demo := srv.SeedDemo(vaulttest.Demo{Sessions: 6, TenantID: "acme"})
	srv.RevokeSession(demo[4].ID)
	srv.ExpireSession(demo[5].ID)
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "globex"})
	c := loadContract(t, srv.URL)
	user := "/admin/users/" + vaulttest.DemoUserID + "/sessions"
	one := user + "/" + url.PathEscape(demo[1].ID)

	steps := []struct {
		name, method, path, token string
		fault                     *vaulttest.Fault
		status                    int
	}{
		{"list", "GET", user, admin.Token, nil, 200},
		{"get a revoked session", "GET", user + "/" + url.PathEscape(demo[4].ID), admin.Token, nil, 200},
		{"get an expired session", "GET", user + "/" + url.PathEscape(demo[5].ID), admin.Token, nil, 200},
		{"revoke one", "DELETE", one, admin.Token, nil, 200},
		{"revoke it again", "DELETE", one, admin.Token, nil, 200},
		{"another tenant's user", "GET", "/admin/users/bob/sessions", admin.Token, nil, 404},
		{"an unknown session", "DELETE", user + "/no-such-session", admin.Token, nil, 404},
		{"not an administrator", "GET", user, demo[0].Token, nil, 403},
		{"a bad token", "DELETE", user, "vt_no_such_token", nil, 401},
		{"service unavailable", "GET", user, admin.Token, &vaulttest.Fault{Route: vaulttest.RouteListUserSessions, Status: 503, RetryAfter: "1"}, 503},
		{"revoke all", "DELETE", user, admin.Token, nil, 200},
		{"list after", "GET", user, admin.Token, nil, 200},
	}
	for i, s := range steps {
		if s.fault != nil {
			srv.Faults().Add(*s.fault)
		}
		req, err := http.NewRequest(s.method, srv.URL+s.path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.token)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Tenant-ID", "acme")
		r, err := c.do(t, srv.Client(), req)
		assert.NoError(t, err, "step %d: %s: %s", i, s.name, r.body)
		assert.Equal(t, s.status, r.status, "step %d: %s: %s", i, s.name, r.body)
	}
}
