package vaulttest_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestFaultStatus(t *testing.T) {
	type step struct {
		method, path string
		status       int
	}
	list := step{http.MethodGet, "/users/me/sessions", http.StatusOK}
	tests := []struct {
		name  string
		fault vaulttest.Fault
		steps []step
	}{
		{
			name:  "next response of any route",
			fault: vaulttest.Fault{Status: http.StatusServiceUnavailable},
			steps: []step{{http.MethodGet, "/users/me/sessions", 503}, list},
		},
		{
			name:  "next two responses",
			fault: vaulttest.Fault{Status: http.StatusInternalServerError, Count: 2},
			steps: []step{{http.MethodGet, "/users/me/sessions", 500}, {http.MethodGet, "/nowhere", 500}, list},
		},
		{
			name:  "one route only",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: http.StatusBadGateway},
			steps: []step{list, {http.MethodDelete, "/users/me/sessions/x", 502}, {http.MethodDelete, "/users/me/sessions/x", 404}},
		},
		{
			name:  "one path, any method",
			fault: vaulttest.Fault{Route: "/users/me/sessions", Status: http.StatusGatewayTimeout, Count: 2},
			steps: []step{{http.MethodDelete, "/users/me/sessions/x", 404}, {http.MethodGet, "/users/me/sessions", 504}, {http.MethodPost, "/users/me/sessions", 504}, list},
		},
		{
			name:  "a method the route does not serve",
			fault: vaulttest.Fault{Route: "/users/me/sessions/{sessionId}", Status: http.StatusServiceUnavailable},
			steps: []step{list, {http.MethodGet, "/users/me/sessions/x", 503}, {http.MethodGet, "/users/me/sessions/x", 405}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			srv.Faults().Add(tt.fault)
			for i, s := range tt.steps {
				r := call(t, srv.Client(), s.method, srv.URL+s.path, me.Token)
				assert.Equal(t, s.status, r.status, "step %d", i)
			}
			assert.Zero(t, srv.Faults().Pending())
		})
	}
}

func TestFaultErrorBody(t *testing.T) {
	tests := []struct {
		fault vaulttest.Fault
		code  string
	}{
		{vaulttest.Fault{Status: 503}, "SERVICE_UNAVAILABLE"},
		{vaulttest.Fault{Status: 500}, "INTERNAL_ERROR"},
		{vaulttest.Fault{Status: 429}, "RATE_LIMITED"},
		{vaulttest.Fault{Status: 502}, "BAD_GATEWAY"},
		{vaulttest.Fault{Status: 401}, "UNAUTHORIZED"},
		{vaulttest.Fault{Status: 418}, "I_M_A_TEAPOT"},
		{vaulttest.Fault{Status: 599}, "HTTP_599"},
		{vaulttest.Fault{Status: 503, Code: "MAINTENANCE"}, "MAINTENANCE"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			srv := newServer(t)
			srv.Faults().Add(tt.fault)
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", "")
			assert.Equal(t, tt.fault.Status, r.status)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			assert.Equal(t, tt.code, errorCode(t, r.body))
			assert.Equal(t, "100", r.header.Get("X-RateLimit-Limit"))
			assert.NotEmpty(t, r.header.Get("X-Request-Id"))
		})
	}
}

func TestFaultHeaders(t *testing.T) {
	date := "Fri, 14 Mar 2025 09:27:53 GMT"
	tests := []struct {
		name  string
		fault vaulttest.Fault
		want  map[string]string
	}{
		{"retry-after seconds", vaulttest.Fault{Status: 503, RetryAfter: "1"}, map[string]string{"Retry-After": "1"}},
		{"retry-after date", vaulttest.Fault{Status: 503, RetryAfter: date}, map[string]string{"Retry-After": date}},
		{
			name: "rate-limit headers",
			fault: vaulttest.Fault{Status: 429, RetryAfter: "7", Header: http.Header{
				"X-Ratelimit-Remaining": {"0"},
				"X-RateLimit-Reset":     {"1741944420"},
			}},
			want: map[string]string{"Retry-After": "7", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1741944420", "X-RateLimit-Limit": "100"},
		},
		{
			name:  "headers on a normal answer",
			fault: vaulttest.Fault{Header: http.Header{"X-RateLimit-Remaining": {"3"}}},
			want:  map[string]string{"X-RateLimit-Remaining": "3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			srv.Faults().Add(tt.fault)
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
			assert.Equal(t, max(tt.fault.Status, http.StatusOK), r.status)
			for k, v := range tt.want {
				assert.Equal(t, v, r.header.Get(k), k)
			}
		})
	}
}

func TestFaultedRequestsChangeNothing(t *testing.T) {
	actions := []vaulttest.Fault{
		{Status: http.StatusServiceUnavailable},
		{Action: vaulttest.TruncateBody},
		{Action: vaulttest.ResetBeforeResponse},
		{Action: vaulttest.ResetMidBody},
		{Action: vaulttest.ProxyHTML},
		{Action: vaulttest.HTMLBody},
	}
	for _, f := range actions {
		t.Run(f.Action.String(), func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			other := srv.AddSession("alice", vaulttest.SessionSeed{})
			srv.Faults().Add(f, f)
			c := freshClient(t)
			for _, u := range []string{"/users/me/sessions/" + other.ID, "/users/me/sessions"} {
				req, err := http.NewRequest(http.MethodDelete, srv.URL+u, nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", "Bearer "+me.Token)
				if resp, err := c.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
			for _, s := range srv.Sessions("alice") {
				assert.False(t, s.Revoked, s.ID)
				assert.True(t, s.LastActivityAt.Equal(epoch), s.ID)
			}
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			for _, rec := range reqs {
				assert.True(t, rec.Fault, rec.ID)
			}
		})
	}
}

func TestFaultUnlimitedAndClear(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Status: 503, Count: vaulttest.Unlimited})
	for i := 0; i < 5; i++ {
		assert.Equal(t, 503, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).status)
	}
	assert.Equal(t, 1, srv.Faults().Pending())
	srv.Faults().Clear()
	assert.Equal(t, 200, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).status)
}

func TestFaultsQueueInOrder(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(
		vaulttest.Fault{Status: 503, Count: 2},
		vaulttest.Fault{Status: 500},
	)
	var got []int
	for i := 0; i < 4; i++ {
		got = append(got, call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token).status)
	}
	assert.Equal(t, []int{503, 503, 500, 200}, got)
}

func TestFaultActionText(t *testing.T) {
	for a := vaulttest.Respond; a <= vaulttest.ApplyThenCutBody; a++ {
		b, err := a.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, a.String(), string(b))
		var back vaulttest.FaultAction
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, a, back)
	}
	_, err := vaulttest.FaultAction(42).MarshalText()
	assert.Error(t, err)
	var a vaulttest.FaultAction
	assert.EqualError(t, a.UnmarshalText([]byte("reset")),
		`unknown fault action "reset": use Respond, ResetBeforeResponse, ResetMidBody, TruncateBody, ProxyHTML, HTMLBody, ApplyThenReset, ApplyThenCutBody`)
}
