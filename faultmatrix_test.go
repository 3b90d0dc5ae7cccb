package vault_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The fault matrix runs each of the three operations against each fault
// vaulttest can inject, and checks the attempts the server counted, the
// error the caller gets and how long the call took.
//
// Every case has a server and a client of its own, so that the first
// attempt goes out on a new connection. This matters for the connection
// resets: net/http's Transport silently resends a GET whose reused
// connection was reset before any response byte, which would add an
// attempt the SDK never made. On a new connection it does not, and after a
// reset the SDK's retry needs a new connection again, so the server counts
// exactly the SDK's attempts.

// attemptTimeout is the per-attempt timeout of a case whose retry must
// succeed: long enough for a loaded machine to answer a normal request in
// time.
const attemptTimeout = 2 * time.Second

// hopelessAttemptTimeout is the per-attempt timeout of a case whose every
// attempt meets a server that never answers in time; it only has to end
// each attempt, so it can be short.
const hopelessAttemptTimeout = 100 * time.Millisecond

// faultCase is one row of the fault matrix.
type faultCase struct {
	name   string
	config func(*vault.Configuration)
	// faults returns what the server injects on the operation's route.
	faults func(route string) []vaulttest.Fault
	// attempts is how many requests the server must count.
	attempts int
	// check asserts the call's error; nil means the call must succeed.
	check                  func(t *testing.T, f *fixture, op operation, err error)
	minElapsed, maxElapsed time.Duration
}

// runFaultMatrix runs every case for every operation, in parallel with
// each other and with the other parallel tests: most cases wait on a
// timer, not on the CPU.
func runFaultMatrix(t *testing.T, cases []faultCase) {
	t.Parallel()
	for _, op := range operations {
		for _, c := range cases {
			t.Run(op.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				var mutate []func(*vault.Configuration)
				if c.config != nil {
					mutate = append(mutate, c.config)
				}
				f := newFixture(t, mutate...)
				f.srv.Faults().Add(c.faults(op.route)...)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()

				start := time.Now()
				err := op.call(ctx, f.client)
				elapsed := time.Since(start)

				reqs := assertAttempts(t, f, op, c.attempts)
				if c.check == nil {
					require.NoError(t, err)
					if assert.NotEmpty(t, reqs) {
						assert.Equal(t, http.StatusOK, reqs[len(reqs)-1].Status)
					}
				} else {
					c.check(t, f, op, err)
				}
				assert.GreaterOrEqual(t, elapsed, c.minElapsed)
				assert.Less(t, elapsed, c.maxElapsed)
			})
		}
	}
}

// times returns a fault answering the next n requests of a route.
func times(n int, f vaulttest.Fault) func(string) []vaulttest.Fault {
	return func(route string) []vaulttest.Fault {
		g := f
		g.Route, g.Count = route, n
		return []vaulttest.Fault{g}
	}
}

// forever returns a fault answering every request of a route.
func forever(f vaulttest.Fault) func(string) []vaulttest.Fault {
	return times(vaulttest.Unlimited, f)
}

// slowAttempts returns a configuration giving each attempt the timeout d.
func slowAttempts(d time.Duration) func(*vault.Configuration) {
	return func(c *vault.Configuration) {
		c.HTTPClient = &http.Client{Timeout: d, Transport: &http.Transport{}}
	}
}

func TestFaultMatrixServerAskedWait(t *testing.T) {
	// Retry-After and X-RateLimit-Reset count whole seconds, so the wait is
	// between one and two seconds: far longer than the millisecond backoff,
	// and far shorter than RetryWaitMax, which a call that ignored the
	// server's wait and backed off as far as allowed would take.
	patient := func(c *vault.Configuration) { c.RetryWaitMax = 30 * time.Second }
	inSeconds := func(d time.Duration) string {
		return time.Now().Add(d).UTC().Format(http.TimeFormat)
	}
	resetIn := func(d time.Duration) http.Header {
		return http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Add(d).Unix(), 10)}, "X-Ratelimit-Remaining": {"0"}}
	}
	runFaultMatrix(t, []faultCase{
		{
			name: "429 Retry-After seconds", config: patient,
			faults:   times(1, vaulttest.Fault{Status: 429, RetryAfter: "1"}),
			attempts: 2, minElapsed: 950 * time.Millisecond, maxElapsed: 10 * time.Second,
		},
		{
			name: "429 Retry-After HTTP date", config: patient,
			faults: func(route string) []vaulttest.Fault {
				return []vaulttest.Fault{{Route: route, Status: 429, RetryAfter: inSeconds(2 * time.Second)}}
			},
			attempts: 2, minElapsed: 900 * time.Millisecond, maxElapsed: 10 * time.Second,
		},
		{
			name: "429 X-RateLimit-Reset only", config: patient,
			faults: func(route string) []vaulttest.Fault {
				return []vaulttest.Fault{{Route: route, Status: 429, Header: resetIn(2 * time.Second)}}
			},
			attempts: 2, minElapsed: 900 * time.Millisecond, maxElapsed: 10 * time.Second,
		},
	})
}

