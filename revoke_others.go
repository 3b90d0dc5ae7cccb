package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
// session, nor any ID that an entry of the list marks current, and
// revokes an ID listed twice once. The API offers this only as those two steps; this method is
// the "sign out of all other devices" action of a security page.
//
// It returns the IDs of the sessions it revoked, in the order of the
// list, and a nil error when every other session was revoked; when the
// current session is the only one, the result is an empty, non-nil
// slice. A session already gone when its revocation arrives (404)
// counts as revoked.
//
// When some revocations fail, the result holds the IDs that were revoked
// and the error is a *RevokeOthersError naming each session not known to
// be revoked, with its error (its Unknown method tells those whose
// outcome is unknown from those not revoked): errors.Is and errors.As reach each of them, such
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
	others, err := otherSessionIDs(sessions)
	if err != nil {
		return nil, &opError{op: opRevokeOtherSessions, err: err}
	}
	return s.revokeAll(ctx, others, opts)
}

// otherSessionIDs returns the IDs to revoke: each ID of the list once, in
// the order of the list, but never one that any entry marks current. A
// list that names the current session twice, once without the flag,
// must not make the caller revoke its own session.
func otherSessionIDs(sessions []SessionResponse) ([]string, error) {
	current := make(map[string]bool)
	for _, session := range sessions {
		if session.Current {
			current[session.ID] = true
		}
	}
	if len(current) == 0 {
		return nil, ErrNoCurrentSession
	}
	others := make([]string, 0, len(sessions))
	seen := make(map[string]bool, len(sessions))
	for _, session := range sessions {
		if current[session.ID] || seen[session.ID] {
			continue
		}
		seen[session.ID] = true
		others = append(others, session.ID)
	}
	return others, nil
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
	// No revocation starts after a panic: the caller gets the panic, not
	// a result, and should not find more sessions revoked than it knows.
	var panicOnce sync.Once
	var panicked atomic.Bool
	var panicValue any
	for i, id := range ids {
		select {
		case <-ctx.Done():
		case slots <- struct{}{}:
		}
		// Both cases may be ready at once; a done context always wins.
		if ctx.Err() != nil || panicked.Load() {
			why := ctx.Err()
			if why == nil {
				why = errors.New("a revocation panicked")
			}
			for j := i; j < len(ids); j++ {
				errs[j] = fmt.Errorf("not attempted: %w", why)
			}
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer func() {
				if p := recover(); p != nil {
					panicOnce.Do(func() { panicValue = p; panicked.Store(true) })
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
	if panicked.Load() {
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
	// SessionIDs are the sessions not known to be revoked, in the order of
	// the list: those whose revocation failed, and those whose outcome is
	// unknown (their error matches ErrOutcomeUnknown: the revocation may
	// have been made, its answer lost). Unknown reports which.
	SessionIDs []string
	// Errs holds the error of each session of SessionIDs, at the same
	// index.
	Errs []error
}

// Unknown returns the sessions of SessionIDs whose revocation's outcome
// is unknown: they may be revoked, or not; list the sessions to know.
func (e *RevokeOthersError) Unknown() []string {
	var ids []string
	for i, id := range e.SessionIDs {
		if i < len(e.Errs) && errors.Is(e.Errs[i], ErrOutcomeUnknown) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Error names each session not known to be revoked with its error, such
// as "vault: revoke other sessions: 1 session not revoked: sess_2: revoke
// session: 500 INTERNAL_ERROR: Internal server error", and counts those
// whose outcome is unknown apart: "1 session not revoked, 1 of unknown
// outcome: ...".
func (e *RevokeOthersError) Error() string {
	var b strings.Builder
	b.WriteString("vault: " + opRevokeOtherSessions + ": ")
	unknown := len(e.Unknown())
	failed := len(e.SessionIDs) - unknown
	switch {
	case unknown == 0:
		b.WriteString(countSessions(failed) + " not revoked")
	case failed == 0:
		b.WriteString(countSessions(unknown) + " of unknown outcome")
	default:
		fmt.Fprintf(&b, "%s not revoked, %d of unknown outcome", countSessions(failed), unknown)
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

// countSessions is "1 session" or "n sessions".
func countSessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return fmt.Sprintf("%d sessions", n)
}

// Unwrap returns the error of each session not known to be revoked.
func (e *RevokeOthersError) Unwrap() []error { return e.Errs }
