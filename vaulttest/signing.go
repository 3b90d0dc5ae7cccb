package vaulttest

import (
	"crypto/ed25519"
	"fmt"
	"net/http"
	"time"

	"github.com/vault-dev/vault-go/internal/jwtsign"
)

// JWKSPath is the path of the key set a Handler made with
// WithSignedTokens serves, at the root of the server as the Vault
// server's is, not under BasePath.
const JWKSPath = "/.well-known/jwks.json"

// The iss and aud claims of the tokens of WithSignedTokens.
const (
	TokenIssuer   = "vaulttest"
	TokenAudience = "vaulttest"
)

// AccessTokenLifetime is the lifetime of a signed access token, from its
// iat to its exp: the Vault server's 15 minutes.
const AccessTokenLifetime = 15 * time.Minute

// WithSignedTokens makes the tokens the handler generates for sessions
// JWTs signed as the Vault server signs its access tokens, so that a
// service's verification of them (such as package verify's) can be
// tested: the header names the algorithm EdDSA+ML-DSA-65, the signature
// is an Ed25519 signature followed by 3,309 bytes in the place of an
// ML-DSA-65 signature, and the claims are those the server writes (iss
// TokenIssuer, aud TokenAudience, sub the user, session_id, tenant_id,
// type "access", iat, nbf and exp) with the server's nulls.
//
// A token expires AccessTokenLifetime after it was issued, by the
// handler's clock (SetNow, Advance), or when its session does, if
// sooner; the API then answers it 401. IssueToken issues a session a
// new one, as the server's refresh does. The key set is served at
// JWKSPath, and JWKSURL returns its URL. A token given in
// SessionSeed.Token is kept as given.
//
// The second half of the signature is not an ML-DSA-65 signature: Go's
// standard library does not export ML-DSA yet, and the Vault server does
// not publish its ML-DSA public key, so no verifier of its tokens checks
// that half. It is SHAKE-256 of a key of the handler's and the signed
// input, of ML-DSA-65's length, so that tokens have the server's size.
func WithSignedTokens() Option {
	return func(c *config) { c.signedTokens = true }
}

// signing is the state of WithSignedTokens: the key, and the expiry of
// every token issued.
type signing struct {
	signer  *jwtsign.Signer
	expires map[string]time.Time // by token
}

func newSigning(enabled bool) *signing {
	if !enabled {
		return nil
	}
	return &signing{signer: jwtsign.New(), expires: make(map[string]time.Time)}
}

// reset forgets the tokens issued.
func (s *signing) reset() {
	if s != nil {
		s.expires = make(map[string]time.Time)
	}
}

// liveLocked reports whether token has not expired at now: true for a
// token the signing did not issue.
func (s *signing) liveLocked(token string, now time.Time) bool {
	if s == nil {
		return true
	}
	exp, ok := s.expires[token]
	return !ok || !now.After(exp)
}

// issueLocked returns a new signed access token of session s at now.
func (h *Handler) issueLocked(s *Session, now time.Time) string {
	exp := now.Add(AccessTokenLifetime)
	if s.ExpiresAt.Before(exp) {
		exp = s.ExpiresAt
	}
	var tenant string
	if u := h.users[s.UserID]; u != nil {
		tenant = u.TenantID
	}
	h.seq++
	claims := jwtsign.Claims{
		Iss:              TokenIssuer,
		Sub:              s.UserID,
		Aud:              TokenAudience,
		Exp:              exp.Unix(),
		Nbf:              now.Unix(),
		Iat:              now.Unix(),
		Jti:              generatedID(h.seq),
		Type:             "access",
		TenantID:         tenant,
		SessionID:        jwtsign.Ptr(s.ID),
		MFAAuthenticated: jwtsign.Ptr(s.MFAVerified),
	}
	token, err := h.signing.signer.Sign(claims)
	if err != nil {
		// The claims are plain strings and numbers: they always encode.
		panic("vaulttest: sign a token: " + err.Error())
	}
	h.signing.expires[token] = exp
	return token
}

// IssueToken issues the active session with the given ID a new access
// token, as the Vault server's refresh does, and returns it: a signed
// token valid for AccessTokenLifetime from the handler's clock with
// WithSignedTokens, an opaque one without. The session's earlier tokens
// keep working until they expire. It reports false for a session that
// does not exist, is revoked or has expired.
func (h *Handler) IssueToken(sessionID string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.sessions[sessionID]
	now := h.nowLocked()
	if s == nil || !s.Active(now) {
		return "", false
	}
	var token string
	if h.signing != nil {
		token = h.issueLocked(s, now)
	} else {
		h.seq++
		token = h.unusedLocked(generatedToken, h.tokenInUseLocked)
	}
	s.Token = token
	h.tokens[token] = s
	return token, true
}

// TokenKey returns the Ed25519 public key that signs the tokens of
// WithSignedTokens, the key the key set at JWKSPath publishes, or nil
// without that option.
func (h *Handler) TokenKey() ed25519.PublicKey {
	if h.signing == nil {
		return nil
	}
	return h.signing.signer.PublicKey()
}

// serveJWKS answers the key set.
func (s *signing) serveJWKS(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, fmt.Sprintf("%s not allowed", r.Method), http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(s.signer.JWKS())
}

// JWKSURL returns the URL of the server's key set, such as
// "http://127.0.0.1:41234/.well-known/jwks.json", or "" if the server
// was not started WithSignedTokens. Give it to verify.Config.JWKSURL.
func (s *Server) JWKSURL() string {
	if s.h.signing == nil {
		return ""
	}
	return s.ts.URL + JWKSPath
}

// IssueToken issues a session a new token; see Handler.IssueToken.
func (s *Server) IssueToken(sessionID string) (string, bool) { return s.h.IssueToken(sessionID) }

// TokenKey returns the key that signs tokens; see Handler.TokenKey.
func (s *Server) TokenKey() ed25519.PublicKey { return s.h.TokenKey() }
