package vaulttest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// ctl sends a request to the control API of srv, with body as JSON if it
// is not empty, and reads the whole answer.
func ctl(t *testing.T, srv *vaulttest.Server, method, path, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.ControlURL()+path, rd)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// controlSession is a session as the control API shows it.
type controlSession struct {
	ID             string                    `json:"id"`
	UserID         string                    `json:"userId"`
	Token          string                    `json:"token"`
	IPAddress      string                    `json:"ipAddress"`
	DeviceInfo     *vault.DeviceInfoResponse `json:"deviceInfo"`
	MFAVerified    bool                      `json:"mfaVerified"`
	CreatedAt      time.Time                 `json:"createdAt"`
	LastActivityAt time.Time                 `json:"lastActivityAt"`
	ExpiresAt      time.Time                 `json:"expiresAt"`
	Revoked        bool                      `json:"revoked"`
	RevokedAt      *time.Time                `json:"revokedAt"`
	Active         bool                      `json:"active"`
}

type controlError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Field     string `json:"field"`
		Index     *int   `json:"index"`
		Route     string `json:"route"`
		SessionID string `json:"sessionId"`
	} `json:"error"`
}

func newControlServer(t *testing.T, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	return vaulttest.NewTestServer(t, append(opts, vaulttest.WithControlAPI(vaulttest.ControlOptions{}))...)
}

