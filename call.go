package vault

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call carries one operation through go-retryablehttp's retry loop. The
// loop sends the attempts and sleeps between them; every decision is the
// call's, made once per attempt in checkRetry, the loop's CheckRetry hook:
//
//   - settle (attempt.go) reads the attempt's answer in full and makes it
//     the call's result so far;
//   - ambiguous (attempt.go) tells whether the attempt may have changed
//     the server's state although its answer was lost;
//   - nextRetry (retry.go) decides whether to retry, how long to wait and
//     whether the retry spends the Client's retry budget;
//   - outcome (below) turns the last result into what the caller gets.
//
// A Client keeps finished calls in a pool: the hooks are bound to their
// call once, so a call to the API does not allocate them again.
type call struct {
	client *Client
	rc     retryablehttp.Client
	req    retryablehttp.Request
	body   limitedReader    // the 2xx body being decoded
	json   jsonReader       // reads body, its buffers kept from call to call
	drain  io.LimitedReader // what discard drops

	op         operation
	decode     decoder
	retries    int             // retries started so far
	base       context.Context // the attempts' context, before its trace
	wire       *wire           // the current attempt's, for operations that change state
	last       attempt         // the last attempt
	pendingPay bool            // the chosen retry was paid from the budget and has not started
	lostAnswer bool            // an earlier attempt may have been applied, its answer lost
	spent      int             // retries paid from the retry budget
	waiting    bool            // checkRetry chose a retry that has not started
	wait       time.Duration   // the wait checkRetry chose
	broke      bool            // a retry was refused for want of budget
	result     error           // what the last attempt came to
}

// decoder decodes a 2xx body into the result of an operation.
type decoder interface {
	decode(*jsonReader) error
}

func newCall(c *Client) *call {
	k := &call{client: c}
	k.rc = retryablehttp.Client{
		HTTPClient:   c.httpClient,
		RetryWaitMin: c.retryWaitMin,
		RetryWaitMax: c.retryWaitMax,
		RetryMax:     c.maxRetries,
		CheckRetry:   k.checkRetry,
		Backoff:      k.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: k.prepareRetry,
	}
	return k
}

// getCall returns a call for op from the Client's pool.
func (c *Client) getCall(op operation, dec decoder) *call {
	k, _ := c.calls.Get().(*call)
	if k == nil {
		k = newCall(c)
	}
	k.op, k.decode = op, dec
	return k
}

// putCall returns a finished call to the pool, keeping nothing of it.
func (c *Client) putCall(k *call) {
	k.req = retryablehttp.Request{}
	k.body = limitedReader{}
	k.op, k.decode = operation{}, nil
	k.retries, k.spent, k.wait, k.result = 0, 0, 0, nil
	k.lostAnswer, k.waiting, k.broke = false, false, false
	k.base, k.wire, k.last, k.pendingPay = nil, nil, attempt{}, false
	c.calls.Put(k)
}

// attempts is how many attempts the call has made so far.
func (k *call) attempts() int { return k.retries + 1 }

// run sends req, which has no body, and returns the final response (its
// body already read and closed) with the call's error, if any.
func (k *call) run(req *http.Request) (*http.Response, error) {
	k.req = retryablehttp.Request{Request: req}
	resp, err := k.rc.Do(&k.req)
	if resp != nil {
		k.closeBody(resp)
	}
	if k.waiting {
		// The loop ended in a wait, on the context: the error is the
		// context's, and still reaches the answer that asked for the
		// wait. There is no final response.
		k.result, resp = &waitError{op: k.op.name, ctxErr: err, last: k.result}, nil
		k.unpay()
	}
	return resp, k.settleBudget(k.outcome(req.Context()))
}

// outcome is the error the caller gets for the last attempt's result.
// After an attempt that may have been applied (lostAnswer), a 404 to a
// revoke or a 401 to a logout is the change already made: the call
// succeeds, and its message says so. Any other error after such an
// attempt leaves the change open, and says so by matching
// ErrOutcomeUnknown.
//
// A 2xx answer of the API that does not decode (a *DecodeError, or a body
// over MaxResponseBytes) to an operation that changes state leaves the
// change open too: the API did answer success.
func (k *call) outcome(ctx context.Context) error {
	if k.result == nil {
		return nil
	}
	if !k.lostAnswer {
		if k.op.changesState() && k.last.succeeded() && maybeJSON(k.last.resp.Header.Get("Content-Type")) {
			return &unknownOutcomeError{op: k.op.name, last: k.result}
		}
		return k.result
	}
	var apiErr *APIError
	if !errors.As(k.result, &apiErr) || apiErr.StatusCode != k.op.doneStatus {
		return &unknownOutcomeError{op: k.op.name, last: k.result}
	}
	if m, ok := k.decode.(*messageBody); ok {
		m.Message = MessageEarlierAttemptApplied
	}
	k.log(ctx, slog.LevelInfo, "vault: earlier attempt took effect", nil, nil,
		slog.Int("status", apiErr.StatusCode))
	return nil
}

