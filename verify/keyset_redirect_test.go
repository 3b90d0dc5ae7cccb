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
