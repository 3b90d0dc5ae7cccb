package vaulttest_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The wire format of DialectServer, read raw. The SDK's reading of both
// dialects is tested in the vault package.

func newServerDialect(t *testing.T, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	return newServer(t, append([]vaulttest.Option{vaulttest.WithDialect(vaulttest.DialectServer)}, opts...)...)
}

func TestServerDialectList(t *testing.T) {
	srv := newServerDialect(t)
	seeded := srv.AddSession("alice", vaulttest.SessionSeed{
		ID:          "s-google",
		IPAddress:   "203.0.113.9",
		UserAgent:   "Mozilla/5.0 (Macintosh)",
		DeviceInfo:  &vault.DeviceInfoResponse{OS: "not sent", Extra: map[string]any{"oauth_provider": "google", "hosted": true}},
		MFAVerified: true,
		CreatedAt:   epoch.Add(-48*time.Hour + 250*time.Millisecond),
	})
	cur := srv.AddSession("alice", vaulttest.SessionSeed{ID: "s-current", CreatedAt: epoch.Add(-time.Hour + 1234567*time.Nanosecond)})
	srv.AddSession("alice", vaulttest.SessionSeed{ID: "s-expired", ExpiresAt: epoch.Add(-time.Second)})
	srv.AddSession("bob", vaulttest.SessionSeed{ID: "s-bob"})

	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", cur.Token)
	require.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.header.Get("X-Request-Id"), "the server sends no request ID")
	assert.Empty(t, r.header.Get("X-RateLimit-Limit"), "nor rate-limit headers")

	// The members, their order and their values are the server's; the
	// newest session comes first.
	want := `{"sessions":[` +
		`{"id":"s-current","createdAt":"2025-03-14T08:26:53.001234Z","lastActivityAt":"2025-03-14T09:26:53Z",` +
		`"expiresAt":"2025-04-13T08:26:53.001234Z","ipAddress":null,"userAgent":null,` +
		`"deviceInfo":{},"mfaVerified":false,"current":true},` +
		`{"id":"s-google","createdAt":"2025-03-12T09:26:53.250Z","lastActivityAt":"2025-03-12T09:26:53.250Z",` +
		`"expiresAt":"2025-04-11T09:26:53.250Z","ipAddress":"203.0.113.9","userAgent":"Mozilla/5.0 (Macintosh)",` +
		`"deviceInfo":{"hosted":true,"oauth_provider":"google"},"mfaVerified":true,"current":false}` +
		`],"currentSessions":2,"maxSessions":5,"warning":null}` + "\n"
	assert.Equal(t, want, string(r.body))

	got, _ := srv.Session(seeded.ID)
	assert.Equal(t, "not sent", got.DeviceInfo.OS, "the seed keeps its typed fields; only the wire leaves them out")
}

func TestServerDialectLimitWarning(t *testing.T) {
	tests := []struct {
		max, sessions int
		warning       any
	}{
		{max: 5, sessions: 3, warning: nil},
		{max: 5, sessions: 4, warning: vault.WarningNearLimit},
		{max: 5, sessions: 5, warning: vault.WarningLimitReached},
		{max: 5, sessions: 7, warning: vault.WarningLimitReached},
		{max: 10, sessions: 7, warning: nil},
		{max: 10, sessions: 8, warning: vault.WarningNearLimit},
		{max: 1, sessions: 1, warning: vault.WarningLimitReached},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d", tt.sessions, tt.max), func(t *testing.T) {
			srv := newServerDialect(t, vaulttest.WithMaxSessions(tt.max))
			demo := srv.SeedDemo(vaulttest.Demo{Sessions: tt.sessions})
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", demo[0].Token)
			require.Equal(t, http.StatusOK, r.status)
			body := decode[map[string]any](t, r.body)
			assert.EqualValues(t, tt.sessions, body["currentSessions"])
			assert.EqualValues(t, tt.max, body["maxSessions"])
			assert.Equal(t, tt.warning, body["warning"])
		})
	}
}

