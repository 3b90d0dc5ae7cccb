package vault

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	pathpkg "path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets check properties that must hold for any input; their
// seed corpora live in testdata/fuzz. Run one with, for example:
//
//	go test -run '^$' -fuzz '^FuzzRevokePath$' -fuzztime 30s .

// FuzzRevokePath holds the paths of RevokeSession and of the admin
// operations to one segment per ID, reaching no other route.
func FuzzRevokePath(f *testing.F) {
	for _, seed := range []string{"sess_1", "", ".", "..", "a/b", "%2F", "?", "#", " ", "ключ", "a\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		path, err := revokePath(id)
		if err != nil {
			if path != "" {
				t.Fatalf("error with a path: %q", path)
			}
			if p, err := adminSessionPath("usr_1", id); err == nil {
				t.Fatalf("the admin path takes the session ID RevokeSession refuses: %q", p)
			}
			if p, err := adminSessionsPath(id); err == nil {
				t.Fatalf("the admin path takes the user ID RevokeSession refuses: %q", p)
			}
			return
		}
		rest, found := strings.CutPrefix(path, sessionsPath+"/")
		if !found || rest == "" {
			t.Fatalf("path %q is not one session below %s", path, sessionsPath)
		}
		if strings.Contains(rest, "/") {
			t.Fatalf("path %q has more than one segment after the collection", path)
		}
		u, err := url.Parse("https://api.example.test/api/v1" + path)
		if err != nil {
			t.Fatalf("path %q does not parse: %v", path, err)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("path %q escapes into a query or fragment", path)
		}
		if u.EscapedPath() != "/api/v1"+path {
			t.Fatalf("path %q is sent as %q", path, u.EscapedPath())
		}
		if pathpkg.Clean(u.Path) != u.Path {
			t.Fatalf("path %q has segments a server would collapse", path)
		}
		segment, err := url.PathUnescape(rest)
		if err != nil || segment != id {
			t.Fatalf("segment %q does not unescape to the ID %q", rest, id)
		}
		if segment == "." || segment == ".." || strings.TrimSpace(segment) == "" {
			t.Fatalf("segment %q names no session", segment)
		}
		if strings.TrimSuffix(u.Path, "/") == "/api/v1"+sessionsPath {
			t.Fatalf("ID %q reaches the logout-all route", id)
		}

		// The admin paths take the same IDs, each as one segment of its
		// own.
		admin, err := adminSessionPath(id, id)
		if err != nil {
			t.Fatalf("an ID RevokeSession takes is refused as a user and session ID: %v", err)
		}
		want := adminUsersPath + rest + "/sessions/" + rest
		if admin != want {
			t.Fatalf("admin path %q, want %q", admin, want)
		}
		if list, err := adminSessionsPath(id); err != nil || list != adminUsersPath+rest+"/sessions" {
			t.Fatalf("admin list path %q, %v", list, err)
		}
	})
}

