package vault

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors for errors.Is. An *APIError matches the sentinel of its
// status code, so callers can branch on the kind of failure without a type
// assertion:
//
//	if errors.Is(err, vault.ErrNotFound) { ... }
var (
	// ErrUnauthorized matches an *APIError with status 401: the token is
	// missing, invalid, expired or revoked.
	ErrUnauthorized = errors.New("vault: unauthorized")
	// ErrForbidden matches an *APIError with status 403.
	ErrForbidden = errors.New("vault: forbidden")
	// ErrNotFound matches an *APIError with status 404, such as a revoke of
	// a session that does not exist or belongs to another user.
	ErrNotFound = errors.New("vault: not found")
	// ErrRateLimited matches an *APIError with status 429.
	ErrRateLimited = errors.New("vault: rate limited")
	// ErrServer matches an *APIError with a 5xx status.
	ErrServer = errors.New("vault: server error")
	// ErrRedirect matches an *APIError with a 3xx status: the SDK never
	// follows redirects, so a redirect is reported instead of silently
	// changing the request.
	ErrRedirect = errors.New("vault: unexpected redirect")

	// ErrNoCredential is returned before any request is sent when neither
	// WithAccessToken, Configuration.TokenSource nor
	// Configuration.AccessToken supplies a token.
	ErrNoCredential = errors.New("vault: no access token configured")
	// ErrInvalidArgument is wrapped by the errors returned for bad input,
	// such as an empty or path-changing session ID or a nil context. No
	// request is sent when it is returned.
	ErrInvalidArgument = errors.New("vault: invalid argument")
	// ErrResponseTooLarge is wrapped when a response body exceeds
	// Configuration.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("vault: response body too large")
)

// APIError is the error returned for every response whose status is not
// 2xx. It carries the API's error envelope and the headers that help a
// caller decide what to do next.
//
// APIError holds no credential and is safe to log.
type APIError struct {
	// Operation names the SDK call, such as "revoke session".
	Operation string
	// StatusCode is the HTTP status of the last response.
	StatusCode int
	// Code is error.code of the body, such as "NOT_FOUND". It is empty
	// when the body was not the API's JSON envelope.
	Code string
	// Message is error.message of the body.
	Message string
	// Details is error.details of the body, when present.
	Details map[string]any
	// Body is a short excerpt of the body when it was not the API's JSON
	// envelope, such as a proxy's HTML error page.
	Body string
	// RequestID is the X-Request-Id header, when the server sent one.
	RequestID string
	// RetryAfter is the wait the server asked for on a 429 or 503, from
	// Retry-After or, on a 429 without it, X-RateLimit-Reset. Zero when the
	// server asked none.
	RetryAfter time.Duration
	// RateLimit holds the X-RateLimit-* headers of the response.
	RateLimit RateLimit
	// Attempts is how many attempts the call made. When an earlier attempt
	// may have been applied, a 404 to a revoke or a 401 to a logout is not
	// returned as an error: see MessageEarlierAttemptApplied.
	Attempts int
	// Header is the full header of the last response.
	Header http.Header
}

// Error returns a one-line summary such as
// "vault: revoke session: 404 NOT_FOUND: Resource not found".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("vault: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = e.Body
	}
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is reports whether target is the sentinel error for e's status code:
// ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer or
// ErrRedirect.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrRedirect:
		return e.StatusCode >= 300 && e.StatusCode <= 399
	}
	return false
}

// Temporary reports whether the failure is one the SDK retries: 429, 500,
// 502, 503 and 504. An error still returned after retries is temporary in
// the sense that a later call may succeed.
func (e *APIError) Temporary() bool {
	return retryableStatus(e.StatusCode)
}

// LogValue makes an APIError log as a group of its fields under log/slog.
func (e *APIError) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("operation", e.Operation),
		slog.Int("status", e.StatusCode),
		slog.String("code", e.Code),
		slog.String("message", e.Message),
		slog.Int("attempts", e.Attempts),
	}
	if e.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", e.RequestID))
	}
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retry_after", e.RetryAfter))
	}
	return slog.GroupValue(attrs...)
}

// DecodeError is returned when a 2xx response does not hold the JSON the
// operation expects: an HTML page, a truncated body, a value of the wrong
// type, or null where a list is due. The SDK never returns a zero value
// with a nil error in that case.
type DecodeError struct {
	// Operation names the SDK call, such as "list sessions".
	Operation string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// ContentType is the response's Content-Type header.
	ContentType string
	// Err is the underlying decoding error, such as the
	// *jsontext.SyntacticError (of github.com/go-json-experiment/json)
	// of a body that is not JSON, which wraps io.ErrUnexpectedEOF when
	// the body was cut short. An error whose message would quote the
	// call's token (a member name or a value that holds it) is replaced
	// by one that keeps only its message, redacted.
	Err error
}

// Error describes the operation, the status and what was wrong.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("vault: %s: %d response: invalid body (Content-Type %q): %v",
		e.Operation, e.StatusCode, e.ContentType, e.Err)
}

// Unwrap returns the underlying decoding error.
func (e *DecodeError) Unwrap() error { return e.Err }

// ArgumentError is the error of an ID refused before anything is sent,
// because it is not one path segment of its own: empty or blank, "." or
// "..", or holding a slash, backslash or control character. It matches
// ErrInvalidArgument, and tells a caller with several IDs which one was
// refused:
//
//	var ae *vault.ArgumentError
//	if errors.As(err, &ae) && ae.Argument == "user ID" { ... }
//
// IDs are no credentials: ArgumentError is safe to log.
type ArgumentError struct {
	// Argument names the refused argument as the methods' documentation
	// does: "user ID" or "session ID".
	Argument string
	// Value is the refused value.
	Value string
	// Reason says what is wrong with it, such as "contains a path
	// separator".
	Reason string
}

// Error names the argument, quotes its value unless it is blank, and
// gives the reason.
func (e *ArgumentError) Error() string {
	if strings.TrimSpace(e.Value) == "" {
		return fmt.Sprintf("%v: %s %s", ErrInvalidArgument, e.Argument, e.Reason)
	}
	return fmt.Sprintf("%v: %s %q %s", ErrInvalidArgument, e.Argument, e.Value, e.Reason)
}

// Unwrap returns ErrInvalidArgument.
func (e *ArgumentError) Unwrap() error { return ErrInvalidArgument }

// opError names the operation in front of an error that is not an
// *APIError or *DecodeError (which carry the operation themselves).
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "vault: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "vault: ")
}
func (e *opError) Unwrap() error { return e.err }
