// Package verify accepts Vault access tokens in a Go service: it checks
// them locally, with no call to the Vault server per request, and honours
// revocations that the server itself does not check on its access tokens.
//
// A Verifier checks a token's signature against the server's published
// key (fetched from its JWKS URL when first needed), its claims (type
// "access", exp and nbf with a leeway, and iss and aud when configured),
// and then asks its Revocations. Middleware guards an http.Handler with
// it:
//
//	revocations := verify.NewRevocations()
//	v, err := verify.New(verify.Config{
//		JWKSURL:     "https://api.vault.dev/.well-known/jwks.json",
//		Leeway:      30 * time.Second,
//		Revocations: revocations,
//	})
//	if err != nil {
//		return err
//	}
//	http.Handle("/api/", v.Middleware(api))
//
// and a handler reads the caller with ClaimsFromContext.
//
// # The hybrid signature
//
// The Vault server signs its tokens with the algorithm it names
// EdDSA+ML-DSA-65: an Ed25519 signature (64 bytes) of the token's first
// two parts, followed by an ML-DSA-65 signature (3,309 bytes) of the same
// input. Its key set publishes the Ed25519 public key alone, so Verify
// checks the Ed25519 half against it and the ML-DSA half for its length
// only. The token is as strong as Ed25519; the post-quantum half is for
// verifiers that hold the server's ML-DSA public key. Tokens with a bare
// Ed25519 signature (alg EdDSA, exactly 64 bytes) are accepted too; every
// other algorithm, none, HS256 and RS256 among them, is refused.
//
// # Revocation
//
// An access token lives 15 minutes and the Vault server accepts it until
// then, revoked session or not. A Verifier with Revocations refuses it as
// soon as the Revocations learn of the revocation: from the
// session.revoked webhooks (Revocations.Apply, from the handler of
// package webhook), or from the service's own revocations through the
// SDK's Client (Revocations.RevokeSession, RevokeUser and
// RevokeUserExcept, called when the Client's call returns). Without
// either, a revoked session's token stays usable until it expires. The
// guide "Accept Vault tokens in your service" (docs/guide-verify.md)
// compares the three.
//
// Revocations keep their records in memory by default; a fleet of
// instances, each of which receives only some webhooks, shares them
// through a RevocationStore of its own.
package verify
