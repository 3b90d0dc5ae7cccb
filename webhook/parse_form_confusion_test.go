package webhook

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseTimestampFormNeverPassesAsIDForm holds Parse to its promise
// that a captured timestamp-form delivery cannot pass as the ID form.
//
// The two forms sign "<prefix>.<body>", and the body of a session event
// holds dots (revoked_at's fraction of a second, an email address, an IP
// address), so the signed string "<ts>.<body>" can be cut at any later
// dot: "<ts>.<body up to a dot>" taken as X-Webhook-ID and the rest as the
// body give the same HMAC. The ID is then no whole number, so Parse tries
// the ID form, which carries no time: a delivery an hour old, refused as
// stale in its own form, is accepted with an ID and a body the server
// never sent, and a Handler calls Handle with it (a fresh ID, so no
// deduplication either).
func TestParseTimestampFormNeverPassesAsIDForm(t *testing.T) {
	captured := testNow.Add(-time.Hour)
	ts := strconv.FormatInt(captured.Unix(), 10)
	signature := hmacHex(testSecret, ts, testBody)
	v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}

	// As captured, the delivery is refused: it is an hour old.
	_, err := v.Parse(testBody, signedTS(captured, testSecret, testBody))
	require.ErrorIs(t, err, ErrStaleTimestamp)

	dot := bytes.IndexByte(testBody, '.')
	require.Positive(t, dot, "the fixture body holds a dot")
	for _, tc := range []struct {
		name      string
		timestamp string // X-Webhook-Timestamp of the replay; "" for none
	}{
		{name: "no timestamp", timestamp: ""},
		{name: "the current time", timestamp: strconv.FormatInt(testNow.Unix(), 10)},
		{name: "the captured timestamp", timestamp: ts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{}
			header.Set(HeaderID, ts+"."+string(testBody[:dot]))
			header.Set(HeaderEvent, TypeSessionRevoked)
			header.Set(HeaderSignature, signature)
			if tc.timestamp != "" {
				header.Set(HeaderTimestamp, tc.timestamp)
			}
			body := testBody[dot+1:]

			e, err := v.Parse(body, header)
			if e != nil {
				t.Errorf("a timestamp-form delivery an hour old, cut at a dot of its body, was accepted as the ID form: ID %.40q..., body %.20q...", e.ID, e.Data)
			}
			assert.ErrorIs(t, err, ErrInvalidSignature)

			var calls int
			h := &Handler{Verifier: v, Handle: func(_ context.Context, _ *Event) error { calls++; return nil }}
			w := deliver(t, h, http.MethodPost, body, header)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Zero(t, calls, "Handle was called with a body the server never sent")
		})
	}
}

// TestParseIDFormCannotBeRecut checks the ID form alone: a delivery
// signed over "<id>.<body>" must not verify with its ID and body cut at
// another dot, which moves bytes of the body into the ID.
func TestParseIDFormCannotBeRecut(t *testing.T) {
	v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}
	signature := hmacHex(testSecret, testID, testBody)
	_, err := v.Parse(testBody, signedID(testNow, testSecret, testBody))
	require.NoError(t, err, "the delivery as sent verifies")

	dot := bytes.IndexByte(testBody, '.')
	require.Positive(t, dot)
	header := tsHeader(testNow, signature)
	header.Set(HeaderID, testID+"."+string(testBody[:dot]))
	e, err := v.Parse(testBody[dot+1:], header)
	if e != nil {
		t.Errorf("an ID-form delivery re-cut at a dot of its body was accepted: ID %.50q..., body %.20q...", e.ID, e.Data)
	}
	assert.ErrorIs(t, err, ErrInvalidSignature)
}

// TestParseIDFormAlphabet checks which IDs Parse takes for the ID form:
// those of ASCII letters, digits, '-' and '_', as the server's UUIDs and
// vaulttest's IDs are, but not digits alone. Any other ID, signed over
// by hand, is refused, and Sign refuses to sign it.
func TestParseIDFormAlphabet(t *testing.T) {
	v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{id: testID, ok: true},
		{id: "dlv_0001", ok: true},
		{id: "A-z_9", ok: true},
		{id: "-", ok: true},
		{id: "12345"},
		{id: "dlv.1"},
		{id: "dlv 1"},
		{id: "dlv/1"},
		{id: "dlv:1"},
		{id: "dlv,1"},
		{id: "dlv\x001"},
		{id: "dlvé"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			header := tsHeader(testNow, hmacHex(testSecret, tc.id, testBody))
			header.Set(HeaderID, tc.id)
			e, err := v.Parse(testBody, header)
			signed, signErr := Sign(&Event{ID: tc.id, Type: TypeSessionRevoked, Timestamp: testNow, Data: testBody}, FormID, testSecret)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, tc.id, e.ID)
				require.NoError(t, signErr)
				assert.Equal(t, header.Get(HeaderSignature), signed.Get(HeaderSignature))
				return
			}
			assert.Nil(t, e)
			assert.ErrorIs(t, err, ErrInvalidSignature)
			assert.Error(t, signErr)
			assert.Nil(t, signed)
		})
	}
}
