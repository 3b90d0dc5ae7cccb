package vault

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The SDK reads its bodies as encoding/json would decode them into its
// types (FuzzDecodeMatchesEncodingJSON holds it to that), but refuses
// two things the encoding/json reference accepts: duplicate member names,
// and in a list, nesting deeper than 10,000 levels counted from the top
// of the body. Each has its test here.

// decoders are the SDK's decoders and their encoding/json references,
// each reduced to whether it accepts a body.
var decoders = map[string]struct{ sdk, reference func([]byte) error }{
	"list": {
		func(b []byte) error { _, _, err := decodeSessionsFrom(bytes.NewReader(b)); return err },
		func(b []byte) error { _, _, err := referenceSessionList(b); return err },
	},
	"message": {
		func(b []byte) error { _, err := decodeMessageFrom(bytes.NewReader(b)); return err },
		func(b []byte) error { _, err := referenceMessage(b); return err },
	},
	"error envelope": {
		func(b []byte) error { _, err := decodeEnvelopeFrom(bytes.NewReader(b)); return err },
		func(b []byte) error { _, err := referenceErrorEnvelope(b); return err },
	},
	"deviceInfo": {
		func(b []byte) error { _, err := decodeDeviceInfoFrom(b); return err },
		func(b []byte) error { _, err := referenceDeviceInfo(b); return err },
	},
}

