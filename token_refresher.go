package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// refreshTimeout bounds one refresh of a TokenRefresher, the call of
// onRotate included.
const refreshTimeout = time.Minute

// TokenRefresher keeps an access token fresh with a refresh token, for
// a service that calls the API as itself all day. Its Token method is a
// Configuration.TokenSource:
//
//	refresher := vault.NewTokenRefresher(authClient, refreshToken, store)
//	client, err := vault.NewClient(vault.Configuration{TokenSource: refresher.Token})
//
// Token refreshes the access token, with Client.Auth.RefreshToken of the
// Client given to NewTokenRefresher:
//
//   - on first use: the refresher starts with a refresh token alone;
//   - shortly before the access token expires: TokenRefreshMargin before
//     the exp claim of its JWT, which it reads without verifying it (see
//     TokenRefreshMargin for a short-lived token); a token that is not a
//     JWT is refreshed on a 401 only;
//   - when the Client reports that the API refused the token with 401
//     (see RefusedToken): the Client then sends the call again, once,
//     with the new token.
//
// Every new refresh token goes to onRotate before the new access token
// is used, so that a restart goes on from the newest refresh token
// rather than a spent one, whose use the server takes for theft. When
// onRotate fails, Token returns its error, keeps the new refresh token
// in memory and offers it to onRotate again at the next Token, before
// any refresh. A nil onRotate keeps refresh tokens in memory only.
//
// Concurrent callers share one refresh: however many calls need a new
// token at once, one refresh is sent, and they all get its result. The
// refresh runs on a context of its own, which keeps the values of the
// context that started it and ends after a minute, so that a caller
// giving up (its context ends, which ends its wait with the context's
// error) does not cut it short: a refresh cut short after it was sent
// leaves the refresh token possibly rotated.
//
// A refresh that fails for good ends the refresher: a 400 or 401 (the
// refresh token is malformed, spent, expired or of a revoked session),
// a 403, or an error matching ErrOutcomeUnknown (the answer was lost,
// or the server failed, after the refresh token may have been rotated).
// From then on Token returns that error, without sending anything: the
// old refresh token is never tried again, and the service must sign in
// again and make a new TokenRefresher. Any other failure, such as a
// connection refused or a 429, fails the calls waiting for that refresh
// only; the next Token tries again with the same refresh token.
//
// A panic raised during the refresh call (by a Hooks function or the
// Logger's handler) is not raised again: the refresh runs on a goroutine
// of its own, where it would end the program. It is recovered and
// treated as an unknown outcome, since it may come after the server
// rotated the refresh token: Token returns an error matching
// ErrOutcomeUnknown, which names the panic's value, and the refresher
// fails for good. A panic of onRotate fails that Token only: the new
// refresh token is kept and offered to onRotate again.
//
// One refresh token serves one TokenRefresher: the replicas of a service
// each sign in on their own, or a refresh by one revokes the session
// under the others.
//
// Printing a TokenRefresher with fmt or log/slog shows no token. It is
// safe for concurrent use.
type TokenRefresher struct {
	auth     *Client
	onRotate func(ctx context.Context, refreshToken string) error
	now      func() time.Time // the clock of renewAt

	mu      sync.Mutex
	refresh string         // the refresh token to send next
	access  string         // the access token to hand out; "" until a refresh
	renewAt time.Time      // when access is due for a refresh; zero: on a 401 only
	unsaved bool           // onRotate has not taken refresh yet: access waits
	failed  error          // the error of a refresh that failed for good
	flight  *refreshFlight // the refresh under way, or nil
}

// refreshFlight is one refresh, shared by the callers that wait for it.
// Its result is set before done is closed.
type refreshFlight struct {
	done  chan struct{}
	token string
	err   error
}

// NewTokenRefresher returns a TokenRefresher that refreshes with
// auth.Auth.RefreshToken, starting from refreshToken, and hands every
// new refresh token to onRotate (nil for none). auth may be the Client
// whose TokenSource is the refresher's Token: a refresh is sent without
// an access token. A nil auth or an empty refresh token makes every
// Token fail with ErrInvalidArgument.
func NewTokenRefresher(auth *Client, refreshToken string, onRotate func(ctx context.Context, refreshToken string) error) *TokenRefresher {
	r := &TokenRefresher{auth: auth, refresh: refreshToken, onRotate: onRotate, now: time.Now}
	switch {
	case auth == nil:
		r.failed = &refresherError{msg: "cannot refresh", err: fmt.Errorf("%w: NewTokenRefresher with a nil Client", ErrInvalidArgument)}
	case refreshToken == "":
		r.failed = &refresherError{msg: "cannot refresh", err: fmt.Errorf("%w: NewTokenRefresher with an empty refresh token", ErrInvalidArgument)}
	}
	return r
}

// Token returns an access token, refreshing it first when it is due, was
// refused (see RefusedToken) or was never fetched. It fits
// Configuration.TokenSource.
func (r *TokenRefresher) Token(ctx context.Context) (string, error) {
	if ctx == nil {
		return "", &refresherError{msg: "cannot refresh", err: fmt.Errorf("%w: nil context", ErrInvalidArgument)}
	}
	refused, _ := RefusedToken(ctx)
	r.mu.Lock()
	if r.failed != nil {
		err := r.failed
		r.mu.Unlock()
		return "", err
	}
	if r.flight == nil {
		if r.usableLocked(refused) {
			token := r.access
			r.mu.Unlock()
			return token, nil
		}
		r.flight = &refreshFlight{done: make(chan struct{})}
		go r.run(context.WithoutCancel(ctx), r.flight, refused)
	}
	f := r.flight
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", &refresherError{msg: "gave up waiting for a refresh", err: ctx.Err()}
	}
}

