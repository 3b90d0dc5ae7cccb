package verify

import (
	"context"
	"errors"
	"fmt"
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
// A record is kept only while a token it matches can still be accepted:
// a session's for TokenLifetime plus twice the Leeway after it was made
// (once for the issuer's clock running ahead of this one, once for the
// verifier's leeway on exp), a user's for TokenLifetime plus the Leeway
// after its before time. Then it is dropped, so memory stays bounded by
// the revocations of the last quarter of an hour. The records age by the
// Revocations' clock: RevocationsConfig.Now, or the wall clock.
//
// A check costs two map lookups, whatever the number of records.
type Revocations struct {
	store    RevocationStore
	now      func() time.Time
	lifetime time.Duration
	leeway   time.Duration
	active   func(ctx context.Context, userID string) ([]string, error)
	memory   *memoryStore // the default store, or nil
}

// RevocationsConfig configures a Revocations. The zero value is the
// configuration of NewRevocations.
type RevocationsConfig struct {
	// TokenLifetime is the longest an access token lives, from iat to
	// exp: DefaultTokenLifetime (15 minutes) when zero. A Verifier with
	// these Revocations refuses a token that lives longer, since its
	// revocation could be forgotten before it expires: set it to the
	// Vault server's access-token lifetime if that was changed.
	TokenLifetime time.Duration
	// Leeway is the clock skew allowed for: DefaultRevocationLeeway (1
	// minute) when zero. It is at least the Config.Leeway of every
	// Verifier using these Revocations.
	Leeway time.Duration
	// Now is the clock records age by. Nil means time.Now.
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
	if r.store == nil {
		r.memory = newMemoryStore(r.now)
		r.store = r.memory
	}
	return r
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
	expires := r.now().Add(r.lifetime + 2*r.leeway)
	return r.add(ctx, Revocation{SessionID: sessionID, Expires: expires})
}

// RevokeUser revokes the tokens of the user userID issued before before:
// those of every session the user had then. Tokens issued at or after
// before, such as those of a sign-in that follows, are not revoked. Token
// times are whole seconds: a token issued in the second of before, but
// before it, is revoked.
func (r *Revocations) RevokeUser(userID string, before time.Time) error {
	return r.revokeUser(context.Background(), userID, before, nil)
}

// RevokeUserExcept revokes the tokens of the user userID issued before
// before, except those of the sessions keep: what the Vault server's
// logout-all does when it keeps the caller's session.
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
	expires := before.Add(r.lifetime + r.leeway)
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
