package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// DefaultTokenLifetime is the lifetime of the Vault server's access
// tokens: 15 minutes from iat to exp.
const DefaultTokenLifetime = 15 * time.Minute

// DefaultRevocationLeeway is the clock skew a Revocations allows for, by
// default: its records outlive the tokens they match by this much. A
// Verifier's Config.Leeway may not exceed it.
const DefaultRevocationLeeway = time.Minute

// ActiveSessionsTimeout bounds one call of
// RevocationsConfig.ActiveSessions.
const ActiveSessionsTimeout = 10 * time.Second

// Revocations knows which sessions and users are revoked, for a
// Verifier: fed by the session.revoked webhooks (Apply), by the service's
// own revocations through the SDK's Client (RevokeSession, RevokeUser,
// RevokeUserExcept), or by both. It is safe for concurrent use.
//
// A record is kept while a token it matches can still be accepted: a
// session's for TokenLifetime plus twice the Leeway after it was made
// (once for the issuer's clock running ahead of this one, once for the
// verifier's leeway on exp), a user's for TokenLifetime plus the Leeway
// after the second that follows its before time. The in-memory store
// drops expired records in a sweep that an Add starts (once the records
// have doubled since the last sweep, or a minute after it), so memory
// stays within about twice the revocations of the last TokenLifetime
// plus twice the Leeway (17 minutes by default) while revocations come,
// and does not shrink while none do.
//
// The records age by the Revocations' clock: RevocationsConfig.Now, or
// the wall clock. Give it the clock of the Verifiers that use it
// (Config.Now): a record is dropped by the one when no token it matches
// is accepted by the other.
//
// A check with the in-memory store costs two map lookups and a look at
// the few records of the token's user (at most four, each with the
// sessions it keeps), whatever the number of records.
type Revocations struct {
	store    RevocationStore
	now      func() time.Time
	lifetime time.Duration
	leeway   time.Duration
	// sessionKeep and userKeep are how long a session's record is kept
	// after it is made, and a user's after its Before: the token lifetime
	// plus twice the leeway, and plus once, saturated rather than
	// overflowing for the longest durations.
	sessionKeep, userKeep time.Duration
	active                func(ctx context.Context, userID string) ([]string, error)
	memory                *memoryStore // the default store, or nil
}

// RevocationsConfig configures a Revocations. The zero value is the
// configuration of NewRevocations.
type RevocationsConfig struct {
	// TokenLifetime is the longest an access token lives, from iat to
	// exp: DefaultTokenLifetime (15 minutes) when zero. A Verifier with
	// these Revocations refuses a token that lives longer, since its
	// revocation could be forgotten before it expires: set it to the
	// Vault server's access-token lifetime if that was changed. A
	// TokenLifetime or Leeway so long that a record's lifetime (their
	// sum, with the Leeway twice for a session's) passes the longest
	// time.Duration, such as math.MaxInt64 for "no limit", keeps records
	// for that longest duration, 292 years.
	TokenLifetime time.Duration
	// Leeway is the clock skew allowed for: DefaultRevocationLeeway (1
	// minute) when zero. It is at least the Config.Leeway of every
	// Verifier using these Revocations.
	Leeway time.Duration
	// Now is the clock records age by, and the time of an event without
	// a RevokedAt. Nil means time.Now. It is the clock of the Verifiers
	// using these Revocations (their Config.Now), so that a record
	// outlives every token it matches by theirs.
	Now func() time.Time
	// ActiveSessions, when set, returns the IDs of a user's sessions that
	// are still active. Apply asks it when a session.revoked event has
	// the scope ScopeAllExceptCurrent, which does not say which session
	// survived: the user's tokens issued before the event are revoked,
	// except those of the active sessions. A service backs it with
	// Client.AdminSessions.ListUserSessions, keeping the sessions whose
	// status is active. Each call is bounded by ActiveSessionsTimeout.
	ActiveSessions func(ctx context.Context, userID string) ([]string, error)
	// Store holds the records. Nil means a store in this process's
	// memory; see RevocationStore for a store shared by a fleet.
	Store RevocationStore
}

// NewRevocations returns an empty Revocations that keeps its records in
// memory, with DefaultTokenLifetime, DefaultRevocationLeeway and the wall
// clock.
func NewRevocations() *Revocations { return newRevocations(RevocationsConfig{}) }

