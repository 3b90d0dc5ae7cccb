package vaulttest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestFaultValidateAccepts(t *testing.T) {
	tests := []vaulttest.Fault{
		{},
		{Route: vaulttest.RouteListSessions},
		{Route: vaulttest.RouteLogoutAllSessions},
		{Route: vaulttest.RouteRevokeSession},
		{Route: "/users/me/sessions"},
		{Route: "/users/me/sessions/{sessionId}"},
		{Route: "  DELETE   /users/me/sessions/{sessionId} "},
		{Route: vaulttest.RouteRevokeSession, SessionID: "ses_1"},
		{Route: "/users/me/sessions/{sessionId}", SessionID: "ses_1"},
		{SessionID: "ses_1"},
		{Token: "vt_abc", UserID: "alice"},
		{Count: vaulttest.Unlimited},
		{Count: 3, Latency: time.Second},
		{Status: 400},
		{Status: 503},
		{Status: 599},
		{Status: 307, Header: http.Header{"Location": {"https://elsewhere.example/"}}},
		{Action: vaulttest.ResetBeforeResponse},
		{Action: vaulttest.ApplyThenReset, Route: vaulttest.RouteLogoutAllSessions},
		{Action: vaulttest.ApplyThenCutBody, Status: 200},
		{Action: vaulttest.ResetMidBody, Status: 503},
		{Action: vaulttest.TruncateBody, Status: 404},
		{Action: vaulttest.ProxyHTML, Status: 504},
		{Action: vaulttest.HTMLBody, Status: 401},
	}
	for _, f := range tests {
		assert.NoError(t, f.Validate(), "%+v", f)
	}
}