func TestServerDialectMaxSessionsDefault(t *testing.T) {
	for _, n := range []int{0, -3} {
		srv := newServerDialect(t, vaulttest.WithMaxSessions(n))
		demo := srv.SeedDemo(vaulttest.Demo{Sessions: 1})
		r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", demo[0].Token)
		assert.EqualValues(t, vaulttest.DefaultMaxSessions, decode[map[string]any](t, r.body)["maxSessions"])
	}
}

func TestServerDialectDemoDevices(t *testing.T) {
	srv := newServerDialect(t)
	demo := srv.SeedDemo(vaulttest.Demo{Sessions: 6})
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", demo[0].Token)
	require.Equal(t, http.StatusOK, r.status)
	var body struct {
		Sessions []struct {
			ID         string         `json:"id"`
			DeviceInfo map[string]any `json:"deviceInfo"`
		} `json:"sessions"`
	}
	require.NoError(t, json.Unmarshal(r.body, &body))
	require.Len(t, body.Sessions, 6)
	byID := map[string]map[string]any{}
	for _, s := range body.Sessions {
		require.NotNil(t, s.DeviceInfo, "the server always sends an object")
		for _, typed := range []string{"deviceType", "os", "browser", "isMobile"} {
			assert.NotContains(t, s.DeviceInfo, typed)
		}
		byID[s.ID] = s.DeviceInfo
	}
	assert.Equal(t, "google", byID[demo[0].ID]["oauth_provider"])
	assert.Equal(t, "webauthn", byID[demo[1].ID]["auth_method"])
	assert.Equal(t, true, byID[demo[3].ID]["is_impersonation"])
	assert.Equal(t, "anonymous", byID[demo[4].ID]["type"])
	assert.Empty(t, byID[demo[5].ID])
	for _, s := range demo {
		if len(s.DeviceInfo.Extra) == 0 {
			assert.Empty(t, byID[s.ID])
			continue
		}
		assert.Equal(t, s.DeviceInfo.Extra, byID[s.ID], "the seed's Extra is what is sent")
	}
}

func TestServerDialectLogoutAllKeepsTheCurrentSession(t *testing.T) {
	srv := newServerDialect(t)
	demo := srv.SeedDemo(vaulttest.Demo{Sessions: 4})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})

	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", demo[0].Token)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"message":"Revoked 3 sessions"}`, string(r.body))
	for i, s := range srv.Sessions(vaulttest.DemoUserID) {
		assert.Equal(t, s.ID != demo[0].ID, s.Revoked, "session %d", i)
	}
	b, _ := srv.Session(bob.ID)
	assert.False(t, b.Revoked)

	r = call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", demo[0].Token)
	require.Equal(t, http.StatusOK, r.status, "the token still works")
	assert.JSONEq(t, `{"message":"Revoked 0 sessions"}`, string(r.body))
}

func TestSessionlessToken(t *testing.T) {
	for _, dialect := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(dialect.String(), func(t *testing.T) {
			srv := newServer(t, vaulttest.WithDialect(dialect))
			demo := srv.SeedDemo(vaulttest.Demo{})
			token := srv.AddSessionlessToken(vaulttest.DemoUserID, "")
			require.NotEmpty(t, token)

			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", token)
			require.Equal(t, http.StatusOK, r.status)
			assert.NotContains(t, string(r.body), `"current":true`, "no session is the token's")
			assert.Contains(t, string(r.body), demo[2].ID)

			r = call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", token)
			if dialect == vaulttest.DialectServer {
				assert.Equal(t, http.StatusBadRequest, r.status)
				assert.JSONEq(t, `{"error":{"code":"BAD_REQUEST","message":"No active session"}}`, string(r.body))
				for _, s := range srv.Sessions(vaulttest.DemoUserID) {
					assert.False(t, s.Revoked)
				}
				return
			}
			assert.Equal(t, http.StatusOK, r.status)
			for _, s := range srv.Sessions(vaulttest.DemoUserID) {
				assert.True(t, s.Revoked)
			}
			r = call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", token)
			assert.Equal(t, http.StatusOK, r.status, "a token without a session outlives the sessions")
			assert.JSONEq(t, `[]`, string(r.body))
		})
	}
}

