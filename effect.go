package vault

import (
	"mime"
	"net/http"
	"strings"
)

// effect is what an attempt did to the server's state, as far as the SDK
// can tell.
type effect int

const (
	// notApplied: the attempt did not make the change, or the operation
	// makes none that a lost answer could leave in doubt.
	notApplied effect = iota
	// maybeApplied: the request may have reached the API and made the
	// change, but its answer was lost.
	maybeApplied
	// applied: the API answered that the change is made.
	applied
)

// effectOf tells what an attempt of op did. Only an operation that
// changesState has attempts that may have been applied: a read, or a
// change the server makes idempotent, can be sent again and its last
// answer taken as it is.
//
// An attempt is applied when the API answered a 2xx that decoded, or a
// 204 No Content. It is maybeApplied when:
//
//   - net/http resent the request by itself (it does so for a request
//     with an Idempotency-Key header whose reused connection failed): the
//     first copy may have been applied, whatever the last one's answer;
//   - the transport failed after the request may have reached the
//     server: it was written in full, or a connection was had and no
//     write failure reported; for a sendOnce operation, the transport
//     failed without positive proof that the request never left (see
//     neverLeft), such as a failure to dial;
//   - a 2xx that may be the API's (see maybeJSON) did not decode: its
//     body was cut in transit, was over MaxResponseBytes, or was not
//     what the API sends; the API said success in words the SDK could
//     not read;
//   - a gateway answered 502 or 504: it may have forwarded the request
//     and lost the API's answer;
//   - the operation is sendOnce and the answer is any 5xx: the server
//     may have made the change before it failed (the Vault server
//     rotates a refresh token, then builds its answer), and the call
//     cannot find out by sending it again.
//
// Every other answer is notApplied. That includes a 500 and a 503, and
// this is a heuristic, not a guarantee: the API answers them before
// making a change or after failing to, but a server that failed after
// making it would answer the same. A 2xx with another media type, such
// as a proxy's HTML page, is not the API's answer.
//
// The rule reads net/http's httptrace reports: a caller's RoundTripper
// that retries by itself, or sends without net/http's transport, hides
// them. For a sendOnce operation, that silence counts as a request that
// may have arrived, and only a dial failure proves otherwise; for the
// others, a lost answer the trace did not see is not recognised.
func effectOf(op operation, a attempt) effect {
	switch {
	case !op.changesState():
		return notApplied
	case a.wire.resent:
		return maybeApplied
	case a.resp == nil:
		if a.wire.mayHaveArrived || (op.sendOnce && !neverLeft(a)) {
			return maybeApplied
		}
		return notApplied
	case a.succeeded():
		if a.decoded {
			return applied
		}
		if maybeJSON(a.resp.Header.Get("Content-Type")) {
			return maybeApplied
		}
		return notApplied
	case a.resp.StatusCode == http.StatusBadGateway, a.resp.StatusCode == http.StatusGatewayTimeout:
		return maybeApplied
	case op.sendOnce && a.resp.StatusCode >= 500:
		return maybeApplied
	}
	return notApplied
}

// maybeJSON reports whether a Content-Type may be the API's JSON: it is
// absent, names JSON, or cannot be read at all. A media type with a
// malformed parameter ("application/json;;") still names its type.
func maybeJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	media, _, _ := mime.ParseMediaType(contentType)
	if media == "" {
		return true // unreadable: it may be JSON
	}
	return media == "application/json" || strings.HasSuffix(media, "+json")
}