func TestDecodeRefusesDuplicateMemberNames(t *testing.T) {
	tests := []struct{ name, decoder, body string }{
		{"a session's id", "list", `[{"id":"a","id":"b"}]`},
		{"a session's member escaped", "list", `[{"id":"a","\u0069d":"b"}]`},
		{"a deviceInfo member", "list", `[{"id":"a","deviceInfo":{"os":"iOS","os":"Android"}}]`},
		{"a free-form deviceInfo member", "list", `[{"id":"a","deviceInfo":{"oauth_provider":"google","oauth_provider":"github"}}]`},
		{"inside a member a newer server added", "list", `[{"id":"a","tags":{"x":1,"x":2}}]`},
		{"a limit of the object form", "list", `{"sessions":[],"maxSessions":5,"maxSessions":6}`},
		{"the message", "message", `{"message":"a","message":"b"}`},
		{"the error code", "error envelope", `{"error":{"code":"A","message":"m","code":"B"}}`},
		{"the envelope's error", "error envelope", `{"error":{"code":"A"},"error":{"code":"B"}}`},
		{"deviceInfo on its own", "deviceInfo", `{"os":"iOS","os":"Android"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decoders[tt.decoder]
			require.NoError(t, d.reference([]byte(tt.body)), "encoding/json takes the last of the two")
			assert.ErrorIs(t, d.sdk([]byte(tt.body)), jsontext.ErrDuplicateName)
		})
	}

	t.Run("names that differ in case are two members", func(t *testing.T) {
		sessions, _, err := decodeSessionsFrom(strings.NewReader(`[{"id":"a","ID":"b"}]`))
		require.NoError(t, err)
		assert.Equal(t, "b", sessions[0].ID, "both match the field, and the last one counts, as with encoding/json")
	})

	t.Run("through ListSessions", func(t *testing.T) {
		client, ts := setup(t)
		ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, `[{"id":"a","current":true,"current":false}]`)
		})
		_, err := client.Sessions.ListSessions(context.Background())
		var decodeErr *DecodeError
		require.ErrorAs(t, err, &decodeErr)
		assert.ErrorIs(t, err, jsontext.ErrDuplicateName)
		assert.Contains(t, err.Error(), `duplicate object member name "current"`)
	})

	t.Run("an error envelope is no envelope", func(t *testing.T) {
		client, ts := setup(t)
		body := `{"error":{"code":"NOT_FOUND","code":"FORBIDDEN","message":"which?"}}`
		ts.mux.HandleFunc("/users/me/sessions/s1", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusNotFound, body)
		})
		_, err := client.Sessions.RevokeSession(context.Background(), "s1")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusNotFound, apiErr.StatusCode, "the status still tells what happened")
		assert.Empty(t, apiErr.Code)
		assert.Equal(t, body, apiErr.Body)
	})
}

func TestDecodeNestingLimit(t *testing.T) {
	arrays := func(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }
	// Each body nests arrays, inside a member the decoder reads past, to
	// the depth given, counted from the top of the body.
	tests := []struct {
		name, decoder string
		body          func(depth int) string
		// referenceAccepts is the deepest nesting the encoding/json
		// reference reads: a json.Decoder reading a list one session at a
		// time counts from each session.
		referenceAccepts int
	}{
		{"list", "list", func(depth int) string { return `[{"id":"a","x":` + arrays(depth-2) + `}]` }, maxNesting + 1},
		{"list in the object form", "list", func(depth int) string { return `{"sessions":[{"id":"a","x":` + arrays(depth-3) + `}]}` }, maxNesting + 2},
		{"message", "message", func(depth int) string { return `{"message":"ok","x":` + arrays(depth-1) + `}` }, maxNesting},
		{"error envelope", "error envelope", func(depth int) string { return `{"error":{"code":"A","details":{"x":` + arrays(depth-3) + `}}}` }, maxNesting},
		{"deviceInfo", "deviceInfo", func(depth int) string { return `{"os":"iOS","x":` + arrays(depth-1) + `}` }, maxNesting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decoders[tt.decoder]
			within, past := []byte(tt.body(maxNesting)), []byte(tt.body(maxNesting+1))
			require.Equal(t, maxNesting, nestingDepth(within))
			assert.NoError(t, d.sdk(within))
			err := d.sdk(past)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "exceeded max depth")

			assert.NoError(t, d.reference([]byte(tt.body(tt.referenceAccepts))))
			assert.Error(t, d.reference([]byte(tt.body(tt.referenceAccepts+1))))
		})
	}
}

func TestDecodeReadsAsEncodingJSON(t *testing.T) {
	// The rules of encoding/json the SDK keeps, beyond the common case.
	tests := []struct {
		name, body string
		check      func(*testing.T, SessionResponse)
	}{
		{"a name in another case", `[{"ID":"a","IPADDRESS":"203.0.113.9","Current":true}]`, func(t *testing.T, s SessionResponse) {
			assert.Equal(t, "a", s.ID)
			assert.Equal(t, "203.0.113.9", *s.IPAddress)
			assert.True(t, s.Current)
		}},
		{"a name folded beyond ASCII", "[{\"id\":\"a\",\"ipAddre\u017f\u017f\":\"x\"}]", func(t *testing.T, s SessionResponse) {
			require.NotNil(t, s.IPAddress, "ſ folds to s, as in strings.EqualFold")
			assert.Equal(t, "x", *s.IPAddress)
		}},
		{"an escaped name", `[{"\u0069d":"a"}]`, func(t *testing.T, s SessionResponse) { assert.Equal(t, "a", s.ID) }},
		{"null leaves a string, bool or time as it is", `[{"id":"a","ID":null,"current":true,"Current":null,"createdAt":"2026-11-01T09:00:00Z","CreatedAt":null}]`,
			func(t *testing.T, s SessionResponse) {
				assert.Equal(t, "a", s.ID)
				assert.True(t, s.Current)
				assert.Equal(t, mustTime("2026-11-01T09:00:00Z"), s.CreatedAt)
			}},
		{"null sets a pointer to nil", `[{"id":"a","userAgent":"curl","UserAgent":null,"deviceInfo":{},"DeviceInfo":null}]`,
			func(t *testing.T, s SessionResponse) {
				assert.Nil(t, s.UserAgent)
				assert.Nil(t, s.DeviceInfo)
			}},
		{"invalid UTF-8 and lone surrogates read as U+FFFD", "[{\"id\":\"a\xffb\",\"userAgent\":\"\\ud800x\\udc00\"}]",
			func(t *testing.T, s SessionResponse) {
				assert.Equal(t, "a\uFFFDb", s.ID)
				assert.Equal(t, "\uFFFDx\uFFFD", *s.UserAgent)
			}},
		{"a surrogate pair", `[{"id":"\ud83d\ude00"}]`, func(t *testing.T, s SessionResponse) { assert.Equal(t, "😀", s.ID) }},
		{"typed deviceInfo members are matched exactly", `[{"id":"a","deviceInfo":{"OS":"iOS","os":"Android"}}]`,
			func(t *testing.T, s SessionResponse) {
				assert.Equal(t, &DeviceInfoResponse{OS: "Android", Extra: map[string]any{"OS": "iOS"}}, s.DeviceInfo)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sessions, _, err := decodeSessionsFrom(strings.NewReader(tt.body))
			require.NoError(t, err)
			require.Len(t, sessions, 1)
			tt.check(t, sessions[0])
			want, _, err := referenceSessionList([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, want, sessions, "as encoding/json decodes it")
		})
	}
}
