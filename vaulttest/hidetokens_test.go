package vaulttest_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestTokensNeverReachTheLogs sends tokens where a buggy client puts
// them, the path, the query and headers of all kinds, and checks that
// neither the control API's request log nor the handler's logger shows
// any of them, unless WithShowTokens asks for it; Requests, for Go
// tests, keeps every request as sent.
func TestTokensNeverReachTheLogs(t *testing.T) {
	for _, show := range []bool{false, true} {
		t.Run(map[bool]string{false: "hidden", true: "shown"}[show], func(t *testing.T) {
			var logs syncbuf.Buffer
			opts := []vaulttest.Option{vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}
			if show {
				opts = append(opts, vaulttest.WithShowTokens())
			}
			srv := newControlServer(t, opts...)
			me := srv.AddSession("alice", vaulttest.SessionSeed{Token: "tok_alice_Zq81"})
			other := srv.AddSession("alice", vaulttest.SessionSeed{Token: "tok_alice_Bx07"})
			sessionless := srv.AddSessionlessToken("alice", "")
			unknown := "vt_unknown_c0ffee"

			send := func(method, path string, header ...string) {
				req, err := http.NewRequest(method, srv.URL+path, nil)
				require.NoError(t, err)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Add(header[i], header[i+1])
				}
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				resp.Body.Close()
			}
			// The token where the session ID goes, escaped or not.
			send("DELETE", "/users/me/sessions/"+me.Token, "Authorization", "Bearer "+me.Token)
			send("DELETE", "/users/me/sessions/"+url.PathEscape(other.Token), "Authorization", "Bearer "+me.Token)
			// In the query, as a name or a value.
			send("GET", "/users/me/sessions?access_token="+url.QueryEscape(other.Token)+"&"+sessionless, "Authorization", "Bearer "+me.Token)
			// In headers of every kind, with the request's own unknown
			// token as a bare Authorization.
			send("GET", "/users/me/sessions",
				"Authorization", unknown,
				"X-Api-Key", other.Token,
				"Cookie", "theme=dark; session="+sessionless,
				"X-Forwarded-Authorization", "Bearer "+unknown,
				"X-Debug", `token:`+me.Token+`, "`+other.Token+`"`,
				"X-Basic", "Basic YWxpY2U6c2VjcmV0")
			// In a control path.
			ctl(t, srv, http.MethodGet, "/sessions/"+me.Token, "")

			r := ctl(t, srv, http.MethodGet, "/requests", "")
			require.Equal(t, http.StatusOK, r.status)
			seen := string(r.body) + logs.String()
			secrets := []string{me.Token, other.Token, sessionless, unknown, "YWxpY2U6c2VjcmV0"}
			for _, secret := range secrets {
				if show {
					assert.Contains(t, string(r.body), secret, "WithShowTokens shows the log as sent")
				} else {
					assert.NotContains(t, seen, secret)
				}
			}
			if !show {
				assert.Contains(t, string(r.body), `"path":"/api/v1/users/me/sessions/[REDACTED]"`)
				assert.Contains(t, string(r.body), `"query":"access_token=[REDACTED]\u0026[REDACTED]"`)
				assert.Contains(t, string(r.body), `"Cookie":["theme=dark; session=[REDACTED]"]`)
				assert.Contains(t, string(r.body), `"X-Debug":["token:[REDACTED], \"[REDACTED]\""]`)
				assert.Contains(t, logs.String(), "path=/api/v1/users/me/sessions/[REDACTED]")
				assert.Contains(t, logs.String(), "path=/__vault/sessions/[REDACTED]")
			}
			assert.True(t, strings.HasSuffix(srv.Requests()[0].Path, me.Token), "Requests keeps what was sent")
		})
	}
}
