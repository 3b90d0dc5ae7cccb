package vault

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vault-dev/vault-go/internal/redact"
)

// This file is the path of every call, read top-down:
//
//	Client.do      the hooks, when set, around send
//	Client.send    options, credential, then the call's retry loop
//	call.run       the loop: one attempt, the decisions, a wait, again
//	call.outcome   what the caller gets
//
// The loop makes each decision in one named place beside it:
//
//   - call.attempt (attempt.go) sends one request, built afresh, and reads
//     its answer in full;
//   - effectOf (effect.go) tells whether the attempt made the change, may
//     have made it although its answer was lost, or did not;
//   - call.nextRetry (retry.go) decides whether to retry, how long to wait
//     and whether the retry spends the Client's retry budget (budget.go);
//   - call.outcome (below) turns the last answer into the call's result.

// do runs one operation: it builds the request, sends it with retries and
// hands a 2xx body to dec. Every other outcome becomes an error that names
// the operation. The Hooks, when set, see the call from start to end.
func (c *Client) do(ctx context.Context, op operation, path string, opts []RequestOption, dec decoder) error {
	return c.doWith(ctx, op, path, payload{}, opts, dec)
}

// doWith is do for an operation whose request has a body.
func (c *Client) doWith(ctx context.Context, op operation, path string, body payload, opts []RequestOption, dec decoder) error {
	if ctx == nil {
		return &opError{op: op.name, err: fmt.Errorf("%w: nil context", ErrInvalidArgument)}
	}
	if c.hooks.set() {
		return c.observe(ctx, op, path, body, opts, dec)
	}
	return c.send(ctx, op, path, body, opts, dec, nil)
}

// payload is the JSON body of a request, and the secret it carries,
// which the SDK keeps out of errors, logs and captured responses as it
// does the bearer token.
type payload struct {
	json   []byte
	secret string
}

// send is do without the hooks. It fills in what the call came to in
// info, when info is not nil.
func (c *Client) send(ctx context.Context, op operation, path string, body payload, opts []RequestOption, dec decoder, info *CallInfo) error {
	ro, err := applyOptions(opts)
	if err != nil {
		return &opError{op: op.name, err: err}
	}
	if l, ok := dec.(limitsReader); ok {
		l.setLimitsDst(ro.limits) // WithSessionLimits
	}
	k := call{client: c, op: op, decode: dec, body: body.json, secret: body.secret, extra: ro.header, tenant: ro.tenant, target: c.baseURL + path}
	if op.anonymous {
		if ro.token != "" {
			return &opError{op: op.name, err: fmt.Errorf("%w: WithAccessToken: the call is sent without an access token", ErrInvalidArgument)}
		}
	} else {
		k.auth, err = c.authorization(ctx, ro.token)
		if err != nil {
			return &opError{op: op.name, err: err}
		}
		k.secret, _ = strings.CutPrefix(k.auth[0], "Bearer ")
		// A token of the source's may be refused and replaced once.
		k.fromSource = ro.token == "" && c.tokenSource != nil
	}
	if ro.query != "" {
		k.target += "?" + ro.query
	}
	if !c.ownTransport {
		// Only a transport of the caller's reads the operation: the SDK's
		// own spares the allocation.
		k.base = context.WithValue(ctx, operationKey{}, op.name)
	} else {
		k.base = ctx
	}

	// A token of the call's (WithAccessToken, TokenSource) is a user's: its
	// 401 is an expected answer, unlike one to the Client's own token. An
	// anonymous operation sends no token: its 401 refuses the credential
	// in its body (a refresh token, which a TokenRefresher holds for the
	// service), whichever Client sends it.
	userToken := !op.anonymous && (ro.token != "" || c.tokenSource != nil)
	if err := ctx.Err(); err != nil {
		// Ended before anything was sent: no attempt is made.
		err = &opError{op: op.name, err: err}
		c.logFailure(ctx, op, path, 0, userToken, err)
		return err
	}
	err = k.run(ctx)

	if info != nil {
		info.Attempts = k.attempts
		if k.lastResp != nil {
			info.StatusCode = k.lastResp.StatusCode
			info.RequestID = redact.Quoted(k.lastResp.Header.Get("X-Request-Id"), k.token())
		}
	}
	if ro.response != nil {
		*ro.response = withoutCredential(ctx, k.lastResp, k.token())
	}
	if err != nil {
		c.logFailure(ctx, op, path, k.attempts, userToken, err)
	}
	return err
}

