package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The edge cases of the list's two forms and of deviceInfo, through
// ListSessions. The malformed bodies that must fail are in
// TestDecodeErrors.

// session is a minimal valid session with the given id and deviceInfo.
func session(id, deviceInfo string) string {
	return `{"id":"` + id + `","deviceInfo":` + deviceInfo + `,"mfaVerified":false,"current":false,` +
		`"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00.123Z","expiresAt":"2026-12-01T09:00:00.123456Z"}`
}

// listWith answers the list with body and returns what ListSessions read.
func listWith(t *testing.T, body string) ([]SessionResponse, SessionLimits) {
	t.Helper()
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, body)
	})
	var limits SessionLimits
	sessions, err := client.Sessions.ListSessions(context.Background(), WithSessionLimits(&limits))
	require.NoError(t, err, "body: %s", body)
	return sessions, limits
}

func TestListSessionsObjectForm(t *testing.T) {
	two := `[` + session("s1", "null") + `,` + session("s2", "{}") + `]`
	tests := []struct {
		name   string
		body   string
		ids    []string
		limits SessionLimits
	}{
		{"the server's order", `{"sessions":` + two + `,"currentSessions":2,"maxSessions":5,"warning":null}`,
			[]string{"s1", "s2"}, SessionLimits{Current: 2, Max: 5}},
		{"limits first", `{"warning":"near_limit","maxSessions":5,"currentSessions":4,"sessions":` + two + `}`,
			[]string{"s1", "s2"}, SessionLimits{Current: 4, Max: 5, Warning: WarningNearLimit}},
		{"sessions alone", `{"sessions":[]}`, []string{}, SessionLimits{}},
		{"null limits", `{"sessions":[],"currentSessions":null,"maxSessions":null,"warning":null}`, []string{}, SessionLimits{}},
		{"a warning of a newer server", `{"sessions":[],"currentSessions":9,"maxSessions":10,"warning":"over_quota"}`,
			[]string{}, SessionLimits{Current: 9, Max: 10, Warning: "over_quota"}},
		{"members of a newer server", `{"page":{"next":null,"sessions":[1]},"sessions":` + two +
			`,"tags":["a",{"sessions":null}],"total":2,"Sessions":null,"maxSessions":3}`,
			[]string{"s1", "s2"}, SessionLimits{Max: 3}},
		{"white space", " \n{ \"sessions\" : [ " + session("s1", "null") + " ] , \"maxSessions\" : 1 }\r\n",
			[]string{"s1"}, SessionLimits{Max: 1}},
		{"the spec's array", two, []string{"s1", "s2"}, SessionLimits{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sessions, limits := listWith(t, tt.body)
			require.NotNil(t, sessions)
			ids := []string{}
			for _, s := range sessions {
				ids = append(ids, s.ID)
			}
			assert.Equal(t, tt.ids, ids)
			assert.Equal(t, tt.limits, limits)
		})
	}
}

func TestListSessionsObjectFormReadsSessionsAsTheArrayDoes(t *testing.T) {
	fromArray, _ := listWith(t, sessionsJSON)
	fromObject, _ := listWith(t, `{"sessions":`+sessionsJSON+`,"currentSessions":2,"maxSessions":5,"warning":null}`)
	assert.Equal(t, fromArray, fromObject)
}

