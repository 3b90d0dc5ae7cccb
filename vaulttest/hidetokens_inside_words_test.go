package vaulttest_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestTokensInsideLargerWordsNeverReachTheLogs sends a token where
// buggy clients and proxies put it with something beside it: a token
// read from a file with its newline, a path with a suffix, a query
// holding "Bearer <token>", a callback URL in Referer or a forwarded
// URI. Neither the control API's request log nor the handler's logger
// may show the token.
func TestTokensInsideLargerWordsNeverReachTheLogs(t *testing.T) {
	const tok = "tok_alice_Zq81"
	tests := []struct {
		name, method, path string
		header             http.Header
	}{
		{"path, with the newline of a file", http.MethodDelete, "/users/me/sessions/" + tok + "%0A", nil},
		{"path, with a suffix", http.MethodDelete, "/users/me/sessions/" + tok + ".json", nil},
		{"query, after Bearer", http.MethodGet, "/users/me/sessions?authorization=Bearer+" + tok, nil},
		{"Referer, a callback URL", http.MethodGet, "/users/me/sessions",
			http.Header{"Referer": {"https://app.example/callback?access_token=" + tok + "&state=af0ifjsldkj"}}},
		{"X-Forwarded-Uri", http.MethodGet, "/users/me/sessions",
			http.Header{"X-Forwarded-Uri": {"/oauth/callback?token=" + tok + "&next=%2F"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncbuf.Buffer
			srv := newControlServer(t, vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			me := srv.AddSession("alice", vaulttest.SessionSeed{Token: tok})

			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			require.NoError(t, err)
			for name, values := range tt.header {
				req.Header[name] = values
			}
			req.Header.Set("Authorization", "Bearer "+me.Token)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()

			r := ctl(t, srv, http.MethodGet, "/requests", "")
			require.Equal(t, http.StatusOK, r.status)
			assert.NotContains(t, string(r.body), me.Token, "the request log")
			assert.NotContains(t, logs.String(), me.Token, "the handler's logger")
		})
	}
}

// TestTokensOfBeforeAResetNeverReachTheLogs sends, after a reset, a
// token the server minted before it, as a client of the previous test
// that kept it does, in the query without an Authorization header: the
// server no longer knows the token, and must not show it either.
func TestTokensOfBeforeAResetNeverReachTheLogs(t *testing.T) {
	var logs syncbuf.Buffer
	srv := newControlServer(t, vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	old := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Reset()

	resp, err := srv.Client().Get(srv.URL + "/users/me/sessions?access_token=" + old.Token)
	require.NoError(t, err)
	resp.Body.Close()

	r := ctl(t, srv, http.MethodGet, "/requests", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, string(r.body), old.Token, "the request log")
	assert.NotContains(t, logs.String(), old.Token, "the handler's logger")
}