// call is one operation on its way through the retry loop.
type call struct {
	client *Client
	op     operation
	decode decoder
	target string          // the request URL
	body   []byte          // the request's JSON body, or nil
	auth   []string        // the Authorization header's value, nil for an anonymous operation
	secret string          // the bearer token, or the secret of the body, for redaction
	extra  http.Header     // the call's own headers (WithHeader)
	tenant []string        // the call's X-Tenant-ID (WithTenant), or nil
	base   context.Context // the context the attempts are sent with

	attempts   int            // requests sent so far
	lastResp   *http.Response // the last response that arrived, its body read
	result     error          // what the last attempt came to
	lostAnswer bool           // an attempt may have made the change, its answer lost
	spent      int            // retries paid from the retry budget
	broke      bool           // a retry was refused for want of budget
	fromSource bool           // the token is the TokenSource's
	renewed    bool           // the call was sent again with a new token after a 401
}

// run is the retry loop: it sends attempts until one settles the call or
// no retry is left, and returns the call's result.
func (k *call) run(ctx context.Context) error {
	for {
		k.attempts++
		a := k.attempt()
		k.result = a.result
		if a.resp != nil {
			k.lastResp = a.resp
		}
		if effectOf(k.op, a) == maybeApplied {
			k.lostAnswer = true
		}
		if k.renewToken(ctx, a) {
			continue // at once, with the source's new token
		}

		wait, paid, retry := k.nextRetry(ctx, a)
		if !retry {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			// The context ended before the retry could be sent: the error
			// is the context's, and still reaches the answer that asked
			// for the retry. A retry not sent is not paid for.
			k.result = &waitError{op: k.op.name, ctxErr: err, last: k.result}
			if paid {
				k.client.budget.refund()
				k.spent--
			}
			break
		}
	}
	return k.settleBudget(k.outcome(ctx))
}

// sleep waits for d, or until ctx ends, whose error it then returns.
func sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// outcome is the error the caller gets for the last attempt's result.
// After an attempt that may have made the change (lostAnswer), the
// operation's doneStatus (404 to a revoke, 401 to a logout of all
// sessions) is the change already made: the call succeeds, and its
// message says so. Any other error after such an attempt leaves the
// change open, and says so by matching ErrOutcomeUnknown.
func (k *call) outcome(ctx context.Context) error {
	if k.result == nil {
		return nil
	}
	if !k.lostAnswer {
		return k.result
	}
	var apiErr *APIError
	if k.op.doneStatus == 0 || !errors.As(k.result, &apiErr) || apiErr.StatusCode != k.op.doneStatus {
		return &unknownOutcomeError{op: k.op.name, done: k.op.mayHaveDone, last: k.result}
	}
	if m, ok := k.decode.(*messageBody); ok {
		m.Message = MessageEarlierAttemptApplied
	}
	k.log(ctx, slog.LevelInfo, "vault: earlier attempt took effect", slog.Int("status", apiErr.StatusCode))
	return nil
}

// settleBudget pays the call's retries back, or earns tokens, when it
// succeeded, and marks an error caused by an empty budget.
func (k *call) settleBudget(err error) error {
	switch {
	case err == nil && k.spent > 0:
		k.client.budget.refund()
	case err == nil && k.attempts == 1:
		k.client.budget.earn()
	case err != nil && k.broke:
		return &budgetError{last: err}
	}
	return err
}

// token is the secret the call sends, the bearer token or its body's,
// for redaction.
func (k *call) token() string { return k.secret }

// log records one event of the call.
func (k *call) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	l := k.client.logger
	if l == nil || !l.Enabled(ctx, level) {
		return
	}
	attrs = append([]slog.Attr{slog.String("operation", k.op.name), slog.Int("attempt", k.attempts)}, attrs...)
	l.LogAttrs(ctx, level, msg, attrs...)
}

// unknownOutcomeError is the error of a call that failed after an
// attempt that may have made its change.
type unknownOutcomeError struct {
	op   string
	done string // what the lost attempt may have done, or ""
	last error
}

func (e *unknownOutcomeError) Error() string {
	done := e.done
	if done == "" {
		done = "the change may have been made"
	}
	return "vault: " + e.op + ": outcome unknown, " + done + ": " +
		strings.TrimPrefix(strings.TrimPrefix(e.last.Error(), "vault: "), e.op+": ")
}

func (e *unknownOutcomeError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.last} }

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
