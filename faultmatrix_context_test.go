package vault_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The context rows of the fault matrix: a wait that would outlast the
// caller's deadline is not started, and a cancel during a wait ends the
// call at once. The waits are long and the bounds generous, so that a
// loaded machine has seconds for what should take milliseconds, and a
// call that did wait still fails.

func TestFaultMatrixDeadlineShorterThanBackoff(t *testing.T) {
	cases := []struct {
		name   string
		config func(*vault.Configuration)
		fault  vaulttest.Fault
		status int
	}{
		{
			name: "backoff",
			config: func(c *vault.Configuration) {
				c.RetryWaitMin = 40 * time.Second
				c.RetryWaitMax = time.Minute
			},
			fault:  vaulttest.Fault{Status: http.StatusServiceUnavailable, Count: vaulttest.Unlimited},
			status: http.StatusServiceUnavailable,
		},
		{
			name:   "Retry-After",
			config: func(c *vault.Configuration) { c.RetryWaitMax = time.Minute },
			fault:  vaulttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "30", Count: vaulttest.Unlimited},
			status: http.StatusTooManyRequests,
		},
	}
	for _, op := range operations {
		for _, c := range cases {
			t.Run(op.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, c.config)
				fault := c.fault
				fault.Route = op.route
				f.srv.Faults().Add(fault)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()

				start := time.Now()
				err := op.call(ctx, f.client)
				elapsed := time.Since(start)

				assert.NoError(t, ctx.Err(), "the call returned before its deadline")
				assert.Less(t, elapsed, 5*time.Second, "no wait was started")
				var apiErr *vault.APIError
				require.ErrorAs(t, err, &apiErr, "the caller gets the answer the server gave")
				assert.Equal(t, c.status, apiErr.StatusCode)
				assert.Equal(t, 1, apiErr.Attempts)
				assertAttempts(t, f, op, 1)
			})
		}
	}
}

func TestFaultMatrixCancelDuringBackoff(t *testing.T) {
	// The SDK logs "vault: retrying" as it starts a wait; the test cancels
	// a little later, in the middle of a backoff of at least thirty
	// seconds, and measures from the cancel to the return.
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			retrying := newSignalHandler("vault: retrying")
			f := newFixture(t, func(c *vault.Configuration) {
				c.RetryWaitMin = time.Minute
				c.RetryWaitMax = time.Minute
				c.Logger = slog.New(retrying)
			})
			f.srv.Faults().Add(vaulttest.Fault{Route: op.route, Status: http.StatusServiceUnavailable, Count: vaulttest.Unlimited})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()

			type outcome struct {
				err error
				at  time.Time
			}
			done := make(chan outcome, 1)
			go func() {
				err := op.call(ctx, f.client)
				done <- outcome{err, time.Now()}
			}()

			select {
			case <-retrying.ch:
			case <-time.After(10 * time.Second):
				t.Fatal("the call never started its backoff")
			}
			time.Sleep(20 * time.Millisecond)
			cancelled := time.Now()
			cancel()

			var got outcome
			select {
			case got = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the call did not return after cancel")
			}
			assert.Less(t, got.at.Sub(cancelled), 5*time.Second, "from cancel to return")
			require.ErrorIs(t, got.err, context.Canceled)
			assert.True(t, strings.HasPrefix(got.err.Error(), "vault: "+op.name+": "), got.err.Error())
			assertAttempts(t, f, op, 1)
		})
	}
}
