package vault

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryableStatus reports whether a response status is worth another
// attempt: rate limiting and the server errors that are usually transient.
// 501 and other 5xx statuses describe a permanent condition.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests,
		http.StatusInternalServerError,
		http.StatusBadGateway,
		http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableError reports whether a transport error is worth another
// attempt. go-retryablehttp's policy already knows the permanent ones
// (bad scheme, invalid header, untrusted certificate).
func retryableError(ctx context.Context, err error) bool {
	// A server whose response headers overflow net/http's limit sends them
	// again on every attempt: the failure is the server's, not the
	// network's.
	if strings.Contains(err.Error(), "server response headers exceeded") {
		return false
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	return retry
}

// backoff returns the wait before retry number n (1 for the first retry):
// exponential from min, capped at max, with "equal jitter" so that
// callers who failed together do not retry together, while every wait is
// still at least half of the exponential step.
func backoff(min, max time.Duration, n int) time.Duration {
	step := max
	if n-1 < 62 {
		if d := min << (n - 1); d > 0 && d < max {
			step = d
		}
	}
	if step <= 0 {
		return 0
	}
	half := step / 2
	return half + rand.N(step-half+1)
}
