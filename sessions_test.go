package vault

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListSessions(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		writeJSON(w, http.StatusOK, sessionsJSON)
	})

	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	require.Len(t, sessions, 2)

	first := sessions[0]
	assert.Equal(t, "sess_1", first.ID)
	require.NotNil(t, first.IPAddress)
	assert.Equal(t, "203.0.113.7", *first.IPAddress)
	require.NotNil(t, first.UserAgent)
	assert.Equal(t, "Mozilla/5.0 (Macintosh)", *first.UserAgent)
	assert.Equal(t, &DeviceInfoResponse{DeviceType: DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"}, first.DeviceInfo)
	assert.True(t, first.MFAVerified)
	assert.True(t, first.Current)
	assert.Equal(t, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), first.CreatedAt.UTC())
	assert.Equal(t, time.Date(2026, 11, 27, 8, 15, 30, 5e8, time.UTC), first.LastActivityAt.UTC())
	assert.Equal(t, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), first.ExpiresAt.UTC())

	second := sessions[1]
	assert.Nil(t, second.IPAddress, "null decodes to nil")
	assert.Nil(t, second.UserAgent, "an absent field decodes to nil")
	assert.Nil(t, second.DeviceInfo)
	assert.False(t, second.Current)
}

func TestListSessionsEmptyIsNonNil(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, " [ ] \n")
	})
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, sessions)
	assert.Empty(t, sessions)
}

func TestUnknownDeviceTypeStillDecodes(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `[{"id":"s","deviceInfo":{"deviceType":"watch","os":"watchOS","browser":"App","isMobile":true},
			"mfaVerified":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-11-02T09:00:00Z","current":false}]`)
	})
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	require.Len(t, sessions, 1)
	assert.Equal(t, DeviceType("watch"), sessions[0].DeviceInfo.DeviceType)
	assert.True(t, sessions[0].DeviceInfo.IsMobile)
}

func TestLogoutAllSessions(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodDelete)
		writeJSON(w, http.StatusOK, `{"message":"All sessions revoked"}`)
	})
	msg, err := client.Sessions.LogoutAllSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &MessageResponse{Message: "All sessions revoked"}, msg)
}

func TestRevokeSessionPath(t *testing.T) {
	tests := []struct {
		id      string
		rawPath string
	}{
		{id: "sess_1", rawPath: "/users/me/sessions/sess_1"},
		{id: "a b", rawPath: "/users/me/sessions/a%20b"},
		{id: "what?x=1#frag", rawPath: "/users/me/sessions/what%3Fx=1%23frag"},
		{id: "%2F..%2F", rawPath: "/users/me/sessions/%252F..%252F"},
		{id: "...", rawPath: "/users/me/sessions/..."},
		{id: "ключ", rawPath: "/users/me/sessions/%D0%BA%D0%BB%D1%8E%D1%87"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			client, ts := setup(t)
			var got string
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodDelete)
				got = r.URL.EscapedPath()
				ok(w, r)
			})
			msg, err := client.Sessions.RevokeSession(context.Background(), tt.id)
			require.NoError(t, err)
			assert.Equal(t, "done", msg.Message)
			assert.Equal(t, tt.rawPath, got)
		})
	}
}

func TestRevokeSessionRefusesBadIDs(t *testing.T) {
	for _, id := range []string{"", " ", "\t\n", ".", "..", "a/b", "/", "../sessions", `a\b`, "a\x00b", "a\rb", "x\x7f"} {
		t.Run(id, func(t *testing.T) {
			client, ts := setup(t)
			_, err := client.Sessions.RevokeSession(context.Background(), id)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.Contains(t, err.Error(), "vault: revoke session: ")
			assert.Contains(t, err.Error(), "session ID")
			assert.Zero(t, ts.requests.Load(), "no request may be sent")
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.TenantID = "tenant-42"
		c.UserAgent = "billing/2.1"
		c.Headers = http.Header{"X-Trace": {"abc"}}
	})
	for _, call := range []func() error{
		func() error { _, err := client.Sessions.ListSessions(context.Background()); return err },
		func() error { _, err := client.Sessions.LogoutAllSessions(context.Background()); return err },
		func() error { _, err := client.Sessions.RevokeSession(context.Background(), "s1"); return err },
	} {
		var got *http.Request
		var body []byte
		ts.mux = http.NewServeMux()
		ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			got = r
			body, _ = io.ReadAll(r.Body)
			if r.Method == http.MethodGet {
				writeJSON(w, http.StatusOK, "[]")
				return
			}
			ok(w, r)
		})
		require.NoError(t, call())
		require.NotNil(t, got)
		assert.Equal(t, "Bearer "+testToken, got.Header.Get("Authorization"))
		assert.Equal(t, "application/json", got.Header.Get("Accept"))
		assert.Regexp(t, `^vault-go/`+Version+` \(go[^;]+; [a-z0-9]+/[a-z0-9]+\) billing/2\.1$`, got.Header.Get("User-Agent"))
		assert.Equal(t, "tenant-42", got.Header.Get("X-Tenant-ID"))
		assert.Equal(t, "abc", got.Header.Get("X-Trace"))
		assert.Empty(t, got.Header.Get("Content-Type"))
		assert.Empty(t, body)
		assert.Zero(t, got.ContentLength)
	}
}

func TestNoTenantHeaderWhenUnset(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		_, present := r.Header["X-Tenant-Id"]
		assert.False(t, present)
		writeJSON(w, http.StatusOK, "[]")
	})
	_, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
}

