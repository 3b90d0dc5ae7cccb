package webhook

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVerifies(t *testing.T) {
	tampered := bytes.Replace(testBody, []byte("user_revoked"), []byte("user_revokes"), 1)
	both := signedTS(testNow, testSecret, testBody).Get(HeaderSignature) + "," + signedTS(testNow, oldSecret, testBody).Get(HeaderSignature)
	for _, tc := range []struct {
		name    string
		body    []byte
		header  http.Header
		secrets []string
		want    error // nil: accepted
	}{
		{name: "timestamp form", header: signedTS(testNow, testSecret, testBody), secrets: []string{testSecret}},
		{name: "ID form", header: signedID(testNow, testSecret, testBody), secrets: []string{testSecret}},
		{name: "tampered body, timestamp form", body: tampered, header: signedTS(testNow, testSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "tampered body, ID form", body: tampered, header: signedID(testNow, testSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "body with a byte more", body: append(append([]byte{}, testBody...), '\n'), header: signedTS(testNow, testSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "empty body", body: []byte{}, header: signedTS(testNow, testSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "wrong secret", header: signedTS(testNow, oldSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "secret differing in case", header: signedTS(testNow, strings.ToUpper(testSecret), testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "rotated: signed with the old secret, both configured", header: signedTS(testNow, oldSecret, testBody), secrets: []string{testSecret, oldSecret}},
		{name: "rotated: signed with the new secret, both configured", header: signedTS(testNow, testSecret, testBody), secrets: []string{oldSecret, testSecret}},
		{name: "rotated: old secret dropped", header: signedTS(testNow, oldSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "several v1 values, the second matching", header: tsHeader(testNow, both), secrets: []string{oldSecret}},
		{name: "several v1 values, the first matching", header: tsHeader(testNow, both), secrets: []string{testSecret}},
		{name: "several v1 values, none matching", header: tsHeader(testNow, both), secrets: []string{"other"}, want: ErrInvalidSignature},
		{name: "v1 values with spaces and other schemes", header: tsHeader(testNow, "v0=abc, "+hmacHex(testSecret, strconv.FormatInt(testNow.Unix(), 10), testBody)+" ,"), secrets: []string{testSecret}},
		{name: "uppercase hex", header: tsHeader(testNow, "v1="+strings.ToUpper(strings.TrimPrefix(hmacHex(testSecret, strconv.FormatInt(testNow.Unix(), 10), testBody), "v1="))), secrets: []string{testSecret}},
		{name: "empty secrets skipped", header: signedTS(testNow, testSecret, testBody), secrets: []string{"", testSecret}},
		{name: "no secret", header: signedTS(testNow, testSecret, testBody), want: ErrInvalidSignature},
		{name: "only an empty secret", header: signedTS(testNow, "", testBody), secrets: []string{""}, want: ErrInvalidSignature},
		{name: "no signature header", header: tsHeader(testNow, ""), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "no v1 value", header: tsHeader(testNow, "v2=00"), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "v1 value too short", header: tsHeader(testNow, "v1=abcd"), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "v1 value not hex", header: tsHeader(testNow, "v1="+strings.Repeat("zz", 32)), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "signature without scheme", header: tsHeader(testNow, strings.TrimPrefix(hmacHex(testSecret, strconv.FormatInt(testNow.Unix(), 10), testBody), "v1=")), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "too many v1 values", header: tsHeader(testNow, strings.Repeat(hmacHex("x", "1", nil)+",", maxSignatures)+hmacHex(testSecret, strconv.FormatInt(testNow.Unix(), 10), testBody)), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "six minutes old", header: signedTS(testNow.Add(-6*time.Minute), testSecret, testBody), secrets: []string{testSecret}, want: ErrStaleTimestamp},
		{name: "six minutes ahead", header: signedTS(testNow.Add(6*time.Minute), testSecret, testBody), secrets: []string{testSecret}, want: ErrStaleTimestamp},
		{name: "a year old", header: signedTS(testNow.AddDate(-1, 0, 0), testSecret, testBody), secrets: []string{testSecret}, want: ErrStaleTimestamp},
		{name: "five minutes old", header: signedTS(testNow.Add(-5*time.Minute), testSecret, testBody), secrets: []string{testSecret}},
		{name: "five minutes ahead", header: signedTS(testNow.Add(5*time.Minute), testSecret, testBody), secrets: []string{testSecret}},
		{name: "ID form a day old: no timestamp check", header: signedID(testNow.Add(-24*time.Hour), testSecret, testBody), secrets: []string{testSecret}},
		{name: "stale timestamp form signed with a wrong secret", header: signedTS(testNow.Add(-time.Hour), oldSecret, testBody), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "timestamp changed after signing", header: func() http.Header {
			h := signedTS(testNow, testSecret, testBody)
			h.Set(HeaderTimestamp, strconv.FormatInt(testNow.Unix()+1, 10))
			return h
		}(), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "ID changed after signing, ID form", header: func() http.Header {
			h := signedID(testNow, testSecret, testBody)
			h.Set(HeaderID, testID+"x")
			return h
		}(), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "timestamp form without a timestamp", header: func() http.Header {
			h := signedTS(testNow, testSecret, testBody)
			h.Del(HeaderTimestamp)
			h.Del(HeaderID)
			return h
		}(), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "timestamp not a number", header: func() http.Header {
			h := tsHeader(testNow, hmacHex(testSecret, "soon", testBody))
			h.Set(HeaderTimestamp, "soon")
			h.Del(HeaderID)
			return h
		}(), secrets: []string{testSecret}, want: ErrInvalidSignature},
		{name: "signed timestamp moved into the ID: no ID form for digits", header: func() http.Header {
			// A captured timestamp-form delivery, sent again an hour later
			// with its timestamp as the ID, must not pass as the ID form.
			old := testNow.Add(-time.Hour)
			h := signedTS(old, testSecret, testBody)
			h.Set(HeaderID, strconv.FormatInt(old.Unix(), 10))
			h.Set(HeaderTimestamp, strconv.FormatInt(testNow.Unix(), 10))
			return h
		}(), secrets: []string{testSecret}, want: ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == nil {
				body = testBody
			}
			v := Verifier{Secrets: tc.secrets, Now: fixedClock(testNow)}
			e, err := v.Parse(body, tc.header)
			if tc.want == nil {
				require.NoError(t, err)
				require.NotNil(t, e)
				assert.Equal(t, testID, e.ID)
				assert.Equal(t, TypeSessionRevoked, e.Type)
				assert.Equal(t, string(body), string(e.Data))
				return
			}
			assert.Nil(t, e, "a failed Parse returns no event")
			require.ErrorIs(t, err, tc.want)
			for _, other := range []error{ErrInvalidSignature, ErrStaleTimestamp} {
				if other != tc.want {
					assert.NotErrorIs(t, err, other)
				}
			}
		})
	}
}

func TestParseEventFields(t *testing.T) {
	h := signedTS(testNow, testSecret, testBody)
	h.Set(HeaderAttempt, "3")
	e, err := (&Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}).Parse(testBody, h)
	require.NoError(t, err)
	assert.Equal(t, &Event{ID: testID, Type: TypeSessionRevoked, Timestamp: testNow, Attempt: 3, Data: testBody}, e)
	// Data is the body itself, not a copy re-encoded.
	assert.Same(t, &testBody[0], &e.Data[0])

	for _, attempt := range []string{"", "x", "-1", "99999999999999999999"} {
		h.Set(HeaderAttempt, attempt)
		e, err := (&Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}).Parse(testBody, h)
		require.NoError(t, err, attempt)
		assert.Zero(t, e.Attempt, "X-Webhook-Attempt %q", attempt)
	}

	// The ID form without a timestamp header: the zero time.
	h = signedID(testNow, testSecret, testBody)
	h.Del(HeaderTimestamp)
	e, err = Parse(testBody, h, testSecret)
	require.NoError(t, err)
	assert.True(t, e.Timestamp.IsZero())
	assert.Equal(t, testID, e.ID)
}

func TestParseDefaultsToNowAndFiveMinutes(t *testing.T) {
	now := time.Now()
	_, err := Parse(testBody, signedTS(now.Add(-4*time.Minute), testSecret, testBody), testSecret)
	assert.NoError(t, err)
	_, err = Parse(testBody, signedTS(now.Add(-6*time.Minute), testSecret, testBody), testSecret)
	assert.ErrorIs(t, err, ErrStaleTimestamp)
	_, err = Parse(testBody, signedTS(now.Add(6*time.Minute), testSecret, testBody), testSecret)
	assert.ErrorIs(t, err, ErrStaleTimestamp)
}

func TestVerifierOptions(t *testing.T) {
	t.Run("tolerance", func(t *testing.T) {
		v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow), Tolerance: time.Minute}
		_, err := v.Parse(testBody, signedTS(testNow.Add(-2*time.Minute), testSecret, testBody))
		assert.ErrorIs(t, err, ErrStaleTimestamp)
		v.Tolerance = time.Hour
		_, err = v.Parse(testBody, signedTS(testNow.Add(-59*time.Minute), testSecret, testBody))
		assert.NoError(t, err)
	})
	t.Run("clock", func(t *testing.T) {
		sent := testNow.AddDate(-2, 0, 0)
		v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(sent.Add(time.Minute))}
		_, err := v.Parse(testBody, signedTS(sent, testSecret, testBody))
		assert.NoError(t, err)
	})
	t.Run("negative tolerance", func(t *testing.T) {
		v := Verifier{Secrets: []string{testSecret}, Tolerance: -time.Second}
		e, err := v.Parse(testBody, signedTS(time.Now(), testSecret, testBody))
		assert.Nil(t, e)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "negative")
		assert.NotErrorIs(t, err, ErrInvalidSignature)
	})
	t.Run("RequireTimestamp refuses the ID form", func(t *testing.T) {
		v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow), RequireTimestamp: true}
		_, err := v.Parse(testBody, signedID(testNow, testSecret, testBody))
		assert.ErrorIs(t, err, ErrInvalidSignature)
		_, err = v.Parse(testBody, signedTS(testNow, testSecret, testBody))
		assert.NoError(t, err)
	})
	t.Run("no secret matches both sentinels", func(t *testing.T) {
		_, err := Parse(testBody, signedTS(time.Now(), testSecret, testBody))
		assert.ErrorIs(t, err, ErrNoSecret)
		assert.ErrorIs(t, err, ErrInvalidSignature)
	})
}

