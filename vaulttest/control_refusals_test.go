package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestControlRefusesInputItWouldIgnore sends the control API input that
// it would take and then ignore, in part or whole: a fault that answers
// nothing as written, members an action never sends, two values for one
// header, a body of null where one is required, a member a schema
// requires left out, and refusals whose field does not name the member.
// Each must be a 400 whose field names the member, and queue nothing.
func TestControlRefusesInputItWouldIgnore(t *testing.T) {
	tests := []struct {
		name, path, body, code, field string
	}{
		{"a null fault", "/faults", `null`, "", ""},
		{"a null fault in an array", "/faults", `[{"status":503},null]`, "", ""},
		{"a code without a status, never sent", "/faults", `{"code":"MAINTENANCE"}`, "INVALID_FAULT", "code"},
		{"headers of a reset before the response, never sent", "/faults",
			`{"action":"ResetBeforeResponse","header":{"X-Debug":"1"}}`, "INVALID_FAULT", "header"},
		{"a Retry-After of a reset before the response, never sent", "/faults",
			`{"action":"ResetBeforeResponse","retryAfter":"1"}`, "INVALID_FAULT", "retryAfter"},
		{"two Retry-After values, one dropped", "/faults",
			`{"status":503,"retryAfter":"1","header":{"Retry-After":"2"}}`, "INVALID_FAULT", "header"},
		{"twice without its required events", "/deliveries/twice", `{}`, "BAD_REQUEST", "events"},
		{"a user without its required id", "/users", `{}`, "BAD_REQUEST", "id"},
		{"a token for another user than the route's", "/users/alice/tokens", `{"userId":"bob"}`, "BAD_REQUEST", "userId"},
		{"a demo of too many sessions", "/demo", `{"sessions":101}`, "BAD_REQUEST", "sessions"},
		{"a webhook without its URL, named as its secret", "/webhooks", `{}`, "BAD_REQUEST", "url"},
		{"null to a route that takes no body, or {}", "/reset", `null`, "BAD_REQUEST", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newControlServer(t)
			r := ctl(t, srv, http.MethodPost, tt.path, tt.body)
			require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
			e := decode[controlError](t, r.body)
			if tt.code != "" {
				assert.Equal(t, tt.code, e.Error.Code)
			}
			if tt.field != "" {
				assert.Equal(t, tt.field, e.Error.Field, "the member refused: %s", e.Error.Message)
			}
			assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
		})
	}
}

// TestControlRefusesAWaitTheLogCannotHold waits for more requests than
// the request log keeps: the wait could never end but by its time-out,
// so it is refused at once, naming count.
func TestControlRefusesAWaitTheLogCannotHold(t *testing.T) {
	srv := newControlServer(t, vaulttest.WithRequestLog(10))
	r := ctl(t, srv, http.MethodGet, "/requests/wait?count=11&timeout=1s", "")
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "count", decode[controlError](t, r.body).Error.Field)
}
