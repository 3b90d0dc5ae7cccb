package vaulttest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// adminFixture is a tenant with an administrator, a user with sessions
// in every state, and a user of another tenant.
type adminFixture struct {
	srv                      *vaulttest.Server
	admin, member            vaulttest.Session // tokens of the admin and of a plain user
	active, revoked, expired vaulttest.Session // the member's sessions
	outsider                 vaulttest.Session // of another tenant
}

func newAdminFixture(t *testing.T, opts ...vaulttest.Option) adminFixture {
	t.Helper()
	srv := newServer(t, opts...)
	srv.AddUser(vaulttest.User{ID: "usr_admin", TenantID: "acme", Admin: true})
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "globex"})
	f := adminFixture{srv: srv}
	f.admin = srv.AddSession("usr_admin", vaulttest.SessionSeed{ID: "ses_admin"})
	f.active = srv.AddSession("alice", vaulttest.SessionSeed{
		ID: "ses_active", IPAddress: "203.0.113.24", UserAgent: "Mozilla/5.0 (Macintosh)", DeviceFingerprint: "fp_1",
		CreatedAt: epoch.Add(-3 * time.Hour),
	})
	f.revoked = srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_revoked", CreatedAt: epoch.Add(-2 * time.Hour)})
	f.expired = srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_expired", CreatedAt: epoch.Add(-time.Hour), ExpiresAt: epoch.Add(-time.Minute)})
	f.member = f.active
	srv.RevokeSession(f.revoked.ID)
	f.outsider = srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})
	return f
}

// as calls an admin route with token, in the tenant acme.
func (f adminFixture) as(t *testing.T, token, method, path string) reply {
	t.Helper()
	return call(t, f.srv.Client(), method, f.srv.URL+path, token, "X-Tenant-ID", "acme")
}

type adminList struct {
	Sessions        []map[string]any `json:"sessions"`
	CurrentSessions int              `json:"currentSessions"`
	MaxSessions     int              `json:"maxSessions"`
}

func TestAdminRoutesInBothDialects(t *testing.T) {
	for _, d := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(d.String(), func(t *testing.T) {
			f := newAdminFixture(t, vaulttest.WithDialect(d))

			r := f.as(t, f.admin.Token, http.MethodGet, "/admin/users/alice/sessions")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			list := decode[adminList](t, r.body)
			assert.Equal(t, 1, list.CurrentSessions, "active sessions only are counted")
			assert.Equal(t, vaulttest.DefaultMaxSessions, list.MaxSessions)
			status := map[string]any{}
			var ids []string
			for _, s := range list.Sessions {
				ids = append(ids, s["id"].(string))
				status[s["id"].(string)] = s["status"]
				assert.Equal(t, "alice", s["userId"])
			}
			want := []string{"ses_active", "ses_revoked", "ses_expired"}
			if d == vaulttest.DialectServer {
				want = []string{"ses_expired", "ses_revoked", "ses_active"} // newest first
			}
			assert.Equal(t, want, ids)
			assert.Equal(t, map[string]any{"ses_active": "active", "ses_revoked": "revoked", "ses_expired": "expired"}, status,
				"revoked and expired sessions stay visible with their status")

			first := list.Sessions[0]
			if d == vaulttest.DialectServer {
				first = list.Sessions[2]
			}
			_, hasFingerprint := first["deviceFingerprint"]
			_, hasInfo := first["deviceInfo"]
			if d == vaulttest.DialectSpec {
				assert.Equal(t, "fp_1", first["deviceFingerprint"])
				assert.False(t, hasInfo, "the spec describes the device with deviceFingerprint")
			} else {
				assert.Equal(t, map[string]any{}, first["deviceInfo"])
				assert.False(t, hasFingerprint, "the server describes the device with deviceInfo")
			}

			r = f.as(t, f.admin.Token, http.MethodGet, "/admin/users/alice/sessions/ses_revoked")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			one := decode[map[string]any](t, r.body)
			assert.Equal(t, "ses_revoked", one["id"])
			assert.Equal(t, "revoked", one["status"])

			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_active")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.JSONEq(t, `{"message":"Session ses_active revoked for user alice"}`, string(r.body))
			s, _ := f.srv.Session("ses_active")
			assert.True(t, s.Revoked)
			assert.Equal(t, epoch, s.RevokedAt)

			f.srv.Advance(time.Minute)
			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_active")
			assert.Equal(t, http.StatusOK, r.status, "revoking a revoked session answers 200 again")
			s, _ = f.srv.Session("ses_active")
			assert.Equal(t, epoch, s.RevokedAt, "and keeps when it was revoked")

			// The member's own token no longer works on the user routes.
			r = call(t, f.srv.Client(), http.MethodGet, f.srv.URL+"/users/me/sessions", f.member.Token, "X-Tenant-ID", "acme")
			assert.Equal(t, http.StatusUnauthorized, r.status)

			fresh := f.srv.AddSession("alice", vaulttest.SessionSeed{})
			f.srv.AddSession("alice", vaulttest.SessionSeed{})
			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.JSONEq(t, `{"message":"Revoked 2 sessions for user alice"}`, string(r.body))
			s, _ = f.srv.Session(fresh.ID)
			assert.True(t, s.Revoked)

			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.JSONEq(t, `{"message":"Revoked 0 sessions for user alice"}`, string(r.body))

			admin, _ := f.srv.Session(f.admin.ID)
			assert.Equal(t, f.srv.Now(), admin.LastActivityAt, "the administrator's session is in use")
		})
	}
}

