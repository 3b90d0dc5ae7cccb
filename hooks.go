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
	// attempts' spans. A nil result keeps ctx.
	Start func(ctx context.Context, operation string) context.Context
	// End is called once as the call returns, with the context Start
	// returned (or the caller's, without Start) and what the call came
	// to.
	End func(ctx context.Context, call CallInfo)
}

// CallInfo is what a call came to, as Hooks.End sees it.
type CallInfo struct {
	// Operation names the call as its errors and log records do:
	// "list sessions", "logout all sessions" or "revoke session", and for
	// the admin API "list user sessions", "get user session", "revoke
	// user session" or "revoke all user sessions".
	Operation string
	// Attempts is the number of requests the call sent: 0 when it was
	// refused before sending, such as for an invalid session ID or a
	// missing credential.
	Attempts int
	// StatusCode is the status of the response the call ended with, or 0
	// when it ended without one (a transport failure, a context that ended
	// during a wait, a refusal). A successful call can end with a non-2xx
	// status: see MessageEarlierAttemptApplied.
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

func (h *Hooks) start(ctx context.Context, op operation) context.Context {
	if h.Start == nil {
		return ctx
	}
	if started := h.Start(ctx, op.name); started != nil {
		return started
	}
	return ctx
}

func (h *Hooks) end(ctx context.Context, info CallInfo) {
	if h.End != nil {
		h.End(ctx, info)
	}
}

// observe runs one call of op through send, between the hooks.
func (c *Client) observe(ctx context.Context, op operation, path string, opts []RequestOption, dec decoder) error {
	ctx = c.hooks.start(ctx, op)
	info := CallInfo{Operation: op.name}
	began := time.Now()
	info.Err = c.send(ctx, op, path, opts, dec, &info)
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
		ctx = c.hooks.start(ctx, op)
		c.hooks.end(ctx, CallInfo{Operation: op.name, Err: err})
	}
	return err
}