func TestFaultMatrixTransientFaults(t *testing.T) {
	const quick = 3 * time.Second
	runFaultMatrix(t, []faultCase{
		{name: "503 twice", faults: times(2, vaulttest.Fault{Status: 503}), attempts: 3, maxElapsed: quick},
		{name: "500 once", faults: times(1, vaulttest.Fault{Status: 500}), attempts: 2, maxElapsed: quick},
		{name: "502 once", faults: times(1, vaulttest.Fault{Status: 502}), attempts: 2, maxElapsed: quick},
		{name: "504 once", faults: times(1, vaulttest.Fault{Status: 504}), attempts: 2, maxElapsed: quick},
		{name: "proxy page once", faults: times(1, vaulttest.Fault{Action: vaulttest.ProxyHTML}), attempts: 2, maxElapsed: quick},
		{name: "reset before response twice", faults: times(2, vaulttest.Fault{Action: vaulttest.ResetBeforeResponse}), attempts: 3, maxElapsed: quick},
		{name: "reset mid-body twice", faults: times(2, vaulttest.Fault{Action: vaulttest.ResetMidBody}), attempts: 3, maxElapsed: quick},
		{name: "reset mid-body of a 503", faults: times(1, vaulttest.Fault{Action: vaulttest.ResetMidBody, Status: 503}), attempts: 2, maxElapsed: quick},
		{
			name: "slower than the attempt timeout once", config: slowAttempts(attemptTimeout),
			faults:   times(1, vaulttest.Fault{Latency: time.Minute}),
			attempts: 2, minElapsed: attemptTimeout, maxElapsed: attemptTimeout + quick,
		},
	})
}

func TestFaultMatrixPersistentFaults(t *testing.T) {
	const quick = 3 * time.Second
	all := vault.DefaultMaxRetries + 1
	runFaultMatrix(t, []faultCase{
		{name: "503 forever", faults: forever(vaulttest.Fault{Status: 503}), attempts: all, maxElapsed: quick,
			check: wantAPIError(503, vaulttest.CodeServiceUnavailable)},
		{name: "500 forever", faults: forever(vaulttest.Fault{Status: 500}), attempts: all, maxElapsed: quick,
			check: wantAPIError(500, vaulttest.CodeInternalError)},
		{name: "502 forever", faults: forever(vaulttest.Fault{Status: 502}), attempts: all, maxElapsed: quick,
			check: wantAPIError(502, "BAD_GATEWAY")},
		{name: "504 forever", faults: forever(vaulttest.Fault{Status: 504}), attempts: all, maxElapsed: quick,
			check: wantAPIError(504, "GATEWAY_TIMEOUT")},
		{name: "proxy page forever", faults: forever(vaulttest.Fault{Action: vaulttest.ProxyHTML}), attempts: all, maxElapsed: quick,
			check: func(t *testing.T, f *fixture, op operation, err error) {
				wantAPIError(502, "")(t, f, op, err)
				var apiErr *vault.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Contains(t, apiErr.Body, "502 Bad Gateway", "an excerpt of the page")
				assert.NotContains(t, apiErr.Body, "\n")
			}},
		{name: "reset before response forever", faults: forever(vaulttest.Fault{Action: vaulttest.ResetBeforeResponse}), attempts: all, maxElapsed: quick,
			check: wantTransportError("")},
		{name: "reset mid-body forever", faults: forever(vaulttest.Fault{Action: vaulttest.ResetMidBody}), attempts: all, maxElapsed: quick,
			check: wantTransportError("reading response body")},
		{name: "slower than the attempt timeout forever", config: slowAttempts(hopelessAttemptTimeout),
			faults:   forever(vaulttest.Fault{Latency: time.Minute}),
			attempts: all, minElapsed: time.Duration(all) * hopelessAttemptTimeout, maxElapsed: 3 * quick,
			check: func(t *testing.T, f *fixture, op operation, err error) {
				wantTransportError("")(t, f, op, err)
				var netErr net.Error
				require.ErrorAs(t, err, &netErr)
				assert.True(t, netErr.Timeout())
			}},
	})
}

func TestFaultMatrixMalformedBodies(t *testing.T) {
	runFaultMatrix(t, []faultCase{
		{name: "truncated JSON", faults: times(1, vaulttest.Fault{Action: vaulttest.TruncateBody}), attempts: 1, maxElapsed: 3 * time.Second,
			check: func(t *testing.T, f *fixture, op operation, err error) {
				decodeErr := wantDecodeError(t, op, err, "application/json")
				assert.ErrorIs(t, decodeErr, io.ErrUnexpectedEOF)
			}},
		{name: "HTML page with 200", faults: times(1, vaulttest.Fault{Action: vaulttest.HTMLBody}), attempts: 1, maxElapsed: 3 * time.Second,
			check: func(t *testing.T, f *fixture, op operation, err error) {
				decodeErr := wantDecodeError(t, op, err, "text/html; charset=utf-8")
				var syntaxErr *jsontext.SyntacticError
				assert.ErrorAs(t, decodeErr, &syntaxErr)
			}},
	})
}

