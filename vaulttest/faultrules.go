package vaulttest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ValidateInput reports why f, read from outside a Go test, cannot be
// queued on a server that cuts a response not written within
// writeTimeout (zero for none), as a *FaultError, or returns nil. The
// control API of WithControlAPI and cmd/vault-mock's -fail flags check
// faults with it, so that both refuse the same faults for the same
// reasons. Besides the rules of Validate it refuses:
//
//   - a Count of zero, which Faults.Add takes for one: an input that
//     says zero is a mistake, and the error of a Count below Unlimited
//     states the same rule (at least 1, or -1), not Validate's;
//   - a Latency that leaves less than a tenth of writeTimeout, or a
//     second, to write the answer: the server could cut it, and the
//     client see a dropped connection;
//   - what the fault would never send: a Code but for Respond with a
//     Status and no Body, a Header or RetryAfter with
//     ResetBeforeResponse, and a Retry-After in Header beside RetryAfter,
//     of which one would be dropped.
func (f Fault) ValidateInput(writeTimeout time.Duration) error {
	if f.Count == 0 || f.Count < Unlimited {
		return &FaultError{Field: "Count", Value: strconv.Itoa(f.Count),
			Reason: "must be at least 1, or -1 for every matching request"}
	}
	if err := f.Validate(); err != nil {
		return err
	}
	if err := f.checkUnsent(); err != nil {
		return err
	}
	if outlasts(f.Latency, writeTimeout) {
		return &FaultError{Field: "Latency", Value: f.Latency.String(), Reason: outlastsReason(writeTimeout)}
	}
	return nil
}

// writeMargin is the time that a delay before an answer must leave of the
// server's write timeout wt for writing the answer: a tenth of it, at
// most a second.
func writeMargin(wt time.Duration) time.Duration {
	return min(time.Second, wt/10)
}

// outlasts reports whether a delay of d before an answer leaves less
// than writeMargin of the write timeout wt, if any, to write it.
func outlasts(d, wt time.Duration) bool {
	return wt > 0 && d > wt-writeMargin(wt)
}

// outlastsReason says why a delay that outlasts wt is refused.
func outlastsReason(wt time.Duration) string {
	return fmt.Sprintf("leaves less than %s of the server's write timeout of %s to write the answer, which would be cut", writeMargin(wt), wt)
}

// checkUnsent returns a *FaultError for a part of f that its answer
// would never carry, or nil.
func (f Fault) checkUnsent() error {
	if f.Code != "" && (f.Action != Respond || f.Status == 0 || f.Body != nil) {
		return &FaultError{Field: "Code", Value: strconv.Quote(f.Code),
			Reason: "is sent only in the error body of Respond with a Status and no Body"}
	}
	if f.Action == ResetBeforeResponse {
		if len(f.Header) > 0 {
			return &FaultError{Field: "Header", Value: strconv.Quote(slices.Sorted(maps.Keys(f.Header))[0]),
				Reason: "ResetBeforeResponse closes the connection before any header is sent"}
		}
		if f.RetryAfter != "" {
			return &FaultError{Field: "RetryAfter", Value: strconv.Quote(f.RetryAfter),
				Reason: "ResetBeforeResponse closes the connection before any header is sent"}
		}
	}
	if f.RetryAfter != "" {
		for name := range f.Header {
			if http.CanonicalHeaderKey(name) == "Retry-After" {
				return &FaultError{Field: "Header", Value: strconv.Quote(name),
					Reason: "gives Retry-After a second value beside RetryAfter; set one of them"}
			}
		}
	}
	return nil
}

// checkAnswer returns why the headers and body of f cannot be sent, as
// a *FaultError, or nil.
func (f Fault) checkAnswer() error {
	if f.RetryAfter != "" {
		if reason := checkRetryAfter(f.RetryAfter); reason != "" {
			return &FaultError{Field: "RetryAfter", Value: strconv.Quote(f.RetryAfter), Reason: reason}
		}
	}
	for name, values := range f.Header {
		if reason := checkHeader(name, values); reason != "" {
			return &FaultError{Field: "Header", Value: strconv.Quote(name), Reason: reason}
		}
	}
	if f.Body != nil {
		switch {
		case f.Action == Respond && f.Status == 0:
			return &FaultError{Field: "Body", Value: quoteShort(f.Body),
				Reason: "Respond without a Status serves the request as usual, with its own body; set a Status"}
		case f.Action != Respond && f.Action != ProxyHTML && f.Action != HTMLBody:
			return &FaultError{Field: "Body", Value: quoteShort(f.Body),
				Reason: f.Action.String() + " sends the body the request would have had, or none; only Respond, ProxyHTML and HTMLBody take a Body"}
		}
	}
	return nil
}

// checkRetryAfter returns why v is not a Retry-After value, or "".
func checkRetryAfter(v string) string {
	if strings.Trim(v, "0123456789") == "" && len(v) <= 10 {
		return ""
	}
	if _, err := http.ParseTime(v); err == nil {
		return ""
	}
	return `must be a number of seconds, such as "120", or an HTTP date, such as "Fri, 14 Mar 2025 09:00:00 GMT"`
}

// framingHeaders are the headers the handler sets from the answer it
// writes; a fault's value would be replaced or would break the framing.
var framingHeaders = []string{"Content-Length", "Transfer-Encoding"}

// checkHeader returns why a fault cannot send the header name with
// values, or "".
func checkHeader(name string, values []string) string {
	if !isToken(name) {
		return "is not a header name: a name is letters, digits and !#$%&'*+-.^_`|~"
	}
	canonical := http.CanonicalHeaderKey(name)
	for _, h := range framingHeaders {
		if canonical == h {
			return "is set by the server from the answer it sends"
		}
	}
	if canonical == "Retry-After" {
		for _, v := range values {
			if reason := checkRetryAfter(v); reason != "" {
				return "value " + strconv.Quote(v) + " " + reason
			}
		}
	}
	for _, v := range values {
		for _, r := range v {
			if r != '\t' && (r < ' ' || r == 0x7f) {
				return fmt.Sprintf("value %q holds a control character; a header value cannot", v)
			}
		}
	}
	return ""
}

// isToken reports whether s is a token of RFC 9110, as a header name is.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-.^_`|~", r):
		default:
			return false
		}
	}
	return true
}

// quoteShort quotes the start of b, for an error message.
func quoteShort(b []byte) string {
	const most = 40
	if len(b) > most {
		return strconv.Quote(string(b[:most]) + "...")
	}
	return strconv.Quote(string(b))
}
