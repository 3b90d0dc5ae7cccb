package vault

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adminSessionJSON is one admin session as the spec sends it, and
// adminServerSessionJSON one as the Vault server's code does.
const (
	adminSessionJSON = `{"id":"ses_1","userId":"usr_42","ipAddress":"203.0.113.7","userAgent":"Mozilla/5.0 (Macintosh)",
		"deviceFingerprint":"fp_9f2c","mfaVerified":true,"createdAt":"2026-11-01T09:00:00Z",
		"lastActivityAt":"2026-11-27T08:15:30.5Z","expiresAt":"2026-12-01T09:00:00Z","status":"active"}`
	adminServerSessionJSON = `{"id":"ses_2","userId":"usr_42","createdAt":"2026-11-02T10:00:00.123Z",
		"lastActivityAt":"2026-11-20T10:00:00Z","expiresAt":"2026-11-21T10:00:00Z","ipAddress":null,"userAgent":null,
		"deviceInfo":{"oauth_provider":"google","os":"macOS"},"mfaVerified":false,"status":"revoked"}`
)

func TestListUserSessions(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/admin/users/usr_42/sessions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, `{"sessions":[`+adminSessionJSON+`,`+adminServerSessionJSON+`],"currentSessions":1,"maxSessions":5}`)
	})

	var limits SessionLimits
	sessions, err := client.AdminSessions.ListUserSessions(context.Background(), "usr_42", WithSessionLimits(&limits))
	require.NoError(t, err)
	assert.Equal(t, SessionLimits{Current: 1, Max: 5}, limits)
	require.Len(t, sessions, 2)

	ip, agent, fp := "203.0.113.7", "Mozilla/5.0 (Macintosh)", "fp_9f2c"
	assert.Equal(t, AdminSessionResponse{
		ID: "ses_1", UserID: "usr_42", IPAddress: &ip, UserAgent: &agent, DeviceFingerprint: &fp, MFAVerified: true,
		CreatedAt:      time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		LastActivityAt: time.Date(2026, 11, 27, 8, 15, 30, 5e8, time.UTC),
		ExpiresAt:      time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		Status:         SessionStatusActive,
	}, sessions[0])

	second := sessions[1]
	assert.Equal(t, "ses_2", second.ID)
	assert.Nil(t, second.IPAddress)
	assert.Nil(t, second.DeviceFingerprint)
	assert.Equal(t, &DeviceInfoResponse{OS: "macOS", Extra: map[string]any{"oauth_provider": "google"}}, second.DeviceInfo,
		"deviceInfo is read as the user's list reads it, Extra included")
	assert.Equal(t, SessionStatusRevoked, second.Status)
	assert.Equal(t, time.Date(2026, 11, 2, 10, 0, 0, 123e6, time.UTC), second.CreatedAt.UTC())
}

