package vaulttest

import (
	"errors"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// Errors of the state changes, which the methods of Handler turn into
// panics and the control API into its answers.
var (
	errInvalid  = errors.New("invalid")
	errConflict = errors.New("conflict")
	errNotFound = errors.New("not found")
)

// WithSeed adds a function that seeds the handler: it runs when the
// handler is created and again after every Reset, so that a reset server
// is back to the state the test or the program started it in. Seeds run
// in the order of their options.
func WithSeed(seed func(*Handler)) Option {
	return func(c *config) {
		if seed != nil {
			c.seeds = append(c.seeds, seed)
		}
	}
}

// RevokeSession revokes the session with the given ID at the server's
// current time, as if its user had signed it out elsewhere, and returns
// it; the webhooks get session.revoked with the reason "user_revoked". A
// session already revoked keeps its RevokedAt, and sends no event. It
// reports false if there is no such session.
func (h *Handler) RevokeSession(id string) (Session, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.sessions[id]
	if !ok {
		return Session{}, false
	}
	if !s.Revoked {
		now := h.nowLocked()
		revoke(s, now)
		h.sessionRevokedLocked(s.UserID, s.ID, webhook.ScopeSession, ReasonUserRevoked, now)
	}
	return s.clone(), true
}

// ExpireSession makes the session with the given ID expire at the
// server's current time, so that its token is refused from now on, and
// returns it. A session that has expired already keeps its ExpiresAt. It
// reports false if there is no such session.
func (h *Handler) ExpireSession(id string) (Session, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.sessions[id]
	if !ok {
		return Session{}, false
	}
	if now := h.nowLocked(); now.Before(s.ExpiresAt) {
		s.ExpiresAt = now
	}
	return s.clone(), true
}

// Reset puts the handler back in the state NewHandler returned it in,
// then runs the seeds of WithSeed again: it removes every user, session
// and token, pending fault, recorded request and rate-limit window, and
// lets the clock run and follow WithClock's again. Generated session
// IDs, tokens, fault IDs and request IDs start over, so that a seed
// makes the same sessions as before; but a generated access or refresh
// token is never one that another user had before the reset (of the
// latest 16384 tokens, or 2 MiB of them), so that a client of the test
// before the reset that still sends its token is refused, not taken for
// a user of the next test. ConnectionCount and Close are not affected.
//
// A reset is a clean cut between the requests before it and those after
// it. A request is recorded, and matched with a fault, either wholly
// before the reset, in the log it empties, or wholly after it, once the
// seeds have run. A request that arrived before the reset and is still
// in flight changes nothing from then on: the latency of its fault ends,
// and it is answered 503 SERVICE_UNAVAILABLE with the message
// MessageReset; one whose fault was already resetting its connection or
// cutting its answer goes on doing so. Resets run one at a time.
func (h *Handler) Reset() {
	h.gate.Lock()
	defer h.gate.Unlock()
	h.faults.reset()
	h.mu.Lock()
	h.retireTokensLocked()
	h.gen++
	close(h.cut)
	h.cut = make(chan struct{})
	h.frozen = false
	h.now = time.Time{}
	h.runFrom, h.runAt = time.Time{}, time.Time{}
	h.users = make(map[string]*User)
	h.sessions = make(map[string]*Session)
	h.tokens = make(map[string]*Session)
	h.sessionless = make(map[string]string)
	h.windows = make(map[string]*window)
	h.windowSweepAt = 0
	h.seq = 0
	h.reissued = 0
	h.reqSeq = 0
	h.requests.clear()
	h.logClearedLocked()
	h.signing.reset()
	h.auth.reset()
	h.mu.Unlock()
	h.webhooks.reset()
	h.seed()
}

// seed runs the seeds of WithSeed.
func (h *Handler) seed() {
	for _, s := range h.cfg.seeds {
		s(h)
	}
}
