package verify

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/big"
)

// Why a key of small order is refused: ed25519.Verify accepts a
// signature when [S]B equals R + [k]A. With A of order 1, 2, 4 or 8,
// [k]A is one of eight points whatever k is, so anyone can write a
// signature that holds for every message (A the identity: R the
// identity, S zero) or for one message in eight. Such a key is no key,
// and 32 zero bytes, a plausible placeholder in a configuration file,
// is one of them.
//
// With a key of large order, a signature whose R has small order cannot
// verify unless its maker knows the private key, and ed25519.Verify
// already refuses a non-canonical S (one at or above the group's order)
// and compares R with a canonical encoding, so a token's signature needs
// no check beyond ed25519.Verify once its keys are checked here.

// The curve edwards25519: -x² + y² = 1 + d·x²·y² over the integers
// modulo p = 2²⁵⁵ - 19, with d = -121665/121666.
var (
	curveP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	curveD = func() *big.Int {
		d := new(big.Int).ModInverse(big.NewInt(121666), curveP)
		d.Mul(d, big.NewInt(-121665))
		return d.Mod(d, curveP)
	}()
)

// errSmallOrder is the error of a public key of small order.
var errSmallOrder = errors.New("a point of small order, which lets anyone sign")

// checkPublicKey returns an error when k cannot be trusted as an Ed25519
// public key: not 32 bytes, not the canonical encoding of a point on the
// curve, or a point of small order. It runs when a key is configured or
// fetched, not per token.
func checkPublicKey(k []byte) error {
	if len(k) != ed25519.PublicKeySize {
		return fmt.Errorf("%d bytes, not %d", len(k), ed25519.PublicKeySize)
	}
	x, y, err := decodePoint(k)
	if err != nil {
		return err
	}
	// A point has small order when 8 times it, three doublings, is the
	// identity (0, 1).
	for range 3 {
		x, y = double(x, y)
	}
	if x.Sign() == 0 && y.Cmp(big.NewInt(1)) == 0 {
		return errSmallOrder
	}
	return nil
}

// decodePoint decodes the point k encodes (RFC 8032 section 5.1.3): y in
// little-endian, the top bit the sign of x.
func decodePoint(k []byte) (x, y *big.Int, err error) {
	be := make([]byte, len(k))
	for i, b := range k {
		be[len(k)-1-i] = b
	}
	negative := be[0]>>7 == 1
	be[0] &= 0x7f
	y = new(big.Int).SetBytes(be)
	if y.Cmp(curveP) >= 0 {
		return nil, nil, errors.New("not a canonical encoding: y is not below p")
	}
	// x² = (y² - 1) / (d·y² + 1)
	yy := mulMod(y, y)
	u := new(big.Int).Sub(yy, big.NewInt(1))
	v := mulMod(curveD, yy)
	v.Add(v, big.NewInt(1))
	xx := mulMod(u, new(big.Int).ModInverse(v.Mod(v, curveP), curveP))
	x = new(big.Int).ModSqrt(xx, curveP)
	switch {
	case x == nil:
		return nil, nil, errors.New("not a point on the curve")
	case x.Sign() == 0 && negative:
		return nil, nil, errors.New("not a canonical encoding: the sign of x = 0 is set")
	case (x.Bit(0) == 1) != negative:
		x.Sub(curveP, x)
	}
	return x, y, nil
}

// double returns 2·(x, y) by the curve's addition law, whose denominators
// 1 ± d·x²·y² are never zero on it.
func double(x, y *big.Int) (*big.Int, *big.Int) {
	xx, yy := mulMod(x, x), mulMod(y, y)
	dxxyy := mulMod(curveD, mulMod(xx, yy))
	plus := new(big.Int).Add(big.NewInt(1), dxxyy)
	minus := new(big.Int).Sub(big.NewInt(1), dxxyy)
	x2 := mulMod(mulMod(big.NewInt(2), mulMod(x, y)), inverse(plus))
	y2 := mulMod(new(big.Int).Add(yy, xx), inverse(minus))
	return x2, y2
}

func mulMod(a, b *big.Int) *big.Int {
	r := new(big.Int).Mul(a, b)
	return r.Mod(r, curveP)
}

func inverse(a *big.Int) *big.Int {
	return new(big.Int).ModInverse(new(big.Int).Mod(a, curveP), curveP)
}
