package vault

import (
	"context"
	"time"
)

// Hooks observe the calls of a Client, for tracing and metrics: the Go
// counterpart of the TypeScript SDK's middleware (pre, post and onError
// around each fetch), around each call rather than each attempt. A call
// is one method call, such as one ListSessions, however many attempts it
// makes. RevokeOtherSessions is not a call of its own: its list and each
// of its revocations are.
//
// The attempts themselves are HTTP requests whose context carries the
// call's operation (see OperationFromContext), so that a RoundTripper in
// Configuration.HTTPClient, such as OpenTelemetry's otelhttp, can name
// what it records for each one.
//
// Either hook may be nil. They run on the goroutine of the call, for
// many calls at once when the Client is shared, and must not keep the
// context past End. RevokeOtherSessions makes its revocations from
// goroutines of its own; a hook's panic there is raised again on the
// caller's goroutine once every revocation has ended. With neither hook
// set, a call does no work for them.
type Hooks struct {
	// Start is called as a call begins, before its credential is
	// resolved, with the operation's name. The context it returns is the
	// call's from then on: the call's attempts are sent with it and End
	// receives it, so that a span started here is the parent of the
	// attempts' spans. A nil result keeps ctx. It should derive its
	// result from ctx; one that does not still ends with the caller's
	// cancellation and deadline, which the SDK adds to it.
	Start func(ctx context.Context, operation string) context.Context
	// End is called once as the call returns, with the context Start
	// returned (or the caller's, without Start) and what the call came
	// to.
	End func(ctx context.Context, call CallInfo)
}

// CallInfo is what a call came to, as Hooks.End sees it.
type CallInfo struct {
	// Operation names the call as its errors and log records do:
	// "list sessions", "logout all sessions" or "revoke session", for
	// the admin API "list user sessions", "get user session", "revoke
	// user session" or "revoke all user sessions", and "refresh token" or
	// "logout" for Client.Auth.
	Operation string
	// Attempts is the number of requests the call sent: 0 when it was
	// refused before sending, such as for an invalid session ID or a
	// missing credential.
	Attempts int
	// StatusCode is the status of the last response that arrived,
	// whatever ended the call afterwards (a transport failure on a later
	// attempt, a context that ended during the wait before a retry), or 0
	// when none arrived (a refusal, a transport failure on every
	// attempt). A successful call can end with a non-2xx status: see
	// MessageEarlierAttemptApplied.
	StatusCode int
	// RequestID is the X-Request-Id header of that response, if any.
	RequestID string
	// Duration is the time the call took, its attempts and the waits
	// between them included.
	Duration time.Duration
	// Err is the error the call returns, nil on success.
	Err error
}

// operationKey is the context key of the operation of a request.
type operationKey struct{}

// OperationFromContext returns the operation of a request the SDK sends,
// such as "list sessions", from the request's context: the context that a
// RoundTripper given in Configuration.HTTPClient sees for every attempt.
// It reports false for any other context.
func OperationFromContext(ctx context.Context) (string, bool) {
	op, ok := ctx.Value(operationKey{}).(string)
	return op, ok
}

// set reports whether any hook is set.
func (h *Hooks) set() bool { return h.Start != nil || h.End != nil }

// start runs Start. It returns the call's context, and a function that
// lets go of what start set up, to be called as the call ends.
//
// A Start that returns a context not derived from ctx would drop the
// caller's deadline and cancellation without a word: the caller's
// cancellation then still ends the call, and its deadline bounds it, on
// top of whatever the returned context carries.
func (h *Hooks) start(ctx context.Context, op operation) (context.Context, func()) {
	if h.Start == nil {
		return ctx, func() {}
	}
	started := h.Start(ctx, op.name)
	if started == nil || ctx.Done() == nil || started.Done() == ctx.Done() {
		// Derived, or nothing of the caller's to keep.
		if started == nil {
			started = ctx
		}
		return started, func() {}
	}
	merged, cancel := context.WithCancelCause(started)
	stop := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	if ctx.Err() != nil {
		// AfterFunc runs its function on a goroutine of its own, later:
		// a call whose caller has already gone must not send meanwhile.
		cancel(context.Cause(ctx))
	}
	if deadline, ok := ctx.Deadline(); ok {
		var cancelDeadline context.CancelFunc
		merged, cancelDeadline = context.WithDeadlineCause(merged, deadline, context.DeadlineExceeded)
		return merged, func() { cancelDeadline(); stop(); cancel(nil) }
	}
	return merged, func() { stop(); cancel(nil) }
}

func (h *Hooks) end(ctx context.Context, info CallInfo) {
	if h.End != nil {
		h.End(ctx, info)
	}
}

// observe runs one call of op through send, between the hooks.
func (c *Client) observe(ctx context.Context, op operation, path string, body payload, opts []RequestOption, dec decoder) error {
	ctx, done := c.hooks.start(ctx, op)
	defer done()
	info := CallInfo{Operation: op.name}
	began := time.Now()
	info.Err = c.send(ctx, op, path, body, opts, dec, &info)
	info.Duration = time.Since(began)
	c.hooks.end(ctx, info)
	return info.Err
}

// refuse returns the error of a call refused before it reached do, such
// as a revoke of an invalid session ID, and shows the call to the hooks
// like any other.
func (c *Client) refuse(ctx context.Context, op operation, err error) error {
	err = &opError{op: op.name, err: err}
	if ctx != nil && c.hooks.set() {
		ctx, done := c.hooks.start(ctx, op)
		defer done() // even if End panics
		c.hooks.end(ctx, CallInfo{Operation: op.name, Err: err})
	}
	return err
}
