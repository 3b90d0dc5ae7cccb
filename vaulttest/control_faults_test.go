package vaulttest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

type faultView struct {
	ID         string            `json:"id"`
	Route      *string           `json:"route"`
	SessionID  *string           `json:"sessionId"`
	Token      *string           `json:"token"`
	UserID     *string           `json:"userId"`
	Count      int               `json:"count"`
	Remaining  int               `json:"remaining"`
	Fired      int               `json:"fired"`
	Action     string            `json:"action"`
	Status     *int              `json:"status"`
	Code       *string           `json:"code"`
	RetryAfter *string           `json:"retryAfter"`
	Header     map[string]string `json:"header"`
	Latency    *string           `json:"latency"`
	Body       any               `json:"body"`
}

type faultList struct {
	Pending int         `json:"pending"`
	Faults  []faultView `json:"faults"`
}

// TestControlFaultsHaveIDs queues faults, lists them with what they
// select, how many answers they still give and how many they gave,
// removes one by its ID, and answers with a fault's own body.
func TestControlFaultsHaveIDs(t *testing.T) {
	srv := newControlServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	other := srv.AddSession("alice", vaulttest.SessionSeed{})

	r := ctl(t, srv, http.MethodPost, "/faults", `[
		{"sessionId":"`+other.ID+`","status":503,"count":2,"retryAfter":"1"},
		{"route":"GET /users/me/sessions","status":500,"count":-1,"body":{"error":{"code":"MAINTENANCE","message":"Back at ten"}}},
		{"action":"HTMLBody","status":502,"userId":"bob","body":"<h1>down</h1>"}]`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	added := decode[faultList](t, r.body)
	assert.Equal(t, 3, added.Pending)
	require.Len(t, added.Faults, 3)
	assert.Equal(t, []string{"flt-000001", "flt-000002", "flt-000003"}, []string{added.Faults[0].ID, added.Faults[1].ID, added.Faults[2].ID})

	// The revocation fault fires once, the list fault twice.
	assert.Equal(t, 503, call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, me.Token).status)
	for range 2 {
		got := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
		assert.Equal(t, 500, got.status)
		assert.JSONEq(t, `{"error":{"code":"MAINTENANCE","message":"Back at ten"}}`, string(got.body), "the fault's own body")
		assert.Equal(t, "application/json", got.header.Get("Content-Type"))
	}

	r = ctl(t, srv, http.MethodGet, "/faults", "")
	require.Equal(t, http.StatusOK, r.status)
	list := decode[faultList](t, r.body)
	require.Len(t, list.Faults, 3)
	first, second, third := list.Faults[0], list.Faults[1], list.Faults[2]
	assert.Equal(t, other.ID, *first.SessionID)
	assert.Nil(t, first.Route, "null where not set")
	assert.Equal(t, []int{2, 1, 1}, []int{first.Count, first.Remaining, first.Fired})
	assert.Equal(t, "GET /users/me/sessions", *second.Route)
	assert.Equal(t, []int{-1, -1, 2}, []int{second.Count, second.Remaining, second.Fired})
	assert.Equal(t, map[string]any{"error": map[string]any{"code": "MAINTENANCE", "message": "Back at ten"}}, second.Body)
	assert.Equal(t, "HTMLBody", third.Action)
	assert.Equal(t, "<h1>down</h1>", third.Body, "a page is a string")
	assert.Equal(t, "bob", *third.UserID)

	r = ctl(t, srv, http.MethodGet, "/faults/flt-000002", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, second, decode[faultView](t, r.body))

	r = ctl(t, srv, http.MethodDelete, "/faults/flt-000002", "")
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	assert.Equal(t, 200, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).status, "the list fault is gone")
	r = ctl(t, srv, http.MethodDelete, "/faults/flt-000002", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, decode[controlError](t, r.body).Error.Message, "no longer pending")
	r = ctl(t, srv, http.MethodGet, "/faults/flt-000099", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, 2, srv.Faults().Pending())

	// The page of an HTML fault, as bob would get it.
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	got := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", bob.Token)
	assert.Equal(t, 502, got.status)
	assert.Equal(t, "<h1>down</h1>", string(got.body))
	assert.True(t, strings.HasPrefix(got.header.Get("Content-Type"), "text/html"))

	// The requests say which fault answered them.
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "flt-000001", reqs[0].FaultID)
	assert.Equal(t, "flt-000003", reqs[len(reqs)-1].FaultID)
}

// TestControlPendingFaultsAreBounded fills the queue to its bound and
// checks that one more fault is refused, whole.
func TestControlPendingFaultsAreBounded(t *testing.T) {
	srv := newControlServer(t)
	batch := "[" + strings.TrimSuffix(strings.Repeat(`{"status":503,"userId":"nobody"},`, 1000), ",") + "]"
	for i := 0; i < 10; i++ {
		r := ctl(t, srv, http.MethodPost, "/faults", batch)
		require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	}
	r := ctl(t, srv, http.MethodPost, "/faults", `[{"status":503},{"status":503}]`)
	assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)
	assert.Contains(t, decode[controlError](t, r.body).Error.Message, "at most 10000 faults can be pending,")
	assert.Equal(t, 10000, srv.Faults().Pending())
}

// TestControlPendingFaultsAreBoundedInBytes queues faults with large
// bodies until the queue refuses one, and checks that the refusal says
// why and that what pends stays within the bound in bytes.
func TestControlPendingFaultsAreBoundedInBytes(t *testing.T) {
	srv := newControlServer(t)
	page := strings.Repeat("x", 900*1000)
	accepted := 0
	var last reply
	for i := 0; i < 10; i++ {
		last = ctl(t, srv, http.MethodPost, "/faults", fmt.Sprintf(`{"status":503,"userId":"nobody","body":%q}`, page))
		if last.status != http.StatusCreated {
			break
		}
		accepted++
	}
	assert.Equal(t, 4, accepted, "faults of 900 KB each within a bound of 4 MiB")
	assert.Equal(t, http.StatusConflict, last.status, "%s", last.body)
	assert.Contains(t, decode[controlError](t, last.body).Error.Message, "holding at most 4 MiB")
	assert.Equal(t, accepted, srv.Faults().Pending())

	// Faults that fire or are deleted give their room back.
	list := decode[faultList](t, ctl(t, srv, http.MethodGet, "/faults", "").body)
	require.Len(t, list.Faults, accepted)
	r := ctl(t, srv, http.MethodDelete, "/faults/"+list.Faults[0].ID, "")
	require.Equal(t, http.StatusNoContent, r.status, "%s", r.body)
	r = ctl(t, srv, http.MethodPost, "/faults", fmt.Sprintf(`{"status":503,"userId":"nobody","body":%q}`, page))
	assert.Equal(t, http.StatusCreated, r.status, "%s", r.body)
}
