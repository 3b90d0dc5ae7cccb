package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/vault-dev/vault-go/internal/redact"
)

// jsonContentType is the Content-Type of a request body. Its capacity is
// its length, so that a RoundTripper that appends to it copies it.
var jsonContentType = []string{"application/json"}

// attempt is what one request on the wire came to.
type attempt struct {
	// resp is the response, its body read and closed; nil when the
	// transport failed.
	resp *http.Response
	// err is the transport failure, or why the body of resp was lost in
	// transit.
	err error
	// result is what the attempt means for the call: nil for a 2xx body
	// that decoded, an *APIError for any other status (even when its body
	// was lost in transit: the status comes first), a *DecodeError for a
	// 2xx body that arrived but does not hold the expected JSON, and the
	// transport's error otherwise.
	result error
	// decoded reports whether a 2xx body was read in full and decoded.
	decoded bool
	// wire is what net/http reported of the request, for the operations
	// that trace it.
	wire wireReport
}

// succeeded reports whether the attempt's status was 2xx.
func (a attempt) succeeded() bool {
	return a.resp != nil && a.resp.StatusCode >= 200 && a.resp.StatusCode <= 299
}

// attempt sends one request, built afresh so that nothing an earlier
// attempt's transport added to its headers (a cookie jar's cookies) is
// sent again, and reads the answer in full.
func (k *call) attempt() attempt {
	ctx := k.base
	var w *wire
	if k.op.changesState() {
		// The trace tells a lost answer from a request that never left
		// (see effectOf). Each attempt has a wire of its own, so that a
		// report arriving late never reaches another attempt.
		w = newWire(k.op.sendOnce)
		ctx = httptrace.WithClientTrace(ctx, &w.trace)
	}
	req, err := k.newRequest(ctx)
	if err != nil {
		return attempt{err: err, result: &opError{op: k.op.name, err: fmt.Errorf("%w: %v", ErrInvalidArgument, err)}}
	}
	resp, err := k.client.httpClient.Do(req)
	a := attempt{resp: resp, err: err}
	if resp == nil {
		a.wire = w.report()
		k.log(k.base, slog.LevelDebug, "vault: attempt", slog.String("error", err.Error()))
		a.result = &opError{op: k.op.name, err: err}
		return a
	}
	k.log(k.base, slog.LevelDebug, "vault: attempt", slog.Int("status", resp.StatusCode))
	if a.succeeded() {
		a.err, a.result = k.decodeBody(resp)
		a.decoded = a.err == nil && a.result == nil
	} else {
		apiErr, lost := readAPIError(resp, k.op.name, k.client.maxBody, k.token())
		apiErr.Attempts = k.attempts
		a.result, a.err = apiErr, lost
	}
	if a.err != nil {
		k.log(k.base, slog.LevelDebug, "vault: response body lost", slog.String("error", a.err.Error()))
	}
	k.closeBody(resp)
	// Read after the body: HTTP/2 may report the write late.
	a.wire = w.report()
	return a
}

// newRequest builds the request of one attempt.
func (k *call) newRequest(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, k.op.method, k.target, nil)
	if err != nil {
		return nil, err
	}
	if body := k.body; body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		if !k.op.sendOnce {
			// net/http may then send the request again on a new
			// connection, when a reused one failed before the request
			// was written. Without GetBody it never sends a request
			// with a body twice, not even with an Idempotency-Key. The
			// function holds the body alone, not the call, which would
			// then live on the heap.
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
	}
	for key, values := range k.client.header {
		// The Client's slices are shared, their capacity their length, so
		// that appending to one copies it.
		req.Header[key] = values
	}
	for key, values := range k.extra {
		// WithHeader adds to a Configuration header of the same name. The
		// full slice expression makes append copy rather than write into
		// the Client's shared slice.
		have := req.Header[key]
		req.Header[key] = append(have[:len(have):len(have)], values...)
	}
	if k.tenant != nil {
		req.Header["X-Tenant-Id"] = k.tenant // WithTenant: this call's, in place of TenantID
	}
	if k.auth != nil {
		req.Header["Authorization"] = k.auth
	}
	if k.body != nil {
		req.Header["Content-Type"] = jsonContentType
	}
	return req, nil
}

// decodeBody decodes a 2xx body into the call's decoder. It returns the
// transport error when the body was lost in transit, and the attempt's
// result: nil when the body decoded.
func (k *call) decodeBody(resp *http.Response) (lost, result error) {
	if resp.StatusCode == http.StatusNoContent && k.op.method != http.MethodGet && !k.op.sendOnce {
		// No body to read: the change is made (see effectOf), and its
		// message is empty. A sendOnce operation's answer is its result.
		return nil, nil
	}
	r := k.client.getReader()
	r.body.reset(resp.Body, k.client.maxBody)
	r.json.reset(&r.body)
	err := k.decode.decode(&r.json)
	body := r.body
	k.client.putReader(r)
	switch {
	case err == nil:
		return nil, nil
	case body.tooLarge != nil:
		return nil, &opError{op: k.op.name, err: body.tooLarge}
	case body.readErr != nil:
		if ctxErr := k.base.Err(); ctxErr != nil {
			return body.readErr, &opError{op: k.op.name, err: fmt.Errorf("reading response body: %w", ctxErr)}
		}
		return body.readErr, &opError{op: k.op.name, err: body.readErr}
	}
	token := k.token()
	return nil, &DecodeError{
		Operation:   k.op.name,
		StatusCode:  resp.StatusCode,
		ContentType: redact.Quoted(resp.Header.Get("Content-Type"), token),
		Err:         redactDecodeError(err, token),
	}
}

// redactDecodeError returns err without the token. A decoding error may
// quote the body: the JSON pointer of a *jsontext.SyntacticError names
// the members it was in (with "/" written "~1"), and a value that does
// not parse may be quoted whole. An error that quotes the token in any
// of those forms is replaced by one that keeps only its message,
// redacted.
func redactDecodeError(err error, token string) error {
	if !redact.Searched(token) {
		return err
	}
	msg := err.Error()
	clean := msg
	// The decoder shortens a long JSON pointer in its message, cutting a
	// long token in two: the pointer is redacted whole, then shortened.
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		if p := redactPointer(se.JSONPointer, token); p != se.JSONPointer {
			redacted := *se
			redacted.JSONPointer = p
			clean = strings.Replace(clean, se.Error(), redacted.Error(), 1)
		}
	}
	pointerForm := strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
	clean = redact.Quoted(strings.ReplaceAll(clean, pointerForm, redact.Placeholder), token)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean}
}

// redactPointer returns p with the token redacted in each of its
// reference tokens, which escape "/" as "~1" and "~" as "~0".
func redactPointer(p jsontext.Pointer, token string) jsontext.Pointer {
	parts := strings.Split(string(p), "/")
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	escape := strings.NewReplacer("~", "~0", "/", "~1")
	for i, part := range parts {
		parts[i] = escape.Replace(redact.Quoted(unescape.Replace(part), token))
	}
	return jsontext.Pointer(strings.Join(parts, "/"))
}

// redactedError stands for an error whose message quoted the token. It
// keeps the message, redacted, and drops the error itself, which would
// still print the token.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }
