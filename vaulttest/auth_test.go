package vaulttest_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

// refresh posts body to the refresh route with contentType (none if
// empty) and extra header pairs, and reads the whole answer.
func refresh(t *testing.T, srv *vaulttest.Server, contentType, body string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/auth/refresh", strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// refreshWith refreshes with a refresh token, as the SDK sends it.
func refreshWith(t *testing.T, srv *vaulttest.Server, refreshToken string) reply {
	t.Helper()
	return refresh(t, srv, "application/json", `{"refreshToken":"`+refreshToken+`"}`)
}

// authAnswer is the answer to a refresh, as the server sends it.
type authAnswer struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	User         struct {
		ID            string  `json:"id"`
		Email         string  `json:"email"`
		EmailVerified bool    `json:"emailVerified"`
		Name          *string `json:"name"`
		MFAEnabled    bool    `json:"mfaEnabled"`
	} `json:"user"`
	MFARequired bool `json:"mfaRequired"`
}

func TestRefreshRotatesTheRefreshToken(t *testing.T) {
	for _, dialect := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(dialect.String(), func(t *testing.T) {
			srv := vaulttest.NewTestServer(t, vaulttest.WithDialect(dialect))
			s := srv.AddSession("ann", vaulttest.SessionSeed{MFAVerified: true})
			require.NotEmpty(t, s.RefreshToken)

			got := refreshWith(t, srv, s.RefreshToken)
			require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
			assert.Equal(t, "application/json", got.header.Get("Content-Type"))
			answer := decode[authAnswer](t, got.body)
			require.NotEmpty(t, answer.AccessToken)
			require.NotEmpty(t, answer.RefreshToken)
			assert.JSONEq(t, `{"accessToken":"ACCESS","refreshToken":"REFRESH",`+
				`"user":{"id":"ann","email":"ann@example.com","emailVerified":true,"name":null,"mfaEnabled":true},`+
				`"mfaRequired":false,"sessionInfo":null}`,
				strings.NewReplacer(answer.AccessToken, "ACCESS", answer.RefreshToken, "REFRESH").Replace(string(got.body)))
			assert.NotEqual(t, s.Token, answer.AccessToken)
			assert.NotEqual(t, s.RefreshToken, answer.RefreshToken)

			// The new access token works, and the old one still does until
			// it expires; the session's refresh token is the new one.
			assert.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", answer.AccessToken).status)
			assert.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", s.Token).status)
			now, _ := srv.Session(s.ID)
			assert.Equal(t, answer.RefreshToken, now.RefreshToken)
			assert.Equal(t, answer.AccessToken, now.Token)

			// The next refresh takes the new refresh token.
			next := refreshWith(t, srv, answer.RefreshToken)
			require.Equal(t, http.StatusOK, next.status)
			now, _ = srv.Session(s.ID)
			assert.False(t, now.Revoked)
			assert.Equal(t, decode[authAnswer](t, next.body).RefreshToken, now.RefreshToken)
		})
	}
}

func TestRefreshTokenReuseRevokesTheSession(t *testing.T) {
	srv := vaulttest.NewTestServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	other := srv.AddSession("ann", vaulttest.SessionSeed{})
	first := refreshWith(t, srv, s.RefreshToken)
	require.Equal(t, http.StatusOK, first.status)
	answer := decode[authAnswer](t, first.body)

	// The spent token, sent again: taken for a stolen one.
	reused := refreshWith(t, srv, s.RefreshToken)
	assert.Equal(t, http.StatusUnauthorized, reused.status)
	assert.Empty(t, reused.body)
	got, _ := srv.Session(s.ID)
	assert.True(t, got.Revoked, "the session of a reused refresh token is revoked")
	got, _ = srv.Session(other.ID)
	assert.False(t, got.Revoked, "the user's other sessions are not")

	// Every token of the session is dead: the new refresh token, and the
	// access tokens.
	assert.Equal(t, http.StatusUnauthorized, refreshWith(t, srv, answer.RefreshToken).status)
	assert.Equal(t, http.StatusUnauthorized, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", answer.AccessToken).status)
}

func TestRefreshRefusals(t *testing.T) {
	srv := vaulttest.NewTestServer(t, vaulttest.WithClock(func() time.Time { return epoch }))
	live := srv.AddSession("ann", vaulttest.SessionSeed{})
	revoked := srv.AddSession("ann", vaulttest.SessionSeed{})
	srv.RevokeSession(revoked.ID)
	expired := srv.AddSession("ann", vaulttest.SessionSeed{ExpiresAt: epoch.Add(-time.Second), CreatedAt: epoch.Add(-time.Hour)})

	tests := []struct {
		name        string
		contentType string
		body        string
		want        int
	}{
		{"an unknown refresh token", "application/json", `{"refreshToken":"vr_unknown"}`, http.StatusUnauthorized},
		{"a revoked session's", "application/json", `{"refreshToken":"` + revoked.RefreshToken + `"}`, http.StatusUnauthorized},
		{"an expired session's", "application/json", `{"refreshToken":"` + expired.RefreshToken + `"}`, http.StatusUnauthorized},
		{"an access token", "application/json", `{"refreshToken":"` + live.Token + `"}`, http.StatusUnauthorized},
		{"an empty refresh token", "application/json", `{"refreshToken":""}`, http.StatusBadRequest},
		{"a body that is not JSON", "application/json", `{"refreshToken":`, http.StatusBadRequest},
		{"no refreshToken member", "application/json", `{"refresh_token":"x"}`, http.StatusUnprocessableEntity},
		{"a refreshToken that is not a string", "application/json", `{"refreshToken":7}`, http.StatusUnprocessableEntity},
		{"no Content-Type", "", `{"refreshToken":"` + live.RefreshToken + `"}`, http.StatusUnsupportedMediaType},
		{"a form", "application/x-www-form-urlencoded", `refreshToken=` + live.RefreshToken, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := refresh(t, srv, tt.contentType, tt.body)
			assert.Equal(t, tt.want, got.status)
			assert.Empty(t, got.body, "the server's refresh answers its errors without a body")
		})
	}
	// None of them rotated, nor revoked, the live session.
	got, _ := srv.Session(live.ID)
	assert.Equal(t, live.RefreshToken, got.RefreshToken)
	assert.False(t, got.Revoked)

	wrongMethod := call(t, srv.Client(), http.MethodGet, srv.URL+"/auth/refresh", "")
	assert.Equal(t, http.StatusMethodNotAllowed, wrongMethod.status)
	assert.Equal(t, "POST", wrongMethod.header.Get("Allow"))
}

func TestLogout(t *testing.T) {
	for _, dialect := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(dialect.String(), func(t *testing.T) {
			srv := vaulttest.NewTestServer(t, vaulttest.WithDialect(dialect))
			s := srv.AddSession("ann", vaulttest.SessionSeed{})
			other := srv.AddSession("ann", vaulttest.SessionSeed{})
			sessionless := srv.AddSessionlessToken("ann", "")

			got := call(t, srv.Client(), http.MethodPost, srv.URL+"/auth/logout", s.Token)
			require.Equal(t, http.StatusOK, got.status)
			assert.Equal(t, vault.MessageResponse{Message: vaulttest.MessageLoggedOut}, decode[vault.MessageResponse](t, got.body))
			ended, _ := srv.Session(s.ID)
			assert.True(t, ended.Revoked)
			kept, _ := srv.Session(other.ID)
			assert.False(t, kept.Revoked)
			assert.Equal(t, http.StatusUnauthorized, refreshWith(t, srv, s.RefreshToken).status, "the session's refresh token ends with it")

			again := call(t, srv.Client(), http.MethodPost, srv.URL+"/auth/logout", s.Token)
			assert.Equal(t, http.StatusUnauthorized, again.status, "the token of a logged-out session")

			none := call(t, srv.Client(), http.MethodPost, srv.URL+"/auth/logout", sessionless)
			assert.Equal(t, http.StatusBadRequest, none.status)
			assert.Empty(t, none.body)
		})
	}
}

func TestAccessTokenLifetime(t *testing.T) {
	for _, signed := range []bool{false, true} {
		name := "opaque"
		opts := []vaulttest.Option{vaulttest.WithAccessTokenLifetime(time.Minute)}
		if signed {
			name = "signed"
			opts = append(opts, vaulttest.WithSignedTokens())
		}
		t.Run(name, func(t *testing.T) {
			srv := vaulttest.NewTestServer(t, opts...)
			srv.SetNow(epoch)
			s := srv.AddSession("ann", vaulttest.SessionSeed{})
			seeded := srv.AddSession("ann", vaulttest.SessionSeed{Token: "seeded-token-never-expires"})
			list := func(token string) int {
				return call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", token).status
			}
			assert.Equal(t, http.StatusOK, list(s.Token))
			srv.Advance(time.Minute)
			assert.Equal(t, http.StatusOK, list(s.Token), "valid up to its expiry")
			srv.Advance(time.Second)
			assert.Equal(t, http.StatusUnauthorized, list(s.Token), "expired a minute after it was issued")
			assert.Equal(t, http.StatusOK, list(seeded.Token), "a seeded token is kept as given")

			got := refreshWith(t, srv, s.RefreshToken)
			require.Equal(t, http.StatusOK, got.status)
			fresh := decode[authAnswer](t, got.body).AccessToken
			assert.Equal(t, http.StatusOK, list(fresh))
			srv.Advance(time.Minute + time.Second)
			assert.Equal(t, http.StatusUnauthorized, list(fresh))

			issued, ok := srv.IssueToken(s.ID)
			require.True(t, ok)
			assert.Equal(t, http.StatusOK, list(issued))
			srv.Advance(time.Minute + time.Second)
			assert.Equal(t, http.StatusUnauthorized, list(issued))
		})
	}
}

