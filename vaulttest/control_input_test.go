package vaulttest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestControlInputRules sends the control API what a test suite in
// another language gets wrong, and checks that each is refused with a
// 400 that names the member or parameter, and changes nothing.
func TestControlInputRules(t *testing.T) {
	srv := newControlServerWith(t, vaulttest.ControlOptions{WriteTimeout: time.Minute})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_alice", Token: "tok_alice_0001"})
	srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})
	tests := []struct {
		name, method, path, body string
		code, field              string
		message                  string // part of the message, if not empty
	}{
		// Members are matched exactly.
		{name: "a member in another case", method: "POST", path: "/faults", body: `{"Status":500}`,
			code: "BAD_REQUEST", field: "Status", message: `unknown member "Status": member names are case-sensitive; write "status"`},
		{name: "the issue's case-variant members", method: "POST", path: "/faults", body: `{"status":500,"Count":-1,"sessionID":"x"}`,
			code: "BAD_REQUEST", field: "Count"},
		{name: "a misspelt member", method: "POST", path: "/users", body: `{"id":"carol","tenant":"t"}`,
			code: "BAD_REQUEST", field: "tenant", message: `the members are "id", "tenantId", "tenantSlug"`},
		{name: "a member twice", method: "POST", path: "/faults", body: `{"status":500,"status":503}`,
			code: "BAD_REQUEST", field: "status", message: `member "status" appears twice`},
		{name: "a header twice", method: "POST", path: "/faults", body: `{"status":503,"header":{"X-A":"1","X-A":"2"}}`,
			code: "BAD_REQUEST", field: "header"},
		{name: "a header twice in two cases", method: "POST", path: "/faults", body: `{"status":503,"header":{"x-a":"1","X-A":"2"}}`,
			code: "INVALID_FAULT", field: "header"},
		{name: "a number for a string", method: "POST", path: "/faults", body: `{"status":503,"retryAfter":1}`,
			code: "BAD_REQUEST", field: "retryAfter", message: `member "retryAfter" must be a string, not a number`},
		{name: "a string for a number", method: "POST", path: "/faults", body: `{"status":"503"}`,
			code: "BAD_REQUEST", field: "status", message: "must be an integer, not a string"},
		{name: "a fraction for a count", method: "POST", path: "/faults", body: `[{"status":503},{"status":503,"count":1.5}]`,
			code: "BAD_REQUEST", field: "count", message: "[1]: "},
		{name: "a time that is not RFC 3339", method: "POST", path: "/clock", body: `{"now":"yesterday"}`,
			code: "BAD_REQUEST", field: "now", message: "RFC 3339"},

		// A route that takes no body takes none.
		{name: "a body on reset", method: "POST", path: "/reset", body: `{"keep":"faults"}`,
			code: "BAD_REQUEST", field: "keep", message: "POST /reset takes no body"},
		{name: "an array on reset", method: "POST", path: "/reset", body: `[]`,
			code: "BAD_REQUEST", message: "POST /reset takes no body"},
		{name: "a body on revoke", method: "POST", path: "/sessions/ses_alice/revoke", body: `{"at":"now"}`,
			code: "BAD_REQUEST", field: "at"},
		{name: "a body on a GET", method: "GET", path: "/health", body: `{"verbose":true}`,
			code: "BAD_REQUEST", field: "verbose"},
		{name: "a query where none is taken", method: "GET", path: "/faults?all=1",
			code: "BAD_REQUEST", field: "all", message: "GET /faults takes none"},
		{name: "a query parameter in another case", method: "GET", path: "/requests?UserId=alice",
			code: "BAD_REQUEST", field: "UserId", message: `write "userId"`},
		{name: "a query parameter twice", method: "GET", path: "/requests?status=200&status=503",
			code: "BAD_REQUEST", field: "status"},

		// Faults that could never be answered as written.
		{name: "a count of zero", method: "POST", path: "/faults", body: `{"status":503,"count":0}`,
			code: "INVALID_FAULT", field: "count", message: "at least 1, or -1"},
		{name: "a count below -1", method: "POST", path: "/faults", body: `{"status":503,"count":-2}`,
			code: "INVALID_FAULT", field: "count", message: "fault count -2: must be at least 1, or -1 for every matching request"},
		{name: "an empty selector", method: "POST", path: "/faults", body: `{"status":503,"userId":""}`,
			code: "INVALID_FAULT", field: "userId", message: "an empty string; leave the member out, or send null"},
		{name: "a null header value", method: "POST", path: "/faults", body: `{"status":503,"header":{"X-Note":null}}`,
			code: "INVALID_FAULT", field: "header", message: `fault header "X-Note": null`},
		{name: "a latency the write timeout cuts", method: "POST", path: "/faults", body: `{"latency":"1m"}`,
			code: "INVALID_FAULT", field: "latency", message: "write timeout of 1m0s"},
		{name: "a Retry-After that is neither", method: "POST", path: "/faults", body: `{"status":503,"retryAfter":"soon"}`,
			code: "INVALID_FAULT", field: "retryAfter"},
		{name: "a Retry-After header that is neither", method: "POST", path: "/faults", body: `{"status":503,"header":{"Retry-After":"later"}}`,
			code: "INVALID_FAULT", field: "header"},
		{name: "a CR LF in a header value", method: "POST", path: "/faults", body: `{"status":503,"header":{"X-Note":"a\r\nSet-Cookie: x=1"}}`,
			code: "INVALID_FAULT", field: "header", message: "control character"},
		{name: "a header name that is not a token", method: "POST", path: "/faults", body: `{"status":503,"header":{"X Note":"a"}}`,
			code: "INVALID_FAULT", field: "header"},
		{name: "a Content-Length of its own", method: "POST", path: "/faults", body: `{"status":503,"header":{"content-length":"3"}}`,
			code: "INVALID_FAULT", field: "header"},
		{name: "one user's token with another's ID", method: "POST", path: "/faults", body: `{"status":503,"token":"` + alice.Token + `","userId":"bob"}`,
			code: "INVALID_FAULT", field: "userId", message: `the token is one of user "alice"`},
		{name: "a body with an action that sends its own", method: "POST", path: "/faults", body: `{"action":"TruncateBody","body":{"a":1}}`,
			code: "INVALID_FAULT", field: "body"},
		{name: "a body without a status", method: "POST", path: "/faults", body: `{"body":{"a":1}}`,
			code: "INVALID_FAULT", field: "body"},
		{name: "a page that is not a string", method: "POST", path: "/faults", body: `{"action":"HTMLBody","body":{"a":1}}`,
			code: "INVALID_FAULT", field: "body"},

		// Other members with rules of their own.
		{name: "an advance that is not a duration", method: "POST", path: "/clock", body: `{"advance":"soon"}`,
			code: "BAD_REQUEST", field: "advance"},
		{name: "an empty advance beside a time", method: "POST", path: "/clock", body: `{"now":"2025-03-14T09:00:00Z","advance":""}`,
			code: "BAD_REQUEST", field: "advance", message: "an empty string; leave the member out, or send null"},
		{name: "a wait for no request", method: "GET", path: "/requests/wait?count=0",
			code: "BAD_REQUEST", field: "count"},
		{name: "a wait the write timeout cuts", method: "GET", path: "/requests/wait?timeout=2m",
			code: "BAD_REQUEST", field: "timeout"},
		{name: "a filter route the API does not serve", method: "GET", path: "/requests?route=GET+/users/me/session",
			code: "BAD_REQUEST", field: "route"},
		{name: "a filter method in lower case", method: "GET", path: "/requests/count?method=delete",
			code: "BAD_REQUEST", field: "method"},
		{name: "a filter status that is none", method: "GET", path: "/requests/count?status=abc",
			code: "BAD_REQUEST", field: "status"},
		{name: "a filter fault that is none", method: "GET", path: "/requests/count?fault=yes",
			code: "BAD_REQUEST", field: "fault"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Faults().Clear()
			r := ctl(t, srv, tt.method, tt.path, tt.body)
			require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
			e := decode[controlError](t, r.body)
			assert.Equal(t, tt.code, e.Error.Code, e.Error.Message)
			assert.Equal(t, tt.field, e.Error.Field, e.Error.Message)
			if tt.message != "" {
				assert.Contains(t, e.Error.Message, tt.message)
			}
			assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
			s, _ := srv.Session("ses_alice")
			assert.False(t, s.Revoked, "nothing changes")
			assert.Equal(t, epoch, srv.Now(), "the clock stays")
		})
	}
}

