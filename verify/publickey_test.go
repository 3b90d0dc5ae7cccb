package verify

import (
	"crypto/ed25519"
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodePoint encodes y and the sign of x as RFC 8032 does, without
// reducing y: a y at or above p gives a non-canonical encoding.
func encodePoint(y *big.Int, negative bool) []byte {
	be := y.FillBytes(make([]byte, 32))
	if negative {
		be[0] |= 0x80
	}
	k := make([]byte, 32)
	for i, b := range be {
		k[31-i] = b
	}
	return k
}

// smallOrderEncodings returns the encodings of the eight points of order
// 1, 2, 4 and 8, found from the curve's equation rather than listed, and
// encodings of some of them that are not canonical (y at or above p, or
// the sign of x = 0 set).
func smallOrderEncodings(t *testing.T) map[string][]byte {
	t.Helper()
	p, d := curveP, curveD
	one := big.NewInt(1)
	pMinus1 := new(big.Int).Sub(p, one)
	out := map[string][]byte{
		"identity":                   encodePoint(one, false),
		"order 2: y = -1":            encodePoint(pMinus1, false),
		"order 4: 32 zero bytes":     encodePoint(big.NewInt(0), false),
		"order 4: y = 0, x negative": encodePoint(big.NewInt(0), true),
		"identity, y = p + 1":        encodePoint(new(big.Int).Add(p, one), false),
		"order 4, y = p":             encodePoint(p, false),
		"identity, x = -0":           encodePoint(one, true),
		"order 2, x = -0":            encodePoint(pMinus1, true),
	}
	// The points of order 8 double to y = 0, which the doubling law
	// turns into y² = -x², so that d·y⁴ + 2·y² - 1 = 0 and
	// y² = (-1 ± √(1 + d)) / d.
	root := new(big.Int).ModSqrt(new(big.Int).Add(one, d), p)
	require.NotNil(t, root)
	dInv := new(big.Int).ModInverse(d, p)
	for _, r := range []*big.Int{root, new(big.Int).Sub(p, root)} {
		yy := new(big.Int).Sub(r, one)
		yy.Mul(yy, dInv).Mod(yy, p)
		y := new(big.Int).ModSqrt(yy, p)
		if y == nil {
			continue
		}
		for _, y := range []*big.Int{y, new(big.Int).Sub(p, y)} {
			for _, neg := range []bool{false, true} {
				k := encodePoint(y, neg)
				if _, _, err := decodePoint(k); err == nil {
					out[fmt.Sprintf("order 8: %x", k)] = k
				}
			}
		}
	}
	require.Len(t, out, 12, "four points of order 8 beside the eight others")
	return out
}

// forgeable reports whether the signature R = identity, S = 0, which no
// private key made, verifies under key for one of 64 messages: what a key
// of small order allows, judged by crypto/ed25519 itself.
func forgeable(key []byte) bool {
	sig := make([]byte, ed25519.SignatureSize)
	sig[0] = 1
	for i := range 64 {
		if ed25519.Verify(key, fmt.Append(nil, "message ", i), sig) {
			return true
		}
	}
	return false
}

func TestCheckPublicKeyRefusesPointsOfSmallOrder(t *testing.T) {
	for name, k := range smallOrderEncodings(t) {
		t.Run(name, func(t *testing.T) {
			assert.True(t, forgeable(k), "ed25519.Verify trusts this key with a forged signature")
			assert.Error(t, checkPublicKey(k))
			_, err := New(Config{Keys: []ed25519.PublicKey{k}})
			assert.Error(t, err, "New refuses it in Config.Keys")
		})
	}
}

func TestCheckPublicKeyAcceptsRealKeys(t *testing.T) {
	for range 100 {
		pub, _, err := ed25519.GenerateKey(nil)
		require.NoError(t, err)
		require.NoError(t, checkPublicKey(pub))
		assert.False(t, forgeable(pub))
	}
}

func TestCheckPublicKeyRefusesWhatIsNoPoint(t *testing.T) {
	assert.Error(t, checkPublicKey(make([]byte, 31)), "31 bytes")
	assert.Error(t, checkPublicKey(make([]byte, 33)), "33 bytes")
	// A y for which x² has no root: no point of the curve.
	for y := int64(2); ; y++ {
		x, _, err := decodePoint(encodePoint(big.NewInt(y), false))
		if err != nil {
			assert.Nil(t, x)
			assert.ErrorContains(t, checkPublicKey(encodePoint(big.NewInt(y), false)), "not a point on the curve")
			break
		}
	}
	// A y at or above p that is not of small order.
	y := new(big.Int).Add(curveP, big.NewInt(2))
	for ; y.Cmp(new(big.Int).Add(curveP, big.NewInt(19))) < 0; y.Add(y, big.NewInt(1)) {
		if _, _, err := decodePoint(encodePoint(new(big.Int).Sub(y, curveP), false)); err == nil {
			break
		}
	}
	assert.ErrorContains(t, checkPublicKey(encodePoint(y, false)), "not a canonical encoding")
}
