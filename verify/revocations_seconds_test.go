package verify

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/webhook"
)

// A token's iat is a whole second and a revocation's time is not: a
// token issued in the revocation's second may have been issued before
// it, so RevokeUser, RevokeUserExcept and Apply revoke the tokens of
// that second too, whether the revocation's time falls on the second or
// within it, and accept those of the next.
func TestRevocationsCountIssueTimesInWholeSeconds(t *testing.T) {
	revokeAt := map[string]time.Duration{
		"on the second":     0,
		"within the second": 700 * time.Millisecond,
	}
	revokers := map[string]func(f *revocationsFixture, at time.Time) error{
		"RevokeUser": func(f *revocationsFixture, at time.Time) error { return f.revs.RevokeUser("u1", at) },
		"RevokeUserExcept": func(f *revocationsFixture, at time.Time) error {
			return f.revs.RevokeUserExcept("u1", at, "kept")
		},
		"Apply, ScopeAll": func(f *revocationsFixture, at time.Time) error {
			return f.revs.Apply(&webhook.SessionRevoked{UserID: "u1", Scope: webhook.ScopeAll, RevokedAt: at})
		},
		"Apply, ScopeAllExceptCurrent asking": func(f *revocationsFixture, at time.Time) error {
			return f.revs.Apply(&webhook.SessionRevoked{UserID: "u1", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: at})
		},
	}
	for atName, offset := range revokeAt {
		for name, revoke := range revokers {
			t.Run(atName+"/"+name, func(t *testing.T) {
				f := newRevocationsFixture(t, RevocationsConfig{ActiveSessions: func(context.Context, string) ([]string, error) {
					return []string{"kept"}, nil
				}})
				second := f.clk.Now() // a whole second
				earlier := f.token(t, "u1", "s", second.Add(-time.Second))
				same := f.token(t, "u1", "s", second)
				next := f.token(t, "u1", "s", second.Add(time.Second))
				kept := f.token(t, "u1", "kept", second)
				require.NoError(t, revoke(f, second.Add(offset)))

				assert.ErrorIs(t, f.verify(t, earlier), ErrRevoked, "the second before")
				assert.ErrorIs(t, f.verify(t, same), ErrRevoked, "the revocation's second")
				f.clk.Advance(time.Second)
				assert.NoError(t, f.verify(t, next), "the next second")
				if name == "RevokeUser" || name == "Apply, ScopeAll" {
					assert.ErrorIs(t, f.verify(t, kept), ErrRevoked)
				} else {
					assert.NoError(t, f.verify(t, kept), "the session kept")
				}
			})
		}
	}
}
