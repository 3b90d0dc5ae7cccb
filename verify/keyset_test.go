package verify

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewMakesNoNetworkCall(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	assert.Zero(t, js.hits.Load(), "New fetched the key set")

	_, err := v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
	require.NoError(t, err)
	assert.EqualValues(t, 1, js.hits.Load(), "the first token fetches the key set")
	for range 10 {
		_, err = v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, js.hits.Load(), "later tokens use the cached key")
}

func TestNewStartsWithTheServerAway(t *testing.T) {
	js := newJWKSServer(t, newSigner(t))
	url := js.jwksURL()
	js.Close()
	v, err := New(Config{JWKSURL: url})
	require.NoError(t, err)
	require.NotNil(t, v)
}

func TestVerifyFollowsAKeyRotationServedByTheKeySet(t *testing.T) {
	old, next := newSigner(t), newSigner(t)
	js := newJWKSServer(t, old)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)

	_, err := v.Verify(ctx, sign(t, old, accessClaims(clk.Now())))
	require.NoError(t, err)

	js.signer.Store(next) // the server rotates its key
	clk.Advance(RefetchInterval)
	c, err := v.Verify(ctx, sign(t, next, accessClaims(clk.Now())))
	require.NoError(t, err, "a token of the new key fetches the key set again")
	assert.Equal(t, "user_1", c.Subject)
	assert.EqualValues(t, 2, js.hits.Load())

	// The key set no longer lists the old key: its tokens are refused.
	clk.Advance(RefetchInterval)
	_, err = v.Verify(ctx, sign(t, old, accessClaims(clk.Now())))
	assert.ErrorIs(t, err, ErrInvalidToken)
}

func TestVerifyRefetchesAtMostOncePer5Seconds(t *testing.T) {
	s, stranger := newSigner(t), newSigner(t)
	js := newJWKSServer(t, s)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	_, err := v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
	require.NoError(t, err)
	require.EqualValues(t, 1, js.hits.Load())

	bad := sign(t, stranger, accessClaims(clk.Now()))
	flood := func(n int) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range n / 8 {
					_, err := v.Verify(ctx, bad)
					assert.ErrorIs(t, err, ErrInvalidToken)
				}
			})
		}
		wg.Wait()
	}
	flood(160)
	assert.EqualValues(t, 1, js.hits.Load(), "within 5 seconds of the first fetch: none")

	clk.Advance(RefetchInterval)
	flood(400)
	assert.EqualValues(t, 2, js.hits.Load(), "a flood of unknown signatures: one refetch")

	clk.Advance(RefetchInterval - time.Millisecond)
	flood(160)
	assert.EqualValues(t, 2, js.hits.Load(), "still within 5 seconds of the refetch")

	clk.Advance(time.Millisecond)
	flood(160)
	assert.EqualValues(t, 3, js.hits.Load(), "5 seconds later: one more")

	for i := range 10 {
		clk.Advance(RefetchInterval)
		flood(80)
		assert.EqualValues(t, 4+i, js.hits.Load())
	}
	// Valid tokens were never slowed down.
	_, err = v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
	assert.NoError(t, err)
}

func TestVerifyJoinsTheFetchInFlight(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	gate := make(chan struct{})
	js.gate.Store(&gate)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	token := sign(t, s, accessClaims(clk.Now()))

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := v.Verify(ctx, token)
			errs <- err
		})
	}
	require.Eventually(t, func() bool { return js.hits.Load() == 1 }, 10*time.Second, time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.EqualValues(t, 1, js.hits.Load(), "50 callers, one fetch")
}

func TestVerifyWithTheKeySetUnavailable(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	js.fail.Store(true)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	token := sign(t, s, accessClaims(clk.Now()))

	_, err := v.Verify(ctx, token)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrKeySetUnavailable)
	assert.NotErrorIs(t, err, ErrInvalidToken)
	assert.NotErrorIs(t, err, ErrExpired)
	assert.Contains(t, err.Error(), "status 500")

	_, err = v.Verify(ctx, token)
	assert.ErrorIs(t, err, ErrKeySetUnavailable, "within 5 seconds: the last failure, no new fetch")
	assert.EqualValues(t, 1, js.hits.Load())

	js.fail.Store(false)
	clk.Advance(RefetchInterval)
	_, err = v.Verify(ctx, token)
	assert.NoError(t, err, "the server is back")
}

func TestAFailedRefetchKeepsTheCachedKeys(t *testing.T) {
	s, stranger := newSigner(t), newSigner(t)
	js := newJWKSServer(t, s)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	_, err := v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
	require.NoError(t, err)

	for _, broken := range []func(){
		func() { js.fail.Store(true) },
		func() { js.fail.Store(false); b := []byte(`{"keys":[]}`); js.body.Store(&b) },
		func() { b := []byte(`not json`); js.body.Store(&b) },
		func() { b := []byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`); js.body.Store(&b) },
		func() { b := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"c2hvcnQ"}]}`); js.body.Store(&b) },
		func() {
			b := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + enc.EncodeToString(make([]byte, 32)) + `"}]}`)
			js.body.Store(&b) // a key of small order alone
		},
		func() {
			b := []byte(`{"keys":[` + strings.Repeat(`{"kty":"oct"},`, MaxKeySetBytes/10) + `{}]}`)
			js.body.Store(&b)
		},
	} {
		broken()
		clk.Advance(RefetchInterval)
		hits := js.hits.Load()
		_, err = v.Verify(ctx, sign(t, stranger, accessClaims(clk.Now())))
		assert.ErrorIs(t, err, ErrInvalidToken, "an unknown key triggers a refetch that fails")
		assert.Equal(t, hits+1, js.hits.Load())
		_, err = v.Verify(ctx, sign(t, s, accessClaims(clk.Now())))
		assert.NoError(t, err, "the cached key still verifies")
	}
}