func TestAdminRoutesRefuse(t *testing.T) {
	for _, d := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(d.String(), func(t *testing.T) {
			f := newAdminFixture(t, vaulttest.WithDialect(d))
			tests := []struct {
				name   string
				token  string
				method string
				path   string
				status int
			}{
				{"a user who is not an administrator", f.member.Token, http.MethodGet, "/admin/users/alice/sessions", http.StatusForbidden},
				{"a user revoking through the admin route", f.member.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_active", http.StatusForbidden},
				{"a bad token", "vt_no_such_token", http.MethodGet, "/admin/users/alice/sessions", http.StatusUnauthorized},
				{"no token", "", http.MethodDelete, "/admin/users/alice/sessions", http.StatusUnauthorized},
				{"another tenant's user", f.admin.Token, http.MethodGet, "/admin/users/bob/sessions", http.StatusNotFound},
				{"another tenant's user's session", f.admin.Token, http.MethodDelete, "/admin/users/bob/sessions/ses_bob", http.StatusNotFound},
				{"an unknown user", f.admin.Token, http.MethodDelete, "/admin/users/nobody/sessions", http.StatusNotFound},
				{"another user's session", f.admin.Token, http.MethodGet, "/admin/users/alice/sessions/ses_admin", http.StatusNotFound},
				{"an unknown session", f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_nope", http.StatusNotFound},
				{"a method the route does not serve", f.admin.Token, http.MethodPost, "/admin/users/alice/sessions", http.StatusMethodNotAllowed},
				{"a path beyond the routes", f.admin.Token, http.MethodGet, "/admin/users/alice/sessions/ses_active/x", http.StatusNotFound},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := f.as(t, tt.token, tt.method, tt.path)
					assert.Equal(t, tt.status, r.status, "%s", r.body)
					if tt.status == http.StatusForbidden || tt.status == http.StatusNotFound {
						assert.Equal(t, http.StatusText(tt.status), http.StatusText(r.status))
						assert.NotEmpty(t, errorCode(t, r.body))
					}
				})
			}
			bob, _ := f.srv.Session("ses_bob")
			alice, _ := f.srv.Session("ses_active")
			assert.False(t, bob.Revoked || alice.Revoked, "a refused request changes nothing")
		})
	}
}

func TestAdminRouteEscapedIDs(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(vaulttest.User{ID: "root", Admin: true})
	admin := srv.AddSession("root", vaulttest.SessionSeed{})
	s := srv.AddSession("a/b c", vaulttest.SessionSeed{ID: "x/y?z"})
	path := "/admin/users/" + url.PathEscape("a/b c") + "/sessions/" + url.PathEscape("x/y?z")
	r := call(t, srv.Client(), http.MethodGet, srv.URL+path, admin.Token)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, s.ID, decode[map[string]any](t, r.body)["id"])
	assert.Equal(t, "a/b c", decode[map[string]any](t, r.body)["userId"])
}

func TestAdminWithoutTenants(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(vaulttest.User{ID: "root", Admin: true})
	admin := srv.AddSession("root", vaulttest.SessionSeed{})
	srv.AddSession("carol", vaulttest.SessionSeed{})
	srv.AddUser(vaulttest.User{ID: "dave", TenantSlug: "acme"})
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/admin/users/carol/sessions", admin.Token)
	assert.Equal(t, http.StatusOK, r.status, "users without a tenant are one tenant")
	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/admin/users/dave/sessions", admin.Token)
	assert.Equal(t, http.StatusNotFound, r.status, "a user with a tenant slug is in another tenant")
}

