package vault_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The outcome soak drives every operation that reads or changes sessions
// from many goroutines, each acting for a user of its own through one
// shared Client, while faults strike at random: answers lost after the
// change was made, connection resets, cut bodies, 429 and 503 with
// Retry-After, latency. After each call it compares what the call
// reported with the server's state:
//
//   - a success means the change is in place;
//   - a plain failure (a 4xx such as 404 or 401, or a *DecodeError)
//     means the change did not happen;
//   - any other error (the network, a 5xx or 429 after every retry, the
//     retry budget) leaves the outcome open, and is not checked.
//
// Each user's calls run in one goroutine, so each user's state follows
// only its own calls; faults select the user's requests by user ID.
//
//	go test -run '^TestOutcomeSoak$' . -outcome-soak 5m
//	go test -run '^TestOutcomeSoak$' . -outcome-seed 1234   # rerun a seed

var (
	outcomeSeed = flag.Uint64("outcome-seed", 0, "seed of TestOutcomeSoak; 0 picks one, which the test logs")
	outcomeSoak = flag.Duration("outcome-soak", 0, "repeat the rounds of TestOutcomeSoak for this long")
)

const (
	soakUsers      = 16  // goroutines, each a user of its own
	soakCallsEach  = 150 // calls a user makes in a round
	soakMaxReports = 10  // mismatches reported in full before the rest are counted
)

func TestOutcomeSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the outcome soak makes about a thousand calls; skipped with -short")
	}
	seed := *outcomeSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d: rerun with -run '^TestOutcomeSoak$' -outcome-seed %d", seed, seed)

	srv := vaulttest.NewServer()
	defer srv.Close()
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      srv.URL,
		MaxRetries:   4,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
	})
	require.NoError(t, err)
	defer client.CloseIdleConnections()

	report := &soakReport{t: t}
	deadline := time.Now().Add(*outcomeSoak)
	calls := 0
	for round := 0; ; round++ {
		var wg sync.WaitGroup
		for i := 0; i < soakUsers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				u := &soakUser{
					id:     fmt.Sprintf("soak-r%d-u%02d", round, i),
					srv:    srv,
					client: client,
					rng:    rand.New(rand.NewPCG(seed, uint64(round*soakUsers+i))),
					report: report,
				}
				u.run(soakCallsEach)
			}()
		}
		wg.Wait()
		calls += soakUsers * soakCallsEach
		if report.count.Load() > 0 || !time.Now().Before(deadline) {
			break
		}
	}
	t.Logf("%d calls, %d mismatches between reported outcomes and the server's state", calls, report.count.Load())
	if n := report.count.Load(); n > 0 {
		t.Errorf("%d mismatches; seed %d", n, seed)
	}
}

// soakReport collects the mismatches of all users.
type soakReport struct {
	t     *testing.T
	count atomic.Int64
}

func (r *soakReport) mismatch(user string, call int, format string, args ...any) {
	if r.count.Add(1) <= soakMaxReports {
		r.t.Errorf("%s, call %d: %s", user, call, fmt.Sprintf(format, args...))
	}
}

// soakUser is one user's goroutine: its current session and token, and
// the random source of its calls and faults.
type soakUser struct {
	id      string
	srv     *vaulttest.Server
	client  *vault.Client
	rng     *rand.Rand
	report  *soakReport
	call    int
	token   string
	current string
	missing int
}

