package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderID        = "X-Webhook-ID"
	HeaderEvent     = "X-Webhook-Event"
	HeaderTimestamp = "X-Webhook-Timestamp"
	HeaderSignature = "X-Webhook-Signature"
	HeaderAttempt   = "X-Webhook-Attempt"
)

// DefaultTolerance is how far a timestamp-form signature's
// X-Webhook-Timestamp may be from now, in the past or the future, before
// [Parse] refuses the delivery as a replay: the same five minutes as
// Stripe's receivers, room for clock skew and a slow network but not for
// a delivery captured and sent again later.
const DefaultTolerance = 5 * time.Minute

// maxSignatures bounds the v1= values one header may carry, so a hostile
// header cannot make Parse compare without end. A server rotating its
// secret sends two.
const maxSignatures = 16

var (
	// ErrInvalidSignature is wrapped by Parse's error when a delivery
	// cannot be trusted: no secret was given, the signature header is
	// missing or malformed, or no signature matches any secret.
	ErrInvalidSignature = errors.New("webhook: invalid signature")
	// ErrStaleTimestamp is wrapped by Parse's error when a signature over
	// the timestamp form matches but the timestamp is further from now
	// than the tolerance: a replayed or long-delayed delivery.
	ErrStaleTimestamp = errors.New("webhook: timestamp outside the tolerance")
	// ErrNoSecret is returned when no non-empty secret was given: the
	// receiver is misconfigured. It matches ErrInvalidSignature too.
	ErrNoSecret error = noSecretError{}
)

type noSecretError struct{}

func (noSecretError) Error() string        { return "webhook: invalid signature: no secret given" }
func (noSecretError) Is(target error) bool { return target == ErrInvalidSignature }

// Parse verifies a delivery and returns its event. It checks the
// signature before it looks at the body: body is the request body exactly
// as received, header the request's header.
//
// Any of the secrets may match, so that an endpoint's secret can be
// rotated; empty secrets are skipped. The X-Webhook-Signature header may
// hold several comma-separated "v1=<hex>" values (other schemes are
// ignored) and any of them may match; comparisons take constant time.
// The signature may cover "<X-Webhook-Timestamp>.<body>", and then the
// timestamp must be within [DefaultTolerance] of now, or
// "<X-Webhook-ID>.<body>", which carries no time and so is only protected
// from replays by deduplicating, as [NewHandler] does.
//
// Each signature is read one way only, with the ID or timestamp and the
// body it was made over. A timestamp is digits alone, and an ID is taken
// for the ID form only when it is made of ASCII letters, digits, '-' and
// '_' and is not a whole number (the server's IDs are UUIDs): neither
// holds a dot, so the signed string splits at its first dot, and a prefix
// of digits is a timestamp. A delivery cut at another dot of its body, or
// a timestamp-form delivery passed off as the ID form, does not verify.
//
// The error wraps [ErrInvalidSignature] or [ErrStaleTimestamp] and never
// holds a secret or a signature. A failed Parse returns a nil *Event.
//
// Use a [Verifier] for another tolerance or clock.
func Parse(body []byte, header http.Header, secrets ...string) (*Event, error) {
	v := Verifier{Secrets: secrets}
	return v.Parse(body, header)
}

// Verifier verifies deliveries with settings other than Parse's defaults.
// Its zero value with Secrets set verifies as [Parse] does. A Verifier
// may be used by several goroutines at once if it is not changed.
type Verifier struct {
	// Secrets are the endpoint's secrets; a delivery signed with any of
	// them verifies. Empty ones are skipped.
	Secrets []string
	// Tolerance is how far a timestamp-form signature's timestamp may be
	// from now; 0 means DefaultTolerance. A negative tolerance is an
	// error.
	Tolerance time.Duration
	// Now is the clock timestamps are checked against; nil means
	// time.Now.
	Now func() time.Time
	// RequireTimestamp refuses deliveries signed over their ID, which
	// carry no time, when the sender is known to sign timestamps.
	RequireTimestamp bool
}

// Parse verifies a delivery as the package's [Parse] does, with v's
// settings.
func (v *Verifier) Parse(body []byte, header http.Header) (*Event, error) {
	if v.Tolerance < 0 {
		return nil, fmt.Errorf("webhook: negative Verifier.Tolerance %s", v.Tolerance)
	}
	if !hasSecret(v.Secrets) {
		return nil, ErrNoSecret
	}
	var sigBuf [maxSignatures][sha256.Size]byte
	sigs, err := signatures(header, &sigBuf)
	if err != nil {
		return nil, err
	}
	id := get(header, canonicalID)
	tsText := get(header, canonicalTimestamp)
	ts, tsErr := parseUnix(tsText)
	idForm := !v.RequireTimestamp && isFormID(id)
	if tsErr != nil && !idForm {
		if v.RequireTimestamp || id == "" {
			return nil, fmt.Errorf("%w: missing or malformed %s header", ErrInvalidSignature, HeaderTimestamp)
		}
		return nil, fmt.Errorf("%w: no signature matches", ErrInvalidSignature)
	}

	var mac signer
	if tsErr == nil && mac.matches(v.Secrets, tsText, body, sigs) {
		tolerance := v.Tolerance
		if tolerance == 0 {
			tolerance = DefaultTolerance
		}
		now := time.Now
		if v.Now != nil {
			now = v.Now
		}
		if d := now().Sub(ts); d > tolerance || d < -tolerance {
			return nil, fmt.Errorf("%w: %s is %s from now, more than %s", ErrStaleTimestamp, HeaderTimestamp, d.Abs().Round(time.Second), tolerance)
		}
		return newEvent(id, header, ts, body), nil
	}
	if idForm && mac.matches(v.Secrets, id, body, sigs) {
		if tsErr != nil {
			ts = time.Time{}
		}
		return newEvent(id, header, ts, body), nil
	}
	return nil, fmt.Errorf("%w: no signature matches", ErrInvalidSignature)
}