func TestKeySetParsing(t *testing.T) {
	s := newSigner(t)
	x := enc.EncodeToString(s.PublicKey())
	tests := []struct {
		name string
		body string
		keys int
	}{
		{"the server's", string(s.JWKS()), 1},
		{"use spelled use_ as the server's code writes it", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `","use_":"sig","alg":"EdDSA+ML-DSA-65","kid":"k"}]}`, 1},
		{"bare", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, 1},
		{"EdDSA", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `","alg":"EdDSA"}]}`, 1},
		{"beside keys of other kinds", `{"keys":[{"kty":"RSA","n":"x","e":"AQAB"},{"kty":"OKP","crv":"X25519","x":"` + x + `"},{"kty":"OKP","crv":"Ed25519","x":"` + x + `","use":"enc"},{"kty":"OKP","crv":"Ed25519","x":"` + x + `","alg":"ES256"},{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`, 1},
		{"more than 16", `{"keys":[` + strings.Repeat(`{"kty":"OKP","crv":"Ed25519","x":"`+x+`"},`, 20) + `{}]}`, maxKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := parseKeySet([]byte(tt.body))
			require.NoError(t, err)
			assert.Len(t, keys, tt.keys)
			assert.Equal(t, s.PublicKey(), keys[0])
		})
	}
}

func TestKeySetFetchIsBounded(t *testing.T) {
	t.Run("in size", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"keys":[` + strings.Repeat(" ", MaxKeySetBytes) + `]}`))
		}))
		defer srv.Close()
		_, err := fetchKeySet(ctx, srv.Client(), srv.URL)
		assert.ErrorContains(t, err, "body over")
	})
	t.Run("in time", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		v, err := New(Config{JWKSURL: srv.URL + "/.well-known/jwks.json"})
		require.NoError(t, err)
		v.keys.timeout = 50 * time.Millisecond
		_, err = v.Verify(ctx, sign(t, newSigner(t), accessClaims(time.Now())))
		assert.ErrorIs(t, err, ErrKeySetUnavailable)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("by the caller's context", func(t *testing.T) {
		js := newJWKSServer(t, newSigner(t))
		gate := make(chan struct{})
		js.gate.Store(&gate)
		defer close(gate)
		v := jwksVerifier(t, js, newClock(), nil)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := v.Verify(cctx, sign(t, newSigner(t), accessClaims(epoch)))
		assert.ErrorIs(t, err, ErrKeySetUnavailable)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestStaticKeysNeedNoKeySet(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	clk := newClock()
	v, err := New(Config{Keys: []ed25519.PublicKey{a.PublicKey(), b.PublicKey()}, Now: clk.Now})
	require.NoError(t, err)
	_, err = v.Verify(ctx, sign(t, a, accessClaims(clk.Now())))
	assert.NoError(t, err)
	_, err = v.Verify(ctx, sign(t, b, accessClaims(clk.Now())))
	assert.NoError(t, err)
	_, err = v.Verify(ctx, sign(t, newSigner(t), accessClaims(clk.Now())))
	assert.ErrorIs(t, err, ErrInvalidToken)
	assert.False(t, errors.Is(err, ErrKeySetUnavailable))

	// Static keys beside a key set: a pinned key verifies without a fetch.
	js := newJWKSServer(t, b)
	v, err = New(Config{Keys: []ed25519.PublicKey{a.PublicKey()}, JWKSURL: js.jwksURL(), Now: clk.Now})
	require.NoError(t, err)
	_, err = v.Verify(ctx, sign(t, a, accessClaims(clk.Now())))
	assert.NoError(t, err)
	assert.Zero(t, js.hits.Load())
	_, err = v.Verify(ctx, sign(t, b, accessClaims(clk.Now())))
	assert.NoError(t, err)
	assert.EqualValues(t, 1, js.hits.Load())
}

func TestNewRefusesABadConfig(t *testing.T) {
	key := newSigner(t).PublicKey()
	revs := NewRevocations()
	tests := map[string]Config{
		"nothing to trust":         {},
		"a short key":              {Keys: []ed25519.PublicKey{key[:31]}},
		"a relative URL":           {JWKSURL: "/.well-known/jwks.json"},
		"http to another host":     {JWKSURL: "http://vault.example/.well-known/jwks.json"},
		"ftp":                      {JWKSURL: "ftp://vault.example/jwks.json"},
		"user information":         {JWKSURL: "https://user:pass@vault.example/jwks.json"},
		"a negative leeway":        {Keys: []ed25519.PublicKey{key}, Leeway: -time.Second},
		"a leeway over the record": {Keys: []ed25519.PublicKey{key}, Leeway: 2 * time.Minute, Revocations: revs},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := New(cfg)
			assert.Nil(t, v)
			assert.Error(t, err)
			assert.NotContains(t, err.Error(), "pass")
		})
	}
	for _, ok := range []string{"https://vault.example/.well-known/jwks.json", "http://127.0.0.1:8080/.well-known/jwks.json", "http://localhost/.well-known/jwks.json", "http://[::1]:1/.well-known/jwks.json"} {
		_, err := New(Config{JWKSURL: ok})
		assert.NoError(t, err, ok)
	}
}
