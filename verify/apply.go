package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/vault-dev/vault-go/webhook"
)

// Apply records the revocation a session.revoked webhook reports; it is
// ApplyContext with a background context. A handler built with
// webhook.NewHandler calls it (or ApplyContext, with the delivery's
// context) for each event of type webhook.TypeSessionRevoked:
//
//   - webhook.ScopeSession revokes the tokens of e.SessionID;
//   - webhook.ScopeAll revokes the tokens of e.UserID issued before
//     e.RevokedAt, or in its second;
//   - webhook.ScopeAllExceptCurrent, after a logout-all that kept the
//     session that asked, does not say which session that was. With
//     RevocationsConfig.ActiveSessions, the user's tokens issued before
//     e.RevokedAt, or in its second, are revoked except those of the
//     sessions it reports active. Without it, or when it fails, the
//     policy is to revoke all of them, the kept session's too: no token
//     of a revoked session stays usable, and the kept session's client
//     refreshes its access token (a token issued in a later second than
//     e.RevokedAt is accepted).
//
// Token times (iat) are whole seconds and e.RevokedAt is not, so a token
// issued in the second of e.RevokedAt may have been issued before it:
// it is revoked, even when issued after. An event without a RevokedAt
// counts as revoked now, by the Revocations' clock.
//
// Apply is idempotent: a delivery that comes twice changes nothing the
// second time. It returns an error, and records nothing, for a nil
// event, an empty ID the scope needs, or a scope it does not know, and
// the store's error when the store fails: a delivery worth sending again.
// When ActiveSessions fails, it applies the policy and returns an error
// matching ErrActiveSessionsUnavailable, for a log: the delivery is
// handled, and one sent again would change nothing, since a record
// revoking every session of the user is kept; a webhook handler answers
// it with success (see the example of ApplyContext).
func (r *Revocations) Apply(e *webhook.SessionRevoked) error {
	return r.ApplyContext(context.Background(), e)
}

// ApplyContext is Apply with a context, which bounds the call of
// RevocationsConfig.ActiveSessions and a store's work.
func (r *Revocations) ApplyContext(ctx context.Context, e *webhook.SessionRevoked) error {
	if e == nil {
		return errors.New("verify: Apply of a nil event")
	}
	at := e.RevokedAt
	if at.IsZero() {
		at = r.now()
	}
	switch e.Scope {
	case webhook.ScopeSession, "":
		if e.SessionID == "" {
			return fmt.Errorf("%w: a session.revoked event of one session without its ID", errNoID)
		}
		return r.revokeSession(ctx, e.SessionID)
	case webhook.ScopeAll:
		return r.revokeUser(ctx, e.UserID, at, nil)
	case webhook.ScopeAllExceptCurrent:
		if e.UserID == "" || r.active == nil {
			return r.revokeUser(ctx, e.UserID, at, nil)
		}
		lctx, cancel := context.WithTimeout(ctx, ActiveSessionsTimeout)
		keep, err := r.active(lctx, e.UserID)
		cancel()
		if err != nil {
			if rerr := r.revokeUser(ctx, e.UserID, at, nil); rerr != nil {
				return rerr
			}
			return fmt.Errorf("%w, so every session of the user was revoked: %w", ErrActiveSessionsUnavailable, err)
		}
		if keep == nil {
			keep = []string{} // none active: a rule that keeps nothing
		}
		return r.revokeUser(ctx, e.UserID, at, keep)
	}
	return fmt.Errorf("verify: Apply of a session.revoked event of unknown scope %q", e.Scope)
}
