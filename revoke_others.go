package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrNoCurrentSession is returned by RevokeOtherSessions, before anything
// is revoked, when the caller's session list has no session marked
// current: without it the SDK cannot tell which session to keep, and it
// refuses rather than guess.
var ErrNoCurrentSession = errors.New("vault: no current session in the session list")

// revokeOthersConcurrency bounds the revocations RevokeOtherSessions has
// in flight. Four keeps a page of a few dozen sessions fast without
// putting a burst on the caller's rate limit.
const revokeOthersConcurrency = 4

// opRevokeOtherSessions names RevokeOtherSessions in its errors.
const opRevokeOtherSessions = "revoke other sessions"

// RevokeOtherSessions signs the caller out of every other device: it
// lists the caller's sessions and revokes each one that is not current,
// with at most four revocations in flight. It never revokes the current
// session. The API offers this only as those two steps; this method is
// the "sign out of all other devices" action of a security page.
//
// It returns the IDs of the sessions it revoked, in the order of the
// list, and a nil error when every other session was revoked; when the
// current session is the only one, the result is an empty, non-nil
// slice. A session already gone when its revocation arrives (404)
// counts as revoked.
//
// When some revocations fail, the result holds the IDs that were revoked
// and the error is a *RevokeOthersError naming each session that was
// not, with its error: errors.Is and errors.As reach each of them, such
// as the *APIError of a failed call. Once ctx is done no further
// revocation is started; the sessions not attempted fail with ctx's
// error.
//
// Nothing is revoked when listing fails (the list's error is returned)
// or when no session of the list is marked current (ErrNoCurrentSession).
//
// opts apply to the list and to every revocation, so WithAccessToken
// acts for one user throughout. WithHTTPResponse is refused with
// ErrInvalidArgument: this method makes many calls, and no single
// response stands for them.
func (s *SessionsService) RevokeOtherSessions(ctx context.Context, opts ...RequestOption) ([]string, error) {
	if ctx == nil {
		return nil, &opError{op: opRevokeOtherSessions, err: fmt.Errorf("%w: nil context", ErrInvalidArgument)}
	}
	if err := checkRevokeOthersOptions(opts); err != nil {
		return nil, &opError{op: opRevokeOtherSessions, err: err}
	}
	sessions, err := s.ListSessions(ctx, opts...)
	if err != nil {
		return nil, &opError{op: opRevokeOtherSessions, err: err}
	}
	others := make([]string, 0, len(sessions))
	hasCurrent := false
	for _, session := range sessions {
		if session.Current {
			hasCurrent = true
			continue
		}
		others = append(others, session.ID)
	}
	if !hasCurrent {
		return nil, &opError{op: opRevokeOtherSessions, err: ErrNoCurrentSession}
	}
	return s.revokeAll(ctx, others, opts)
}

// checkRevokeOthersOptions applies opts to a scratch set, so that a bad
// option fails before anything is sent, and refuses WithHTTPResponse.
func checkRevokeOthersOptions(opts []RequestOption) error {
	ro, err := applyOptions(opts)
	if err != nil {
		return err
	}
	if ro.response != nil {
		return fmt.Errorf("%w: WithHTTPResponse does not apply to a method that makes many calls", ErrInvalidArgument)
	}
	return nil
}

// revokeAll revokes ids with bounded concurrency and reports, in the order
// of ids, which were revoked and why the others were not.
func (s *SessionsService) revokeAll(ctx context.Context, ids []string, opts []RequestOption) ([]string, error) {
	errs := make([]error, len(ids))
	slots := make(chan struct{}, revokeOthersConcurrency)
	var wg sync.WaitGroup
	// A panic in a revocation (a Hooks function's, say) is caught in its
	// goroutine and raised again on the caller's, where it can be
	// recovered, once every revocation has ended.
	var panicOnce sync.Once
	var panicked bool
	var panicValue any
	for i, id := range ids {
		select {
		case <-ctx.Done():
		case slots <- struct{}{}:
		}
		// Both cases may be ready at once; a done context always wins.
		if ctx.Err() != nil {
			for j := i; j < len(ids); j++ {
				errs[j] = fmt.Errorf("not attempted: %w", ctx.Err())
			}
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer func() {
				if p := recover(); p != nil {
					panicOnce.Do(func() { panicked, panicValue = true, p })
				}
			}()
			_, err := s.RevokeSession(ctx, id, opts...)
			if errors.Is(err, ErrNotFound) {
				err = nil // already gone: the outcome the caller wants
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if panicked {
		panic(panicValue)
	}

	revoked := make([]string, 0, len(ids))
	var failed RevokeOthersError
	for i, id := range ids {
		if errs[i] == nil {
			revoked = append(revoked, id)
			continue
		}
		failed.SessionIDs = append(failed.SessionIDs, id)
		failed.Errs = append(failed.Errs, errs[i])
	}
	if len(failed.SessionIDs) > 0 {
		return revoked, &failed
	}
	return revoked, nil
}

// RevokeOthersError is the error of RevokeOtherSessions when some sessions
// could not be revoked. It names each of them with its error; errors.Is
// and errors.As look into every one, so that
//
//	errors.Is(err, vault.ErrRateLimited)
//
// holds when any revocation was rate limited, and errors.As finds the
// *APIError of the first failed one.
type RevokeOthersError struct {
	// SessionIDs are the sessions not revoked, in the order of the list.
	SessionIDs []string
	// Errs holds the error of each session of SessionIDs, at the same
	// index.
	Errs []error
}

// Error names each session not revoked with its error, such as
// "vault: revoke other sessions: 1 session not revoked: sess_2: revoke
// session: 500 INTERNAL_ERROR: Internal server error".
func (e *RevokeOthersError) Error() string {
	var b strings.Builder
	b.WriteString("vault: " + opRevokeOtherSessions + ": ")
	if len(e.SessionIDs) == 1 {
		b.WriteString("1 session not revoked")
	} else {
		fmt.Fprintf(&b, "%d sessions not revoked", len(e.SessionIDs))
	}
	for i, id := range e.SessionIDs {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(id)
		if i < len(e.Errs) && e.Errs[i] != nil {
			b.WriteString(": ")
			b.WriteString(strings.TrimPrefix(e.Errs[i].Error(), "vault: "))
		}
	}
	return b.String()
}

// Unwrap returns the error of each session not revoked.
func (e *RevokeOthersError) Unwrap() []error { return e.Errs }