func TestListUserSessionsBodies(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []string // the sessions' IDs, or nil for a *DecodeError
		limits  SessionLimits
		statuse SessionStatus // of the first session, if any
	}{
		{name: "object form", body: `{"sessions":[` + adminSessionJSON + `],"currentSessions":1,"maxSessions":3}`,
			want: []string{"ses_1"}, limits: SessionLimits{Current: 1, Max: 3}, statuse: SessionStatusActive},
		{name: "bare array", body: `[` + adminServerSessionJSON + `]`, want: []string{"ses_2"}, statuse: SessionStatusRevoked},
		{name: "empty array", body: ` [ ] `, want: []string{}},
		{name: "empty object form", body: `{"sessions":[],"currentSessions":0,"maxSessions":5}`, want: []string{}, limits: SessionLimits{Max: 5}},
		{name: "unknown status kept", body: `[{"id":"s","status":"suspended"}]`, want: []string{"s"}, statuse: "suspended"},
		{name: "rotated", body: `[{"id":"s","status":"rotated"}]`, want: []string{"s"}, statuse: SessionStatusRotated},
		{name: "member names matched without regard to case", body: `[{"ID":"s","STATUS":"expired"}]`, want: []string{"s"}, statuse: SessionStatusExpired},
		{name: "a deviceInfo that is not an object is dropped", body: `[{"id":"s","deviceInfo":"Chrome"}]`, want: []string{"s"}},
		{name: "null", body: `null`},
		{name: "a string", body: `"sessions"`},
		{name: "a number", body: `42`},
		{name: "object without sessions", body: `{"currentSessions":1}`},
		{name: "sessions null", body: `{"sessions":null}`},
		{name: "session without id", body: `[{"userId":"usr_42"}]`},
		{name: "session not an object", body: `["ses_1"]`},
		{name: "status not a string", body: `[{"id":"s","status":1}]`},
		{name: "truncated", body: `[{"id":"s"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/admin/users/usr_42/sessions", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, tt.body)
			})
			limits := SessionLimits{Current: -1}
			sessions, err := client.AdminSessions.ListUserSessions(context.Background(), "usr_42", WithSessionLimits(&limits))
			if tt.want == nil {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, "list user sessions", de.Operation)
				assert.Nil(t, sessions)
				assert.Zero(t, limits, "a failed call zeroes the limits")
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, sessions, "an empty list is an empty, non-nil slice")
			ids := []string{}
			for _, s := range sessions {
				ids = append(ids, s.ID)
			}
			assert.Equal(t, tt.want, ids)
			assert.Equal(t, tt.limits, limits)
			if len(sessions) > 0 {
				assert.Equal(t, tt.statuse, sessions[0].Status)
			}
		})
	}
}

func TestGetUserSession(t *testing.T) {
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"the spec's session", adminSessionJSON, true},
		{"the server's session", adminServerSessionJSON, true},
		{"null", `null`, false},
		{"an array", `[` + adminSessionJSON + `]`, false},
		{"a string", `"ses_1"`, false},
		{"no id", `{"userId":"usr_42","status":"active"}`, false},
		{"trailing data", adminSessionJSON + `{}`, false},
		{"empty body", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/admin/users/usr_42/sessions/ses_1", func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				writeJSON(w, http.StatusOK, tt.body)
			})
			s, err := client.AdminSessions.GetUserSession(context.Background(), "usr_42", "ses_1")
			if !tt.ok {
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, "get user session", de.Operation)
				assert.Nil(t, s)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, s)
			assert.NotEmpty(t, s.ID)
			assert.Equal(t, "usr_42", s.UserID)
			assert.NotEmpty(t, s.Status)
		})
	}
}

func TestRevokeUserSessions(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/admin/users/usr_42/sessions/ses_1", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodDelete)
		writeJSON(w, http.StatusOK, `{"message":"Session ses_1 revoked for user usr_42"}`)
	})
	ts.mux.HandleFunc("/admin/users/usr_42/sessions", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodDelete)
		writeJSON(w, http.StatusOK, `{"message":"Revoked 0 sessions for user usr_42"}`)
	})
	ctx := context.Background()
	msg, err := client.AdminSessions.RevokeUserSession(ctx, "usr_42", "ses_1")
	require.NoError(t, err)
	assert.Equal(t, &MessageResponse{Message: "Session ses_1 revoked for user usr_42"}, msg)
	msg, err = client.AdminSessions.RevokeAllUserSessions(ctx, "usr_42")
	require.NoError(t, err)
	assert.Equal(t, &MessageResponse{Message: "Revoked 0 sessions for user usr_42"}, msg, "a count of zero is a success")

	ts.mux.HandleFunc("/admin/users/usr_7/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"note":"no message"}`)
	})
	_, err = client.AdminSessions.RevokeAllUserSessions(ctx, "usr_7")
	var de *DecodeError
	require.ErrorAs(t, err, &de, "a body without a message")
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "an idempotent revoke is safe to repeat: its outcome is never left unknown")
}

// adminCalls are the four operations, each on user usr_42 and, where it
// takes one, session ses_1.
var adminCalls = []struct {
	name, path, method string
	call               func(ctx context.Context, c *Client, userID, sessionID string, opts ...RequestOption) error
}{
	{"ListUserSessions", "/admin/users/usr_42/sessions", http.MethodGet,
		func(ctx context.Context, c *Client, u, _ string, opts ...RequestOption) error {
			_, err := c.AdminSessions.ListUserSessions(ctx, u, opts...)
			return err
		}},
	{"GetUserSession", "/admin/users/usr_42/sessions/ses_1", http.MethodGet,
		func(ctx context.Context, c *Client, u, s string, opts ...RequestOption) error {
			_, err := c.AdminSessions.GetUserSession(ctx, u, s, opts...)
			return err
		}},
	{"RevokeUserSession", "/admin/users/usr_42/sessions/ses_1", http.MethodDelete,
		func(ctx context.Context, c *Client, u, s string, opts ...RequestOption) error {
			_, err := c.AdminSessions.RevokeUserSession(ctx, u, s, opts...)
			return err
		}},
	{"RevokeAllUserSessions", "/admin/users/usr_42/sessions", http.MethodDelete,
		func(ctx context.Context, c *Client, u, _ string, opts ...RequestOption) error {
			_, err := c.AdminSessions.RevokeAllUserSessions(ctx, u, opts...)
			return err
		}},
}

