package verify

import (
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lowOrderKeys are Ed25519 public keys of small order: the identity
// point, and the point of order 4 that 32 zero bytes encode (a plausible
// placeholder). ed25519.Verify does not refuse them, and with either, a
// signature anyone can write verifies: R the identity and S zero, over
// any message with the first, over one message in four with the second.
var lowOrderKeys = map[string]ed25519.PublicKey{
	"identity":      append([]byte{1}, make([]byte, 31)...),
	"32 zero bytes": make([]byte, 32),
}

// forgeries returns tokens of n distinct payloads for the user "admin",
// each with the signature R = identity, S = 0, which no private key made.
func forgeries(t *testing.T, n int) []string {
	t.Helper()
	sig := make([]byte, ed25519.SignatureSize)
	sig[0] = 1 // R: the identity point; S: zero
	header := enc.EncodeToString([]byte(`{"alg":"EdDSA"}`))
	tokens := make([]string, n)
	for i := range tokens {
		c := accessClaims(epoch)
		c.Sub = "admin"
		c.Jti = fmt.Sprint("forged_", i)
		tokens[i] = header + "." + enc.EncodeToString([]byte(mustJSON(t, c))) + "." + enc.EncodeToString(sig)
	}
	return tokens
}

// A key of small order is no key: New refuses it in Config.Keys, and a
// key set that lists one does not make a forged token verify.
func TestVerifyTrustsNoLowOrderKey(t *testing.T) {
	tokens := forgeries(t, 64) // with the order-4 key, about one in four verifies
	for name, key := range lowOrderKeys {
		t.Run("Config.Keys/"+name, func(t *testing.T) {
			v, err := New(Config{Keys: []ed25519.PublicKey{key}, Now: newClock().Now})
			if err != nil {
				return // refused up front: fine
			}
			for _, token := range tokens {
				_, err := v.Verify(ctx, token)
				if !assert.ErrorIs(t, err, ErrInvalidToken, "a forged token was accepted") {
					return
				}
			}
		})
		t.Run("key set/"+name, func(t *testing.T) {
			js := newJWKSServer(t, newSigner(t))
			body := []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","use":"sig","alg":"EdDSA+ML-DSA-65","x":"` + enc.EncodeToString(key) + `"}]}`)
			js.body.Store(&body)
			v := jwksVerifier(t, js, newClock(), nil)
			for _, token := range tokens {
				_, err := v.Verify(ctx, token)
				if !assert.Error(t, err, "a forged token was accepted") {
					return
				}
			}
		})
	}
}
