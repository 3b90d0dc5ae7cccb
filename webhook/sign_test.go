package webhook

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignIsWhatParseAccepts(t *testing.T) {
	e := &Event{ID: testID, Type: TypeSessionRevoked, Timestamp: testNow, Data: testBody}
	for _, tc := range []struct {
		name    string
		form    Form
		attempt int
		secrets []string
	}{
		{name: "timestamp form", form: FormTimestamp, secrets: []string{testSecret}},
		{name: "ID form", form: FormID, secrets: []string{testSecret}},
		{name: "a retry", form: FormTimestamp, attempt: 2, secrets: []string{testSecret}},
		{name: "two secrets while rotating", form: FormTimestamp, secrets: []string{testSecret, oldSecret}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := *e
			in.Attempt = tc.attempt
			h, err := Sign(&in, tc.form, tc.secrets...)
			require.NoError(t, err)
			assert.Equal(t, "application/json", h.Get("Content-Type"))
			assert.Equal(t, strconv.FormatInt(testNow.Unix(), 10), h.Get(HeaderTimestamp))
			assert.Len(t, strings.Split(h.Get(HeaderSignature), ","), len(tc.secrets))
			if tc.attempt == 0 {
				assert.Empty(t, h.Values(HeaderAttempt))
			}
			prefix := h.Get(HeaderTimestamp)
			if tc.form == FormID {
				prefix = testID
			}
			// The header is the one computed by hand.
			assert.Contains(t, h.Get(HeaderSignature), hmacHex(tc.secrets[0], prefix, testBody))
			for _, secret := range tc.secrets {
				got, err := (&Verifier{Secrets: []string{secret}, Now: fixedClock(testNow)}).Parse(in.Data, h)
				require.NoError(t, err)
				assert.Equal(t, &in, got)
			}
		})
	}
}

func TestSignRefuses(t *testing.T) {
	ok := Event{ID: testID, Type: TypeSessionRevoked, Timestamp: testNow, Data: testBody}
	for _, tc := range []struct {
		name    string
		edit    func(*Event)
		form    Form
		secrets []string
		want    string
	}{
		{name: "no secret", want: "no secret"},
		{name: "an empty secret", secrets: []string{testSecret, ""}, want: "empty secret"},
		{name: "no ID", edit: func(e *Event) { e.ID = "" }, want: "empty ID"},
		{name: "no type", edit: func(e *Event) { e.Type = "" }, want: "empty Type"},
		{name: "no timestamp", edit: func(e *Event) { e.Timestamp = time.Time{} }, want: "Timestamp"},
		{name: "before 1970", edit: func(e *Event) { e.Timestamp = time.Unix(-5, 0) }, want: "Timestamp"},
		{name: "negative attempt", edit: func(e *Event) { e.Attempt = -1 }, want: "negative Attempt"},
		{name: "ID of digits in the ID form", edit: func(e *Event) { e.ID = "12345" }, form: FormID, want: "digits"},
		{name: "ID with a dot in the ID form", edit: func(e *Event) { e.ID = "dlv.1" }, form: FormID, want: "characters other than"},
		{name: "unknown form", form: Form(7), want: "Form(7)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := ok
			if tc.edit != nil {
				tc.edit(&e)
			}
			secrets := tc.secrets
			if secrets == nil && tc.want != "no secret" {
				secrets = []string{testSecret}
			}
			h, err := Sign(&e, tc.form, secrets...)
			assert.Nil(t, h)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), testSecret)
		})
	}
	_, err := Sign(nil, FormTimestamp, testSecret)
	assert.ErrorContains(t, err, "nil event")
	assert.Equal(t, "timestamp", FormTimestamp.String())
	assert.Equal(t, "id", FormID.String())
}

func TestFormText(t *testing.T) {
	for _, f := range []Form{FormTimestamp, FormID} {
		text, err := f.MarshalText()
		require.NoError(t, err)
		var back Form
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, f, back)
	}
	_, err := Form(3).MarshalText()
	assert.ErrorContains(t, err, "Form(3)")
	var f Form
	assert.ErrorContains(t, f.UnmarshalText([]byte("ID")), `unknown form "ID"`)
}