func TestCredentials(t *testing.T) {
	tests := []struct {
		name    string
		cfg     func(*Configuration)
		opts    []RequestOption
		want    string // the token the server must see
		wantErr error
	}{
		{name: "access token", want: testToken},
		{name: "token source wins over access token",
			cfg: func(c *Configuration) {
				c.TokenSource = func(context.Context) (string, error) { return "from-source", nil }
			},
			want: "from-source"},
		{name: "per-call token wins over both",
			cfg: func(c *Configuration) {
				c.TokenSource = func(context.Context) (string, error) { return "from-source", nil }
			},
			opts: []RequestOption{WithAccessToken("per-call")}, want: "per-call"},
		{name: "no credential", cfg: func(c *Configuration) { c.AccessToken = "" }, wantErr: ErrNoCredential},
		{name: "empty token from source",
			cfg:     func(c *Configuration) { c.TokenSource = func(context.Context) (string, error) { return "", nil } },
			wantErr: ErrNoCredential},
		{name: "token source fails",
			cfg: func(c *Configuration) {
				c.TokenSource = func(context.Context) (string, error) { return "", io.ErrClosedPipe }
			},
			wantErr: io.ErrClosedPipe},
		{name: "empty per-call token", opts: []RequestOption{WithAccessToken("")}, wantErr: ErrNoCredential},
		{name: "per-call token with newline", opts: []RequestOption{WithAccessToken("a\nb")}, wantErr: ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mutate := func(*Configuration) {}
			if tt.cfg != nil {
				mutate = tt.cfg
			}
			client, ts := setup(t, mutate)
			var seen string
			ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				seen = r.Header.Get("Authorization")
				writeJSON(w, http.StatusOK, "[]")
			})
			_, err := client.Sessions.ListSessions(context.Background(), tt.opts...)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Zero(t, ts.requests.Load(), "nothing may be sent without a credential")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "Bearer "+tt.want, seen)
		})
	}
}

func TestNilContext(t *testing.T) {
	client, ts := setup(t)
	var nilCtx context.Context
	_, err := client.Sessions.ListSessions(nilCtx)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = client.Sessions.LogoutAllSessions(nilCtx)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = client.Sessions.RevokeSession(nilCtx, "s1")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Zero(t, ts.requests.Load())
}

func TestRequestOptions(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "limit=5&state=active", r.URL.RawQuery)
		assert.Equal(t, []string{"1", "2"}, r.Header.Values("X-Extra"))
		w.Header().Set("X-Request-Id", "req-9")
		w.Header().Set("X-RateLimit-Remaining", "41")
		writeJSON(w, http.StatusOK, "[]")
	})
	type filter struct {
		Limit int    `url:"limit"`
		State string `url:"state,omitempty"`
		Skip  string `url:"skip,omitempty"`
	}
	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(),
		WithQuery(filter{Limit: 5, State: "active"}),
		WithHeader("X-Extra", "1"), WithHeader("X-Extra", "2"),
		WithHTTPResponse(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "req-9", resp.Header.Get("X-Request-Id"))
	rl, found := ParseRateLimit(resp.Header)
	assert.True(t, found)
	assert.Equal(t, 41, rl.Remaining)
}

func TestRequestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  RequestOption
		want string
	}{
		{"authorization header", WithHeader("Authorization", "Bearer x"), "Authorization is reserved"},
		{"tenant header", WithHeader("x-tenant-id", "t"), "X-Tenant-Id is reserved"},
		{"bad header name", WithHeader("Bad Name", "v"), "not a valid token"},
		{"header injection", WithHeader("X-A", "v\r\nX-B: w"), "line break"},
		{"query not a struct", WithQuery(42), "WithQuery"},
		{"nil response pointer", WithHTTPResponse(nil), "nil pointer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			_, err := client.Sessions.ListSessions(context.Background(), tt.opt)
			require.ErrorIs(t, err, ErrInvalidArgument)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "vault: list sessions: "), err.Error())
			assert.Zero(t, ts.requests.Load())
		})
	}
}

func TestHTTPResponseOnAPIError(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions/gone", status(http.StatusNotFound, "X-Request-Id", "req-1"))
	var resp *http.Response
	_, err := client.Sessions.RevokeSession(context.Background(), "gone", WithHTTPResponse(&resp))
	require.ErrorIs(t, err, ErrNotFound)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, http.NoBody, resp.Body)
}

func TestConcurrentUsersOnOneClient(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.AccessToken = "" })
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, http.StatusOK, `[{"id":"`+token+`","mfaVerified":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-11-02T09:00:00Z","current":true}]`)
	})
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		go func(user string) {
			sessions, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(user))
			if err == nil && (len(sessions) != 1 || sessions[0].ID != user) {
				err = errors.New("got another user's sessions: " + sessions[0].ID)
			}
			errs <- err
		}("user" + string(rune('A'+i%26)) + strings.Repeat("x", i))
	}
	for i := 0; i < 40; i++ {
		assert.NoError(t, <-errs)
	}
}

func TestHTTPResponseIsNilWhenNothingArrived(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
	ts.mux.HandleFunc("/", resetConnection)
	stale := &http.Response{StatusCode: http.StatusTeapot}
	resp := stale
	_, err := client.Sessions.ListSessions(context.Background(), WithHTTPResponse(&resp))
	require.Error(t, err)
	assert.Nil(t, resp)
}

func TestWithHeaderAddsToConfigurationHeaders(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.Headers = http.Header{"X-Trace": {"abc"}} })
	var seen [][]string
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Values("X-Trace"))
		writeJSON(w, http.StatusOK, "[]")
	})
	_, err := client.Sessions.ListSessions(context.Background(), WithHeader("X-Trace", "def"))
	require.NoError(t, err)
	_, err = client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"abc", "def"}, {"abc"}}, seen, "the option adds for one call only")
}