// usableLocked reports whether the access token in hand may be handed
// out: there is one, onRotate has its refresh token, it is not the one
// refused, and it is not due.
func (r *TokenRefresher) usableLocked(refused string) bool {
	return r.access != "" && !r.unsaved && r.access != refused &&
		(r.renewAt.IsZero() || r.now().Before(r.renewAt))
}

// run makes the refresh of flight f on a context of its own, and gives
// its result to the callers waiting for it.
func (r *TokenRefresher) run(base context.Context, f *refreshFlight, refused string) {
	ctx, cancel := context.WithTimeout(base, refreshTimeout)
	defer cancel()
	token, err := r.renewSafely(ctx, refused)
	r.mu.Lock()
	r.flight = nil
	r.mu.Unlock()
	f.token, f.err = token, err
	close(f.done)
}

// renewSafely is renew, with a panic of onRotate turned into an error:
// it would otherwise end the program from a goroutine its code cannot
// recover in. A panic during the refresh call itself is refreshOnce's.
func (r *TokenRefresher) renewSafely(ctx context.Context, refused string) (token string, err error) {
	defer func() {
		if p := recover(); p != nil {
			token, err = "", &refresherError{msg: "refresh failed", err: fmt.Errorf("panic: %v", p)}
		}
	}()
	return r.renew(ctx, refused)
}

// renew stores a refresh token onRotate has not taken yet, then
// refreshes unless the access token in hand may now be used.
func (r *TokenRefresher) renew(ctx context.Context, refused string) (string, error) {
	r.mu.Lock()
	unsaved, refresh := r.unsaved, r.refresh
	r.mu.Unlock()
	if unsaved {
		if err := r.rotated(ctx, refresh); err != nil {
			return "", err
		}
		r.mu.Lock()
		usable, access := r.usableLocked(refused), r.access
		r.mu.Unlock()
		if usable {
			return access, nil
		}
	}

	resp, err := r.refreshOnce(ctx, refresh)
	if err != nil {
		if !failsForGood(err) {
			return "", &refresherError{msg: "refresh failed", err: err}
		}
		err = &refresherError{msg: "refresh failed for good, sign in again", err: err}
		r.mu.Lock()
		r.failed = err
		r.access = ""
		r.mu.Unlock()
		return "", err
	}
	r.mu.Lock()
	r.refresh, r.access, r.unsaved = resp.RefreshToken, resp.AccessToken, true
	r.renewAt = renewAt(resp.AccessToken, r.now())
	r.mu.Unlock()
	if err := r.rotated(ctx, resp.RefreshToken); err != nil {
		return "", err
	}
	return resp.AccessToken, nil
}

// refreshOnce sends one refresh. A panic raised during the call, by a
// Hooks function or the Logger's handler, is recovered and returned as
// an error matching ErrOutcomeUnknown: it may have been raised after the
// server rotated the refresh token (Hooks.End runs once the answer is
// in), so the refresher fails for good rather than send that token
// again, which the server would take for theft.
func (r *TokenRefresher) refreshOnce(ctx context.Context, refresh string) (resp *AuthResponse, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, &panicOutcomeError{value: p}
		}
	}()
	return r.auth.Auth.RefreshToken(ctx, refresh)
}

// panicOutcomeError is a panic raised during a refresh call: the refresh
// may have reached the server, so its outcome is unknown.
type panicOutcomeError struct{ value any }

func (e *panicOutcomeError) Error() string {
	return fmt.Sprintf("vault: outcome unknown: the refresh call panicked (%v), after which the refresh token may have been rotated", e.value)
}

func (e *panicOutcomeError) Unwrap() error { return ErrOutcomeUnknown }

// rotated hands a new refresh token to onRotate, and marks it stored.
func (r *TokenRefresher) rotated(ctx context.Context, refresh string) error {
	if r.onRotate != nil {
		if err := r.onRotate(ctx, refresh); err != nil {
			return &refresherError{msg: "onRotate failed to store the new refresh token", err: err}
		}
	}
	r.mu.Lock()
	r.unsaved = false
	r.mu.Unlock()
	return nil
}

// failsForGood reports whether a refresh's error ends the refresher:
// the server refused the refresh token (400, 401, 403), it may have
// been rotated (ErrOutcomeUnknown), or it cannot be sent at all.
func failsForGood(err error) bool {
	var apiErr *APIError
	switch {
	case errors.Is(err, ErrOutcomeUnknown), errors.Is(err, ErrInvalidArgument):
		return true
	case errors.As(err, &apiErr):
		switch apiErr.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
			return true
		}
	}
	return false
}

// String describes the refresher without its tokens.
func (r *TokenRefresher) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("vault.TokenRefresher{RefreshToken:%s AccessToken:%s Failed:%t}",
		redacted(r.refresh != ""), redacted(r.access != ""), r.failed != nil)
}

// GoString is String, so %#v does not print the tokens either.
func (r *TokenRefresher) GoString() string { return r.String() }

// Format prints String for every verb, so no fmt verb prints the tokens.
func (r *TokenRefresher) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue logs the refresher under log/slog without its tokens.
func (r *TokenRefresher) LogValue() slog.Value {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slog.GroupValue(
		slog.String("refresh_token", redacted(r.refresh != "")),
		slog.String("access_token", redacted(r.access != "")),
		slog.Bool("failed", r.failed != nil),
	)
}

// refresherError is an error of a TokenRefresher: what failed, and why.
type refresherError struct {
	msg string
	err error
}

func (e *refresherError) Error() string {
	return "vault: token refresher: " + e.msg + ": " + strings.TrimPrefix(e.err.Error(), "vault: ")
}

func (e *refresherError) Unwrap() error { return e.err }