func TestAdminFaults(t *testing.T) {
	f := newAdminFixture(t)
	f.srv.Faults().Add(
		vaulttest.Fault{Route: vaulttest.RouteListUserSessions, Status: http.StatusServiceUnavailable},
		vaulttest.Fault{SessionID: "ses_active", Action: vaulttest.ApplyThenReset},
	)
	r := f.as(t, f.admin.Token, http.MethodGet, "/admin/users/alice/sessions")
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	r = f.as(t, f.admin.Token, http.MethodGet, "/admin/users/alice/sessions")
	assert.Equal(t, http.StatusOK, r.status, "the fault answered once")

	req, err := http.NewRequest(http.MethodDelete, f.srv.URL+"/admin/users/alice/sessions/ses_active", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.admin.Token)
	req.Header.Set("X-Tenant-ID", "acme")
	_, err = freshClient(t).Do(req)
	require.Error(t, err, "the answer is lost")
	s, _ := f.srv.Session("ses_active")
	assert.True(t, s.Revoked, "the change is made")
	assert.Zero(t, f.srv.Faults().Pending())

	reqs := f.srv.Requests()
	last := reqs[len(reqs)-1]
	assert.True(t, last.Fault)
	assert.Equal(t, http.StatusOK, last.Status)
	assert.Equal(t, "usr_admin", last.UserID, "a request's user is its token's")
}

func TestAdminFaultRoutes(t *testing.T) {
	for _, route := range []string{
		vaulttest.RouteListUserSessions, vaulttest.RouteRevokeAllUserSessions,
		vaulttest.RouteGetUserSession, vaulttest.RouteRevokeUserSession,
		"/admin/users/{userId}/sessions",
	} {
		assert.NoError(t, vaulttest.Fault{Route: route}.Validate(), route)
	}
	assert.NoError(t, vaulttest.Fault{Route: vaulttest.RouteGetUserSession, SessionID: "s1"}.Validate())

	tests := []struct {
		route, fix, sessionID string
	}{
		{"GET /admin/users/alice/sessions", vaulttest.RouteListUserSessions, ""},
		{"DELETE /admin/users/{userId}/sessions/ses_1", vaulttest.RouteRevokeUserSession, "ses_1"},
		{"GET /admin/users/{id}/sessions/{sid}", vaulttest.RouteGetUserSession, ""},
		{"DELETE /api/v1/admin/users/{userId}/sessions", vaulttest.RouteRevokeAllUserSessions, ""},
	}
	for _, tt := range tests {
		err := vaulttest.Fault{Route: tt.route}.Validate()
		var fe *vaulttest.FaultError
		require.ErrorAs(t, err, &fe, tt.route)
		assert.Equal(t, tt.fix, fe.Route, tt.route)
		assert.Equal(t, tt.sessionID, fe.SessionID, tt.route)
	}
	err := vaulttest.Fault{Route: "PATCH /admin/users/{userId}/sessions"}.Validate()
	assert.ErrorContains(t, err, "the API serves GET and DELETE on /admin/users/{userId}/sessions, not PATCH")
}

func TestControlAdminUser(t *testing.T) {
	srv := newControlServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
	r := ctl(t, srv, http.MethodPost, "/users", `{"id":"usr_admin","tenantId":"acme","admin":true}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.JSONEq(t, `{"id":"usr_admin","tenantId":"acme","tenantSlug":null,"admin":true}`, string(r.body))
	u, _ := srv.User("usr_admin")
	assert.True(t, u.Admin)

	r = ctl(t, srv, http.MethodPost, "/users/usr_admin/tokens", `{"token":"vt_admin_console_0001"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	r = ctl(t, srv, http.MethodPost, "/users", `{"id":"alice","tenantId":"acme"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.JSONEq(t, `{"id":"alice","tenantId":"acme","tenantSlug":null,"admin":false}`, string(r.body))
	r = ctl(t, srv, http.MethodPost, "/users/alice/sessions", `{"id":"ses_1","deviceFingerprint":"fp_1"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var seeded map[string]any
	require.NoError(t, json.Unmarshal(r.body, &seeded))
	assert.Equal(t, "fp_1", seeded["deviceFingerprint"])

	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/admin/users/alice/sessions", "vt_admin_console_0001")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	list := decode[adminList](t, r.body)
	require.Len(t, list.Sessions, 1)
	assert.Equal(t, "ses_1", list.Sessions[0]["id"])
}

func TestSessionStatus(t *testing.T) {
	s := vaulttest.Session{ExpiresAt: epoch}
	assert.Equal(t, "active", string(s.Status(epoch.Add(-time.Second))))
	assert.Equal(t, "expired", string(s.Status(epoch)))
	s.Revoked = true
	assert.Equal(t, "revoked", string(s.Status(epoch.Add(-time.Second))))
	assert.Equal(t, "revoked", string(s.Status(epoch)), "revoked wins over expired")
}
