// Package integrationtest shows how a service tests its own code that
// uses the Vault SDK, against the in-memory API of package vaulttest.
//
// The "service code" is Accounts, the part of an imaginary service that
// reacts to account events by signing the user out of devices. Read
// accounts_test.go for the tests: each starts a vaulttest.Server, seeds
// a user with sessions, runs Accounts against it, and checks the fake's
// state and the requests it received, faults included.
package integrationtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// Accounts signs users out of their devices after account events. Vault
// is shared by every user; each method acts for the user whose Vault
// token it is given.
type Accounts struct {
	// Vault is the shared client of the Vault API; it needs no token of
	// its own.
	Vault *vault.Client
}

// TryLaterError is returned when Vault is rate limiting the user: the
// service's job queue should run the job again after Wait.
type TryLaterError struct {
	// Wait is how long Vault asked to wait; zero if it did not say.
	Wait time.Duration
	// Err is the SDK's error.
	Err error
}

// Error says how long to wait.
func (e *TryLaterError) Error() string {
	return fmt.Sprintf("accounts: rate limited, try again in %s: %v", e.Wait, e.Err)
}

// Unwrap returns the SDK's error.
func (e *TryLaterError) Unwrap() error { return e.Err }

// AfterPasswordChange signs the user out of every device but the one the
// password was changed on, and returns how many devices were signed out.
func (a *Accounts) AfterPasswordChange(ctx context.Context, token string) (int, error) {
	revoked, err := a.Vault.Sessions.RevokeOtherSessions(ctx, vault.WithAccessToken(token))
	if err != nil {
		return len(revoked), tryLater(fmt.Errorf("accounts: sign out other devices: %w", err))
	}
	return len(revoked), nil
}

// ForceLogout signs the user out of every device, the current one too,
// such as when the account is locked. Under the API's spec logout-all
// does all of it; the Vault server's code keeps the session of the token
// that asks, so ForceLogout then revokes that one too. A token Vault no
// longer accepts means the user is signed out already, so that is a
// success: the job can run twice without failing.
func (a *Accounts) ForceLogout(ctx context.Context, token string) error {
	_, err := a.Vault.Sessions.LogoutAllSessions(ctx, vault.WithAccessToken(token))
	if err == nil {
		err = a.endCurrentSession(ctx, token)
	}
	switch {
	case err == nil, errors.Is(err, vault.ErrUnauthorized):
		return nil
	default:
		return tryLater(fmt.Errorf("accounts: force logout: %w", err))
	}
}

// endCurrentSession revokes the session of token if the server kept it.
// Where the server ended it, the list answers 401.
func (a *Accounts) endCurrentSession(ctx context.Context, token string) error {
	sessions, err := a.Vault.Sessions.ListSessions(ctx, vault.WithAccessToken(token))
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if !s.Current {
			continue
		}
		_, err := a.Vault.Sessions.RevokeSession(ctx, s.ID, vault.WithAccessToken(token))
		if errors.Is(err, vault.ErrNotFound) {
			return nil // gone already
		}
		return err
	}
	return nil
}

// tryLater turns a rate-limited failure into a *TryLaterError carrying
// the wait Vault asked for, and returns other errors unchanged.
func tryLater(err error) error {
	if !errors.Is(err, vault.ErrRateLimited) {
		return err
	}
	var apiErr *vault.APIError
	wait := time.Duration(0)
	if errors.As(err, &apiErr) {
		wait = apiErr.RetryAfter
	}
	return &TryLaterError{Wait: wait, Err: err}
}
