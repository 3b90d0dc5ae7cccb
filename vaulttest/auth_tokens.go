package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// WithAccessTokenLifetime makes every access token the handler issues
// expire d after it was issued, by the handler's clock (SetNow,
// Advance), or when its session does, if sooner; the API then answers
// it 401. It applies to the tokens generated for sessions (a seeded
// SessionSeed.Token is kept as given and does not expire), and to those
// of a refresh and of IssueToken. A short lifetime, with a client that
// refreshes, tests the whole refresh loop: each token stops working
// soon after the client should have refreshed it.
//
// Without this option, the tokens of WithSignedTokens live
// AccessTokenLifetime, as the Vault server's do, and opaque tokens live
// as long as their session. A d of zero or less is that default.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.accessTokenLifetime = max(d, 0) }
}

// authState holds the refresh tokens of the sessions, and the expiry of
// the opaque access tokens issued with WithAccessTokenLifetime (a
// signed token's expiry is in signing).
type authState struct {
	refresh map[string]*refreshRecord // by refresh token
	expires map[string]time.Time      // by opaque access token
	seq     int                       // of generated refresh tokens
}

// refreshRecord is a refresh token of a session: the current one, or
// one spent by a refresh.
type refreshRecord struct {
	session *Session
	spent   bool
}

func newAuthState() *authState {
	return &authState{refresh: make(map[string]*refreshRecord), expires: make(map[string]time.Time)}
}

// reset forgets every token.
func (a *authState) reset() { *a = *newAuthState() }

// liveLocked reports whether an opaque access token has not expired at
// now: true for a token without an expiry.
func (a *authState) liveLocked(token string, now time.Time) bool {
	exp, ok := a.expires[token]
	return !ok || !now.After(exp)
}

// accessTokenLifetime is the lifetime of the access tokens issued: the
// one of WithAccessTokenLifetime, else AccessTokenLifetime for a signed
// token, else none.
func (h *Handler) accessTokenLifetime() time.Duration {
	if h.cfg.accessTokenLifetime > 0 {
		return h.cfg.accessTokenLifetime
	}
	if h.signing != nil {
		return AccessTokenLifetime
	}
	return 0
}

// sessionAddedLocked gives a new session its refresh token, and an
// expiry to its access token when the handler generated it, it is
// opaque and WithAccessTokenLifetime is set.
func (h *Handler) sessionAddedLocked(s *Session, generatedToken bool, now time.Time) {
	if generatedToken && h.signing == nil {
		h.expireOpaqueLocked(s, s.Token, now)
	}
	s.RefreshToken = h.newRefreshTokenLocked(s.UserID)
	h.auth.refresh[s.RefreshToken] = &refreshRecord{session: s}
	h.noteTokenLocked(s.RefreshToken)
}

// newAccessTokenLocked issues session s a new access token at now, as a
// refresh does: signed with WithSignedTokens, opaque without, expiring
// by accessTokenLifetime. The session's earlier tokens keep working
// until they expire.
func (h *Handler) newAccessTokenLocked(s *Session, now time.Time) string {
	var token string
	if h.signing != nil {
		token = h.issueLocked(s, now)
	} else {
		h.seq++
		token = h.generatedTokenLocked(s.UserID)
		h.expireOpaqueLocked(s, token, now)
	}
	s.Token = token
	h.tokens[token] = s
	h.noteTokenLocked(token)
	return token
}

// expireOpaqueLocked records when an opaque token of session s issued
// at now expires, if the handler has a lifetime for it.
func (h *Handler) expireOpaqueLocked(s *Session, token string, now time.Time) {
	if d := h.accessTokenLifetime(); d > 0 {
		h.auth.expires[token] = minTime(now.Add(d), s.ExpiresAt)
	}
}

// rotateLocked spends the refresh token of rec and gives its session a
// new one, which it returns.
func (h *Handler) rotateLocked(rec *refreshRecord) string {
	rec.spent = true
	token := h.newRefreshTokenLocked(rec.session.UserID)
	rec.session.RefreshToken = token
	h.auth.refresh[token] = &refreshRecord{session: rec.session}
	h.noteTokenLocked(token)
	return token
}

// newRefreshTokenLocked returns a deterministic refresh token for a
// session of the user userID that is not in use, as a refresh token or
// as an access token a seed gave, nor one of another user before a reset
// (see retiredLocked). Refresh tokens have a sequence of their own, so
// that sessions get the same IDs and access tokens as before refresh
// tokens existed.
func (h *Handler) newRefreshTokenLocked(userID string) string {
	for {
		h.auth.seq++
		sum := sha256.Sum256([]byte(fmt.Sprintf("vaulttest refresh token %d", h.auth.seq)))
		token := "vr_" + hex.EncodeToString(sum[:20])
		if !h.tokenInUseLocked(token) && !h.retiredLocked(token, userID) {
			return token
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
