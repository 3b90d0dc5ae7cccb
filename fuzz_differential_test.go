package vault

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/iotest"

	"github.com/go-json-experiment/json/jsontext"
)

// FuzzDecodeMatchesEncodingJSON gives one body to each of the SDK's
// decoders, the admin API's included, and to its encoding/json reference (reference_json_test.go):
// both accept it or both refuse it, and what they accept decodes to the
// same value. The SDK refuses more in two cases, on purpose: a JSON
// object with two members of the same name, and nesting deeper than
// 10,000 levels counted from the top of the body (see jsonread.go). Each decoder reads the body whole and
// one byte at a time, as a slow connection delivers it.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		sessionsJSON,
		`{"sessions":` + sessionsJSON + `,"currentSessions":2,"maxSessions":5,"warning":null}`,
		`[{"ID":"a","IPADDRESS":"x","ipAddreſſ":null,"deviceinfo":{"os":"Linux"},"current":true}]`,
		`[{"id":"a","id":null}]`,
		`[{"\u0069d":"a","deviceInfo":{"\u006fs":"iOS","x":[1,-0,2.5e3,{"y":null}],"isMobile":"no"}}]`,
		`[{"id":"\xff\ud800\udc00\ud800x","userAgent":"\u00e9\ud83d\ude00"}]`,
		`[{"id":"a","createdAt":"2026-11-01T09:00:00.123456789+05:30","expiresAt":"2026-11-01T09:00:00Z"}]`,
		`[{"id":"a","createdAt":"2026-11-01T9:00:00Z"}]`,
		`[{"id":"a","deviceInfo":{"n":1e400}}]`,
		`[{"id":"a","deviceInfo":"Chrome"},{"id":"b","deviceInfo":[{}]}]`,
		`{"sessions":[],"maxSessions":1.0}`,
		`{"sessions":[],"maxSessions":5,"maxSessions":6}`,
		`{"message":"Session revoked"}`,
		`{"MESSAGE":"a","message":null}`,
		`{"error":{"code":"NOT_FOUND","message":"gone","details":{"id":"x"}}}`,
		`{"error":{"code":"A","details":{"a":1}},"ERROR":{"message":"m","Details":{"b":2}}}`,
		`{"deviceType":"desktop","os":"macOS","browser":"Chrome","isMobile":false,"oauth_provider":"google"}`,
		`[] `, `null`, ``, `[`, `[{}]`, `[null]`, `{"sessions":null}`,
		`{"sessions":[{"id":"s","userId":"usr_1","deviceFingerprint":"fp","status":"revoked"}],"currentSessions":0,"maxSessions":5}`,
		`[{"id":"s","userId":"usr_1","deviceInfo":{"oauth_provider":"google"},"status":"suspended"},{"id":"t","USERID":"usr_2","Status":null}]`,
		`{"id":"s","userId":"usr_1","status":"active","deviceFingerprint":null}`,
		`{"id":"s","status":1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, slow := range []bool{false, true} {
			src := func() io.Reader {
				if slow {
					return iotest.OneByteReader(bytes.NewReader(body))
				}
				return bytes.NewReader(body)
			}

			sessions, limits, err := decodeSessionsFrom(src())
			wantSessions, wantLimits, wantErr := referenceSessionList(body)
			agree(t, "the list", body, err, wantErr,
				reflect.DeepEqual(sessions, wantSessions) && limits == wantLimits, sessions, wantSessions)

			msg, err := decodeMessageFrom(src())
			wantMsg, wantErr := referenceMessage(body)
			agree(t, "the message", body, err, wantErr, reflect.DeepEqual(msg, wantMsg), msg, wantMsg)

			// The admin decoders, for a user ID the body may or may not
			// hold: a userId equal to it is shared, not copied.
			admins, limits, err := decodeAdminSessionsFrom(src(), "usr_1")
			wantAdmins, wantLimits, wantErr := referenceList(body, referenceAdminSessionArray)
			agree(t, "the admin list", body, err, wantErr,
				reflect.DeepEqual(admins, wantAdmins) && limits == wantLimits, admins, wantAdmins)

			admin, err := decodeAdminSessionFrom(src(), "usr_1")
			wantAdmin, wantErr := referenceAdminSession(body)
			agree(t, "the admin session", body, err, wantErr, reflect.DeepEqual(admin, wantAdmin), admin, wantAdmin)

			env, err := decodeEnvelopeFrom(src())
			wantEnv, wantErr := referenceErrorEnvelope(body)
			agree(t, "the error envelope", body, err, wantErr, reflect.DeepEqual(env, wantEnv), env, wantEnv)
		}

		info, err := decodeDeviceInfoFrom(body)
		wantInfo, wantErr := referenceDeviceInfo(body)
		agree(t, "the deviceInfo", body, err, wantErr, reflect.DeepEqual(info, wantInfo), info, wantInfo)
	})
}

// agree fails t unless the SDK's decoder (err, got) and the reference
// (wantErr, want) came to the same result; same reports whether the
// values are equal.
func agree(t *testing.T, what string, body []byte, err, wantErr error, same bool, got, want any) {
	t.Helper()
	switch {
	case err == nil && wantErr != nil:
		t.Fatalf("%s: accepted what encoding/json refuses (%v): %q\ngot %#v", what, wantErr, body, got)
	case err != nil && wantErr == nil && !stricterOnPurpose(err, body):
		t.Fatalf("%s: refused what encoding/json accepts: %v: %q", what, err, body)
	case err == nil && !same:
		t.Fatalf("%s: %q decodes to\n%#v\nencoding/json decodes it to\n%#v", what, body, got, want)
	}
}

// stricterOnPurpose reports whether the SDK refused body for one of the
// reasons it is stricter than encoding/json.
func stricterOnPurpose(err error, body []byte) bool {
	return errors.Is(err, jsontext.ErrDuplicateName) || nestingDepth(body) > maxNesting
}

// maxNesting is the deepest nesting of arrays and objects the SDK reads,
// as json.Unmarshal.
const maxNesting = 10000

// nestingDepth returns how deeply the arrays and objects of a JSON text
// nest: 1 for "[]".
func nestingDepth(body []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range body {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}
