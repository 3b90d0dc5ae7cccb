package vault_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/leakcheck"
	"github.com/vault-dev/vault-go/vaulttest"
)

// soak makes TestConcurrentLoad repeat its rounds for this long, such as
//
//	go test -race -run '^TestConcurrentLoad$' . -soak 10m
var soak = flag.Duration("soak", 0, "repeat the rounds of TestConcurrentLoad for this long")

// loadGoroutines is how many goroutines share one Client under load.
const loadGoroutines = 64

// loadCalls is how many calls a round of TestConcurrentLoad makes. Under
// the race detector a round takes five to ten seconds on two cores; -soak
// repeats rounds for as long as asked.
const loadCalls = 20_000

func TestConnectionReuseAcrossOutcomes(t *testing.T) {
	// One in four calls is each of: a 200, a 401, a 404, and a 500 whose
	// retry succeeds. Every body is read to its end, so one connection
	// serves them all; fifty of each outcome show it as well as thousands.
	const calls = 200
	f := newFixture(t)
	ctx := context.Background()
	for i := 0; i < calls; i++ {
		var err error
		switch i % 4 {
		case 0:
			_, err = f.client.Sessions.ListSessions(ctx)
		case 1:
			_, err = f.client.Sessions.ListSessions(ctx, vault.WithAccessToken("not-a-session-token"))
			require.ErrorIs(t, err, vault.ErrUnauthorized)
			err = nil
		case 2:
			_, err = f.client.Sessions.RevokeSession(ctx, "sess_missing")
			require.ErrorIs(t, err, vault.ErrNotFound)
			err = nil
		case 3:
			f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusInternalServerError})
			_, err = f.client.Sessions.ListSessions(ctx)
		}
		require.NoError(t, err, "call %d", i)
	}
	assert.Len(t, f.srv.Requests(), calls+calls/4, "each 500 was retried once")
	assert.Equal(t, 1, f.srv.ConnectionCount(), "one TCP connection for every call")
}

func TestConcurrentLoad(t *testing.T) {
	if testing.Short() && *soak == 0 {
		t.Skipf("%d calls; run without -short", loadCalls)
	}
	srv := vaulttest.NewServer()
	defer srv.Close()
	// The baseline holds the server's own goroutines; once the client's
	// idle connections are closed, no goroutine of the SDK may remain.
	baseline := leakcheck.Take()

	tokens := make([]string, loadGoroutines)
	for g := range tokens {
		user := fmt.Sprintf("user%02d", g)
		tokens[g] = srv.AddSession(user, vaulttest.SessionSeed{}).Token
		srv.AddSession(user, vaulttest.SessionSeed{})
	}
	// The faults below cost at most one retry each; with more retries
	// allowed than there are faults, and a budget larger than their sum,
	// no call can fail because of them.
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      srv.URL,
		MaxRetries:   100,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		RetryBudget:  100,
	})
	require.NoError(t, err)

	deadline := time.Now().Add(*soak)
	for round := 1; ; round++ {
		srv.ResetRequests()
		srv.Faults().Add(
			vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, Count: 40},
			vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Action: vaulttest.ResetBeforeResponse, Count: 20},
			vaulttest.Fault{Route: vaulttest.RouteListSessions, Action: vaulttest.ResetMidBody, Count: 20},
		)
		conns := srv.ConnectionCount()
		runLoadRound(t, client, tokens, loadCalls)
		assert.LessOrEqual(t, srv.ConnectionCount()-conns, loadCalls/10, "connections are pooled, not opened per call")
		if t.Failed() || !time.Now().Before(deadline) {
			t.Logf("%d rounds of %d calls; %d connections opened", round, loadCalls, srv.ConnectionCount())
			break
		}
	}

	client.CloseIdleConnections()
	leakcheck.Verify(t, baseline)
}

// runLoadRound makes calls calls from loadGoroutines goroutines, each
// acting for its own user through one shared Client: a quarter list the
// user's sessions, a quarter revoke a session that does not exist (404,
// or success after a reset),
// a quarter send an unknown token (401), and a quarter list again. Any
// other outcome is an unexpected error.
func runLoadRound(t *testing.T, client *vault.Client, tokens []string, calls int) {
	t.Helper()
	var next, unexpected atomic.Int64
	var firstErr sync.Once
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for g := 0; g < loadGoroutines; g++ {
		wg.Add(1)
		go func(token string) {
			defer wg.Done()
			as := vault.WithAccessToken(token)
			for i := next.Add(1); i <= int64(calls); i = next.Add(1) {
				err := loadCall(ctx, client, as, int(i%4))
				if err != nil {
					unexpected.Add(1)
					firstErr.Do(func() { t.Errorf("call %d: %v", i, err) })
				}
			}
		}(tokens[g])
	}
	wg.Wait()
	assert.Zero(t, unexpected.Load(), "unexpected errors")
}

func loadCall(ctx context.Context, client *vault.Client, as vault.RequestOption, kind int) error {
	switch kind {
	case 1:
		// A reset after the request was written may have revoked the
		// session, for all the SDK can tell: the 404 of its retry then
		// confirms the session is gone, and the call succeeds.
		msg, err := client.Sessions.RevokeSession(ctx, "sess_missing", as)
		if errors.Is(err, vault.ErrNotFound) || (err == nil && msg.Message == vault.MessageEarlierAttemptApplied) {
			return nil
		}
		return fmt.Errorf("revoking a missing session: %v", err)
	case 2:
		_, err := client.Sessions.ListSessions(ctx, vault.WithAccessToken("not-a-session-token"))
		if errors.Is(err, vault.ErrUnauthorized) {
			return nil
		}
		return fmt.Errorf("listing with an unknown token: %v", err)
	default:
		sessions, err := client.Sessions.ListSessions(ctx, as)
		if err == nil && len(sessions) != 2 {
			err = fmt.Errorf("listed %d sessions, want 2", len(sessions))
		}
		return err
	}
}
