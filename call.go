package vault

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call carries one operation through go-retryablehttp's retry loop. The
// loop's hooks are its methods: checkRetry decides, with the context at
// hand, whether and how long to wait; backoff returns that wait;
// prepareRetry counts attempts; handleResponse reads the final body inside
// the loop, so that a connection lost mid-body is retried like one lost
// before the response.
//
// A Client keeps finished calls in a pool: the hooks are bound to their
// call once, so a call to the API does not allocate them again.
type call struct {
	client  *Client
	rc      retryablehttp.Client
	req     retryablehttp.Request
	handler retryablehttp.ResponseHandlerFunc // handleResponse, bound once
	body    limitedReader                     // the 2xx body being decoded
	drain   io.LimitedReader                  // what closeBody discards

	op      operation
	decode  decoder
	retries int           // retries started so far
	checked int           // the last attempt checkRetry has seen
	wait    time.Duration // the wait checkRetry chose for the next retry
	broke   bool          // a retry was refused for want of budget
	result  error         // the outcome handleResponse built from the final body
}

// decoder decodes a 2xx body into the result of an operation.
type decoder interface {
	decode(io.Reader) error
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
	k.handler = k.handleResponse
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
	k.retries, k.checked, k.wait, k.broke, k.result = 0, 0, 0, false, nil
	c.calls.Put(k)
}

// attempts is how many attempts the call has made so far.
func (k *call) attempts() int { return k.retries + 1 }

// run sends req, which has no body, and returns the final response (its
// body already read and closed) with the call's error, if any.
func (k *call) run(req *http.Request) (*http.Response, error) {
	k.req = retryablehttp.Request{Request: req}
	k.req.SetResponseHandler(k.handler)
	resp, err := k.rc.Do(&k.req)
	if resp != nil {
		k.closeBody(resp)
	}
	if err != nil {
		err = &opError{op: k.op.name, err: err}
	} else {
		err = k.result
	}
	switch {
	case err == nil && k.retries > 0:
		k.client.budget.refund()
	case err == nil:
		k.client.budget.earn()
	case k.broke:
		err = &budgetError{last: err}
	}
	return resp, err
}

// budgetError is the error of a call stopped by an empty retry budget.
type budgetError struct{ last error }

func (e *budgetError) Error() string {
	return ErrRetryBudgetExhausted.Error() + "; last error: " + e.last.Error()
}

func (e *budgetError) Unwrap() []error { return []error{ErrRetryBudgetExhausted, e.last} }

// handleResponse turns the final response into the call's result. It
// returns an error only when reading the body failed in transit; that
// error goes back to checkRetry like a failed attempt.
func (k *call) handleResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		body := &k.body
		body.reset(resp.Body, k.client.maxBody)
		err := k.decode.decode(body)
		switch {
		case err == nil:
			k.result = nil
		case errors.Is(err, ErrResponseTooLarge):
			k.result = &opError{op: k.op.name, err: err}
		case body.readErr != nil:
			return body.readErr
		default:
			k.result = &DecodeError{Operation: k.op.name, StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Err: err}
		}
		k.closeBody(resp)
		return nil
	}
	apiErr, err := readAPIError(resp, k.op.name, k.client.maxBody, bearerToken(resp.Request))
	if err != nil {
		return err
	}
	apiErr.Attempts = k.attempts()
	k.result = apiErr
	k.closeBody(resp)
	return nil
}

// checkRetry is go-retryablehttp's CheckRetry. It retries network errors
// and retryable statuses while attempts remain, unless the wait would be
// longer than RetryWaitMax or outlast the context: then the call ends at
// once with what it has, rather than sleeping towards a certain failure.
func (k *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	// go-retryablehttp asks again after handleResponse ran; only a body
	// lost in transit (err set) is news then.
	again := k.checked == k.attempts()
	repeated := again && err == nil
	switch {
	case !again:
		k.checked = k.attempts()
		k.log(ctx, slog.LevelDebug, "vault: attempt", resp, err)
	case err != nil:
		k.log(ctx, slog.LevelDebug, "vault: response body lost", nil, err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if repeated {
		return false, nil
	}
	var retry bool
	if err != nil {
		retry = retryableError(ctx, err)
	} else {
		retry = retryableStatus(resp.StatusCode)
	}
	if !retry || k.retries >= k.client.maxRetries {
		return false, nil
	}
	wait, fromServer := serverWait(resp, time.Now())
	if fromServer && wait > k.client.retryWaitMax {
		k.logStop(ctx, "server asked for a wait longer than RetryWaitMax", wait)
		return false, nil
	}
	if !fromServer {
		wait = backoff(k.client.retryWaitMin, k.client.retryWaitMax, k.retries+1)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		k.logStop(ctx, "the wait would outlast the context's deadline", wait)
		return false, nil
	}
	if !k.client.budget.spend() {
		k.broke = true
		k.logStop(ctx, "the client-side retry budget is exhausted", wait)
		return false, nil
	}
	k.wait = wait
	k.log(ctx, slog.LevelInfo, "vault: retrying", resp, err, slog.Duration("wait", wait))
	if resp != nil {
		// go-retryablehttp drains only 4 KiB before closing; reading the
		// rest of an error page keeps the connection in the pool.
		k.discard(resp.Body)
	}
	return true, nil
}

// backoff is go-retryablehttp's Backoff: the wait checkRetry chose.
func (k *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return k.wait
}

// prepareRetry is go-retryablehttp's PrepareRetry, called before each
// retry.
func (k *call) prepareRetry(*http.Request) error {
	k.retries++
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
