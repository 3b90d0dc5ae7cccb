package vault

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryAfter(t *testing.T) {
	limited := func(status int, wait time.Duration) *APIError {
		return &APIError{Operation: "revoke session", StatusCode: status, RetryAfter: wait}
	}
	tests := []struct {
		name string
		err  error
		want time.Duration
		ok   bool
	}{
		{"nil", nil, 0, false},
		{"not an API error", errors.New("boom"), 0, false},
		{"429 with a wait", limited(http.StatusTooManyRequests, 30*time.Second), 30 * time.Second, true},
		{"503 with a wait", limited(http.StatusServiceUnavailable, 10*time.Second), 10 * time.Second, true},
		{"429 without a wait", limited(http.StatusTooManyRequests, 0), 0, false},
		{"500 is no request to wait", limited(http.StatusInternalServerError, 10*time.Second), 0, false},
		{"named by the operation", &opError{op: "list sessions", err: limited(http.StatusTooManyRequests, time.Minute)}, time.Minute, true},
		{"wrapped with %w", fmt.Errorf("listing: %w", limited(http.StatusTooManyRequests, time.Minute)), time.Minute, true},
		{"retry budget exhausted", &budgetError{last: limited(http.StatusServiceUnavailable, 5*time.Second)}, 5 * time.Second, true},
		{"the longest of a partial revoke-others", &opError{op: opRevokeOtherSessions, err: &RevokeOthersError{
			SessionIDs: []string{"a", "b", "c", "d"},
			Errs: []error{
				limited(http.StatusTooManyRequests, 30*time.Second),
				limited(http.StatusInternalServerError, 0),
				limited(http.StatusServiceUnavailable, 2*time.Minute),
				fmt.Errorf("not attempted: %w", errors.New("context canceled")),
			},
		}}, 2 * time.Minute, true},
		{"a partial revoke-others without waits", &RevokeOthersError{
			SessionIDs: []string{"a"},
			Errs:       []error{limited(http.StatusInternalServerError, 0)},
		}, 0, false},
		{"joined in a wrap", fmt.Errorf("sync: %w", errors.Join(errors.New("other"), limited(http.StatusTooManyRequests, 45*time.Second))), 45 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := RetryAfter(tt.err)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// loopingError unwraps to itself.
type loopingError struct{}

func (e *loopingError) Error() string { return "loop" }
func (e *loopingError) Unwrap() error { return e }

func TestRetryAfterOnOddErrors(t *testing.T) {
	wait, ok := RetryAfter((*APIError)(nil))
	assert.False(t, ok)
	assert.Zero(t, wait)

	wait, ok = RetryAfter(&loopingError{})
	assert.False(t, ok, "an Unwrap chain that loops ends")
	assert.Zero(t, wait)
}