func newEvent(id string, header http.Header, ts time.Time, body []byte) *Event {
	attempt := 0
	if a := get(header, canonicalAttempt); isInteger(a) {
		if n, err := strconv.Atoi(a); err == nil {
			attempt = n
		}
	}
	return &Event{ID: id, Type: get(header, canonicalEvent), Timestamp: ts, Attempt: attempt, Data: body}
}

// The header names in net/http's canonical form, looked up without
// canonicalising them again on every delivery.
var (
	canonicalID        = http.CanonicalHeaderKey(HeaderID)
	canonicalEvent     = http.CanonicalHeaderKey(HeaderEvent)
	canonicalTimestamp = http.CanonicalHeaderKey(HeaderTimestamp)
	canonicalSignature = http.CanonicalHeaderKey(HeaderSignature)
	canonicalAttempt   = http.CanonicalHeaderKey(HeaderAttempt)
)

// get is http.Header.Get for a canonical key.
func get(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func hasSecret(secrets []string) bool {
	for _, s := range secrets {
		if s != "" {
			return true
		}
	}
	return false
}

// signatures decodes the v1= values of the signature header.
func signatures(header http.Header, buf *[maxSignatures][sha256.Size]byte) ([][sha256.Size]byte, error) {
	values := header[canonicalSignature]
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: no %s header", ErrInvalidSignature, HeaderSignature)
	}
	sigs := buf[:0]
	for _, value := range values {
		for part := range strings.SplitSeq(value, ",") {
			hexSig, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
			if !ok {
				continue // another scheme, or padding between commas
			}
			var sig [sha256.Size]byte
			if len(hexSig) != 2*sha256.Size {
				return nil, fmt.Errorf("%w: malformed %s header: a v1 value is not %d hex digits", ErrInvalidSignature, HeaderSignature, 2*sha256.Size)
			}
			if _, err := hex.Decode(sig[:], []byte(hexSig)); err != nil {
				return nil, fmt.Errorf("%w: malformed %s header: a v1 value is not hex", ErrInvalidSignature, HeaderSignature)
			}
			if len(sigs) == maxSignatures {
				return nil, fmt.Errorf("%w: more than %d v1 values in %s", ErrInvalidSignature, maxSignatures, HeaderSignature)
			}
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("%w: malformed %s header: no v1 value", ErrInvalidSignature, HeaderSignature)
	}
	return sigs, nil
}

// parseUnix reads X-Webhook-Timestamp: Unix seconds, digits only.
func parseUnix(s string) (time.Time, error) {
	if !isInteger(s) || len(s) > 18 {
		return time.Time{}, errors.New("not Unix seconds")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(n, 0), nil
}

// isFormID reports whether id may prefix an ID-form signature: ASCII
// letters, digits, '-' and '_', and not digits alone. With no dot in it,
// "<id>.<body>" has one split; with a letter, '-' or '_' in it, it is
// never a timestamp.
func isFormID(id string) bool {
	if id == "" || isInteger(id) {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isInteger(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// signer computes the HMACs of one delivery, keeping each secret's keyed
// state so that the second form costs no second key schedule.
type signer struct {
	macs    []hash.Hash
	used    bool
	inline  [2]hash.Hash // room for the usual one secret, or two while rotating
	sum     [sha256.Size]byte
	scratch [64]byte
}

// matches reports whether any signature is the HMAC of
// "<prefix>.<body>" under any secret. Every comparison is made, in
// constant time, whatever the outcome of the others.
func (s *signer) matches(secrets []string, prefix string, body []byte, sigs [][sha256.Size]byte) bool {
	if s.macs == nil {
		s.macs = s.inline[:0]
		for _, secret := range secrets {
			if secret != "" {
				s.macs = append(s.macs, hmac.New(sha256.New, []byte(secret)))
			}
		}
	}
	found := 0
	for _, m := range s.macs {
		if s.used {
			m.Reset()
		}
		if len(prefix) < len(s.scratch) {
			m.Write(append(append(s.scratch[:0], prefix...), '.'))
		} else {
			writeSigned(m, prefix, nil)
		}
		m.Write(body)
		sum := m.Sum(s.sum[:0])
		for i := range sigs {
			found |= subtleEqual(sum, sigs[i][:])
		}
	}
	s.used = true
	return found == 1
}

func subtleEqual(a, b []byte) int {
	if hmac.Equal(a, b) {
		return 1
	}
	return 0
}

// writeSigned writes the signed string "<prefix>.<body>".
func writeSigned(h hash.Hash, prefix string, body []byte) {
	io.WriteString(h, prefix)
	h.Write([]byte{'.'})
	h.Write(body)
}
