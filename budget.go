package vault

import (
	"errors"
	"math"
	"sync/atomic"
)

// ErrRetryBudgetExhausted is wrapped by the error of a call that would
// have retried, but found the Client's retry budget spent: the API has been
// failing for many calls at once, and more retries would only add load.
// The error also wraps the call's last error, so errors.As still reaches
// its *APIError.
var ErrRetryBudgetExhausted = errors.New("vault: client-side retry budget exhausted")

// DefaultRetryBudget is the number of retries a Client may make in a burst
// of failures before it must earn tokens back with successful calls. It
// matches the AWS SDKs' retry quota of 500 tokens at 5 per retry.
const DefaultRetryBudget = 100

// The budget counts in tokens so that a success can earn back a fraction
// of a retry: every retry spends retryCost, every call that succeeds at
// its first attempt earns successRefill, and a call that succeeds after
// retrying gets the cost of its successful retry back, as in the AWS SDKs.
// With these values, five successes pay for one retry that failed, which
// keeps a healthy API's transient errors free while a fleet of callers
// facing an outage stops multiplying its load.
const (
	retryCost     = 5
	successRefill = 1
)

// maxRetryBudget is the largest Configuration.RetryBudget: its tokens
// must fit an int64.
const maxRetryBudget = math.MaxInt64 / retryCost

// retryBudget is a token bucket shared by all calls of a Client. A nil
// *retryBudget is an unlimited one.
type retryBudget struct {
	capacity int64
	tokens   atomic.Int64
}

func newRetryBudget(retries int) *retryBudget {
	if retries < 0 {
		return nil
	}
	if retries == 0 {
		retries = DefaultRetryBudget
	}
	b := &retryBudget{capacity: int64(retries) * retryCost}
	b.tokens.Store(b.capacity)
	return b
}

// spend takes the tokens of one retry, and reports false if there are not
// enough.
func (b *retryBudget) spend() bool {
	if b == nil {
		return true
	}
	for {
		have := b.tokens.Load()
		if have < retryCost {
			return false
		}
		if b.tokens.CompareAndSwap(have, have-retryCost) {
			return true
		}
	}
}

// earn puts back the tokens of one call that succeeded at its first
// attempt, up to the capacity.
func (b *retryBudget) earn() { b.add(successRefill) }

// refund puts back the cost of a retry that succeeded, up to the capacity:
// a retry that worked shows the API is up, and must not leave the budget
// poorer, or a steady rate of transient errors would drain it.
func (b *retryBudget) refund() { b.add(retryCost) }

func (b *retryBudget) add(tokens int64) {
	if b == nil {
		return
	}
	for {
		have := b.tokens.Load()
		if have >= b.capacity {
			return
		}
		if b.tokens.CompareAndSwap(have, min(have+tokens, b.capacity)) {
			return
		}
	}
}

// available is the number of whole retries left, for tests and logs.
func (b *retryBudget) available() int {
	if b == nil {
		return -1
	}
	return int(b.tokens.Load() / retryCost)
}
