package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// AddSessionlessToken adds a bearer token of the user with the given ID
// that belongs to no session, such as the Vault server issues outside a
// sign-in, adding the user without a tenant if it does not exist yet. It
// returns the token, generated when token is empty. Such a token lists
// the user's sessions with none current and never expires; in
// DialectServer, logout-all answers it 400 "No active session". It
// panics if userID is empty or the token is already in use.
func (h *Handler) AddSessionlessToken(userID, token string) string {
	tok, err := h.addSessionlessToken(userID, token)
	if err != nil {
		panic("vaulttest: AddSessionlessToken " + err.Error())
	}
	return tok
}

func (h *Handler) addSessionlessToken(userID, token string) (string, error) {
	if userID == "" {
		return "", fmt.Errorf("%w: an empty user ID", errInvalid)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if token != "" && h.tokenInUseLocked(token) {
		return "", fmt.Errorf("%w: the token is already in use", errConflict)
	}
	if _, ok := h.users[userID]; !ok {
		h.users[userID] = &User{ID: userID}
	}
	if token == "" {
		h.seq++
		token = h.generatedTokenLocked(userID)
	}
	h.sessionless[token] = userID
	h.noteTokenLocked(token)
	return token, nil
}

// generatedTokenLocked returns the opaque access token generated for
// the next session, or refresh, of the user userID: that of h.seq,
// moving on in the sequence while it is in use, as a seeded one may be.
// If another user had it before a reset (see retiredLocked), it returns
// one of a sequence of its own instead, so that the session IDs
// generated after it are those a handler just made would generate.
// h.mu must be held.
func (h *Handler) generatedTokenLocked(userID string) string {
	tok := h.unusedLocked(generatedToken, h.tokenInUseLocked)
	for h.tokenInUseLocked(tok) || h.retiredLocked(tok, userID) {
		h.reissued++
		tok = reissuedToken(h.reissued)
	}
	return tok
}

// reissuedToken returns the n-th opaque token of the sequence that
// stands in for tokens other users had before a reset.
func reissuedToken(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("vaulttest reissued token %d", n)))
	return "vt_" + hex.EncodeToString(sum[:20])
}

// retiredLocked reports whether token is one that a user other than
// userID had before a reset. Generated tokens start over with a reset,
// so that the same seeds give the same users the same tokens, but never
// give one of them to another user: a client of the test before the
// reset that still sends its token is refused, or acts for the same
// user, never for a user of the next test. h.mu must be held.
func (h *Handler) retiredLocked(token, userID string) bool {
	owner, ok := h.retired.owner(token)
	return ok && owner != userID
}

// tokenInUseLocked reports whether token is an access token or a
// refresh token of the handler, spent ones included: a seed that took
// one would make a token both. h.mu must be held.
func (h *Handler) tokenInUseLocked(token string) bool {
	_, session := h.tokens[token]
	_, sessionless := h.sessionless[token]
	_, refresh := h.auth.refresh[token]
	return session || sessionless || refresh
}
