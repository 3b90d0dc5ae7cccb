package verify

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyRefusesOtherAlgorithms(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	payload := mustJSON(t, accessClaims(clk.Now()))
	input := func(header string) string {
		return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	}
	// hs256 signs with the public key as the HMAC secret: the classic
	// confusion of a verifier that lets the token pick its algorithm.
	hs256 := func(header string) string {
		in := input(header)
		mac := hmac.New(sha256.New, s.PublicKey())
		mac.Write([]byte(in))
		return in + "." + enc.EncodeToString(mac.Sum(nil))
	}
	// edSigned signs the input with the trusted key, whatever the header
	// says, with a signature of n bytes (64, then zeros).
	edSigned := func(header string, n int) string {
		in := input(header)
		sig := make([]byte, n)
		full, err := enc.DecodeString(strings.Split(s.SignRaw([]byte(header), []byte(payload), false), ".")[2])
		require.NoError(t, err)
		copy(sig, full)
		return in + "." + enc.EncodeToString(sig)
	}
	tests := []struct {
		name  string
		token string
	}{
		{"none, no signature", input(`{"alg":"none"}`) + "."},
		{"none, with the Ed25519 signature", edSigned(`{"alg":"none"}`, 64)},
		{"HS256 keyed with the public key", hs256(`{"alg":"HS256","typ":"JWT"}`)},
		{"HS512", hs256(`{"alg":"HS512"}`)},
		{"RS256", edSigned(`{"alg":"RS256"}`, 256)},
		{"ES256", edSigned(`{"alg":"ES256"}`, 64)},
		{"Ed25519 (RFC 9864's name)", edSigned(`{"alg":"Ed25519"}`, 64)},
		{"eddsa in lower case", edSigned(`{"alg":"eddsa"}`, 64)},
		{"EdDSA+ML-DSA-87", edSigned(`{"alg":"EdDSA+ML-DSA-87"}`, 64+4627)},
		{"EdDSA+ML-DSA-65 in lower case", edSigned(`{"alg":"eddsa+ml-dsa-65"}`, 64+MLDSA65SignatureSize)},
		{"no alg", edSigned(`{"typ":"JWT"}`, 64)},
		{"alg null", edSigned(`{"alg":null}`, 64)},
		{"alg a number", edSigned(`{"alg":1}`, 64)},
		{"alg an array", edSigned(`{"alg":["EdDSA"]}`, 64)},
		{"alg twice", edSigned(`{"alg":"EdDSA","alg":"none"}`, 64)},
		{"EdDSA with the hybrid's length", edSigned(`{"alg":"EdDSA"}`, 64+MLDSA65SignatureSize)},
		{"EdDSA with one byte more", edSigned(`{"alg":"EdDSA"}`, 65)},
		{"hybrid with the Ed25519 half alone", edSigned(`{"alg":"EdDSA+ML-DSA-65"}`, 64)},
		{"hybrid one byte short", edSigned(`{"alg":"EdDSA+ML-DSA-65"}`, 64+MLDSA65SignatureSize-1)},
		{"critical extension", edSigned(`{"alg":"EdDSA","crit":["exp"]}`, 64)},
		{"header an array", edSigned(`["EdDSA"]`, 64)},
		{"header not JSON", edSigned(`alg=EdDSA`, 64)},
		{"header with a second value", edSigned(`{"alg":"EdDSA"} {}`, 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Verify(ctx, tt.token)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidToken)
		})
	}
}

func TestVerifyAcceptsEdDSAWithExactly64Bytes(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	payload := mustJSON(t, accessClaims(clk.Now()))

	for _, header := range []string{`{"alg":"EdDSA"}`, `{"alg":"EdDSA","typ":"JWT","kid":null}`, `{"kid":"k1","alg":"EdDSA"}`, `{"alg":"Ed\u0044SA"}`} {
		token := signRaw(s, header, payload, false)
		sig, err := enc.DecodeString(strings.Split(token, ".")[2])
		require.NoError(t, err)
		require.Len(t, sig, ed25519.SignatureSize)
		c, err := v.Verify(ctx, token)
		require.NoError(t, err, header)
		assert.Equal(t, "user_1", c.Subject)
	}
	// The hybrid header with a hybrid signature is the server's own.
	_, err := v.Verify(ctx, signRaw(s, string(`{"alg":"EdDSA+ML-DSA-65","typ":"JWT","kid":null}`), payload, true))
	assert.NoError(t, err)
	// The hybrid header with a bare Ed25519 signature is not.
	_, err = v.Verify(ctx, signRaw(s, `{"alg":"EdDSA+ML-DSA-65"}`, payload, false))
	assert.ErrorIs(t, err, ErrInvalidToken)
	// Nor the EdDSA header with a hybrid signature.
	_, err = v.Verify(ctx, signRaw(s, `{"alg":"EdDSA"}`, payload, true))
	assert.ErrorIs(t, err, ErrInvalidToken)
}