// TestControlInputAccepts checks what the rules let through: nothing or
// {} where a route takes no body, null for an absent member, and a
// count left out, which means one.
func TestControlInputAccepts(t *testing.T) {
	srv := newControlServer(t)
	srv.SetNow(epoch)
	for _, body := range []string{"", "{}", " { } \n"} {
		r := ctl(t, srv, http.MethodPost, "/reset", body)
		assert.Equal(t, http.StatusNoContent, r.status, "%q: %s", body, r.body)
	}
	r := ctl(t, srv, http.MethodPost, "/faults", `{"status":503,"retryAfter":"Fri, 14 Mar 2025 09:00:00 GMT","code":null,"header":{"X-Note":"a\tb"}}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	list := srv.Faults().List()
	require.Len(t, list, 1)
	assert.Equal(t, 1, list[0].Fault.Count, "a count left out is one")
	assert.Equal(t, 1, list[0].Remaining)
}

func newControlServerWith(t *testing.T, o vaulttest.ControlOptions, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	srv := vaulttest.NewTestServer(t, append(opts, vaulttest.WithControlAPI(o))...)
	srv.SetNow(epoch)
	return srv
}

func TestFaultValidateInput(t *testing.T) {
	tests := []struct {
		fault vaulttest.Fault
		wt    time.Duration
		field string
	}{
		{vaulttest.Fault{Status: 503}, 0, "Count"},
		{vaulttest.Fault{Status: 503, Count: 1}, 0, ""},
		{vaulttest.Fault{Count: -1, Latency: time.Minute}, time.Minute, "Latency"},
		{vaulttest.Fault{Count: -1, Latency: time.Hour}, 0, ""},
		{vaulttest.Fault{Count: 1, Status: 503, RetryAfter: "soon"}, 0, "RetryAfter"},
		{vaulttest.Fault{Count: 1, Status: 503, RetryAfter: "120"}, 0, ""},
		{vaulttest.Fault{Count: 1, Status: 503, Header: http.Header{"X-A": {"a\nb"}}}, 0, "Header"},
		{vaulttest.Fault{Count: 1, Status: 503, Body: []byte(`{}`)}, 0, ""},
		{vaulttest.Fault{Count: 1, Action: vaulttest.ResetMidBody, Body: []byte(`{}`)}, 0, "Body"},
	}
	for _, tt := range tests {
		err := tt.fault.ValidateInput(tt.wt)
		if tt.field == "" {
			assert.NoError(t, err, "%+v", tt.fault)
			continue
		}
		var fe *vaulttest.FaultError
		require.ErrorAs(t, err, &fe, "%+v", tt.fault)
		assert.Equal(t, tt.field, fe.Field)
		assert.False(t, strings.Contains(err.Error(), "\n"))
	}
}
