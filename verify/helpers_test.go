package verify

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/jwtsign"
)

// epoch is the time the tests' clocks start at.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: epoch} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func newSigner(t testing.TB) *jwtsign.Signer {
	t.Helper()
	return jwtsign.New()
}

// accessClaims returns the claims of an access token issued at iat, as
// the Vault server writes them after a sign-in.
func accessClaims(iat time.Time) jwtsign.Claims {
	return jwtsign.Claims{
		Iss:              "https://vault.example",
		Sub:              "user_1",
		Aud:              "app",
		Iat:              iat.Unix(),
		Nbf:              iat.Unix(),
		Exp:              iat.Add(DefaultTokenLifetime).Unix(),
		Jti:              "jti_1",
		Type:             "access",
		TenantID:         "tenant_1",
		SessionID:        jwtsign.Ptr("sess_1"),
		Email:            jwtsign.Ptr("ada@example.com"),
		EmailVerified:    jwtsign.Ptr(true),
		Name:             jwtsign.Ptr("Ada"),
		Roles:            []string{"member"},
		MFAAuthenticated: jwtsign.Ptr(false),
	}
}

func sign(t testing.TB, s *jwtsign.Signer, c any) string {
	t.Helper()
	tok, err := s.Sign(c)
	require.NoError(t, err)
	return tok
}

// signRaw signs a header and a payload given as JSON text.
func signRaw(s *jwtsign.Signer, header, payload string, hybrid bool) string {
	return s.SignRaw([]byte(header), []byte(payload), hybrid)
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// staticVerifier returns a Verifier that trusts s's key alone, on clk.
func staticVerifier(t testing.TB, s *jwtsign.Signer, clk *clock, mod func(*Config)) *Verifier {
	t.Helper()
	cfg := Config{Keys: []ed25519.PublicKey{s.PublicKey()}, Now: clk.Now}
	if mod != nil {
		mod(&cfg)
	}
	v, err := New(cfg)
	require.NoError(t, err)
	return v
}

// jwksServer serves the key set of its current signer, counting the
// requests; fail makes it answer 500, and gate, when set, holds each
// answer until it is closed.
type jwksServer struct {
	*httptest.Server
	hits   atomic.Int64
	signer atomic.Pointer[jwtsign.Signer]
	fail   atomic.Bool
	body   atomic.Pointer[[]byte] // an answer of its own, when set
	gate   atomic.Pointer[chan struct{}]
}

func newJWKSServer(t testing.TB, s *jwtsign.Signer) *jwksServer {
	t.Helper()
	js := &jwksServer{}
	js.signer.Store(s)
	js.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		js.hits.Add(1)
		if g := js.gate.Load(); g != nil {
			<-*g
		}
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		if js.fail.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if b := js.body.Load(); b != nil {
			_, _ = w.Write(*b)
			return
		}
		_, _ = w.Write(js.signer.Load().JWKS())
	}))
	t.Cleanup(js.Close)
	return js
}

func (js *jwksServer) jwksURL() string { return js.URL + "/.well-known/jwks.json" }

// jwksVerifier returns a Verifier that trusts the key set of js alone.
func jwksVerifier(t testing.TB, js *jwksServer, clk *clock, mod func(*Config)) *Verifier {
	t.Helper()
	cfg := Config{JWKSURL: js.jwksURL(), Now: clk.Now}
	if mod != nil {
		mod(&cfg)
	}
	v, err := New(cfg)
	require.NoError(t, err)
	return v
}

var ctx = context.Background()

// withPart returns token with its part i (0, 1 or 2) replaced.
func withPart(token string, i int, part string) string {
	p := strings.Split(token, ".")
	p[i] = part
	return strings.Join(p, ".")
}
