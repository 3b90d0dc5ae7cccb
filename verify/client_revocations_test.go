package verify_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
)

// guarded is a service guarded by Middleware, with a Client for the
// revocations its users ask for: each is recorded in the Revocations as
// soon as the Client's call returns.
type guarded struct {
	vault   *vaulttest.Server
	revs    *verify.Revocations
	client  *vault.Client
	service *httptest.Server
}

func newGuarded(t *testing.T, opts ...vaulttest.Option) *guarded {
	t.Helper()
	g := &guarded{vault: vaulttest.NewServer(append(opts, vaulttest.WithSignedTokens())...)}
	t.Cleanup(g.vault.Close)
	g.revs = verify.NewRevocations()
	v, err := verify.New(verify.Config{JWKSURL: g.vault.JWKSURL(), Issuer: vaulttest.TokenIssuer, Revocations: g.revs})
	require.NoError(t, err)
	g.client, err = vault.NewClient(vault.Configuration{BaseURL: g.vault.URL, MaxRetries: -1})
	require.NoError(t, err)
	t.Cleanup(g.client.CloseIdleConnections)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		c, _ := verify.ClaimsFromContext(r.Context())
		_, _ = io.WriteString(w, c.SessionID)
	})
	// Sign one device out: revoke through the API, then record it here.
	mux.HandleFunc("DELETE /sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		token, _ := bearer(r)
		id := r.PathValue("id")
		_, err := g.client.Sessions.RevokeSession(r.Context(), id, vault.WithAccessToken(token))
		if err != nil && !errors.Is(err, vault.ErrNotFound) {
			http.Error(w, "revoke failed", http.StatusBadGateway)
			return
		}
		if err := g.revs.RevokeSession(id); err != nil {
			http.Error(w, "record failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// Sign out everywhere else (the server's logout-all keeps the
	// current session) or everywhere (the spec's).
	mux.HandleFunc("DELETE /sessions", func(w http.ResponseWriter, r *http.Request) {
		token, _ := bearer(r)
		c, _ := verify.ClaimsFromContext(r.Context())
		if _, err := g.client.Sessions.LogoutAllSessions(r.Context(), vault.WithAccessToken(token)); err != nil {
			http.Error(w, "logout failed", http.StatusBadGateway)
			return
		}
		var err error
		if r.URL.Query().Get("keep") == "current" {
			err = g.revs.RevokeUserExcept(c.Subject, time.Now(), c.SessionID)
		} else {
			err = g.revs.RevokeUser(c.Subject, time.Now())
		}
		if err != nil {
			http.Error(w, "record failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// Sign out of all other devices, in one call of the SDK.
	mux.HandleFunc("POST /sessions/revoke-others", func(w http.ResponseWriter, r *http.Request) {
		token, _ := bearer(r)
		ids, err := g.client.Sessions.RevokeOtherSessions(r.Context(), vault.WithAccessToken(token))
		for _, id := range ids { // those revoked, even when some failed
			if rerr := g.revs.RevokeSession(id); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if err != nil {
			http.Error(w, "revoke failed", http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	g.service = httptest.NewServer(v.Middleware(mux))
	t.Cleanup(g.service.Close)
	return g
}

func bearer(r *http.Request) (string, bool) {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) {
		return "", false
	}
	return h[len(prefix):], true
}

// do sends a request to the service with token and returns its status.
func (g *guarded) do(t *testing.T, method, path, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, g.service.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := g.service.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRevocationsThroughTheClientTakeEffectAtOnce(t *testing.T) {
	t.Run("one session", func(t *testing.T) {
		g := newGuarded(t)
		s := g.vault.SeedDemo(vaulttest.Demo{})
		me, phone := s[0].Token, s[1].Token
		require.Equal(t, 200, g.do(t, "GET", "/me", phone))

		require.Equal(t, 204, g.do(t, "DELETE", "/sessions/"+s[1].ID, me))
		assert.Equal(t, 401, g.do(t, "GET", "/me", phone), "the phone's token, at once")
		assert.Equal(t, 200, g.do(t, "GET", "/me", me))
	})
	t.Run("logout-all that keeps the current session", func(t *testing.T) {
		g := newGuarded(t, vaulttest.WithDialect(vaulttest.DialectServer))
		s := g.vault.SeedDemo(vaulttest.Demo{})
		require.Equal(t, 204, g.do(t, "DELETE", "/sessions?keep=current", s[0].Token))
		assert.Equal(t, 200, g.do(t, "GET", "/me", s[0].Token), "the current session stays")
		for _, other := range s[1:] {
			assert.Equal(t, 401, g.do(t, "GET", "/me", other.Token))
		}
	})
	t.Run("logout-all of every session", func(t *testing.T) {
		g := newGuarded(t)
		s := g.vault.SeedDemo(vaulttest.Demo{})
		require.Equal(t, 204, g.do(t, "DELETE", "/sessions", s[0].Token))
		for _, any := range s {
			assert.Equal(t, 401, g.do(t, "GET", "/me", any.Token))
		}
	})
	t.Run("all other sessions", func(t *testing.T) {
		g := newGuarded(t)
		s := g.vault.SeedDemo(vaulttest.Demo{})
		require.Equal(t, 204, g.do(t, "POST", "/sessions/revoke-others", s[0].Token))
		assert.Equal(t, 200, g.do(t, "GET", "/me", s[0].Token))
		for _, other := range s[1:] {
			assert.Equal(t, 401, g.do(t, "GET", "/me", other.Token))
		}
	})
}

// Without the Revocations, a revoked session's token still passes a
// local check until it expires: what the Revocations are for.
func TestWithoutRevocationsARevokedTokenLivesOn(t *testing.T) {
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens())
	defer srv.Close()
	s := srv.SeedDemo(vaulttest.Demo{})
	v, err := verify.New(verify.Config{JWKSURL: srv.JWKSURL()})
	require.NoError(t, err)
	srv.RevokeSession(s[1].ID)
	_, err = v.Verify(context.Background(), s[1].Token)
	assert.NoError(t, err)
}