func FuzzParseErrorEnvelope(f *testing.F) {
	f.Add([]byte(`{"error":{"code":"NOT_FOUND","message":"Resource not found","details":{"id":"x"}}}`))
	f.Add([]byte(`<html>502</html>`))
	f.Add([]byte(`{"error":null}`))
	f.Add([]byte(`{"error":{"code":1}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, ok := parseErrorEnvelope(body)
		if ok && env.Code == "" && env.Message == "" {
			t.Fatal("accepted an envelope with neither code nor message")
		}
		if !ok && (env.Code != "" || env.Message != "" || env.Details != nil) {
			t.Fatal("rejected envelope leaked fields")
		}
		e := excerpt(string(body))
		if !utf8.ValidString(e) || strings.ContainsAny(e, "\r\n\t") || len(e) > excerptLen+len("…") {
			t.Fatalf("excerpt %q is not one short line of valid UTF-8", e)
		}
	})
}

func FuzzDecodeSessions(f *testing.F) {
	f.Add([]byte(sessionsJSON))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[{"id":"s","current":tr`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte(`{"sessions":` + sessionsJSON + `,"currentSessions":2,"maxSessions":5,"warning":null}`))
	f.Add([]byte(`{"sessions":null}`))
	f.Add([]byte(`{"currentSessions":1}`))
	f.Add([]byte(`[{"id":"s","deviceInfo":"Chrome"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sessions, limits, err := decodeSessionsFrom(bytes.NewReader(body))
		if err != nil {
			if sessions != nil || limits != (SessionLimits{}) {
				t.Fatal("sessions or limits with an error")
			}
			return
		}
		if sessions == nil {
			t.Fatal("nil sessions with a nil error")
		}
		for _, s := range sessions {
			if s.ID == "" {
				t.Fatal("a session without an ID was accepted")
			}
		}
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
			if limits != (SessionLimits{}) {
				t.Fatalf("limits %+v from an array", limits)
			}
			// The object form holding the same array decodes to the same
			// sessions.
			wrapped, _, err := decodeSessionsFrom(bytes.NewReader([]byte(`{"sessions":` + string(body) + `}`)))
			if err != nil {
				t.Fatalf("the array decodes, the object holding it does not: %v", err)
			}
			if a, b := mustMarshal(t, sessions), mustMarshal(t, wrapped); !bytes.Equal(a, b) {
				t.Fatalf("the object form decodes to\n%s\nthe array to\n%s", b, a)
			}
		}
	})
}

func FuzzDecodeDeviceInfo(f *testing.F) {
	f.Add([]byte(`{"deviceType":"desktop","os":"macOS","browser":"Chrome","isMobile":false}`))
	f.Add([]byte(`{"oauth_provider":"google","hosted":true}`))
	f.Add([]byte(`{"is_impersonation":true,"impersonator_id":"usr_1","impersonation_reason":"support"}`))
	f.Add([]byte(`{"user_agent":null,"ip_address":"203.0.113.9:51234"}`))
	f.Add([]byte(`{"os":{"name":"macOS"},"isMobile":"yes","browser":null}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`"Chrome"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var d DeviceInfoResponse
		if err := json.Unmarshal(body, &d); err != nil {
			return
		}
		if d.Extra != nil && len(d.Extra) == 0 {
			t.Fatal("an empty, non-nil Extra")
		}
		// What MarshalJSON writes decodes to the same value.
		first := mustMarshal(t, d)
		var again DeviceInfoResponse
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("%s does not decode: %v", first, err)
		}
		if second := mustMarshal(t, again); !bytes.Equal(first, second) {
			t.Fatalf("%s decodes and encodes again as %s", first, second)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzDecodeMessage(f *testing.F) {
	f.Add([]byte(`{"message":"Session revoked"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"message":null}`))
	f.Add([]byte(`"x"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := decodeMessageFrom(bytes.NewReader(body))
		if (err == nil) == (msg == nil) {
			t.Fatalf("message %v with error %v", msg, err)
		}
	})
}

func FuzzParseHeaders(f *testing.F) {
	f.Add("120", "100", "99", "1800000000")
	f.Add("Fri, 27 Nov 2026 12:01:00 GMT", "x", "-1", "")
	f.Add("-5", "9999999999999999999999", "0", "1.5")
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, retryAfter, limit, remaining, reset string) {
		if d, ok := ParseRetryAfter(retryAfter, now); d < 0 || (!ok && d != 0) {
			t.Fatalf("Retry-After %q gave %v, %v", retryAfter, d, ok)
		}
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("Retry-After", retryAfter)
		rl, _ := ParseRateLimit(h)
		if rl.Limit < 0 || rl.Remaining < 0 {
			t.Fatalf("negative rate limit %+v", rl)
		}
		for _, code := range []int{429, 503, 500} {
			if d, _ := serverWait(&http.Response{StatusCode: code, Header: h}, now); d < 0 {
				t.Fatalf("negative wait %v", d)
			}
		}
	})
}
