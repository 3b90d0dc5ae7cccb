package verify

import (
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A service that pins a key in Config.Keys beside JWKSURL, and starts
// while the Vault server is away, has never had the key set: a token of
// the server's key may be valid, and the verifier cannot tell. It says
// so (ErrKeySetUnavailable, and 503 from Middleware) as it does without
// pinned keys, rather than calling the token invalid: Middleware would
// answer 401, and "a client that gets 401 would drop it and sign in
// again".
func TestVerifyCannotTellWhileTheKeySetWasNeverFetched(t *testing.T) {
	pinned, server := newSigner(t), newSigner(t)
	js := newJWKSServer(t, server)
	js.fail.Store(true)
	clk := newClock()
	v, err := New(Config{Keys: []ed25519.PublicKey{pinned.PublicKey()}, JWKSURL: js.jwksURL(), Now: clk.Now})
	require.NoError(t, err)
	token := sign(t, server, accessClaims(clk.Now()))

	_, err = v.Verify(ctx, token)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrKeySetUnavailable)
	assert.NotErrorIs(t, err, ErrInvalidToken)

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	v.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(w, r)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
}