func TestFaultValidateRefuses(t *testing.T) {
	tests := []struct {
		name  string
		fault vaulttest.Fault
		field string
		// msg is the whole error; route and sessionID what to write
		// instead.
		msg       string
		route     string
		sessionID string
	}{
		{
			name:  "base path",
			fault: vaulttest.Fault{Route: "DELETE /api/v1/users/me/sessions/{sessionId}"},
			field: "Route",
			msg:   `fault Route "DELETE /api/v1/users/me/sessions/{sessionId}": routes are relative to the base path /api/v1; write Route "DELETE /users/me/sessions/{sessionId}"`,
			route: vaulttest.RouteRevokeSession,
		},
		{
			name:  "base path alone",
			fault: vaulttest.Fault{Route: "/api/v1/users/me/sessions"},
			field: "Route",
			route: "/users/me/sessions",
		},
		{
			name:      "a concrete session ID",
			fault:     vaulttest.Fault{Route: "DELETE /users/me/sessions/ses_1"},
			field:     "Route",
			msg:       `fault Route "DELETE /users/me/sessions/ses_1": a route is a pattern, not one session; write Route "DELETE /users/me/sessions/{sessionId}" with SessionID "ses_1"`,
			route:     vaulttest.RouteRevokeSession,
			sessionID: "ses_1",
		},
		{
			name:      "an escaped session ID",
			fault:     vaulttest.Fault{Route: "/users/me/sessions/a%2Fb"},
			field:     "Route",
			route:     "/users/me/sessions/{sessionId}",
			sessionID: "a/b",
		},
		{
			name:  "another placeholder",
			fault: vaulttest.Fault{Route: "DELETE /users/me/sessions/{id}"},
			field: "Route",
			msg:   `fault Route "DELETE /users/me/sessions/{id}": the placeholder is {sessionId}; write Route "DELETE /users/me/sessions/{sessionId}"`,
			route: vaulttest.RouteRevokeSession,
		},
		{
			name:  "a typo",
			fault: vaulttest.Fault{Route: "GET /users/me/session"},
			field: "Route",
			msg:   `fault Route "GET /users/me/session": not a route of the API, which serves "GET /users/me/sessions", "DELETE /users/me/sessions" and "DELETE /users/me/sessions/{sessionId}", GET and DELETE on the admin paths "/admin/users/{userId}/sessions" and "/admin/users/{userId}/sessions/{sessionId}", and "POST /auth/refresh" and "POST /auth/logout"`,
		},
		{name: "a path outside the API", fault: vaulttest.Fault{Route: "GET /nope"}, field: "Route"},
		{name: "a trailing slash", fault: vaulttest.Fault{Route: "/users/me/sessions/"}, field: "Route"},
		{name: "a deeper path", fault: vaulttest.Fault{Route: "/users/me/sessions/a/b"}, field: "Route"},
		{
			name:  "lower-case method",
			fault: vaulttest.Fault{Route: "get /users/me/sessions"},
			field: "Route",
			msg:   `fault Route "get /users/me/sessions": methods are upper case; write Route "GET /users/me/sessions"`,
			route: vaulttest.RouteListSessions,
		},
		{
			name:  "no leading slash, base path and ID",
			fault: vaulttest.Fault{Route: "delete api/v1/users/me/sessions/ses_1"},
			field: "Route",
			msg: `fault Route "delete api/v1/users/me/sessions/ses_1": methods are upper case; the path starts with '/'; ` +
				`routes are relative to the base path /api/v1; a route is a pattern, not one session; ` +
				`write Route "DELETE /users/me/sessions/{sessionId}" with SessionID "ses_1"`,
			route:     vaulttest.RouteRevokeSession,
			sessionID: "ses_1",
		},
		{
			name:  "a method the route does not serve",
			fault: vaulttest.Fault{Route: "POST /users/me/sessions"},
			field: "Route",
			msg:   `fault Route "POST /users/me/sessions": the API serves GET and DELETE on /users/me/sessions, not POST`,
		},
		{
			name:  "the one method of a route",
			fault: vaulttest.Fault{Route: "GET /users/me/sessions/{sessionId}"},
			field: "Route",
			msg:   `fault Route "GET /users/me/sessions/{sessionId}": the API serves DELETE on /users/me/sessions/{sessionId}, not GET; write Route "DELETE /users/me/sessions/{sessionId}"`,
			route: vaulttest.RouteRevokeSession,
		},
		{
			name:  "unknown action",
			fault: vaulttest.Fault{Action: vaulttest.ApplyThenCutBody + 1},
			field: "Action",
			msg:   "fault Action FaultAction(8): not one of the package's actions",
		},
		{name: "negative action", fault: vaulttest.Fault{Action: -1}, field: "Action"},
		{
			name:  "count",
			fault: vaulttest.Fault{Count: -2},
			field: "Count",
			msg:   "fault Count -2: must be a number of answers, zero for one, or Unlimited (-1)",
		},
		{name: "latency", fault: vaulttest.Fault{Latency: -time.Second}, field: "Latency"},
		{
			name:  "status not HTTP",
			fault: vaulttest.Fault{Status: 42},
			field: "Status",
			msg:   "fault Status 42: Respond answers an error status, 400 to 599, or a redirect, 300 to 399 but 304",
		},
		{name: "success for Respond", fault: vaulttest.Fault{Status: 200}, field: "Status"},
		{name: "informational for Respond", fault: vaulttest.Fault{Status: 100}, field: "Status"},
		{name: "not modified for Respond", fault: vaulttest.Fault{Status: 304}, field: "Status"},
		{name: "beyond 599", fault: vaulttest.Fault{Status: 600}, field: "Status"},
		{
			name:  "status for a reset",
			fault: vaulttest.Fault{Action: vaulttest.ResetBeforeResponse, Status: 503},
			field: "Status",
			msg:   "fault Status 503: ResetBeforeResponse sends no status line",
		},
		{name: "status for a lost answer", fault: vaulttest.Fault{Action: vaulttest.ApplyThenReset, Status: 200}, field: "Status"},
		{
			name:  "body fault with a redirect",
			fault: vaulttest.Fault{Action: vaulttest.ApplyThenCutBody, Status: 302},
			field: "Status",
			msg:   "fault Status 302: ApplyThenCutBody answers 200 or an error status, 400 to 599",
		},
		{name: "body fault with 204", fault: vaulttest.Fault{Action: vaulttest.TruncateBody, Status: 204}, field: "Status"},
		{name: "html with 42", fault: vaulttest.Fault{Action: vaulttest.HTMLBody, Status: 42}, field: "Status"},
		{
			name:      "session on another route",
			fault:     vaulttest.Fault{Route: vaulttest.RouteListSessions, SessionID: "ses_1"},
			field:     "SessionID",
			msg:       `fault SessionID "ses_1": selects the requests naming one session, which the route "GET /users/me/sessions" never matches; write Route "DELETE /users/me/sessions/{sessionId}" with SessionID "ses_1"`,
			route:     vaulttest.RouteRevokeSession,
			sessionID: "ses_1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fault.Validate()
			var fe *vaulttest.FaultError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, tt.field, fe.Field)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, err.Error())
			}
			assert.Equal(t, tt.route, fe.Route)
			assert.Equal(t, tt.sessionID, fe.SessionID)
			if fe.Route != "" {
				fixed := tt.fault
				fixed.Route, fixed.SessionID = fe.Route, fe.SessionID
				assert.NoError(t, fixed.Validate(), "what to write instead is accepted")
			}

			q := &vaulttest.Faults{}
			assert.PanicsWithValue(t, "vaulttest: "+err.Error(), func() {
				q.Add(vaulttest.Fault{Status: 503}, tt.fault)
			})
			assert.Zero(t, q.Pending(), "nothing is queued")
		})
	}
}

func TestFaultErrorKeepsTokenOut(t *testing.T) {
	f := vaulttest.Fault{Token: "vt_secret_token_value", Route: "GET /nope", Status: 42}
	err := f.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), f.Token)
}