// adminAnswer answers an admin operation's request with success.
func adminAnswer(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodDelete:
		writeJSON(w, http.StatusOK, `{"message":"done"}`)
	case strings.HasSuffix(r.URL.Path, "/sessions"):
		writeJSON(w, http.StatusOK, `{"sessions":[`+adminSessionJSON+`],"currentSessions":1,"maxSessions":5}`)
	default:
		writeJSON(w, http.StatusOK, adminSessionJSON)
	}
}

func TestAdminErrorsMap(t *testing.T) {
	statuses := []struct {
		code     int
		sentinel error
	}{
		{http.StatusUnauthorized, ErrUnauthorized},
		{http.StatusForbidden, ErrForbidden},
		{http.StatusNotFound, ErrNotFound},
		{http.StatusTooManyRequests, ErrRateLimited},
	}
	for _, op := range adminCalls {
		for _, st := range statuses {
			t.Run(op.name+"/"+http.StatusText(st.code), func(t *testing.T) {
				client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
				ts.mux.HandleFunc(op.path, status(st.code))
				err := op.call(context.Background(), client, "usr_42", "ses_1")
				require.ErrorIs(t, err, st.sentinel)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, st.code, apiErr.StatusCode)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			})
		}
	}
}

func TestAdminBadIDsAreRefused(t *testing.T) {
	bad := []string{"", "  ", "\t", ".", "..", "a/b", `a\b`, "/", "a\x00b", "a\nb", "a\x7fb"}
	for _, op := range adminCalls {
		for _, id := range bad {
			targets := []struct{ what, userID, sessionID string }{{"user ID", id, "ses_1"}}
			if op.path != "/admin/users/usr_42/sessions" {
				targets = append(targets, struct{ what, userID, sessionID string }{"session ID", "usr_42", id})
			}
			for _, tg := range targets {
				t.Run(op.name+"/"+tg.what+"/"+id, func(t *testing.T) {
					var infos []CallInfo
					client, ts := setup(t, func(c *Configuration) {
						c.Hooks.End = func(_ context.Context, info CallInfo) { infos = append(infos, info) }
					})
					err := op.call(context.Background(), client, tg.userID, tg.sessionID)
					require.ErrorIs(t, err, ErrInvalidArgument)
					assert.Contains(t, err.Error(), tg.what)
					assert.Zero(t, ts.requests.Load(), "nothing is sent")
					require.Len(t, infos, 1, "the hooks see the refused call")
					assert.Zero(t, infos[0].Attempts)
				})
			}
		}
	}
}

func TestAdminIDsArePathEscaped(t *testing.T) {
	ids := []string{"usr 1", "a?b", "a#b", "a%2Fb", "ключ", "a;b", "a+b"}
	for _, op := range adminCalls {
		for _, id := range ids {
			t.Run(op.name+"/"+id, func(t *testing.T) {
				client, ts := setup(t)
				var gotUser, gotSession string
				handler := func(w http.ResponseWriter, r *http.Request) {
					gotUser, gotSession = r.PathValue("user"), r.PathValue("session")
					assert.Empty(t, r.URL.RawQuery, "nothing of the ID reaches the query")
					adminAnswer(w, r)
				}
				ts.mux.HandleFunc(op.method+" /admin/users/{user}/sessions", handler)
				ts.mux.HandleFunc(op.method+" /admin/users/{user}/sessions/{session}", handler)
				require.NoError(t, op.call(context.Background(), client, id, id))
				assert.Equal(t, id, gotUser)
				if op.path != "/admin/users/usr_42/sessions" {
					assert.Equal(t, id, gotSession)
				}
			})
		}
	}
}

func TestAdminRevokeAfterALostAnswer(t *testing.T) {
	tests := []struct {
		name   string
		answer func() http.HandlerFunc // a new one per test: a sequence keeps its place
		check  func(t *testing.T, msg *MessageResponse, err error)
	}{
		{"a 404 stays a 404", func() http.HandlerFunc { return sequence(resetConnection, status(http.StatusNotFound)) }, func(t *testing.T, msg *MessageResponse, err error) {
			require.ErrorIs(t, err, ErrNotFound, "never done by an earlier attempt: the server's revokes are idempotent")
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 2, apiErr.Attempts)
			assert.Nil(t, msg)
		}},
		{"the retry's answer is the result", func() http.HandlerFunc { return sequence(resetConnection, ok) }, func(t *testing.T, msg *MessageResponse, err error) {
			require.NoError(t, err)
			assert.Equal(t, "done", msg.Message, "not MessageEarlierAttemptApplied")
		}},
		{"a 401 is a 401", func() http.HandlerFunc { return sequence(resetConnection, status(http.StatusUnauthorized)) }, func(t *testing.T, msg *MessageResponse, err error) {
			require.ErrorIs(t, err, ErrUnauthorized)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		}},
		{"a 502 then 404 is a 404", func() http.HandlerFunc { return sequence(status(http.StatusBadGateway), status(http.StatusNotFound)) }, func(t *testing.T, msg *MessageResponse, err error) {
			require.ErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
		}},
	}
	revokes := map[string]func(ctx context.Context, c *Client) (*MessageResponse, error){
		"RevokeUserSession": func(ctx context.Context, c *Client) (*MessageResponse, error) {
			return c.AdminSessions.RevokeUserSession(ctx, "usr_42", "ses_1")
		},
		"RevokeAllUserSessions": func(ctx context.Context, c *Client) (*MessageResponse, error) {
			return c.AdminSessions.RevokeAllUserSessions(ctx, "usr_42")
		},
	}
	for name, revoke := range revokes {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				client, ts := setup(t)
				answer := tt.answer()
				ts.mux.HandleFunc("/admin/users/usr_42/sessions/ses_1", answer)
				ts.mux.HandleFunc("/admin/users/usr_42/sessions", answer)
				msg, err := revoke(context.Background(), client)
				tt.check(t, msg, err)
			})
		}
	}
}

