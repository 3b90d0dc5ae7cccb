package verify

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No error of Verify quotes the token, or any part of it, whatever the
// reason it was refused.
func TestNoErrorHoldsTheToken(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	clk := newClock()
	revs, err := NewRevocationsWithConfig(RevocationsConfig{Now: clk.Now})
	require.NoError(t, err)
	v := jwksVerifier(t, js, clk, func(c *Config) { c.Revocations = revs; c.Issuer = "https://vault.example" })

	good := sign(t, s, accessClaims(clk.Now()))
	p := strings.Split(good, ".")
	wrongType := accessClaims(clk.Now())
	wrongType.Type = "refresh"
	wrongIssuer := accessClaims(clk.Now())
	wrongIssuer.Iss = "https://elsewhere.example"
	revokedClaims := accessClaims(clk.Now())
	revokedClaims.SessionID = ptr("revoked-session")
	require.NoError(t, revs.RevokeSession("revoked-session"))

	tokens := map[string]string{
		"forged":       sign(t, newSigner(t), accessClaims(clk.Now())),
		"tampered":     withPart(good, 1, flipBit(t, p[1], 3)),
		"wrong type":   sign(t, s, wrongType),
		"wrong issuer": sign(t, s, wrongIssuer),
		"revoked":      sign(t, s, revokedClaims),
		"bad header":   withPart(good, 0, enc.EncodeToString([]byte(`{"alg":"`+p[1][:40]+`"}`))),
		"not base64":   p[0] + ".!" + p[1] + "." + p[2],
		"bad JSON":     signRaw(s, `{"alg":"EdDSA"}`, `{"sub":"`+p[2][:50]+`"`, false),
		"one part":     p[1] + p[2],
	}
	for name, token := range tokens {
		t.Run(name, func(t *testing.T) {
			_, err := v.Verify(ctx, token)
			require.Error(t, err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprint(errors.Unwrap(err))} {
				for _, part := range strings.FieldsFunc(token, func(r rune) bool { return r == '.' || r == '!' }) {
					assert.NotContains(t, text, part[:min(len(part), 16)])
				}
			}
		})
	}

	// Nor when the key set is away.
	js.fail.Store(true)
	clk.Advance(RefetchInterval)
	_, err = v.Verify(ctx, tokens["forged"])
	require.Error(t, err)
	assert.NotContains(t, err.Error(), strings.Split(tokens["forged"], ".")[2][:16])
}
