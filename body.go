package vault

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vault-dev/vault-go/internal/redact"
)

// errorBodyLimit bounds how much of an error response is read: the API's
// envelope is small, and a proxy's error page needs only an excerpt.
const errorBodyLimit = 64 << 10

// drainLimit bounds how much unread body is discarded to keep a
// connection reusable; past it, closing the connection is cheaper.
const drainLimit = 256 << 10

// excerptLen is how much of a non-JSON error body an *APIError keeps.
const excerptLen = 200

// limitedReader reads at most limit bytes of a body and fails with
// ErrResponseTooLarge if there is more. It records transport errors apart
// from decoding errors, so the caller can tell a lost connection from a
// malformed body.
type limitedReader struct {
	r         io.Reader
	limit     int64
	remaining int64
	probe     [1]byte
	readErr   error
	tooLarge  error // the body went past limit
}

// reset makes l read r, up to limit bytes.
func (l *limitedReader) reset(r io.Reader, limit int64) {
	*l = limitedReader{r: r, limit: limit, remaining: limit}
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.remaining <= 0 {
		n, err := l.r.Read(l.probe[:])
		if n > 0 {
			l.tooLarge = fmt.Errorf("%w: more than MaxResponseBytes (%d bytes)", ErrResponseTooLarge, l.limit)
			return 0, l.tooLarge
		}
		return 0, l.transportError(err)
	}
	if int64(len(p)) > l.remaining {
		p = p[:l.remaining]
	}
	n, err := l.r.Read(p)
	l.remaining -= int64(n)
	return n, l.transportError(err)
}

// read returns how many bytes of the body were read.
func (l *limitedReader) read() int64 { return l.limit - l.remaining }

func (l *limitedReader) transportError(err error) error {
	if err != nil && err != io.EOF {
		l.readErr = fmt.Errorf("reading response body: %w", err)
		return l.readErr
	}
	return err
}

// closeBody discards what is left of a body, up to a bound, and closes it,
// so that the connection goes back to the pool.
func (k *call) closeBody(resp *http.Response) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return
	}
	k.discard(resp.Body)
	_ = resp.Body.Close()
	resp.Body = http.NoBody
}

// discard reads and drops what is left of a body, up to a bound.
func (k *call) discard(body io.Reader) {
	r := k.client.getReader()
	r.drain = io.LimitedReader{R: body, N: min(k.client.maxBody, drainLimit)}
	_, _ = io.Copy(io.Discard, &r.drain)
	k.client.putReader(r)
}

// readAPIError builds the *APIError of a non-2xx response. A body lost in
// transit does not lose the status: the error is built from what arrived,
// and lost reports the read failure, for the log.
//
// A server that quotes the caller's token back, as some echo the request
// in their errors, must not put it into an error message: every
// occurrence of secret in the body and headers is replaced before the
// body is parsed.
func readAPIError(resp *http.Response, op string, maxBody int64, secret string) (e *APIError, lost error) {
	limit := int64(errorBodyLimit)
	if maxBody < limit {
		limit = maxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		lost = fmt.Errorf("reading response body: %w", err)
	}
	if lost != nil || int64(len(data)) == limit {
		data = []byte(redact.TrimQuotedPartial(string(data), secret))
	}
	data = redact.Bytes(data, secret)
	e = &APIError{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  redact.Quoted(resp.Header.Get("X-Request-Id"), secret),
		Header:     redact.Header(resp.Header, secret),
	}
	e.RateLimit, _ = ParseRateLimit(resp.Header)
	e.RetryAfter, _ = serverWait(resp, time.Now())
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		e.Message = "the server answered with a redirect, which the SDK does not follow"
		if loc := resp.Header.Get("Location"); loc != "" {
			if plain, err := url.PathUnescape(loc); err == nil && plain != loc && redact.String(plain, secret) != plain {
				loc = plain // the token was percent-encoded
			}
			e.Message += " (Location: " + excerpt(redact.String(loc, secret)) + ")"
		}
		return e, lost
	}
	if env, ok := parseErrorEnvelope(data); ok {
		// Decoding undoes JSON escapes, which may reveal a token the raw
		// bytes hid from redaction.
		e.Code, e.Message = redact.Quoted(env.Code, secret), redact.Quoted(env.Message, secret)
		if env.Details != nil {
			e.Details, _ = redact.Value(env.Details, secret).(map[string]any)
		}
	} else {
		// Not the envelope: the body is quoted as it came, so the token
		// is looked for in its quoted forms too.
		e.Body = excerpt(redact.Quoted(string(data), secret))
	}
	return e, lost
}

// excerpt returns the start of s on one line, in valid UTF-8 and without
// control characters, for an error message.
func excerpt(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= excerptLen {
		return s
	}
	cut := excerptLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
