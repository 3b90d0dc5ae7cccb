package verify

import "errors"

// ErrInvalidToken is matched by the error of a token that is not a valid
// Vault access token: malformed, signed with an algorithm other than
// EdDSA+ML-DSA-65 or EdDSA, with a signature no trusted key verifies, or
// of another type, issuer or audience than expected.
var ErrInvalidToken = errors.New("verify: invalid token")

// ErrExpired is matched by the error of a correctly signed token used
// outside its validity: after its exp or before its nbf, with the
// Config's Leeway on both sides.
var ErrExpired = errors.New("verify: token expired or not yet valid")

// ErrRevoked is matched by the error of a correctly signed, unexpired
// token whose session or user the Revocations hold as revoked.
var ErrRevoked = errors.New("verify: token revoked")

// ErrKeySetUnavailable is matched by the error of Verify when no trusted
// key verifies the token and the verifier cannot tell whether the key
// set at Config.JWKSURL holds one that does: the key set has never been
// fetched (pinned Config.Keys or not) and its fetch failed, or the
// context passed to Verify ended while it waited for a fetch. The token
// may be valid. It matches neither ErrInvalidToken nor ErrExpired; the
// error also wraps the failure of the last fetch, or the context's
// error.
var ErrKeySetUnavailable = errors.New("verify: key set unavailable")

// ErrRevocationsUnavailable is matched by the error of Verify when the
// Revocations could not answer, such as a shared store out of reach. The
// token is refused: a verifier that cannot ask whether a token was
// revoked does not accept it. It matches neither ErrInvalidToken,
// ErrExpired nor ErrRevoked.
var ErrRevocationsUnavailable = errors.New("verify: revocations unavailable")

// ErrActiveSessionsUnavailable is matched by the error of
// Revocations.Apply and ApplyContext when RevocationsConfig.ActiveSessions
// failed for an event of scope webhook.ScopeAllExceptCurrent. The policy
// was applied: every token of the user issued up to the event was
// revoked, the kept session's too. The event is handled, and delivering
// it again would change nothing, so a webhook handler logs the error and
// answers with success. The error also wraps ActiveSessions' own.
var ErrActiveSessionsUnavailable = errors.New("verify: active sessions unavailable")

// tokenError is the error of a refused token: a kind (one of the
// sentinels above) and a reason that never quotes the token.
type tokenError struct {
	kind   error
	reason string
	err    error // an underlying cause, such as a fetch's, or nil
}

func (e *tokenError) Error() string {
	if e.err != nil {
		return e.kind.Error() + ": " + e.reason + ": " + e.err.Error()
	}
	return e.kind.Error() + ": " + e.reason
}

// Unwrap returns the kind and the cause, for errors.Is and errors.As.
func (e *tokenError) Unwrap() []error {
	if e.err != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.kind}
}

func invalid(reason string) error { return &tokenError{kind: ErrInvalidToken, reason: reason} }

func expired(reason string) error { return &tokenError{kind: ErrExpired, reason: reason} }

func revoked(reason string) error { return &tokenError{kind: ErrRevoked, reason: reason} }

// Errors of the token's form, allocated once: Verify of a flood of bad
// tokens should cost no more than it must.
var (
	errMalformed    = invalid("not three base64url parts")
	errTooLong      = invalid("longer than the verifier accepts")
	errHeader       = invalid("header is not a JSON object with a string alg")
	errPayload      = invalid("payload is not a JSON object of the claims' types")
	errSignatureLen = invalid("signature length does not fit the algorithm")
	errNoKey        = invalid("no trusted key verifies the signature")
	errCrit         = invalid("header names critical extensions")
	errType         = invalid(`not an access token (type is not "access")`)
	errNoSubject    = invalid("no sub claim")
	errNoExpiry     = invalid("no exp claim")
	errNoIssuedAt   = invalid("no iat claim")
	errIssuer       = invalid("issuer is not the expected one")
	errAudience     = invalid("audience is not the expected one")
	errFutureIat    = invalid("issued in the future")
	errLifetime     = invalid("lives longer than the Revocations remember")
	errExpired      = expired("exp has passed")
	errNotYetValid  = expired("nbf is still to come")
)