func TestAccessTokensDoNotExpireByDefault(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	srv.SetNow(epoch)
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	got := refreshWith(t, srv, s.RefreshToken)
	require.Equal(t, http.StatusOK, got.status)
	srv.Advance(24 * time.Hour)
	assert.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", decode[authAnswer](t, got.body).AccessToken).status)
}

func TestRefreshWhoseAnswerIsLostRotates(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Action: vaulttest.ApplyThenReset})

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/auth/refresh", strings.NewReader(`{"refreshToken":"`+s.RefreshToken+`"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	_, err = srv.Client().Do(req)
	require.Error(t, err, "the answer is lost")

	got, _ := srv.Session(s.ID)
	assert.NotEqual(t, s.RefreshToken, got.RefreshToken, "the refresh token was rotated all the same")
	assert.Equal(t, http.StatusUnauthorized, refreshWith(t, srv, s.RefreshToken).status, "and the old one is spent")
	got, _ = srv.Session(s.ID)
	assert.True(t, got.Revoked)
}

func TestRefreshTokensStartOverOnReset(t *testing.T) {
	srv := vaulttest.NewTestServer(t, vaulttest.WithSeed(func(h *vaulttest.Handler) {
		h.AddSession("ann", vaulttest.SessionSeed{ID: "ses_1"})
	}))
	before, _ := srv.Session("ses_1")
	require.Equal(t, http.StatusOK, refreshWith(t, srv, before.RefreshToken).status)
	srv.Reset()
	after, _ := srv.Session("ses_1")
	assert.Equal(t, before.RefreshToken, after.RefreshToken)
	assert.Equal(t, http.StatusOK, refreshWith(t, srv, after.RefreshToken).status, "a reset forgets spent tokens")
}

func TestAuthRoutesInFaults(t *testing.T) {
	for _, route := range []string{vaulttest.RouteRefreshToken, vaulttest.RouteLogout, "/auth/refresh"} {
		assert.NoError(t, vaulttest.Fault{Route: route}.Validate(), route)
	}
	err := vaulttest.Fault{Route: "GET /auth/refresh"}.Validate()
	assert.ErrorContains(t, err, "the API serves POST on /auth/refresh, not GET")
}

func TestRefreshTokensNeverReachTheLogs(t *testing.T) {
	// A refresh token sent where a buggy client puts it, in the query or
	// a header, is hidden from the control API's request log like an
	// access token.
	var logs syncbuf.Buffer
	srv := newControlServer(t, vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	got := call(t, srv.Client(), http.MethodPost, srv.URL+"/auth/refresh?refresh_token="+s.RefreshToken, "", "X-Refresh-Token", s.RefreshToken)
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)

	r := ctl(t, srv, http.MethodGet, "/requests", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, string(r.body)+logs.String(), s.RefreshToken)
	assert.Contains(t, string(r.body), `"query":"refresh_token=[REDACTED]"`)
	assert.Contains(t, string(r.body), `"X-Refresh-Token":["[REDACTED]"]`)
}

// TestRefreshesAreLoggedWithTheirSession checks that a refresh, which
// sends no bearer token, is logged with the user and session of the
// refresh token it sends, spent or not, so that a suite can filter one
// session's refreshes; and with neither for a token the server does not
// know.
func TestRefreshesAreLoggedWithTheirSession(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	s := srv.AddSession("ann", vaulttest.SessionSeed{})
	srv.AddSession("bob", vaulttest.SessionSeed{})
	require.Equal(t, http.StatusOK, refreshWith(t, srv, s.RefreshToken).status)
	require.Equal(t, http.StatusUnauthorized, refreshWith(t, srv, s.RefreshToken).status, "the spent token again")
	require.Equal(t, http.StatusUnauthorized, refreshWith(t, srv, "vr_unknown").status)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs[:2] {
		assert.Equal(t, "ann", r.UserID)
		assert.Equal(t, s.ID, r.SessionID)
	}
	assert.Empty(t, reqs[2].UserID)
	assert.Empty(t, reqs[2].SessionID)
	found, err := srv.FindRequests(vaulttest.RequestFilter{SessionID: s.ID, Route: "POST /auth/refresh"})
	require.NoError(t, err)
	assert.Len(t, found, 2)
}
