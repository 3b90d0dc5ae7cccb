package vaulttest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRequestLogHidesATokenInAHeaderName sends a request whose header
// name carries a session's token, as a client that swaps a header's name
// and value does. The docs promise that no token, in any header, reaches
// the request log in full: the name must not show it either.
func TestRequestLogHidesATokenInAHeaderName(t *testing.T) {
	srv := newControlServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{})
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("X-"+s.Token, "1")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	r := ctl(t, srv, http.MethodGet, "/requests", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, strings.ToLower(string(r.body)), strings.ToLower(s.Token), "the token shows in a header name: %s", r.body)
}

// TestTokensInHeaderNamesNeverReachTheLogs sends tokens of every kind as
// a header's name, whose letters net/http puts in canonical case: a
// seeded token in mixed case, a signed one, a refresh token, one of
// before a reset, the request's own bearer token that the server does
// not know, and a percent-encoded one. The request log shows none of
// them, in any case, and keeps the header's value under a name with the
// token hidden; WithShowTokens shows the name as net/http gave it.
func TestTokensInHeaderNamesNeverReachTheLogs(t *testing.T) {
	const seeded = "tok_Alice_Zq81"
	tests := []struct {
		name string
		opts []vaulttest.Option
		// token returns the token to send and the name to send it in.
		token func(srv *vaulttest.Server) (tok, name string)
		// bearer is the request's Authorization, if any.
		bearer string
	}{
		{name: "a seeded token in mixed case", token: func(srv *vaulttest.Server) (string, string) {
			srv.AddSession("alice", vaulttest.SessionSeed{Token: seeded})
			return seeded, "X-" + seeded
		}},
		{name: "a signed token", opts: []vaulttest.Option{vaulttest.WithSignedTokens()}, token: func(srv *vaulttest.Server) (string, string) {
			tok := srv.AddSession("alice", vaulttest.SessionSeed{}).Token
			return tok, tok
		}},
		{name: "a refresh token", token: func(srv *vaulttest.Server) (string, string) {
			tok := srv.AddSession("alice", vaulttest.SessionSeed{}).RefreshToken
			return tok, "X-Refresh-" + tok
		}},
		{name: "a token of before a reset", token: func(srv *vaulttest.Server) (string, string) {
			srv.AddSession("alice", vaulttest.SessionSeed{Token: seeded})
			srv.Reset()
			return seeded, "X-" + seeded
		}},
		{name: "the request's own token", bearer: "Unknown_Bearer_42", token: func(*vaulttest.Server) (string, string) {
			return "Unknown_Bearer_42", "X-Unknown_Bearer_42"
		}},
		{name: "percent-encoded", token: func(srv *vaulttest.Server) (string, string) {
			srv.AddSession("alice", vaulttest.SessionSeed{Token: seeded})
			return seeded, "X-tok%5FAlice%5FZq81"
		}},
	}
	for _, tt := range tests {
		for _, show := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, show tokens %v", tt.name, show), func(t *testing.T) {
				opts := tt.opts
				if show {
					opts = append(slices.Clip(opts), vaulttest.WithShowTokens())
				}
				srv := newControlServer(t, opts...)
				tok, name := tt.token(srv)
				req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
				require.NoError(t, err)
				req.Header[name] = []string{"kept"}
				if tt.bearer != "" {
					req.Header.Set("Authorization", "Bearer "+tt.bearer)
				}
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())

				r := ctl(t, srv, http.MethodGet, "/requests", "")
				require.Equal(t, http.StatusOK, r.status)
				list := decode[[]struct{ Header http.Header }](t, r.body)
				require.Len(t, list, 1)
				got := list[0].Header
				if show {
					assert.Equal(t, []string{"kept"}, got[http.CanonicalHeaderKey(name)], "the name as net/http gave it: %s", r.body)
					return
				}
				plain, err := url.PathUnescape(name)
				require.NoError(t, err)
				require.Contains(t, strings.ToLower(plain), strings.ToLower(tok))
				assert.NotContains(t, strings.ToLower(string(r.body)), strings.ToLower(tok), "the token shows in a header name: %s", r.body)
				assert.NotContains(t, string(r.body), strings.ToLower(name[2:]), "nor in its encoded form")
				var kept []string
				for n, values := range got {
					if strings.Contains(n, "[REDACTED]") {
						kept = append(kept, values...)
					}
				}
				assert.Equal(t, []string{"kept"}, kept, "the header is kept under a hidden name: %s", r.body)
			})
		}
	}
}
