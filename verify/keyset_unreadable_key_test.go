package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A key set that lists, beside the server's key, an Ed25519 key the
// verifier cannot read (an x of the wrong length, or with padding) still
// yields the server's key: RFC 7517 section 5 says to ignore such keys,
// and the verifier already skips keys of other kinds. Refusing the whole
// set instead stalls a key rotation on one odd entry: the new key's
// tokens are refused until the entry goes.
func TestKeySetSkipsAKeyItCannotRead(t *testing.T) {
	old, next := newSigner(t), newSigner(t)
	x := enc.EncodeToString(next.PublicKey())
	for name, odd := range map[string]string{
		"31 bytes":   enc.EncodeToString(make([]byte, 31)),
		"padded":     x + "=",
		"not base64": "not base64!",
		"empty":      "",
		"33 bytes":   enc.EncodeToString(make([]byte, 33)),
	} {
		t.Run(name, func(t *testing.T) {
			js := newJWKSServer(t, old)
			clk := newClock()
			v := jwksVerifier(t, js, clk, nil)
			_, err := v.Verify(ctx, sign(t, old, accessClaims(clk.Now())))
			require.NoError(t, err)

			body := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","use":"sig","x":"` + odd + `"},{"kty":"OKP","crv":"Ed25519","use":"sig","alg":"EdDSA+ML-DSA-65","x":"` + x + `"}]}`)
			js.body.Store(&body) // the server rotates its key, beside an odd entry
			clk.Advance(RefetchInterval)
			_, err = v.Verify(ctx, sign(t, next, accessClaims(clk.Now())))
			assert.NoError(t, err, "the new key is in the set")
		})
	}
}