func (u *soakUser) run(calls int) {
	u.signIn()
	for u.call = 1; u.call <= calls; u.call++ {
		u.keepOtherSessions()
		if u.rng.IntN(2) == 0 {
			u.srv.Faults().Add(u.randomFault())
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		switch n := u.rng.IntN(20); {
		case n < 6:
			u.list(ctx)
		case n < 14:
			u.revoke(ctx)
		case n < 17:
			u.revokeOthers(ctx)
		default:
			u.logoutAll(ctx)
		}
		cancel()
		if s, _ := u.srv.Session(u.current); !s.Active(u.srv.Now()) {
			u.signIn()
		}
	}
	// Faults the user's last calls did not use would match nobody else's
	// requests; they are left in the queue.
}

// signIn gives the user a new current session.
func (u *soakUser) signIn() {
	s := u.srv.AddSession(u.id, vaulttest.SessionSeed{})
	u.token, u.current = s.Token, s.ID
}

// keepOtherSessions makes sure the user has other sessions to revoke.
func (u *soakUser) keepOtherSessions() {
	if len(u.activeOthers()) >= 2 {
		return
	}
	for i := 0; i < 3; i++ {
		u.srv.AddSession(u.id, vaulttest.SessionSeed{})
	}
}

func (u *soakUser) active() []string {
	now := u.srv.Now()
	var ids []string
	for _, s := range u.srv.Sessions(u.id) {
		if s.Active(now) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func (u *soakUser) activeOthers() []string {
	return slices.DeleteFunc(u.active(), func(id string) bool { return id == u.current })
}

func (u *soakUser) isActive(id string) bool {
	s, ok := u.srv.Session(id)
	return ok && s.Active(u.srv.Now())
}

// randomFault returns a fault for the user's next requests.
func (u *soakUser) randomFault() vaulttest.Fault {
	f := vaulttest.Fault{UserID: u.id, Count: 1 + u.rng.IntN(2)}
	switch u.rng.IntN(9) {
	case 0:
		f.Action = vaulttest.ApplyThenReset
	case 1:
		f.Action = vaulttest.ApplyThenCutBody
	case 8:
		// A gateway that forwarded the request and lost the answer.
		f.Action, f.Status = vaulttest.ApplyThenCutBody, http.StatusGatewayTimeout
	case 2:
		f.Action = vaulttest.ResetBeforeResponse
	case 3:
		f.Action = vaulttest.ResetMidBody
	case 4:
		f.Status, f.RetryAfter = http.StatusServiceUnavailable, "0"
	case 5:
		f.Status, f.RetryAfter = http.StatusTooManyRequests, "0"
	case 6:
		f.Status = http.StatusBadGateway
	default:
		f.Latency = time.Duration(1+u.rng.IntN(3)) * time.Millisecond
	}
	return f
}

// plainFailure reports whether err says the call did not happen: a 4xx
// other than 429, or a body that is not the API's answer, unless the SDK
// says the outcome is unknown.
func plainFailure(err error) bool {
	if errors.Is(err, vault.ErrOutcomeUnknown) {
		return false
	}
	var apiErr *vault.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 400 && apiErr.StatusCode <= 499 && apiErr.StatusCode != http.StatusTooManyRequests
	}
	var decErr *vault.DecodeError
	return errors.As(err, &decErr)
}

func (u *soakUser) list(ctx context.Context) {
	sessions, err := u.client.Sessions.ListSessions(ctx, vault.WithAccessToken(u.token))
	if err != nil {
		return
	}
	var ids, current []string
	for _, s := range sessions {
		ids = append(ids, s.ID)
		if s.Current {
			current = append(current, s.ID)
		}
	}
	want := u.active()
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		u.report.mismatch(u.id, u.call, "list returned %v, active sessions are %v", ids, want)
	}
	if !slices.Equal(current, []string{u.current}) {
		u.report.mismatch(u.id, u.call, "list marked %v current, want %s", current, u.current)
	}
}

func (u *soakUser) revoke(ctx context.Context) {
	var id string
	others, n := u.activeOthers(), u.rng.IntN(10)
	switch {
	case n < 7 && len(others) > 0:
		id = others[u.rng.IntN(len(others))]
	case n < 9:
		u.missing++
		id = fmt.Sprintf("%s-missing-%d", u.id, u.missing)
	default:
		all := u.srv.Sessions(u.id)
		id = all[u.rng.IntN(len(all))].ID // revoked ones included
	}
	before := u.isActive(id)
	msg, err := u.client.Sessions.RevokeSession(ctx, id, vault.WithAccessToken(u.token))
	after := u.isActive(id)
	switch {
	case err == nil && after:
		u.report.mismatch(u.id, u.call, "revoke of %s reported success, the session is still active", id)
	case err == nil && !before && msg.Message != vault.MessageEarlierAttemptApplied:
		u.report.mismatch(u.id, u.call, "revoke of inactive %s answered %q", id, msg.Message)
	case err != nil && plainFailure(err) && before != after:
		u.report.mismatch(u.id, u.call, "revoke of %s failed with %v, yet the session was revoked", id, err)
	case errors.Is(err, vault.ErrNotFound) && before:
		u.report.mismatch(u.id, u.call, "revoke of active %s answered 404", id)
	}
}

func (u *soakUser) logoutAll(ctx context.Context) {
	before := u.active()
	_, err := u.client.Sessions.LogoutAllSessions(ctx, vault.WithAccessToken(u.token))
	after := u.active()
	switch {
	case err == nil && len(after) > 0:
		u.report.mismatch(u.id, u.call, "logout reported success, sessions %v are still active", after)
	case err != nil && plainFailure(err) && !slices.Equal(before, after):
		u.report.mismatch(u.id, u.call, "logout failed with %v, yet sessions were revoked (active before %v, after %v)", err, before, after)
	}
}

func (u *soakUser) revokeOthers(ctx context.Context) {
	before := u.active()
	revoked, err := u.client.Sessions.RevokeOtherSessions(ctx, vault.WithAccessToken(u.token))
	for _, id := range revoked {
		if u.isActive(id) {
			u.report.mismatch(u.id, u.call, "revoke-others reported %s revoked, it is still active", id)
		}
	}
	if !u.isActive(u.current) {
		u.report.mismatch(u.id, u.call, "revoke-others revoked the current session %s", u.current)
	}
	var partial *vault.RevokeOthersError
	switch {
	case err == nil:
		if others := u.activeOthers(); len(others) > 0 {
			u.report.mismatch(u.id, u.call, "revoke-others reported success, %v are still active", others)
		}
	case errors.As(err, &partial):
		for i, id := range partial.SessionIDs {
			if plainFailure(partial.Errs[i]) && !u.isActive(id) && slices.Contains(before, id) {
				u.report.mismatch(u.id, u.call, "revoke-others reported %s failed with %v, yet it was revoked", id, partial.Errs[i])
			}
		}
	default:
		// The list failed: nothing may have been revoked.
		if after := u.active(); !slices.Equal(before, after) {
			u.report.mismatch(u.id, u.call, "revoke-others failed with %v, yet sessions changed (active before %v, after %v)", err, before, after)
		}
	}
}
