package verify

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Config.HTTPClient says the verifier's own client "follows no redirect
// away from https": a key set at an https URL that redirects to plain
// http, even on the loopback interface, is not fetched there.
func TestKeySetFetchFollowsNoRedirectFromHTTPSToHTTP(t *testing.T) {
	s := newSigner(t)
	var plainHits atomic.Int64
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.JWKS())
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/.well-known/jwks.json", http.StatusFound)
	}))
	defer secure.Close()

	clk := newClock()
	v, err := New(Config{JWKSURL: secure.URL + "/.well-known/jwks.json", Now: clk.Now})
	require.NoError(t, err)
	// The verifier's own client, trusting the test server's certificate.
	v.keys.client.Transport = secure.Client().Transport

	_, err = v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
	assert.ErrorIs(t, err, ErrKeySetUnavailable)
	assert.Zero(t, plainHits.Load(), "the key set was fetched over http after a redirect from https")
}

// The verifier's own client follows a redirect to https, or to http on
// loopback from a chain that never left it; nothing else.
func TestKeySetRedirectRules(t *testing.T) {
	req := func(raw string) *http.Request { return httptest.NewRequest(http.MethodGet, raw, nil) }
	const (
		secure = "https://vault.example/.well-known/jwks.json"
		local  = "http://127.0.0.1:8080/.well-known/jwks.json"
	)
	tests := []struct {
		name   string
		via    []string
		to     string
		follow bool
	}{
		{"https to https", []string{secure}, "https://keys.vault.example/jwks.json", true},
		{"loopback http to loopback http", []string{local}, "http://localhost:9090/jwks.json", true},
		{"loopback http up to https", []string{local}, secure, true},
		{"https down to loopback http", []string{secure}, local, false},
		{"through https, then down to loopback http", []string{local, secure}, local, false},
		{"https to http off loopback", []string{secure}, "http://vault.example/jwks.json", false},
		{"loopback http to http off loopback", []string{local}, "http://vault.example/jwks.json", false},
		{"to another scheme", []string{secure}, "ftp://vault.example/jwks.json", false},
		{"a sixth redirect", []string{secure, secure, secure, secure, secure}, secure, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var via []*http.Request
			for _, u := range tt.via {
				via = append(via, req(u))
			}
			err := checkRedirect(req(tt.to), via)
			if tt.follow {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
