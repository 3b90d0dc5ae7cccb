package vault

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// nextRetry decides what follows an attempt: whether to retry, after how
// long a wait, and whether the retry was paid from the Client's retry
// budget. It retries network errors, bodies lost in transit and
// retryable statuses while attempts remain, unless the wait would be
// longer than RetryWaitMax or outlast the context: then the call ends at
// once with what it has, rather than sleeping towards a certain failure.
// A retry that spendsBudget must also find the budget not empty, and an
// operation must be resendable after the attempt at all.
func (k *call) nextRetry(ctx context.Context, a attempt) (wait time.Duration, paid, retry bool) {
	// Whether the attempt is worth another is its own question: a
	// context that ended meanwhile ends the call in the wait below, as
	// it would have a moment later, so that its error is the context's
	// and still reaches the attempt's.
	tries := k.tries()
	if !retryable(context.WithoutCancel(ctx), a) || tries > k.client.maxRetries {
		return 0, false, false
	}
	if !resendable(k.op, a) {
		k.logStop(ctx, "the request may have reached the server, and a second copy could undo what it did", 0)
		return 0, false, false
	}
	if ctx.Err() != nil {
		return 0, false, true // sleep reports the context's error
	}
	wait, fromServer := serverWait(a.resp, time.Now())
	if fromServer && wait > k.client.retryWaitMax {
		k.logStop(ctx, "server asked for a wait longer than RetryWaitMax", wait)
		return 0, false, false
	}
	if !fromServer {
		wait = backoff(k.client.retryWaitMin, k.client.retryWaitMax, tries)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		k.logStop(ctx, "the wait would outlast the context's deadline", wait)
		return 0, false, false
	}
	if spendsBudget(a, fromServer) {
		if !k.client.budget.spend() {
			k.broke = true
			k.logStop(ctx, "the client-side retry budget is exhausted", wait)
			return 0, false, false
		}
		k.spent++
		paid = true
	}
	attrs := []slog.Attr{slog.Duration("wait", wait)}
	if a.err != nil {
		attrs = append(attrs, slog.String("error", a.err.Error()))
	} else {
		attrs = append(attrs, slog.Int("status", a.resp.StatusCode))
	}
	k.log(ctx, slog.LevelInfo, "vault: retrying", attrs...)
	return wait, paid, true
}

// tries is the number of attempts the retries count: the attempts sent,
// but the one sent again at once with a new token after a 401 (see
// renewToken), which is no retry of a failure.
func (k *call) tries() int {
	if k.renewed {
		return k.attempts - 1
	}
	return k.attempts
}

// resendable reports whether op may be sent again after attempt a at
// all. Only an operation that is sendOnce may not: it is sent again only
// on positive proof that a never left (see neverLeft). Once a request
// may have arrived, whatever came back (an error status, a reset, a
// timeout, a cancellation), a second copy could undo what the first
// did: a refresh token sent again after it was rotated revokes its
// session.
func resendable(op operation, a attempt) bool {
	return !op.sendOnce || neverLeft(a)
}

// neverLeft reports whether there is positive proof that attempt a's
// request never reached the server: no answer came, net/http did not
// send it by itself, and either the connection could not be dialled
// (a connection refused, a failed DNS lookup) or net/http's trace saw
// the request ask for a connection and reported no connection had. The
// mere absence of a report is no proof: a RoundTripper that sends
// without net/http's transport, or on one the request's trace does not
// reach (an HTTP/3 transport, a relay through another process), reports
// nothing even when the request arrived.
func neverLeft(a attempt) bool {
	if a.resp != nil || a.wire.resent {
		return false
	}
	return dialFailed(a.err) || (a.wire.traced && !a.wire.mayHaveArrived)
}

// dialFailed reports whether err is a failure to dial the server, before
// any byte of a request could be sent.
func dialFailed(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

func (k *call) logStop(ctx context.Context, why string, wait time.Duration) {
	k.log(ctx, slog.LevelInfo, "vault: not retrying", slog.String("reason", why), slog.Duration("wait", wait))
}

// retryable reports whether an attempt is worth another: a transport
// failure or a body lost in transit that retryableError accepts, or a
// retryableStatus. A non-retryable status whose body was lost is not
// retried: its status is the answer.
func retryable(ctx context.Context, a attempt) bool {
	switch {
	case a.resp == nil:
		return retryableError(ctx, a.err)
	case a.succeeded():
		return a.err != nil && retryableError(ctx, a.err)
	default:
		return retryableStatus(a.resp.StatusCode)
	}
}

// spendsBudget reports whether a retry draws on the Client's retry
// budget, which protects an API in an outage from a fleet of retrying
// callers. A 429 that says how long to wait is no outage: rate limits are
// per token, and the server has told this caller when to come back, so
// one user's rate limit must not spend every other user's retries. Every
// other retry (5xx, a 429 without a wait, a network failure) spends.
func spendsBudget(a attempt, serverAskedWait bool) bool {
	return !(serverAskedWait && a.resp != nil && a.resp.StatusCode == http.StatusTooManyRequests)
}

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