// unknownOutcomeError is the error of a call that failed after an
// attempt that may have made its change.
type unknownOutcomeError struct {
	op   string
	last error
}

func (e *unknownOutcomeError) Error() string {
	return "vault: " + e.op + ": outcome unknown, the change may have been made: " +
		strings.TrimPrefix(strings.TrimPrefix(e.last.Error(), "vault: "), e.op+": ")
}

func (e *unknownOutcomeError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.last} }

// settleBudget pays the call's retries back, or earns tokens, when it
// succeeded, and marks an error caused by an empty budget.
func (k *call) settleBudget(err error) error {
	switch {
	case err == nil && k.spent > 0:
		k.client.budget.refund()
	case err == nil && k.retries == 0:
		k.client.budget.earn()
	case err != nil && k.broke:
		return &budgetError{last: err}
	}
	return err
}

// unpay gives back to the budget a retry that was paid for but will not
// be sent, because the context ended first.
func (k *call) unpay() {
	if k.pendingPay {
		k.client.budget.refund()
		k.spent--
		k.pendingPay = false
	}
}

// waitError is the error of a call whose context ended while it waited
// to retry: it matches the context's error, and wraps the last attempt's
// so that errors.As still finds its *APIError and RetryAfter its wait.
type waitError struct {
	op     string
	ctxErr error
	last   error
}

func (e *waitError) Error() string {
	return "vault: " + e.op + ": " + e.ctxErr.Error() + " while waiting to retry after: " +
		strings.TrimPrefix(strings.TrimPrefix(e.last.Error(), "vault: "), e.op+": ")
}

func (e *waitError) Unwrap() []error { return []error{e.ctxErr, e.last} }

// budgetError is the error of a call stopped by an empty retry budget.
type budgetError struct{ last error }

func (e *budgetError) Error() string {
	return ErrRetryBudgetExhausted.Error() + "; last error: " + e.last.Error()
}

func (e *budgetError) Unwrap() []error { return []error{ErrRetryBudgetExhausted, e.last} }

// checkRetry is go-retryablehttp's CheckRetry, called once per attempt
// with its response or transport error. It settles the attempt and
// decides what comes next. It always answers false with a nil error when
// the call ends: the call's result, not go-retryablehttp's, is what the
// caller gets.
func (k *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := k.settle(ctx, resp, err)
	if k.ambiguous(a) {
		k.lostAnswer = true
	}
	wait, retry := k.nextRetry(ctx, a)
	if !retry {
		return false, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		// Cancelled before the wait could start: the context's error is
		// the call's, as it would be during the wait.
		k.result = &waitError{op: k.op.name, ctxErr: ctxErr, last: k.result}
		k.unpay()
		return false, nil
	}
	k.wait, k.waiting = wait, true
	return true, nil
}

// backoff is go-retryablehttp's Backoff: the wait checkRetry chose.
func (k *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return k.wait
}

// prepareRetry is go-retryablehttp's PrepareRetry, called as each retry
// starts. It gives the retry a trace of its own (see traced).
func (k *call) prepareRetry(r *http.Request) error {
	k.retries++
	k.waiting, k.pendingPay = false, false
	if k.op.changesState() {
		*r = *r.WithContext(k.traced(k.base))
	}
	return nil
}

// log records one event of the call: its outcome is the status of resp
// or, when err is set, the error.
func (k *call) log(ctx context.Context, level slog.Level, msg string, resp *http.Response, err error, extra ...slog.Attr) {
	l := k.client.logger
	if l == nil || !l.Enabled(ctx, level) {
		return
	}
	attrs := append([]slog.Attr{slog.String("operation", k.op.name), slog.Int("attempt", k.attempts())}, extra...)
	switch {
	case err != nil:
		attrs = append(attrs, slog.String("error", err.Error()))
	case resp != nil:
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

func (k *call) logStop(ctx context.Context, why string, wait time.Duration) {
	k.log(ctx, slog.LevelInfo, "vault: not retrying", nil, nil, slog.String("reason", why), slog.Duration("wait", wait))
}