func TestFaultMatrixRetryAfterBeyondRetryWaitMax(t *testing.T) {
	// The server asks for two minutes, RetryWaitMax allows three seconds:
	// the SDK does not sleep, and returns the answer it has with the wait.
	// Two seconds leave a loaded machine time for one request, and still
	// catch a call that sleeps RetryWaitMax.
	check := func(status int, code string) func(*testing.T, *fixture, operation, error) {
		return func(t *testing.T, f *fixture, op operation, err error) {
			wantAPIError(status, code)(t, f, op, err)
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
			assert.Contains(t, err.Error(), "retry after 2m0s")
		}
	}
	runFaultMatrix(t, []faultCase{
		{name: "429", faults: forever(vaulttest.Fault{Status: 429, RetryAfter: "120"}), attempts: 1, maxElapsed: 2 * time.Second,
			check: check(429, vaulttest.CodeRateLimited)},
		{name: "503", faults: forever(vaulttest.Fault{Status: 503, RetryAfter: "120"}), attempts: 1, maxElapsed: 2 * time.Second,
			check: check(503, vaulttest.CodeServiceUnavailable)},
	})
}

// wantAPIError checks that the call ended in the *APIError of the last
// response, with the status, the code and the attempts the server saw.
func wantAPIError(status int, code string) func(*testing.T, *fixture, operation, error) {
	return func(t *testing.T, f *fixture, op operation, err error) {
		t.Helper()
		var apiErr *vault.APIError
		require.ErrorAs(t, err, &apiErr)
		reqs := f.srv.Requests()
		require.NotEmpty(t, reqs)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Equal(t, code, apiErr.Code)
		assert.Equal(t, op.name, apiErr.Operation)
		assert.Equal(t, len(reqs), apiErr.Attempts)
		assert.Equal(t, reqs[len(reqs)-1].ID, apiErr.RequestID, "the error is the last response's")
		assert.True(t, apiErr.Temporary())
		if status == http.StatusTooManyRequests {
			assert.ErrorIs(t, err, vault.ErrRateLimited)
		} else {
			assert.ErrorIs(t, err, vault.ErrServer)
		}
		assert.NotErrorIs(t, err, vault.ErrRetryBudgetExhausted)
		prefix := "vault: " + op.name + ": "
		if op.method == http.MethodDelete && (status == http.StatusBadGateway || status == http.StatusGatewayTimeout) {
			// A gateway may have forwarded the request: the change may
			// have been made.
			assert.ErrorIs(t, err, vault.ErrOutcomeUnknown)
			prefix += "outcome unknown, the change may have been made: "
		} else {
			assert.NotErrorIs(t, err, vault.ErrOutcomeUnknown)
		}
		assert.True(t, strings.HasPrefix(err.Error(), prefix+strconv.Itoa(status)), err.Error())
	}
}

// wantTransportError checks that the call ended in a network error naming
// the operation, with no *APIError or *DecodeError in it.
func wantTransportError(contains string) func(*testing.T, *fixture, operation, error) {
	return func(t *testing.T, f *fixture, op operation, err error) {
		t.Helper()
		require.Error(t, err)
		var apiErr *vault.APIError
		var decodeErr *vault.DecodeError
		assert.False(t, errors.As(err, &apiErr), "no response: %v", err)
		assert.False(t, errors.As(err, &decodeErr), "no body: %v", err)
		assert.NotErrorIs(t, err, vault.ErrRetryBudgetExhausted)
		assert.True(t, strings.HasPrefix(err.Error(), "vault: "+op.name+": "), err.Error())
		assert.Contains(t, err.Error(), contains)
		// Every fault here strikes after the request was written: a
		// change may have been made, and the error says so.
		assert.Equal(t, op.method == http.MethodDelete, errors.Is(err, vault.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
		if contains == "" {
			var urlErr *url.Error
			assert.ErrorAs(t, err, &urlErr, "the error from net/http")
		}
	}
}

// wantDecodeError checks that a 200 with an unexpected body ended in a
// *DecodeError at once, and returns it.
func wantDecodeError(t *testing.T, op operation, err error, contentType string) *vault.DecodeError {
	t.Helper()
	var decodeErr *vault.DecodeError
	require.ErrorAs(t, err, &decodeErr)
	assert.Equal(t, op.name, decodeErr.Operation)
	assert.Equal(t, http.StatusOK, decodeErr.StatusCode)
	assert.Equal(t, contentType, decodeErr.ContentType)
	prefix := "vault: " + op.name + ": "
	if op.method == http.MethodDelete && strings.HasPrefix(contentType, "application/json") {
		// The API answered success: the change may be made.
		assert.ErrorIs(t, err, vault.ErrOutcomeUnknown)
		prefix += "outcome unknown, the change may have been made: "
	} else {
		assert.NotErrorIs(t, err, vault.ErrOutcomeUnknown)
	}
	assert.True(t, strings.HasPrefix(err.Error(), prefix+"200 response: invalid body"), err.Error())
	return decodeErr
}
