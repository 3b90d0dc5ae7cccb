package verify

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var enc = base64.RawURLEncoding

// flipBit returns the base64url part with one bit of its decoded byte i
// flipped.
func flipBit(t *testing.T, part string, i int) string {
	t.Helper()
	b, err := enc.DecodeString(part)
	require.NoError(t, err)
	b[i] ^= 0x01
	return enc.EncodeToString(b)
}

func TestVerifyAcceptsTheServersToken(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	token := sign(t, s, accessClaims(clk.Now()))

	sig, err := enc.DecodeString(strings.Split(token, ".")[2])
	require.NoError(t, err)
	require.Len(t, sig, 64+MLDSA65SignatureSize, "the server's hybrid signature")

	c, err := v.Verify(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "user_1", c.Subject)
	assert.Equal(t, "sess_1", c.SessionID)
}

func TestVerifyRefusesTamperedToken(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	token := sign(t, s, accessClaims(clk.Now()))
	p := strings.Split(token, ".")

	otherClaims := accessClaims(clk.Now())
	otherClaims.Sub = "user_2"
	forged := sign(t, s, otherClaims) // signed, but its payload is spliced below

	tests := []struct {
		name  string
		token string
	}{
		{"header: one bit", withPart(token, 0, flipBit(t, p[0], 10))},
		{"header: another algorithm detail", withPart(token, 0, enc.EncodeToString([]byte(`{"alg":"EdDSA+ML-DSA-65","typ":"JWT","kid":null,"alg_details":{"classical":"Ed25519","post_quantum":"ML-DSA","pq_version":"87"}}`)))},
		{"header: re-encoded alike", withPart(token, 0, enc.EncodeToString([]byte(`{"alg": "EdDSA+ML-DSA-65"}`)))},
		{"payload: one bit", withPart(token, 1, flipBit(t, p[1], 20))},
		{"payload: another user's", withPart(token, 1, strings.Split(forged, ".")[1])},
		{"payload: the claims re-encoded", withPart(token, 1, enc.EncodeToString([]byte(mustJSON(t, otherClaims))))},
		{"signature: a bit of the Ed25519 half", withPart(token, 2, flipBit(t, p[2], 5))},
		{"signature: the last bit of the Ed25519 half", withPart(token, 2, flipBit(t, p[2], 63))},
		{"signature: another token's", withPart(token, 2, strings.Split(forged, ".")[2])},
		{"signature: cut short", withPart(token, 2, p[2][:len(p[2])-4])},
		{"signature: one byte more", withPart(token, 2, p[2]+"AA")},
		{"signature: empty", withPart(token, 2, "")},
		{"signature: trailing bits set", withPart(token, 2, p[2][:len(p[2])-1]+string(trailingBitsSet(p[2][len(p[2])-1])))},
		{"signature: padded", withPart(token, 2, p[2]+"=")},
		{"signature: a line break inside", withPart(token, 2, p[2][:100]+"\n"+p[2][100:])},
		{"four parts", token + ".e30"},
		{"two parts", p[0] + "." + p[1]},
		{"one part", p[1]},
		{"empty", ""},
		{"empty header", "." + p[1] + "." + p[2]},
		{"empty payload", p[0] + ".." + p[2]},
		{"standard base64 alphabet", withPart(token, 2, strings.NewReplacer("-", "+", "_", "/").Replace(p[2]))},
		{"spaces around", " " + token + " "},
		{"too long", token + strings.Repeat("A", maxTokenLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, token, tt.token)
			c, err := v.Verify(ctx, tt.token)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidToken)
		})
	}
}

// trailingBitsSet returns a base64url character that decodes to the same
// bits as c in its leading places but has its last bits set.
func trailingBitsSet(c byte) byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, c)
	return alphabet[i|0x0f]
}

// The ML-DSA-65 half is not verified, since the server does not publish
// its public key: a change there is not detected. Its length is.
func TestVerifyChecksOnlyTheLengthOfTheMLDSAHalf(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	token := sign(t, s, accessClaims(clk.Now()))
	p := strings.Split(token, ".")

	_, err := v.Verify(ctx, withPart(token, 2, flipBit(t, p[2], 64+100)))
	assert.NoError(t, err, "the ML-DSA half is not checked against a key")

	sig, err := enc.DecodeString(p[2])
	require.NoError(t, err)
	_, err = v.Verify(ctx, withPart(token, 2, enc.EncodeToString(sig[:64+MLDSA65SignatureSize-1])))
	assert.ErrorIs(t, err, ErrInvalidToken, "one byte short")
	_, err = v.Verify(ctx, withPart(token, 2, enc.EncodeToString(sig[:64])))
	assert.ErrorIs(t, err, ErrInvalidToken, "the Ed25519 half alone under the hybrid algorithm")
}