// TestParseErrorsHoldNoSecret checks every refusal's message for the
// secrets and for any signature, expected or received.
func TestParseErrorsHoldNoSecret(t *testing.T) {
	ts := strconv.FormatInt(testNow.Unix(), 10)
	expected := []string{
		hmacHex(testSecret, ts, testBody), hmacHex(testSecret, testID, testBody),
		hmacHex(oldSecret, ts, testBody), hmacHex(oldSecret, testID, testBody),
	}
	received := hmacHex("attacker", ts, testBody)
	headers := []http.Header{
		tsHeader(testNow, received),
		tsHeader(testNow.Add(-time.Hour), hmacHex(testSecret, strconv.FormatInt(testNow.Add(-time.Hour).Unix(), 10), testBody)),
		tsHeader(testNow, "v1=0123"),
		tsHeader(testNow, ""),
	}
	for i, h := range headers {
		_, err := (&Verifier{Secrets: []string{testSecret, oldSecret}, Now: fixedClock(testNow)}).Parse(testBody, h)
		require.Error(t, err, i)
		msg := err.Error()
		for _, secret := range []string{testSecret, oldSecret} {
			assert.NotContains(t, msg, secret)
		}
		for _, sig := range append(expected, received, h.Get(HeaderSignature)) {
			if hexSig := strings.TrimPrefix(sig, "v1="); len(hexSig) >= 4 {
				assert.NotContains(t, msg, hexSig[:4], "case %d", i)
			}
		}
	}
	assert.True(t, errors.Is(ErrNoSecret, ErrInvalidSignature))
}