func TestSessionlessTokenIsUnique(t *testing.T) {
	srv := newServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{Token: "tok-1"})
	assert.Panics(t, func() { srv.AddSessionlessToken("alice", s.Token) })
	assert.Equal(t, "tok-2", srv.AddSessionlessToken("alice", "tok-2"))
	assert.Panics(t, func() { srv.AddSession("alice", vaulttest.SessionSeed{Token: "tok-2"}) })
	assert.Panics(t, func() { srv.AddSessionlessToken("", "tok-3") })
	_, ok := srv.User("alice")
	assert.True(t, ok)
}

func TestServerDialectRevoke(t *testing.T) {
	srv := newServerDialect(t)
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "acme"})
	srv.AddUser(vaulttest.User{ID: "carol", TenantID: "globex"})
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	mine := srv.AddSession("alice", vaulttest.SessionSeed{})
	expired := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch})
	bobs := srv.AddSession("bob", vaulttest.SessionSeed{})
	carols := srv.AddSession("carol", vaulttest.SessionSeed{})

	notFound := `{"error":{"code":"NOT_FOUND","message":"Resource not found"}}`
	tests := []struct {
		name   string
		id     string
		status int
		body   string
	}{
		{"another user of the tenant", bobs.ID, http.StatusForbidden, `{"error":{"code":"FORBIDDEN","message":"Access denied"}}`},
		{"a user of another tenant", carols.ID, http.StatusNotFound, notFound},
		{"unknown", "s-unknown", http.StatusNotFound, notFound},
		{"own expired session", expired.ID, http.StatusNotFound, notFound},
		{"own session", mine.ID, http.StatusOK, `{"message":"Session revoked"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// X-Tenant-ID is ignored: the tenant comes from the token.
			r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+tt.id, me.Token, "X-Tenant-ID", "globex")
			assert.Equal(t, tt.status, r.status)
			assert.JSONEq(t, tt.body, string(r.body))
		})
	}
	for _, s := range []vaulttest.Session{bobs, carols} {
		got, _ := srv.Session(s.ID)
		assert.False(t, got.Revoked)
	}
}

func TestServerDialectEmptyErrorBodies(t *testing.T) {
	srv := newServerDialect(t)
	demo := srv.SeedDemo(vaulttest.Demo{})
	tests := []struct {
		name   string
		method string
		token  string
		status int
		allow  string
	}{
		{"no token", http.MethodGet, "", http.StatusUnauthorized, ""},
		{"unknown token", http.MethodGet, "vt_unknown", http.StatusUnauthorized, ""},
		{"method not allowed", http.MethodPost, demo[0].Token, http.StatusMethodNotAllowed, "GET, DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), tt.method, srv.URL+"/users/me/sessions", tt.token)
			assert.Equal(t, tt.status, r.status)
			assert.Empty(t, r.body)
			assert.Empty(t, r.header.Get("Content-Type"))
			assert.Empty(t, r.header.Get("Www-Authenticate"))
			assert.Equal(t, tt.allow, r.header.Get("Allow"))
		})
	}
}

func TestDialectText(t *testing.T) {
	for _, d := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		text, err := d.MarshalText()
		require.NoError(t, err)
		var back vaulttest.Dialect
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, d, back)
	}
	assert.Equal(t, "server", vaulttest.DialectServer.String())
	assert.Equal(t, "Dialect(7)", vaulttest.Dialect(7).String())
	_, err := vaulttest.Dialect(7).MarshalText()
	assert.Error(t, err)

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var d vaulttest.Dialect
	fs.TextVar(&d, "dialect", vaulttest.DialectSpec, "")
	require.NoError(t, fs.Parse([]string{"-dialect", "server"}))
	assert.Equal(t, vaulttest.DialectServer, d)
	assert.ErrorContains(t, fs.Parse([]string{"-dialect", "Server"}), `unknown dialect "Server": use spec or server`)
}
