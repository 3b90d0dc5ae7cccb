package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Form is what a signature covers besides the body.
type Form int

const (
	// FormTimestamp signs "<X-Webhook-Timestamp>.<body>", as the server's
	// delivery worker does. Receivers refuse it outside their tolerance.
	FormTimestamp Form = iota
	// FormID signs "<X-Webhook-ID>.<body>", as the server's other
	// delivery path does. It carries no time.
	FormID
)

// String returns "timestamp" or "id".
func (f Form) String() string {
	switch f {
	case FormTimestamp:
		return "timestamp"
	case FormID:
		return "id"
	}
	return "Form(" + strconv.Itoa(int(f)) + ")"
}

// MarshalText returns "timestamp" or "id", so that a Form reads well in
// JSON and flags.
func (f Form) MarshalText() ([]byte, error) {
	if f != FormTimestamp && f != FormID {
		return nil, fmt.Errorf("webhook: unknown %v", f)
	}
	return []byte(f.String()), nil
}

// UnmarshalText sets f from "timestamp" or "id".
func (f *Form) UnmarshalText(text []byte) error {
	switch string(text) {
	case "timestamp":
		*f = FormTimestamp
	case "id":
		*f = FormID
	default:
		return fmt.Errorf("webhook: unknown form %q: use timestamp or id", text)
	}
	return nil
}

// Sign returns the header of a delivery of e as the Vault server sends
// it: Content-Type, X-Webhook-ID, X-Webhook-Event, X-Webhook-Timestamp,
// X-Webhook-Signature with one "v1=" value per secret (several while a
// secret is rotated), and X-Webhook-Attempt when e.Attempt is not 0. The
// body to send with it is e.Data. [Parse] of e.Data and this header
// returns e again (with e.Timestamp to the second).
//
// It is for tests of a receiver, and is what package vaulttest signs
// with. It returns an error for a nil event, no secret or an empty one,
// an empty e.ID or e.Type, a zero e.Timestamp, a negative e.Attempt, an
// unknown form, and with FormID an ID that Parse never takes for the ID
// form: one of digits only, or with a character other than an ASCII
// letter, a digit, '-' or '_'.
func Sign(e *Event, form Form, secrets ...string) (http.Header, error) {
	if e == nil {
		return nil, errors.New("webhook: sign: nil event")
	}
	if len(secrets) == 0 {
		return nil, errors.New("webhook: sign: no secret")
	}
	for _, s := range secrets {
		if s == "" {
			return nil, errors.New("webhook: sign: empty secret")
		}
	}
	switch {
	case e.ID == "":
		return nil, errors.New("webhook: sign: empty ID")
	case e.Type == "":
		return nil, errors.New("webhook: sign: empty Type")
	case e.Timestamp.IsZero() || e.Timestamp.Unix() < 0:
		return nil, errors.New("webhook: sign: Timestamp is zero or before 1970")
	case e.Attempt < 0:
		return nil, errors.New("webhook: sign: negative Attempt")
	}
	ts := strconv.FormatInt(e.Timestamp.Unix(), 10)
	var prefix string
	switch form {
	case FormTimestamp:
		prefix = ts
	case FormID:
		if isInteger(e.ID) {
			return nil, fmt.Errorf("webhook: sign: an ID of digits only cannot be signed with %v", form)
		}
		if !isFormID(e.ID) {
			return nil, fmt.Errorf("webhook: sign: an ID with characters other than ASCII letters, digits, '-' and '_' cannot be signed with %v", form)
		}
		prefix = e.ID
	default:
		return nil, fmt.Errorf("webhook: sign: unknown %v", form)
	}
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		m := hmac.New(sha256.New, []byte(s))
		writeSigned(m, prefix, e.Data)
		sigs[i] = "v1=" + hex.EncodeToString(m.Sum(nil))
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(HeaderID, e.ID)
	h.Set(HeaderEvent, e.Type)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, strings.Join(sigs, ","))
	if e.Attempt != 0 {
		h.Set(HeaderAttempt, strconv.Itoa(e.Attempt))
	}
	return h, nil
}