func TestAdminPerCallTokens(t *testing.T) {
	tests := []struct {
		name  string
		cfg   func(*Configuration)
		opts  []RequestOption
		token string
	}{
		{"the Client's token", nil, nil, testToken},
		{"a token for one call", nil, []RequestOption{WithAccessToken("admin-token-0001")}, "admin-token-0001"},
		{"a TokenSource", func(c *Configuration) {
			c.AccessToken = ""
			c.TokenSource = func(context.Context) (string, error) { return "admin-token-0002", nil }
		}, nil, "admin-token-0002"},
	}
	for _, op := range adminCalls {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				var mutate []func(*Configuration)
				if tt.cfg != nil {
					mutate = append(mutate, tt.cfg)
				}
				client, ts := setup(t, mutate...)
				ts.mux.HandleFunc(op.path, func(w http.ResponseWriter, r *http.Request) {
					testMethod(t, r, op.method)
					assert.Equal(t, "Bearer "+tt.token, r.Header.Get("Authorization"))
					adminAnswer(w, r)
				})
				var resp *http.Response
				opts := append([]RequestOption{WithHTTPResponse(&resp)}, tt.opts...)
				require.NoError(t, op.call(context.Background(), client, "usr_42", "ses_1", opts...))
				require.NotNil(t, resp)
				assert.Equal(t, "Bearer [REDACTED]", resp.Request.Header.Get("Authorization"))
			})
		}
	}

	client, ts := setup(t, func(c *Configuration) { c.AccessToken = "" })
	err := adminCalls[0].call(context.Background(), client, "usr_42", "")
	require.ErrorIs(t, err, ErrNoCredential)
	assert.Zero(t, ts.requests.Load())
}

func TestAdminOperationNames(t *testing.T) {
	want := map[string]string{
		"ListUserSessions":      "list user sessions",
		"GetUserSession":        "get user session",
		"RevokeUserSession":     "revoke user session",
		"RevokeAllUserSessions": "revoke all user sessions",
	}
	for _, op := range adminCalls {
		t.Run(op.name, func(t *testing.T) {
			var started, ended, transported string
			client, ts := setup(t, func(c *Configuration) {
				c.Hooks = Hooks{
					Start: func(ctx context.Context, name string) context.Context { started = name; return ctx },
					End:   func(_ context.Context, info CallInfo) { ended = info.Operation },
				}
				c.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
					transported, _ = OperationFromContext(r.Context())
					return http.DefaultTransport.RoundTrip(r)
				})}
			})
			ts.mux.HandleFunc(op.path, status(http.StatusForbidden))
			err := op.call(context.Background(), client, "usr_42", "ses_1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, want[op.name], apiErr.Operation)
			assert.Equal(t, want[op.name], started)
			assert.Equal(t, want[op.name], ended)
			assert.Equal(t, want[op.name], transported)
			assert.Contains(t, err.Error(), "vault: "+want[op.name]+": 403")
		})
	}
}

func TestAdminErrorsHoldNoToken(t *testing.T) {
	for _, op := range adminCalls {
		t.Run(op.name, func(t *testing.T) {
			client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
			ts.mux.HandleFunc(op.path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-"+testToken)
				writeJSON(w, http.StatusForbidden, `{"error":{"code":"FORBIDDEN","message":"token `+testToken+` is not an admin's"}}`)
			})
			err := op.call(context.Background(), client, "usr_42", "ses_1")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), testToken)
			var apiErr *APIError
			require.True(t, errors.As(err, &apiErr))
			assert.NotContains(t, apiErr.RequestID, testToken)
		})
	}
}