func TestDeviceInfoExtra(t *testing.T) {
	tests := []struct {
		name       string
		deviceInfo string
		want       *DeviceInfoResponse
	}{
		{"the spec's", `{"deviceType":"desktop","os":"macOS","browser":"Chrome","isMobile":false}`,
			&DeviceInfoResponse{DeviceType: DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"}},
		{"signed in with google", `{"oauth_provider":"google","hosted":true}`,
			&DeviceInfoResponse{Extra: map[string]any{"oauth_provider": "google", "hosted": true}}},
		{"a passkey", `{"auth_method":"webauthn","credential_id":"cred_1"}`,
			&DeviceInfoResponse{Extra: map[string]any{"auth_method": "webauthn", "credential_id": "cred_1"}}},
		{"an impersonation", `{"is_impersonation":true,"impersonator_id":"usr_9","impersonation_reason":"ticket 12"}`,
			&DeviceInfoResponse{Extra: map[string]any{"is_impersonation": true, "impersonator_id": "usr_9", "impersonation_reason": "ticket 12"}}},
		{"anonymous", `{"type":"anonymous","user_agent":"curl/8.5"}`,
			&DeviceInfoResponse{Extra: map[string]any{"type": "anonymous", "user_agent": "curl/8.5"}}},
		{"null members", `{"user_agent":null,"ip_address":"203.0.113.9:51234"}`,
			&DeviceInfoResponse{Extra: map[string]any{"user_agent": nil, "ip_address": "203.0.113.9:51234"}}},
		{"empty", `{}`, &DeviceInfoResponse{}},
		{"typed and free-form", `{"deviceType":"mobile","isMobile":true,"app_version":"4.2","build":1042}`,
			&DeviceInfoResponse{DeviceType: DeviceTypeMobile, IsMobile: true, Extra: map[string]any{"app_version": "4.2", "build": float64(1042)}}},
		{"nested values", `{"geo":{"country":"NZ","coords":[-36.8,174.7]},"flags":[]}`,
			&DeviceInfoResponse{Extra: map[string]any{"geo": map[string]any{"country": "NZ", "coords": []any{-36.8, 174.7}}, "flags": []any{}}}},
		{"typed member of another type", `{"os":{"name":"macOS","version":"14.2"},"browser":"Safari","isMobile":"no","deviceType":3}`,
			&DeviceInfoResponse{Browser: "Safari", Extra: map[string]any{"os": map[string]any{"name": "macOS", "version": "14.2"}, "isMobile": "no", "deviceType": float64(3)}}},
		{"typed member null", `{"os":null,"browser":null,"deviceType":null,"isMobile":null}`, &DeviceInfoResponse{}},
		{"names are matched exactly", `{"DeviceType":"desktop","device_type":"desktop","OS":"Linux"}`,
			&DeviceInfoResponse{Extra: map[string]any{"DeviceType": "desktop", "device_type": "desktop", "OS": "Linux"}}},
		{"null", `null`, nil},
		{"a string", `"Chrome on macOS"`, nil},
		{"a number", `42`, nil},
		{"a boolean", `true`, nil},
		{"an array", `[{"deviceType":"desktop"}]`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The session around it, and the next one, read as usual.
			body := `[` + session("s1", tt.deviceInfo) + `,` + session("s2", `{"os":"iOS"}`) + `]`
			for _, form := range []string{body, `{"sessions":` + body + `}`} {
				sessions, _ := listWith(t, form)
				require.Len(t, sessions, 2)
				assert.Equal(t, "s1", sessions[0].ID)
				assert.Equal(t, tt.want, sessions[0].DeviceInfo)
				assert.Equal(t, "2026-12-01T09:00:00.123456Z", sessions[0].ExpiresAt.Format("2006-01-02T15:04:05.999999Z07:00"))
				assert.Equal(t, &DeviceInfoResponse{OS: "iOS"}, sessions[1].DeviceInfo)
			}
		})
	}
}

func TestDeviceInfoResponseJSON(t *testing.T) {
	t.Run("decoding a value that is not an object fails", func(t *testing.T) {
		var d DeviceInfoResponse
		err := json.Unmarshal([]byte(`"Chrome"`), &d)
		assert.ErrorContains(t, err, "deviceInfo: expected a JSON object, got a string")
	})
	t.Run("decoding null leaves it as it is", func(t *testing.T) {
		d := DeviceInfoResponse{OS: "macOS"}
		require.NoError(t, json.Unmarshal([]byte(`null`), &d))
		assert.Equal(t, DeviceInfoResponse{OS: "macOS"}, d)
	})
	t.Run("decoding replaces what was there", func(t *testing.T) {
		d := DeviceInfoResponse{OS: "macOS", Extra: map[string]any{"old": true}}
		require.NoError(t, json.Unmarshal([]byte(`{"browser":"Chrome"}`), &d))
		assert.Equal(t, DeviceInfoResponse{Browser: "Chrome"}, d)
	})

	tests := []struct {
		name string
		d    DeviceInfoResponse
		want string
	}{
		{"the spec's members only", DeviceInfoResponse{DeviceType: DeviceTypeTablet, OS: "iPadOS"},
			`{"deviceType":"tablet","os":"iPadOS","browser":"","isMobile":false}`},
		{"with Extra: only the typed fields that are set", DeviceInfoResponse{Browser: "Chrome", Extra: map[string]any{"oauth_provider": "google"}},
			`{"browser":"Chrome","oauth_provider":"google"}`},
		{"free-form, as the Vault server sends it", DeviceInfoResponse{Extra: map[string]any{"oauth_provider": "google", "hosted": true}},
			`{"hosted":true,"oauth_provider":"google"}`},
		{"a typed field wins over Extra", DeviceInfoResponse{OS: "macOS", Extra: map[string]any{"os": "Linux"}},
			`{"os":"macOS"}`},
		{"Extra stands in for a zero typed field", DeviceInfoResponse{Extra: map[string]any{"os": map[string]any{"name": "macOS"}, "isMobile": "no"}},
			`{"isMobile":"no","os":{"name":"macOS"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range []any{tt.d, &tt.d} {
				b, err := json.Marshal(v)
				require.NoError(t, err)
				assert.JSONEq(t, tt.want, string(b))
			}
			var back DeviceInfoResponse
			require.NoError(t, json.Unmarshal([]byte(tt.want), &back))
			if !strings.Contains(tt.name, "wins") {
				assert.Equal(t, tt.d, back, "what is written reads back the same")
			}
		})
	}

	_, err := json.Marshal(DeviceInfoResponse{Extra: map[string]any{"f": func() {}}})
	assert.Error(t, err, "a value that is not JSON cannot be written")
}

func TestWithSessionLimits(t *testing.T) {
	object := `{"sessions":[],"currentSessions":4,"maxSessions":5,"warning":"near_limit"}`
	stale := SessionLimits{Current: 1, Max: 2, Warning: "stale"}
	tests := []struct {
		name   string
		status int
		body   string
		want   SessionLimits
	}{
		{"object form", 200, object, SessionLimits{Current: 4, Max: 5, Warning: WarningNearLimit}},
		{"the spec's array", 200, `[]`, SessionLimits{}},
		{"an API error", 404, `{"error":{"code":"NOT_FOUND","message":"nope"}}`, SessionLimits{}},
		{"a body that does not decode", 200, `{"sessions":[],"currentSessions":4,"maxSessions":"5"}`, SessionLimits{}},
		{"limits before a list that does not decode", 200, `{"currentSessions":4,"maxSessions":5,"sessions":[{}]}`, SessionLimits{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, tt.body)
			})
			limits := stale
			_, _ = client.Sessions.ListSessions(context.Background(), WithSessionLimits(&limits))
			assert.Equal(t, tt.want, limits)
		})
	}

	t.Run("nil is refused before sending", func(t *testing.T) {
		client, ts := setup(t)
		_, err := client.Sessions.ListSessions(context.Background(), WithSessionLimits(nil))
		assert.ErrorIs(t, err, ErrInvalidArgument)
		assert.Zero(t, ts.requests.Load())
	})

	t.Run("other operations leave it alone", func(t *testing.T) {
		client, ts := setup(t)
		ts.mux.HandleFunc("/", ok)
		limits := stale
		_, err := client.Sessions.LogoutAllSessions(context.Background(), WithSessionLimits(&limits))
		require.NoError(t, err)
		_, err = client.Sessions.RevokeSession(context.Background(), "s1", WithSessionLimits(&limits))
		require.NoError(t, err)
		assert.Equal(t, stale, limits)
	})
}

func TestDecodeBodyArrivingByteByByte(t *testing.T) {
	// A body that arrives in small pieces makes the reader move its
	// buffer between a member's name and its value: names must be read
	// before that.
	bodies := map[string][]byte{
		"the spec's list":          encodeSessions(t, 20),
		"the server's list":        encodeServerDialect(t, 20),
		"free-form deviceInfo":     []byte(`[{"id":"s1","deviceInfo":{"0":"","oauth_provider":"google","os":{"name":"macOS"},"geo":{"country":"NZ"}}}]`),
		"escaped member names":     []byte(`[{"\u0069d":"s1","deviceInfo":{"\u006fauth":"x","o\u0073":"iOS"}}]`),
		"names in another case":    []byte(`[{"ID":"s1","DeviceInfo":{"OS":"iOS"},"IPADDRESS":"203.0.113.9"}]`),
		"the object form's limits": []byte(`{"warning":"near_limit","maxSessions":5,"currentSessions":4,"sessions":[{"id":"s1"}]}`),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			whole, wholeLimits, err := decodeSessionsFrom(bytes.NewReader(body))
			require.NoError(t, err)
			pieces, pieceLimits, err := decodeSessionsFrom(iotest.OneByteReader(bytes.NewReader(body)))
			require.NoError(t, err)
			assert.Equal(t, whole, pieces)
			assert.Equal(t, wholeLimits, pieceLimits)
			want, wantLimits, err := referenceSessionList(body)
			require.NoError(t, err)
			assert.Equal(t, want, pieces)
			assert.Equal(t, wantLimits, pieceLimits)
		})
	}
}
