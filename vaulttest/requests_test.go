package vaulttest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRequests(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteLogoutAllSessions, Status: 503})

	call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions?page=2", me.Token, "X-Tenant-ID", "acme")
	srv.Advance(time.Second)
	call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/a%2Fb", me.Token)
	call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", "")

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	want := []struct {
		id, method, path, query, auth string
		status                        int
		fault                         bool
		at                            time.Time
	}{
		{"req-000001", "GET", "/api/v1/users/me/sessions", "page=2", "Bearer " + me.Token, 200, false, epoch},
		{"req-000002", "DELETE", "/api/v1/users/me/sessions/a%2Fb", "", "Bearer " + me.Token, 404, false, epoch.Add(time.Second)},
		{"req-000003", "DELETE", "/api/v1/users/me/sessions", "", "", 503, true, epoch.Add(time.Second)},
	}
	for i, w := range want {
		got := reqs[i]
		assert.Equal(t, w.id, got.ID)
		assert.Equal(t, w.method, got.Method)
		assert.Equal(t, w.path, got.Path)
		assert.Equal(t, w.query, got.RawQuery)
		assert.Equal(t, w.auth, got.Header.Get("Authorization"))
		assert.Equal(t, w.status, got.Status)
		assert.Equal(t, w.fault, got.Fault)
		assert.True(t, w.at.Equal(got.Time), got.ID)
	}
	assert.Equal(t, "acme", reqs[0].Header.Get("X-Tenant-ID"))
	assert.Equal(t, "alice", reqs[0].UserID, "the user of the token")
	assert.Equal(t, me.ID, reqs[0].SessionID, "the session of the token")
	assert.Empty(t, reqs[2].UserID+reqs[2].SessionID, "no token")

	reqs[0].Header.Set("Authorization", "changed")
	assert.Equal(t, "Bearer "+me.Token, srv.Requests()[0].Header.Get("Authorization"), "Requests returns copies")

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	assert.Equal(t, "req-000004", r.header.Get("X-Request-Id"), "request IDs keep counting")
	assert.Len(t, srv.Requests(), 1)
}

func TestSeeding(t *testing.T) {
	srv := newServer(t)
	a := srv.AddSession("alice", vaulttest.SessionSeed{})
	b := srv.AddSession("alice", vaulttest.SessionSeed{ID: "custom", Token: "tok-custom"})
	assert.NotEmpty(t, a.ID)
	assert.NotEmpty(t, a.Token)
	assert.NotEqual(t, a.Token, b.Token)
	assert.Equal(t, "custom", b.ID)
	assert.Equal(t, "tok-custom", b.Token)
	assert.Equal(t, "alice", a.UserID)
	assert.True(t, a.CreatedAt.Equal(epoch))
	assert.True(t, a.LastActivityAt.Equal(epoch))
	assert.True(t, a.ExpiresAt.Equal(epoch.Add(vaulttest.DefaultSessionTTL)))

	got, ok := srv.Session("custom")
	require.True(t, ok)
	assert.Equal(t, b, got)
	_, ok = srv.Session("missing")
	assert.False(t, ok)
	_, ok = srv.User("alice")
	assert.True(t, ok, "AddSession adds the user")

	tests := []struct {
		name string
		add  func()
	}{
		{"empty user", func() { srv.AddSession("", vaulttest.SessionSeed{}) }},
		{"duplicate ID", func() { srv.AddSession("bob", vaulttest.SessionSeed{ID: "custom"}) }},
		{"duplicate token", func() { srv.AddSession("bob", vaulttest.SessionSeed{Token: "tok-custom"}) }},
		{"empty user ID", func() { srv.AddUser(vaulttest.User{}) }},
	}
	for _, tt := range tests {
		assert.Panics(t, tt.add, tt.name)
	}
}

func TestSeedDemo(t *testing.T) {
	tests := []struct {
		name string
		demo vaulttest.Demo
		user string
		n    int
	}{
		{"defaults", vaulttest.Demo{}, vaulttest.DemoUserID, vaulttest.DemoSessions},
		{"more sessions", vaulttest.Demo{UserID: "jo", Sessions: 8}, "jo", 8},
		{"capped", vaulttest.Demo{Sessions: 1000}, vaulttest.DemoUserID, vaulttest.MaxDemoSessions},
		{"with tenant", vaulttest.Demo{TenantID: "acme"}, vaulttest.DemoUserID, vaulttest.DemoSessions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			sessions := srv.SeedDemo(tt.demo)
			require.Len(t, sessions, tt.n)
			u, ok := srv.User(tt.user)
			require.True(t, ok)
			assert.Equal(t, tt.demo.TenantID, u.TenantID)
			for i, s := range sessions {
				assert.True(t, s.Active(epoch), "session %d is active", i)
				assert.False(t, s.LastActivityAt.After(epoch))
				assert.False(t, s.CreatedAt.After(s.LastActivityAt))
				if i > 0 {
					assert.True(t, s.CreatedAt.Before(sessions[i-1].CreatedAt), "newest first")
				}
			}
			first := sessions[0]
			require.NotNil(t, first.DeviceInfo)
			assert.Equal(t, "macOS", first.DeviceInfo.OS)
			assert.Equal(t, "Chrome", first.DeviceInfo.Browser)
			assert.NotEmpty(t, first.IPAddress)
			assert.Contains(t, first.UserAgent, "Macintosh")
			assert.Equal(t, "iOS", sessions[1].DeviceInfo.OS)
			assert.Equal(t, "tablet", string(sessions[2].DeviceInfo.DeviceType))

			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", first.Token, "X-Tenant-ID", tt.demo.TenantID)
			assert.Equal(t, http.StatusOK, r.status)
		})
	}
}
