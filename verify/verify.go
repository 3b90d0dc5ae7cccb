package verify

import (
	"context"
	"errors"
)

// Verify checks token and returns its claims. It accepts a Vault access
// token that
//
//   - is three base64url parts whose header names the algorithm
//     EdDSA+ML-DSA-65 (a signature of 64 + 3,309 bytes) or EdDSA (64
//     bytes); any other, such as none, HS256 or RS256, is refused;
//   - has an Ed25519 signature, its first 64 bytes, that a trusted key
//     verifies over the first two parts. The header names no key, so
//     each one is tried; when none verifies and Config.JWKSURL is set,
//     the key set is fetched again, at most once per RefetchInterval;
//   - has the type "access", a sub, and the iss and aud the Config
//     expects, if it sets them;
//   - is within exp and nbf, with Config.Leeway on both sides, and not
//     issued (iat) more than the leeway in the future;
//   - is not revoked, when Config.Revocations is set.
//
// The ML-DSA-65 half of the signature is not verified: the Vault server
// does not publish its ML-DSA public key. See the package documentation.
//
// The error of a refused token matches ErrInvalidToken, ErrExpired or
// ErrRevoked. When no trusted key verifies the signature and the
// verifier cannot tell whether the key set's would (it has never been
// fetched, and the fetch failed; or ctx ended while Verify waited for a
// fetch), the error matches ErrKeySetUnavailable, and wraps the fetch's
// error or ctx's. When the Revocations cannot answer, it matches
// ErrRevocationsUnavailable. No error quotes the token.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	if ctx == nil {
		return nil, errors.New("verify: nil context")
	}
	sc := getScratch()
	defer putScratch(sc, len(token))
	p, err := split(sc, token)
	if err != nil {
		return nil, err
	}
	size, err := readHeader(sc, p.header)
	if err != nil {
		return nil, err
	}
	sig, err := readSignature(sc, p.signature, size)
	if err != nil {
		return nil, err
	}
	if err := v.checkSignature(ctx, p.message, sig); err != nil {
		return nil, err
	}
	c := new(Claims)
	if err := readClaims(sc, p.payload, c); err != nil {
		return nil, err
	}
	if err := v.checkClaims(c); err != nil {
		return nil, err
	}
	if v.revocations != nil {
		if err := v.revocations.check(ctx, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkSignature verifies sig over msg with the cached keys and, when
// none verifies it, with the keys of a fetch of the key set. It calls
// the token invalid only when the key set's keys, as last fetched, were
// tried: when the key set was never fetched, or ctx ended while a fetch
// was awaited, the verifier cannot tell.
func (v *Verifier) checkSignature(ctx context.Context, msg, sig []byte) error {
	set := v.keys.current()
	if set.verify(msg, sig) {
		return nil
	}
	fresh, err := v.keys.refresh(ctx, set)
	if fresh != set && fresh.verify(msg, sig) {
		return nil
	}
	var ended *waitEnded
	switch {
	case errors.As(err, &ended):
		return &tokenError{kind: ErrKeySetUnavailable, reason: "context ended during a fetch", err: ended.err}
	case err != nil && v.keys.url != "" && !fresh.fetched:
		return &tokenError{kind: ErrKeySetUnavailable, reason: "key set never fetched", err: err}
	}
	return errNoKey
}

// checkClaims checks what a token says about itself against the Config
// and the clock.
func (v *Verifier) checkClaims(c *Claims) error {
	switch {
	case c.Type != "access":
		return errType
	case v.issuer != "" && c.Issuer != v.issuer:
		return errIssuer
	case v.audience != "" && c.Audience != v.audience:
		return errAudience
	}
	now := v.now()
	switch {
	case now.After(c.ExpiresAt.Add(v.leeway)):
		return errExpired
	case !c.NotBefore.IsZero() && now.Before(c.NotBefore.Add(-v.leeway)):
		return errNotYetValid
	case now.Before(c.IssuedAt.Add(-v.leeway)):
		return errFutureIat
	case v.revocations != nil && c.ExpiresAt.Sub(c.IssuedAt) > v.revocations.lifetime:
		return errLifetime
	}
	return nil
}
