package vaulttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

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
			name:  "unknown path",
			fault: vaulttest.Fault{Route: "GET /health", Status: http.StatusServiceUnavailable},
			steps: []step{list, {http.MethodGet, "/health", 503}, {http.MethodGet, "/health", 404}},
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

func TestFaultAddPanicsOnBadInput(t *testing.T) {
	tests := []vaulttest.Fault{
		{Route: "users/me/sessions"},
		{Route: "get /users/me/sessions"},
		{Count: -2},
	}
	for _, f := range tests {
		assert.Panics(t, func() { (&vaulttest.Faults{}).Add(f) }, "%+v", f)
	}
}

func TestFaultLatency(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Latency: 100 * time.Millisecond})

	start := time.Now()
	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	assert.Equal(t, http.StatusOK, r.status)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

	srv.Faults().Add(vaulttest.Fault{Latency: time.Hour, Status: 503})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/users/me/sessions", nil)
	require.NoError(t, err)
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	require.Eventually(t, func() bool {
		reqs := srv.Requests()
		return len(reqs) == 2 && reqs[1].Fault && reqs[1].Status == 0
	}, 5*time.Second, 10*time.Millisecond, "the handler gives up with the request")
}

func TestCloseEndsLatency(t *testing.T) {
	srv := vaulttest.NewServer()
	srv.Faults().Add(vaulttest.Fault{Latency: time.Hour})

	done := make(chan int, 1)
	go func() {
		resp, err := srv.Client().Get(srv.URL + "/users/me/sessions")
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, 5*time.Millisecond)

	start := time.Now()
	srv.Close()
	assert.Less(t, time.Since(start), 5*time.Second)
	select {
	case status := <-done:
		assert.Equal(t, http.StatusUnauthorized, status, "the request is answered without the rest of its latency")
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not end after Close")
	}
}

func TestFaultResetBeforeResponse(t *testing.T) {
	for _, tlsServer := range []bool{false, true} {
		name := "http"
		if tlsServer {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			srv := vaulttest.NewServer()
			if tlsServer {
				srv.Close()
				srv = vaulttest.NewTLSServer()
			}
			t.Cleanup(srv.Close)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ResetBeforeResponse})

			c := srv.Client()
			c.Transport.(*http.Transport).DisableKeepAlives = true
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+me.Token)
			_, err = c.Do(req)
			require.Error(t, err)
			assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF), "%v", err)

			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.True(t, reqs[0].Fault)
			assert.Zero(t, reqs[0].Status)

			r := call(t, c, http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
			assert.Equal(t, http.StatusOK, r.status, "the next request is served")
		})
	}
}

func TestFaultResetMidBody(t *testing.T) {
	srv := newServer(t)
	me := srv.SeedDemo(vaulttest.Demo{})[0]
	srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ResetMidBody})

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+me.Token)
	resp, err := freshClient(t).Do(req)
	require.NoError(t, err, "the status line and headers arrive")
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Positive(t, resp.ContentLength)
	body, err := io.ReadAll(resp.Body)
	require.Error(t, err, "the body is cut short")
	assert.Less(t, int64(len(body)), resp.ContentLength)
	assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
	assert.Equal(t, http.StatusOK, srv.Requests()[0].Status)
}

func TestFaultBodies(t *testing.T) {
	tests := []struct {
		name        string
		fault       vaulttest.Fault
		status      int
		contentType string
		contains    string
	}{
		{"truncated", vaulttest.Fault{Action: vaulttest.TruncateBody}, 200, "application/json", `[{"id":`},
		{"truncated error", vaulttest.Fault{Action: vaulttest.TruncateBody, Route: "/nowhere"}, 404, "application/json", `{"error":`},
		{"proxy page", vaulttest.Fault{Action: vaulttest.ProxyHTML}, 502, "text/html; charset=utf-8", "502 Bad Gateway"},
		{"proxy page, other status", vaulttest.Fault{Action: vaulttest.ProxyHTML, Status: 504}, 504, "text/html; charset=utf-8", "<html>"},
		{"html page", vaulttest.Fault{Action: vaulttest.HTMLBody}, 200, "text/html; charset=utf-8", "<!DOCTYPE html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			me := srv.SeedDemo(vaulttest.Demo{})[0]
			srv.Faults().Add(tt.fault)
			path := "/users/me/sessions"
			if tt.fault.Route != "" {
				path = tt.fault.Route
			}
			r := call(t, srv.Client(), http.MethodGet, srv.URL+path, me.Token)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.contentType, r.header.Get("Content-Type"))
			assert.Contains(t, string(r.body), tt.contains)
			assert.False(t, json.Valid(r.body), "the body is not JSON")
			assert.Equal(t, tt.status, srv.Requests()[0].Status)
		})
	}
}
