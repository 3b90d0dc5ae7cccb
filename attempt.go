package vault

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
)

// attempt is what one request on the wire came to.
type attempt struct {
	// resp is the response, its body read and closed; nil when the
	// transport failed.
	resp *http.Response
	// err is the transport failure, or why the body of resp was lost in
	// transit.
	err error
	// wire is what net/http reported of the request, for the operations
	// that trace it (see call.traced).
	wire wireReport
}

// succeeded reports whether the attempt's status was 2xx.
func (a attempt) succeeded() bool {
	return a.resp != nil && a.resp.StatusCode >= 200 && a.resp.StatusCode <= 299
}

// settle reads the answer of one attempt in full and makes it the call's
// result: nil for a 2xx body that decoded, an *APIError for any other
// status (even when its body was lost in transit: the status comes
// first), a *DecodeError for a 2xx body that arrived but does not hold
// the expected JSON, and the transport's error otherwise.
func (k *call) settle(ctx context.Context, resp *http.Response, err error) attempt {
	a := attempt{resp: resp, err: err, wire: k.wire.report()}
	if resp == nil {
		k.log(ctx, slog.LevelDebug, "vault: attempt", nil, err)
		k.result = &opError{op: k.op.name, err: err}
		k.last = a
		return a
	}
	k.log(ctx, slog.LevelDebug, "vault: attempt", resp, nil)
	if a.succeeded() {
		a.err = k.decodeBody(ctx, resp)
	} else {
		apiErr, lost := readAPIError(resp, k.op.name, k.client.maxBody, bearerToken(resp.Request))
		apiErr.Attempts = k.attempts()
		k.result = apiErr
		a.err = lost
	}
	if a.err != nil {
		k.log(ctx, slog.LevelDebug, "vault: response body lost", nil, a.err)
	}
	k.closeBody(resp)
	k.last = a
	return a
}

// decodeBody decodes a 2xx body into the call's result. It returns the
// transport error when the body was lost in transit; when the context
// ended the read, the context's error is the result.
func (k *call) decodeBody(ctx context.Context, resp *http.Response) error {
	body := &k.body
	body.reset(resp.Body, k.client.maxBody)
	k.json.reset(body)
	err := k.decode.decode(&k.json)
	k.json.release(body.read())
	switch {
	case err == nil:
		k.result = nil
	case body.tooLarge != nil:
		k.result = &opError{op: k.op.name, err: body.tooLarge}
	case body.readErr != nil:
		k.result = &opError{op: k.op.name, err: body.readErr}
		if ctxErr := ctx.Err(); ctxErr != nil {
			k.result = &opError{op: k.op.name, err: fmt.Errorf("reading response body: %w", ctxErr)}
		}
		return body.readErr
	default:
		k.result = &DecodeError{Operation: k.op.name, StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Err: err}
	}
	return nil
}

// ambiguous reports whether an attempt may have changed the server's
// state although its answer was lost, so that a later 404 or 401 is
// news about this attempt rather than a failure of the call. Only the
// operations that change state have ambiguous attempts. An attempt is
// ambiguous when:
//
//   - the transport failed after the request may have reached the
//     server: it was written in full, or a connection was had and no
//     write failure reported;
//   - net/http resent the request by itself (it does so for a request
//     with an Idempotency-Key header whose reused connection failed): the
//     first copy may have been applied, whatever the last one's answer;
//   - a 2xx answer of the API (a JSON body, or one without a
//     Content-Type) was cut in transit; a proxy's HTML page with a 2xx
//     status is not the API's answer;
//   - a gateway answered 502 or 504: it may have forwarded the request
//     and lost the API's answer. A 500 or 503 is the API's own word that
//     it did not complete the change, and is taken as such.
//
// The rule reads net/http's httptrace reports: a caller's RoundTripper
// that retries by itself, or sends without net/http's transport, hides
// them, and its lost answers are not recognised.
func (k *call) ambiguous(a attempt) bool {
	if !k.op.changesState() {
		return false
	}
	switch {
	case a.wire.resent:
		return true
	case a.resp == nil:
		return a.wire.mayHaveArrived
	case a.succeeded():
		return a.err != nil && maybeJSON(a.resp.Header.Get("Content-Type"))
	default:
		return a.resp.StatusCode == http.StatusBadGateway || a.resp.StatusCode == http.StatusGatewayTimeout
	}
}

// maybeJSON reports whether a Content-Type names JSON or is absent.
func maybeJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return media == "application/json" || strings.HasSuffix(media, "+json")
}
