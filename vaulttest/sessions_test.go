package vaulttest_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func TestListSessions(t *testing.T) {
	srv := newServer(t)
	dev := &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"}
	older := srv.AddSession("alice", vaulttest.SessionSeed{
		ID:          "s-older",
		IPAddress:   "203.0.113.9",
		UserAgent:   "Mozilla/5.0 (Macintosh)",
		DeviceInfo:  dev,
		MFAVerified: true,
		CreatedAt:   epoch.Add(-48 * time.Hour),
	})
	cur := srv.AddSession("alice", vaulttest.SessionSeed{ID: "s-current", CreatedAt: epoch.Add(-time.Hour)})
	srv.AddSession("alice", vaulttest.SessionSeed{ID: "s-expired", ExpiresAt: epoch.Add(-time.Second)})
	revoked := srv.AddSession("alice", vaulttest.SessionSeed{ID: "s-revoked"})
	srv.AddSession("bob", vaulttest.SessionSeed{ID: "s-bob"})

	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+revoked.ID, revoked.Token)
	require.Equal(t, http.StatusOK, r.status)

	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", cur.Token)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	list := decode[[]vault.SessionResponse](t, r.body)
	require.Len(t, list, 2)

	assert.Equal(t, older.ID, list[0].ID)
	assert.False(t, list[0].Current)
	require.NotNil(t, list[0].IPAddress)
	assert.Equal(t, "203.0.113.9", *list[0].IPAddress)
	require.NotNil(t, list[0].UserAgent)
	assert.Equal(t, "Mozilla/5.0 (Macintosh)", *list[0].UserAgent)
	assert.Equal(t, dev, list[0].DeviceInfo)
	assert.True(t, list[0].MFAVerified)
	assert.True(t, list[0].CreatedAt.Equal(epoch.Add(-48*time.Hour)))
	assert.True(t, list[0].ExpiresAt.Equal(epoch.Add(-48*time.Hour+vaulttest.DefaultSessionTTL)))

	assert.Equal(t, cur.ID, list[1].ID)
	assert.True(t, list[1].Current)
	assert.Nil(t, list[1].IPAddress)
	assert.Nil(t, list[1].UserAgent)
	assert.Nil(t, list[1].DeviceInfo)
	assert.True(t, list[1].LastActivityAt.Equal(epoch), "a request updates lastActivityAt")
}

func TestRevokeSession(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	mine := srv.AddSession("alice", vaulttest.SessionSeed{})
	slashed := srv.AddSession("alice", vaulttest.SessionSeed{ID: "a/b c"})
	gone := srv.AddSession("alice", vaulttest.SessionSeed{})
	expired := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch})
	bobs := srv.AddSession("bob", vaulttest.SessionSeed{})
	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+gone.ID, me.Token)
	require.Equal(t, http.StatusOK, r.status)

	notFound := `{"error":{"code":"NOT_FOUND","message":"Session not found"}}`
	tests := []struct {
		name     string
		id       string
		status   int
		body     string
		revokeOK bool
	}{
		{"own other session", mine.ID, http.StatusOK, `{"message":"Session revoked"}`, true},
		{"id with encoded slash", slashed.ID, http.StatusOK, `{"message":"Session revoked"}`, true},
		{"unknown", "no-such-session", http.StatusNotFound, notFound, false},
		{"another user's", bobs.ID, http.StatusNotFound, notFound, false},
		{"already revoked", gone.ID, http.StatusNotFound, notFound, false},
		{"expired", expired.ID, http.StatusNotFound, notFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, ok := srv.Session(tt.id)
			r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+url.PathEscape(tt.id), me.Token)
			assert.Equal(t, tt.status, r.status)
			assert.JSONEq(t, tt.body, string(r.body))
			if !ok {
				return
			}
			after, _ := srv.Session(tt.id)
			if tt.revokeOK {
				assert.True(t, after.Revoked)
				assert.True(t, after.RevokedAt.Equal(epoch))
			} else {
				assert.Equal(t, before.Revoked, after.Revoked)
			}
		})
	}

	bob, _ := srv.Session(bobs.ID)
	assert.False(t, bob.Revoked, "another user's session is untouched")
}

func TestRevokedTokenIsUnauthorized(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+me.ID, me.Token)
	require.Equal(t, http.StatusOK, r.status)

	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "UNAUTHORIZED", errorCode(t, r.body))
}

func TestLogoutAllSessions(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	other := srv.AddSession("alice", vaulttest.SessionSeed{})
	bobs := srv.AddSession("bob", vaulttest.SessionSeed{})

	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", me.Token)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"message":"All sessions revoked"}`, string(r.body))

	for _, s := range srv.Sessions("alice") {
		assert.True(t, s.Revoked, s.ID)
		assert.False(t, s.Active(srv.Now()), s.ID)
	}
	for _, tok := range []string{me.Token, other.Token} {
		r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", tok)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	}
	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", bobs.Token)
	assert.Equal(t, http.StatusOK, r.status, "other users keep their sessions")
}

func TestSessionsExpireWithTheClock(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch.Add(2 * time.Hour)})
	short := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch.Add(time.Hour)})

	list := decode[[]vault.SessionResponse](t, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).body)
	assert.Len(t, list, 2)

	srv.Advance(time.Hour)
	list = decode[[]vault.SessionResponse](t, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).body)
	require.Len(t, list, 1)
	assert.Equal(t, me.ID, list[0].ID)
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", short.Token)
	assert.Equal(t, http.StatusUnauthorized, r.status)

	srv.SetNow(epoch.Add(3 * time.Hour))
	r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Len(t, srv.Sessions("alice"), 2, "expired sessions stay readable")
}

func TestUnauthorized(t *testing.T) {
	srv := newServer(t)
	revoked := srv.AddSession("alice", vaulttest.SessionSeed{})
	expired := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch.Add(-time.Minute)})
	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+revoked.ID, revoked.Token)
	require.Equal(t, http.StatusOK, r.status)

	tests := []struct {
		name          string
		authorization string
	}{
		{"missing", ""},
		{"not bearer", "Basic YWxpY2U6c2VjcmV0"},
		{"empty bearer", "Bearer "},
		{"unknown token", "Bearer vt_nope"},
		{"revoked token", "Bearer " + revoked.Token},
		{"expired token", "Bearer " + expired.Token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodDelete} {
				r := call(t, srv.Client(), method, srv.URL+"/users/me/sessions", "", "Authorization", tt.authorization)
				assert.Equal(t, http.StatusUnauthorized, r.status, method)
				assert.Equal(t, "UNAUTHORIZED", errorCode(t, r.body), method)
				assert.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer", method)
			}
		})
	}
}

func TestRouting(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	base, err := url.Parse(srv.URL)
	require.NoError(t, err)
	root := base.Scheme + "://" + base.Host

	tests := []struct {
		name   string
		method string
		url    string
		status int
		code   string
		allow  string
	}{
		{"unknown route", http.MethodGet, srv.URL + "/users/me", http.StatusNotFound, "NOT_FOUND", ""},
		{"outside the base path", http.MethodGet, root + "/users/me/sessions", http.StatusNotFound, "NOT_FOUND", ""},
		{"base path prefix only", http.MethodGet, root + "/api/v10/users/me/sessions", http.StatusNotFound, "NOT_FOUND", ""},
		{"trailing slash", http.MethodDelete, srv.URL + "/users/me/sessions/", http.StatusNotFound, "NOT_FOUND", ""},
		{"two segments", http.MethodDelete, srv.URL + "/users/me/sessions/a/b", http.StatusNotFound, "NOT_FOUND", ""},
		{"post on the collection", http.MethodPost, srv.URL + "/users/me/sessions", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET, DELETE"},
		{"get on a session", http.MethodGet, srv.URL + "/users/me/sessions/x", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), tt.method, tt.url, me.Token)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			assert.Equal(t, tt.code, errorCode(t, r.body))
			assert.Equal(t, tt.allow, r.header.Get("Allow"))
		})
	}
}

func TestRequestIDs(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	var got []string
	for _, u := range []string{"/users/me/sessions", "/nowhere", "/users/me/sessions"} {
		got = append(got, call(t, srv.Client(), http.MethodGet, srv.URL+u, me.Token).header.Get("X-Request-Id"))
	}
	assert.Equal(t, []string{"req-000001", "req-000002", "req-000003"}, got)
}