func TestControlURL(t *testing.T) {
	assert.Empty(t, vaulttest.NewTestServer(t).ControlURL(), "no control API unless asked for")
	srv := newControlServer(t)
	assert.Equal(t, strings.TrimSuffix(srv.URL, vaulttest.BasePath)+"/__vault", srv.ControlURL())

	r := ctl(t, srv, http.MethodGet, "/health", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"status":"ok","dialect":"spec"}`, string(r.body))
}

func TestControlWithoutTheOption(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	base := strings.TrimSuffix(srv.URL, vaulttest.BasePath)
	r := call(t, srv.Client(), http.MethodGet, base+"/__vault/health", "")
	assert.Equal(t, http.StatusNotFound, r.status, "an API path like any other")
	assert.Len(t, srv.Requests(), 1)
}

// TestControlScenario drives a whole test through the control API and
// the API itself, as a suite in another language would, in both
// dialects.
func TestControlScenario(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newControlServer(t, vaulttest.WithDialect(d))
			client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, MaxRetries: -1})
			require.NoError(t, err)
			t.Cleanup(client.CloseIdleConnections)
			ctx := context.Background()

			r := ctl(t, srv, http.MethodPost, "/clock", `{"now":"2025-03-14T09:26:53Z"}`)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.JSONEq(t, `{"now":"2025-03-14T09:26:53Z","frozen":true}`, string(r.body))

			r = ctl(t, srv, http.MethodPost, "/users", `{"id":"alice","tenantId":"tnt_1","tenantSlug":"acme"}`)
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			assert.JSONEq(t, `{"id":"alice","tenantId":"tnt_1","tenantSlug":"acme","admin":false}`, string(r.body))
			u, _ := srv.User("alice")
			assert.Equal(t, vaulttest.User{ID: "alice", TenantID: "tnt_1", TenantSlug: "acme"}, u)

			r = ctl(t, srv, http.MethodPost, "/users/alice/sessions", `{"id":"ses_laptop","ipAddress":"203.0.113.24","mfaVerified":true,
				"deviceInfo":{"deviceType":"desktop","os":"macOS","browser":"Chrome","oauth_provider":"google"}}`)
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			laptop := decode[controlSession](t, r.body)
			assert.Equal(t, "ses_laptop", laptop.ID)
			assert.Equal(t, "alice", laptop.UserID)
			assert.NotEmpty(t, laptop.Token)
			assert.True(t, laptop.Active)
			assert.Equal(t, epoch, laptop.CreatedAt)
			assert.Equal(t, epoch.Add(vaulttest.DefaultSessionTTL), laptop.ExpiresAt)
			assert.Nil(t, laptop.RevokedAt)

			r = ctl(t, srv, http.MethodPost, "/users/alice/sessions", "")
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			phone := decode[controlSession](t, r.body)
			assert.NotEqual(t, laptop.Token, phone.Token, "a new session mints a new token")

			as := func(s controlSession) vault.RequestOption { return vault.WithAccessToken(s.Token) }
			tenant := vault.WithHeader("X-Tenant-Slug", "acme")
			list, err := client.Sessions.ListSessions(ctx, as(laptop), tenant)
			require.NoError(t, err)
			require.Len(t, list, 2)
			for _, s := range list {
				if s.ID == laptop.ID {
					require.NotNil(t, s.DeviceInfo)
					assert.Equal(t, "google", s.DeviceInfo.Extra["oauth_provider"])
					assert.Equal(t, d == vaulttest.DialectSpec, s.DeviceInfo.OS == "macOS",
						"the spec's typed members, which the server's dialect does not send")
				}
			}

			// Revoke the phone from elsewhere, then let the laptop expire.
			r = ctl(t, srv, http.MethodPost, "/sessions/"+phone.ID+"/revoke", "")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			got := decode[controlSession](t, r.body)
			assert.True(t, got.Revoked)
			require.NotNil(t, got.RevokedAt)
			assert.Equal(t, epoch, *got.RevokedAt)
			assert.False(t, got.Active)
			_, err = client.Sessions.ListSessions(ctx, as(phone), tenant)
			assert.ErrorIs(t, err, vault.ErrUnauthorized)

			r = ctl(t, srv, http.MethodPost, "/clock", `{"advance":"1h"}`)
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.JSONEq(t, `{"now":"2025-03-14T10:26:53Z","frozen":true}`, string(r.body))
			r = ctl(t, srv, http.MethodPost, "/sessions/"+laptop.ID+"/expire", "")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			assert.Equal(t, epoch.Add(time.Hour), decode[controlSession](t, r.body).ExpiresAt)
			_, err = client.Sessions.ListSessions(ctx, as(laptop), tenant)
			assert.ErrorIs(t, err, vault.ErrUnauthorized)

			r = ctl(t, srv, http.MethodGet, "/users/alice/sessions", "")
			require.Equal(t, http.StatusOK, r.status)
			all := decode[[]controlSession](t, r.body)
			require.Len(t, all, 2, "revoked and expired sessions included")
			assert.False(t, all[0].Active || all[1].Active)

			// A demo user, a fault on one of its sessions, and the log.
			r = ctl(t, srv, http.MethodPost, "/demo", `{"userId":"bob","sessions":3}`)
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			bob := decode[[]controlSession](t, r.body)
			require.Len(t, bob, 3)
			r = ctl(t, srv, http.MethodDelete, "/requests", "")
			require.Equal(t, http.StatusNoContent, r.status)

			r = ctl(t, srv, http.MethodPost, "/faults", `{"sessionId":"`+bob[1].ID+`","status":503,"count":-1,"retryAfter":"120"}`)
			require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
			assert.Equal(t, 1, decode[struct{ Pending int }](t, r.body).Pending)
			_, err = client.Sessions.RevokeSession(ctx, bob[1].ID, as(bob[0]))
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
			assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
			_, err = client.Sessions.RevokeSession(ctx, bob[2].ID, as(bob[0]))
			require.NoError(t, err, "another session is not faulted")

			r = ctl(t, srv, http.MethodGet, "/requests", "")
			require.Equal(t, http.StatusOK, r.status)
			assert.NotContains(t, string(r.body), bob[0].Token, "no token in the log")
			reqs := decode[[]struct {
				ID        string      `json:"id"`
				Method    string      `json:"method"`
				Path      string      `json:"path"`
				Header    http.Header `json:"header"`
				Status    int         `json:"status"`
				Fault     bool        `json:"fault"`
				UserID    string      `json:"userId"`
				SessionID string      `json:"sessionId"`
			}](t, r.body)
			require.Len(t, reqs, 2, "the API's requests only")
			assert.Equal(t, "DELETE", reqs[0].Method)
			assert.Equal(t, "/api/v1/users/me/sessions/"+bob[1].ID, reqs[0].Path)
			assert.Equal(t, 503, reqs[0].Status)
			assert.True(t, reqs[0].Fault)
			assert.Equal(t, "bob", reqs[0].UserID)
			assert.Equal(t, bob[0].ID, reqs[0].SessionID, "the session of the token")
			assert.Equal(t, "Bearer [REDACTED]", reqs[0].Header.Get("Authorization"))
			assert.Equal(t, 200, reqs[1].Status)
			assert.False(t, reqs[1].Fault)
			assert.Equal(t, "Bearer "+bob[0].Token, srv.Requests()[0].Header.Get("Authorization"),
				"the Go log keeps the header; the control API leaves the credentials out")

			r = ctl(t, srv, http.MethodDelete, "/faults", "")
			require.Equal(t, http.StatusNoContent, r.status)
			assert.Zero(t, srv.Faults().Pending())
			_, err = client.Sessions.RevokeSession(ctx, bob[1].ID, as(bob[0]))
			require.NoError(t, err, "the fault is cleared")

			r = ctl(t, srv, http.MethodPost, "/reset", "")
			require.Equal(t, http.StatusNoContent, r.status)
			assert.Empty(t, srv.Sessions("bob"))
			assert.Empty(t, srv.Requests())
			r = ctl(t, srv, http.MethodGet, "/clock", "")
			assert.Contains(t, string(r.body), `"frozen":false`)
		})
	}
}

func TestControlFaults(t *testing.T) {
	srv := newControlServer(t)
	tests := []struct {
		name      string
		body      string
		status    int
		pending   int
		code      string
		field     string
		index     *int
		route     string
		sessionID string
		message   string
	}{
		{name: "one", body: `{"route":"GET /users/me/sessions","status":503}`, status: 201, pending: 1},
		{name: "an array", body: `[{"action":"ResetBeforeResponse"},{"action":"ApplyThenCutBody","status":200,"latency":"10ms","header":{"x-ratelimit-remaining":"0"}}]`, status: 201, pending: 2},
		{
			name:   "a concrete session ID",
			body:   `{"route":"DELETE /users/me/sessions/ses_1","status":503}`,
			status: 400, code: "INVALID_FAULT", field: "route",
			route: vaulttest.RouteRevokeSession, sessionID: "ses_1",
			message: `fault route "DELETE /users/me/sessions/ses_1": a route is a pattern, not one session; write "route": "DELETE /users/me/sessions/{sessionId}", "sessionId": "ses_1"`,
		},
		{
			name:   "a typo in the route",
			body:   `{"route":"GET /users/me/session"}`,
			status: 400, code: "INVALID_FAULT", field: "route",
		},
		{
			name:   "a status Respond cannot send",
			body:   `{"status":42}`,
			status: 400, code: "INVALID_FAULT", field: "status",
			message: "fault status 42: Respond answers an error status, 400 to 599, or a redirect, 300 to 399 but 304",
		},
		{
			name:   "an unknown action",
			body:   `{"action":"Explode"}`,
			status: 400, code: "INVALID_FAULT", field: "action",
			message: `fault action "Explode": not an action; the actions are Respond, ResetBeforeResponse, ResetMidBody, TruncateBody, ProxyHTML, HTMLBody, ApplyThenReset, ApplyThenCutBody`,
		},
		{name: "a latency that is not a duration", body: `{"latency":"300"}`, status: 400, code: "INVALID_FAULT", field: "latency"},
		{name: "a negative latency", body: `{"latency":"-1s"}`, status: 400, code: "INVALID_FAULT", field: "latency"},
		{name: "a count below -1", body: `{"count":-2}`, status: 400, code: "INVALID_FAULT", field: "count"},
		{
			name:   "the second of an array",
			body:   `[{"status":503},{"status":200}]`,
			status: 400, code: "INVALID_FAULT", field: "status", index: new(int),
		},
		{name: "a misspelt member", body: `{"staus":503}`, status: 400, code: "BAD_REQUEST", field: "staus"},
		{name: "not JSON", body: `status=503`, status: 400, code: "BAD_REQUEST"},
		{name: "no body", body: ``, status: 400, code: "BAD_REQUEST"},
		{name: "two values", body: `{"status":503} {"status":503}`, status: 400, code: "BAD_REQUEST"},
	}
	*tests[9].index = 1
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Faults().Clear()
			r := ctl(t, srv, http.MethodPost, "/faults", tt.body)
			require.Equal(t, tt.status, r.status, "%s", r.body)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			if tt.status == 201 {
				assert.Equal(t, tt.pending, srv.Faults().Pending())
				return
			}
			e := decode[controlError](t, r.body)
			assert.Equal(t, tt.code, e.Error.Code)
			assert.Equal(t, tt.field, e.Error.Field)
			assert.Equal(t, tt.index, e.Error.Index)
			assert.Equal(t, tt.route, e.Error.Route)
			assert.Equal(t, tt.sessionID, e.Error.SessionID)
			if tt.message != "" {
				assert.Equal(t, tt.message, e.Error.Message)
			}
			assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
		})
	}
}

func TestControlErrors(t *testing.T) {
	srv := newControlServer(t)
	srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_1", Token: "tok_1"})
	tests := []struct {
		name, method, path, body string
		contentType              string
		status                   int
		code                     string
		allow                    string
	}{
		{name: "an unknown route", method: "GET", path: "/nope", status: 404, code: "NOT_FOUND"},
		{name: "the prefix alone", method: "GET", path: "", status: 404, code: "NOT_FOUND"},
		{name: "a method the route does not serve", method: "PUT", path: "/faults", status: 405, code: "METHOD_NOT_ALLOWED", allow: "DELETE, GET, POST"},
		{name: "a POST that is not JSON", method: "POST", path: "/reset", contentType: "text/plain", status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "a POST without a content type", method: "POST", path: "/reset", contentType: "-", status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "an unknown session", method: "GET", path: "/sessions/ses_x", status: 404, code: "NOT_FOUND"},
		{name: "revoking an unknown session", method: "POST", path: "/sessions/ses_x/revoke", status: 404, code: "NOT_FOUND"},
		{name: "expiring an unknown session", method: "POST", path: "/sessions/ses_x/expire", status: 404, code: "NOT_FOUND"},
		{name: "an unknown user", method: "GET", path: "/users/zed", status: 404, code: "NOT_FOUND"},
		{name: "the sessions of an unknown user", method: "GET", path: "/users/zed/sessions", status: 404, code: "NOT_FOUND"},
		{name: "a user without an ID", method: "POST", path: "/users", body: `{"tenantId":"t"}`, status: 400, code: "BAD_REQUEST"},
		{name: "a session ID in use", method: "POST", path: "/users/bob/sessions", body: `{"id":"ses_1"}`, status: 409, code: "CONFLICT"},
		{name: "a token in use", method: "POST", path: "/users/bob/sessions", body: `{"token":"tok_1"}`, status: 409, code: "CONFLICT"},
		{name: "a sessionless token in use", method: "POST", path: "/users/bob/tokens", body: `{"token":"tok_1"}`, status: 409, code: "CONFLICT"},
		{name: "a token for another user", method: "POST", path: "/users/bob/tokens", body: `{"userId":"alice"}`, status: 400, code: "BAD_REQUEST"},
		{name: "a deviceInfo that is not an object", method: "POST", path: "/users/bob/sessions", body: `{"deviceInfo":"mac"}`, status: 400, code: "BAD_REQUEST"},
		{name: "too many demo sessions", method: "POST", path: "/demo", body: `{"sessions":101}`, status: 400, code: "BAD_REQUEST"},
		{name: "a clock change of nothing", method: "POST", path: "/clock", body: `{}`, status: 400, code: "BAD_REQUEST"},
		{name: "a clock advance that is not a duration", method: "POST", path: "/clock", body: `{"advance":"soon"}`, status: 400, code: "BAD_REQUEST"},
		{name: "a clock time that is not RFC 3339", method: "POST", path: "/clock", body: `{"now":"yesterday"}`, status: 400, code: "BAD_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, srv.ControlURL()+tt.path, body)
			require.NoError(t, err)
			switch {
			case tt.contentType == "" && tt.method == "POST":
				req.Header.Set("Content-Type", "application/json; charset=utf-8")
			case tt.contentType != "" && tt.contentType != "-":
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tt.status, resp.StatusCode, "%s", b)
			assert.Equal(t, tt.code, decode[controlError](t, b).Error.Code)
			assert.Equal(t, tt.allow, resp.Header.Get("Allow"))
		})
	}
	assert.Empty(t, srv.Requests(), "control requests are not API requests")
}

func TestControlIsNotFaultedNorRateLimited(t *testing.T) {
	srv := newControlServer(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 1, Enforce: true}))
	srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ResetBeforeResponse, Count: vaulttest.Unlimited})
	for i := 0; i < 3; i++ {
		r := ctl(t, srv, http.MethodGet, "/faults", "")
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, 1, decode[struct{ Pending int }](t, r.body).Pending)
	}
	assert.Empty(t, srv.Requests())
}

func TestControlFromAnotherHost(t *testing.T) {
	serve := func(h *vaulttest.Handler, remote string) int {
		req := httptest.NewRequest(http.MethodGet, "/__vault/health", nil)
		req.RemoteAddr, req.Host = remote, "127.0.0.1:4010"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	assert.Equal(t, http.StatusForbidden, serve(h, "203.0.113.5:40000"))
	assert.Equal(t, http.StatusForbidden, serve(h, "[2001:db8::1]:40000"))
	assert.Equal(t, http.StatusOK, serve(h, "127.0.0.1:40000"))
	assert.Equal(t, http.StatusOK, serve(h, "127.1.2.3:40000"))
	assert.Equal(t, http.StatusOK, serve(h, "[::1]:40000"))

	h = vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{AllowRemote: true}))
	assert.Equal(t, http.StatusOK, serve(h, "203.0.113.5:40000"))
}

func TestControlRefusesAnotherHostName(t *testing.T) {
	// A page on a name that resolves to this machine (DNS rebinding)
	// sends its requests from loopback, under its own Host.
	serve := func(h *vaulttest.Handler, host string) int {
		req := httptest.NewRequest(http.MethodGet, "/__vault/health", nil)
		req.RemoteAddr, req.Host = "127.0.0.1:40000", host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	for host, want := range map[string]int{
		"attacker.example":      http.StatusForbidden,
		"attacker.example:4010": http.StatusForbidden,
		"localhost:4010":        http.StatusOK,
		"127.0.0.1":             http.StatusOK,
		"[::1]:4010":            http.StatusOK,
		// The fully qualified form of localhost, as a client that
		// appends the root's dot sends it; an address takes none.
		"localhost.":      http.StatusOK,
		"LOCALHOST.:4010": http.StatusOK,
		"localhost..":     http.StatusForbidden,
		"127.0.0.1.":      http.StatusForbidden,
		"127.0.0.1.:4010": http.StatusForbidden,
		"[::1.]:4010":     http.StatusForbidden,
	} {
		assert.Equal(t, want, serve(h, host), host)
	}
	h = vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{AllowRemote: true}))
	assert.Equal(t, http.StatusOK, serve(h, "attacker.example"), "AllowRemote allows any name")
}

func TestControlClockStaysInRange(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/clock", `{"now":"9999-12-31T23:59:59Z","advance":"2562047h"}`)
	assert.Equal(t, http.StatusBadRequest, r.status, string(r.body))
	assert.Contains(t, string(r.body), "outside the years 1 to 9999")
	r = ctl(t, srv, http.MethodGet, "/clock", "")
	assert.Equal(t, http.StatusOK, r.status, "the clock still answers")
}

func TestControlFaultsPerRequestAreBounded(t *testing.T) {
	srv := newControlServer(t)
	body := "[" + strings.TrimSuffix(strings.Repeat(`{"status":503},`, 1001), ",") + "]"
	r := ctl(t, srv, http.MethodPost, "/faults", body)
	assert.Equal(t, http.StatusBadRequest, r.status, string(r.body))
	assert.Contains(t, string(r.body), "1001 faults in one request; at most 1000")
	assert.Zero(t, srv.Faults().Pending())
}

func TestControlBodyTooLarge(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	huge := io.MultiReader(strings.NewReader(`{"id":"`), io.LimitReader(zeros{}, 2<<20), strings.NewReader(`"}`))
	req := httptest.NewRequest(http.MethodPost, "/__vault/users", huge)
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Equal(t, "PAYLOAD_TOO_LARGE", decode[controlError](t, w.Body.Bytes()).Error.Code)
}

// zeros reads as an endless run of the digit 0.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestControlSessionlessToken(t *testing.T) {
	srv := newControlServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
	r := ctl(t, srv, http.MethodPost, "/users/alice/tokens", "")
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	tok := decode[struct {
		UserID string `json:"userId"`
		Token  string `json:"token"`
	}](t, r.body)
	assert.Equal(t, "alice", tok.UserID)
	require.NotEmpty(t, tok.Token)

	r = call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions", tok.Token)
	assert.Equal(t, http.StatusBadRequest, r.status, "the server's dialect refuses logout-all without a session")
	assert.Equal(t, "alice", srv.Requests()[0].UserID)
	assert.Empty(t, srv.Requests()[0].SessionID)
}

func TestControlLogged(t *testing.T) {
	var logs strings.Builder
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}), vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	req := httptest.NewRequest(http.MethodPost, "/__vault/users/alice/sessions", nil)
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	require.Equal(t, http.StatusCreated, w.Code)
	token := decode[controlSession](t, w.Body.Bytes()).Token
	assert.Contains(t, logs.String(), "msg=control method=POST path=/__vault/users/alice/sessions status=201")
	assert.NotContains(t, logs.String(), token)
}

func TestControlRequestLogHidesABareToken(t *testing.T) {
	srv := newControlServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{})
	for _, value := range []string{s.Token, "Bearer\t" + s.Token, "Token " + s.Token, "Bearer " + s.Token} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", value)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	r := ctl(t, srv, http.MethodGet, "/requests", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, string(r.body), s.Token)
	assert.Contains(t, string(r.body), `"Bearer [REDACTED]"`, "a known scheme is kept")
}
