package verify

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/webhook"
)

func TestApplyEachScope(t *testing.T) {
	type tokens struct{ current, other, otherUser, later string }
	mint := func(t *testing.T, f *revocationsFixture) tokens {
		t0 := f.clk.Now()
		tk := tokens{
			current:   f.token(t, "u1", "current", t0),
			other:     f.token(t, "u1", "other", t0),
			otherUser: f.token(t, "u2", "x", t0),
		}
		f.clk.Advance(2 * time.Second)
		tk.later = f.token(t, "u1", "new-sign-in", f.clk.Now())
		return tk
	}
	revokedAt := func(f *revocationsFixture) time.Time { return f.clk.Now().Add(-time.Second) }
	tests := []struct {
		name    string
		cfg     RevocationsConfig
		event   func(f *revocationsFixture) *webhook.SessionRevoked
		revoked []string // of current, other, otherUser, later
	}{
		{
			"one session", RevocationsConfig{},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", SessionID: "other", Reason: "user_revoked", Scope: webhook.ScopeSession, RevokedAt: revokedAt(f)}
			},
			[]string{"other"},
		},
		{
			"one session, no scope", RevocationsConfig{},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", SessionID: "other", RevokedAt: revokedAt(f)}
			},
			[]string{"other"},
		},
		{
			"all", RevocationsConfig{},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", Reason: "admin_revoked_all", Scope: webhook.ScopeAll, RevokedAt: revokedAt(f)}
			},
			[]string{"current", "other"},
		},
		{
			"all but the current, without a way to ask: all", RevocationsConfig{},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", Reason: "user_revoked_all", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: revokedAt(f)}
			},
			[]string{"current", "other"},
		},
		{
			"all but the current, asking which are active",
			RevocationsConfig{ActiveSessions: func(_ context.Context, userID string) ([]string, error) {
				if userID != "u1" {
					return nil, errors.New("unexpected user")
				}
				return []string{"current", "new-sign-in"}, nil
			}},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", Reason: "user_revoked_all", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: revokedAt(f)}
			},
			[]string{"other"},
		},
		{
			"all but the current, none active",
			RevocationsConfig{ActiveSessions: func(context.Context, string) ([]string, error) { return nil, nil }},
			func(f *revocationsFixture) *webhook.SessionRevoked {
				return &webhook.SessionRevoked{UserID: "u1", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: revokedAt(f)}
			},
			[]string{"current", "other"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRevocationsFixture(t, tt.cfg)
			tk := mint(t, f)
			for _, token := range []string{tk.current, tk.other, tk.otherUser, tk.later} {
				require.NoError(t, f.verify(t, token))
			}
			e := tt.event(f)
			require.NoError(t, f.revs.Apply(e))
			require.NoError(t, f.revs.Apply(e), "a second delivery")
			for name, token := range map[string]string{"current": tk.current, "other": tk.other, "otherUser": tk.otherUser, "later": tk.later} {
				err := f.verify(t, token)
				if contains(tt.revoked, name) {
					assert.ErrorIs(t, err, ErrRevoked, name)
				} else {
					assert.NoError(t, err, name)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestApplyWhenActiveSessionsFails(t *testing.T) {
	errDown := errors.New("admin API down")
	var down atomic.Bool
	down.Store(true)
	f := newRevocationsFixture(t, RevocationsConfig{ActiveSessions: func(ctx context.Context, _ string) ([]string, error) {
		if _, ok := ctx.Deadline(); !ok {
			return nil, errors.New("no deadline")
		}
		if down.Load() {
			return nil, errDown
		}
		return []string{"current"}, nil
	}})
	current := f.token(t, "u1", "current", f.clk.Now())
	f.clk.Advance(time.Second)
	e := &webhook.SessionRevoked{UserID: "u1", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: f.clk.Now()}
	err := f.revs.Apply(e)
	assert.ErrorIs(t, err, errDown)
	assert.ErrorIs(t, err, ErrActiveSessionsUnavailable, "a handler can tell it from a failure worth a redelivery")
	assert.ErrorIs(t, f.verify(t, current), ErrRevoked, "the policy applies: every session")

	// A delivery of the same event once the lookup works again changes
	// nothing: the record that revokes every session stays.
	down.Store(false)
	require.NoError(t, f.revs.Apply(e))
	assert.ErrorIs(t, f.verify(t, current), ErrRevoked)
	assert.Equal(t, 1, f.revs.memory.len())
}

func TestApplyStoreFailureIsNotActiveSessionsUnavailable(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{Store: failingStore{}, ActiveSessions: func(context.Context, string) ([]string, error) {
		return nil, errors.New("admin API down")
	}})
	for _, scope := range []webhook.Scope{webhook.ScopeSession, webhook.ScopeAll, webhook.ScopeAllExceptCurrent} {
		err := f.revs.Apply(&webhook.SessionRevoked{UserID: "u1", SessionID: "s1", Scope: scope, RevokedAt: f.clk.Now()})
		assert.ErrorIs(t, err, errStoreDown, scope)
		assert.NotErrorIs(t, err, ErrActiveSessionsUnavailable, "nothing was recorded: a redelivery is worth it")
	}
}

func TestApplyRefusesBadEvents(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	for name, e := range map[string]*webhook.SessionRevoked{
		"nil":                      nil,
		"one session without ID":   {UserID: "u1", Scope: webhook.ScopeSession},
		"all without a user":       {Scope: webhook.ScopeAll, RevokedAt: f.clk.Now()},
		"all but current, no user": {Scope: webhook.ScopeAllExceptCurrent, RevokedAt: f.clk.Now()},
		"an unknown scope":         {UserID: "u1", SessionID: "s", Scope: "tenant"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, f.revs.Apply(e))
		})
	}
	assert.Zero(t, f.revs.memory.len())
}

func TestApplyWithoutRevokedAtCountsAsNow(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	old := f.token(t, "u1", "s", f.clk.Now())
	f.clk.Advance(time.Minute)
	require.NoError(t, f.revs.Apply(&webhook.SessionRevoked{UserID: "u1", Scope: webhook.ScopeAll}))
	assert.ErrorIs(t, f.verify(t, old), ErrRevoked)
}