// NewRevocationsWithConfig checks cfg and returns an empty Revocations.
func NewRevocationsWithConfig(cfg RevocationsConfig) (*Revocations, error) {
	switch {
	case cfg.TokenLifetime < 0:
		return nil, fmt.Errorf("verify: RevocationsConfig.TokenLifetime %s is negative", cfg.TokenLifetime)
	case cfg.Leeway < 0:
		return nil, fmt.Errorf("verify: RevocationsConfig.Leeway %s is negative", cfg.Leeway)
	}
	return newRevocations(cfg), nil
}

// newRevocations returns the Revocations of a checked cfg, with its
// defaults applied.
func newRevocations(cfg RevocationsConfig) *Revocations {
	r := &Revocations{
		now:      cfg.Now,
		lifetime: cfg.TokenLifetime,
		leeway:   cfg.Leeway,
		active:   cfg.ActiveSessions,
		store:    cfg.Store,
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.lifetime == 0 {
		r.lifetime = DefaultTokenLifetime
	}
	if r.leeway == 0 {
		r.leeway = DefaultRevocationLeeway
	}
	r.userKeep = addSaturated(r.lifetime, r.leeway)
	r.sessionKeep = addSaturated(r.userKeep, r.leeway)
	if r.store == nil {
		r.memory = newMemoryStore(r.now)
		r.store = r.memory
	}
	return r
}

// addSaturated returns a + b for durations that are not negative, or the
// longest duration when the sum overflows: a TokenLifetime of
// math.MaxInt64 means records kept for as long as a time.Duration lasts
// (292 years), not records that expire before they are made.
func addSaturated(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// errNoID is the error of a revocation without the ID it needs.
var errNoID = errors.New("verify: revocation needs a non-empty ID")

// RevokeSession revokes every token of the session sessionID, at once.
// The error is non-nil only for an empty ID or a store that fails.
func (r *Revocations) RevokeSession(sessionID string) error {
	return r.revokeSession(context.Background(), sessionID)
}

func (r *Revocations) revokeSession(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return fmt.Errorf("%w: RevokeSession with an empty session ID", errNoID)
	}
	expires := r.now().Add(r.sessionKeep)
	return r.add(ctx, Revocation{SessionID: sessionID, Expires: expires})
}

// RevokeUser revokes the tokens of the user userID issued before before:
// those of every session the user had then. Token times (iat) are whole
// seconds, so a token issued in the second of before may have been
// issued before it: the tokens of that second are revoked too, even
// those issued after before, and the tokens of a later second, such as
// those of a sign-in that follows, are not.
func (r *Revocations) RevokeUser(userID string, before time.Time) error {
	return r.revokeUser(context.Background(), userID, before, nil)
}

// RevokeUserExcept revokes the tokens of the user userID issued before
// before, or in its second as RevokeUser does, except those of the
// sessions keep: what the Vault server's logout-all does when it keeps
// the caller's session.
func (r *Revocations) RevokeUserExcept(userID string, before time.Time, keep ...string) error {
	return r.revokeUser(context.Background(), userID, before, keep)
}

func (r *Revocations) revokeUser(ctx context.Context, userID string, before time.Time, keep []string) error {
	switch {
	case userID == "":
		return fmt.Errorf("%w: RevokeUser with an empty user ID", errNoID)
	case before.IsZero():
		return errors.New("verify: RevokeUser with a zero before time")
	}
	// Token times are whole seconds: a token whose iat is before's
	// second may have been issued before it, so the record revokes the
	// tokens issued before the next second.
	before = before.Truncate(time.Second).Add(time.Second)
	expires := before.Add(r.userKeep)
	if !expires.After(r.now()) {
		return nil // every token it could match has expired
	}
	return r.add(ctx, Revocation{UserID: userID, Before: before, Keep: keep, Expires: expires})
}

func (r *Revocations) add(ctx context.Context, rec Revocation) error {
	if err := r.store.Add(ctx, rec); err != nil {
		return fmt.Errorf("verify: record revocation: %w", err)
	}
	return nil
}

// check returns ErrRevoked for a revoked token.
func (r *Revocations) check(ctx context.Context, c *Claims) error {
	hit, err := r.store.Revoked(ctx, c.Subject, c.SessionID, c.IssuedAt)
	switch {
	case err != nil:
		return &tokenError{kind: ErrRevocationsUnavailable, reason: "check", err: err}
	case hit:
		return errRevoked
	}
	return nil
}

var errRevoked = revoked("its session or user was revoked")
