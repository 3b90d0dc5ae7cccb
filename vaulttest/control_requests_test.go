package vaulttest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

type requestView struct {
	ID        string      `json:"id"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Query     string      `json:"query"`
	Header    http.Header `json:"header"`
	Status    int         `json:"status"`
	Fault     bool        `json:"fault"`
	UserID    *string     `json:"userId"`
	SessionID *string     `json:"sessionId"`
	FaultID   *string     `json:"faultId"`
}

func requestIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var ids []string
	for _, r := range decode[[]requestView](t, body) {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestControlRequestsFilterAndCount reads the request log through
// filters, counts on the server and checks that the members of an entry
// are all there, null where empty.
func TestControlRequestsFilterAndCount(t *testing.T) {
	srv := newControlServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_me"})
	other := srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_other"})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})
	srv.Faults().Add(vaulttest.Fault{SessionID: other.ID, Status: 503})

	list := srv.URL + "/users/me/sessions"
	call(t, srv.Client(), http.MethodGet, list, me.Token)                            // req-000001 200
	call(t, srv.Client(), http.MethodDelete, list+"/"+other.ID, me.Token)            // req-000002 503, fault
	call(t, srv.Client(), http.MethodDelete, list+"/"+other.ID, me.Token)            // req-000003 200
	call(t, srv.Client(), http.MethodGet, list, bob.Token)                           // req-000004 200
	call(t, srv.Client(), http.MethodGet, list, "")                                  // req-000005 401
	call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/session", bob.Token) // req-000006 404

	tests := []struct {
		query string
		ids   []string
	}{
		{"", []string{"req-000001", "req-000002", "req-000003", "req-000004", "req-000005", "req-000006"}},
		{"method=DELETE", []string{"req-000002", "req-000003", "req-000006"}},
		{"route=" + "DELETE+/users/me/sessions/%7BsessionId%7D", []string{"req-000002", "req-000003"}},
		{"route=/users/me/sessions", []string{"req-000001", "req-000004", "req-000005"}},
		{"status=200", []string{"req-000001", "req-000003", "req-000004"}},
		{"status=503&fault=true", []string{"req-000002"}},
		{"fault=false&userId=alice", []string{"req-000001", "req-000003"}},
		{"fault=flt-000001", []string{"req-000002"}},
		{"userId=bob", []string{"req-000004", "req-000006"}},
		{"sessionId=ses_me", []string{"req-000001", "req-000002", "req-000003"}},
		{"sessionId=ses_other", nil},
	}
	for _, tt := range tests {
		r := ctl(t, srv, http.MethodGet, "/requests?"+tt.query, "")
		require.Equal(t, http.StatusOK, r.status, "%s: %s", tt.query, r.body)
		assert.Equal(t, tt.ids, requestIDs(t, r.body), tt.query)
		r = ctl(t, srv, http.MethodGet, "/requests/count?"+tt.query, "")
		require.Equal(t, http.StatusOK, r.status, "%s: %s", tt.query, r.body)
		assert.JSONEq(t, `{"count":`+itoa(len(tt.ids))+`}`, string(r.body), tt.query)
	}

	// Every member of an entry, null where empty.
	r := ctl(t, srv, http.MethodGet, "/requests?status=401", "")
	var entries []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &entries))
	require.Len(t, entries, 1)
	for _, name := range []string{"id", "method", "path", "query", "header", "time", "status", "fault", "userId", "sessionId", "faultId"} {
		assert.Contains(t, entries[0], name)
	}
	assert.Len(t, entries[0], 11)
	assert.Equal(t, "null", string(entries[0]["userId"]))
	assert.Equal(t, "null", string(entries[0]["sessionId"]))
	assert.Equal(t, "null", string(entries[0]["faultId"]))

	got, err := srv.FindRequests(vaulttest.RequestFilter{Fault: "true"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "req-000002", got[0].ID)
	_, err = srv.FindRequests(vaulttest.RequestFilter{Route: "GET /users/me/session"})
	var fe *vaulttest.FilterError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Route", fe.Field)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestControlRequestsWait waits on the server for requests that have not
// arrived yet, and for ones that never do.
func TestControlRequestsWait(t *testing.T) {
	srv := newControlServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})

	waited := make(chan reply, 1)
	go func() {
		waited <- ctl(t, srv, http.MethodGet, "/requests/wait?count=2&method=DELETE&status=200&timeout=30s", "")
	}()
	select {
	case r := <-waited:
		t.Fatalf("the wait ended before any request: %d %s", r.status, r.body)
	case <-time.After(50 * time.Millisecond):
	}
	other := srv.AddSession("alice", vaulttest.SessionSeed{})
	third := srv.AddSession("alice", vaulttest.SessionSeed{})
	call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, me.Token)
	call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+third.ID, me.Token)
	select {
	case r := <-waited:
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		assert.Equal(t, []string{"req-000002", "req-000003"}, requestIDs(t, r.body))
	case <-time.After(30 * time.Second):
		t.Fatal("the wait did not end when the requests arrived")
	}

	r := ctl(t, srv, http.MethodGet, "/requests/wait?count=5&method=DELETE&timeout=50ms", "")
	assert.Equal(t, http.StatusRequestTimeout, r.status, "%s", r.body)
	e := decode[controlError](t, r.body)
	assert.Equal(t, "TIMEOUT", e.Error.Code)
	assert.Equal(t, "after 50ms, the request log holds 2 of the 5 matching requests waited for", e.Error.Message)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	got, err := srv.WaitRequests(ctx, vaulttest.RequestFilter{Method: "DELETE"}, 5)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, got, 2, "what arrived")
}

// TestControlAnswersEveryMember checks that the control API's answers
// carry every member they document, null where empty, as the API does.
func TestControlAnswersEveryMember(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/users", `{"id":"carol"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.JSONEq(t, `{"id":"carol","tenantId":null,"tenantSlug":null,"admin":false}`, string(r.body))
	r = ctl(t, srv, http.MethodGet, "/users/carol", "")
	assert.JSONEq(t, `{"id":"carol","tenantId":null,"tenantSlug":null,"admin":false}`, string(r.body))

	r = ctl(t, srv, http.MethodPost, "/users/carol/sessions", `{"id":"ses_cli"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	var s map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &s))
	assert.Equal(t, "null", string(s["ipAddress"]))
	assert.Equal(t, "null", string(s["userAgent"]))
	assert.Equal(t, "null", string(s["deviceInfo"]))
	assert.Equal(t, "null", string(s["revokedAt"]))
	assert.Equal(t, "null", string(s["deviceFingerprint"]))
	assert.Regexp(t, `^"vr_[0-9a-f]{40}"$`, string(s["refreshToken"]), "every session the handler adds has one")
	assert.Len(t, s, 15)

	r = ctl(t, srv, http.MethodGet, "/nope", "")
	assert.JSONEq(t, `{"error":{"code":"NOT_FOUND","message":"No control route for GET /__vault/nope","field":null,"index":null,"route":null,"sessionId":null}}`, string(r.body))
}

// TestControlRequestsFilterRefusalSuggestsTheRoute checks that a route
// filter naming one session, which the filter cannot select by, is
// refused with the route to write instead in the error's route member,
// as a fault's is, and not a sessionId, which in a filter means the
// caller's session.
func TestControlRequestsFilterRefusalSuggestsTheRoute(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodGet, "/requests?route=DELETE%20/users/me/sessions/abc", "")
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
	e := decode[controlError](t, r.body).Error
	assert.Equal(t, "route", e.Field)
	assert.Equal(t, "DELETE /users/me/sessions/{sessionId}", e.Route)
	assert.Empty(t, e.SessionID)

	// FindRequests says the same in its FilterError.
	_, err := srv.FindRequests(vaulttest.RequestFilter{Route: "DELETE /users/me/sessions/abc"})
	var fe *vaulttest.FilterError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "DELETE /users/me/sessions/{sessionId}", fe.Route)
}
