package vaulttest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRateLimitHeadersAdvertised(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	reset := strconv.FormatInt(epoch.Add(time.Minute).Unix(), 10)

	tests := []struct {
		name      string
		method    string
		path      string
		token     string
		remaining string
	}{
		{"first request", http.MethodGet, "/users/me/sessions", me.Token, "99"},
		{"second request", http.MethodGet, "/users/me/sessions", me.Token, "98"},
		{"a 404 counts too", http.MethodGet, "/nowhere", me.Token, "97"},
		{"a 401 without token is keyed by address", http.MethodGet, "/users/me/sessions", "", "99"},
		{"an unknown token has its own window", http.MethodGet, "/users/me/sessions", "vt_unknown", "99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv.Client(), tt.method, srv.URL+tt.path, tt.token)
			assert.Equal(t, "100", r.header.Get("X-RateLimit-Limit"))
			assert.Equal(t, tt.remaining, r.header.Get("X-RateLimit-Remaining"))
			assert.Equal(t, reset, r.header.Get("X-RateLimit-Reset"))
		})
	}
}

func TestRateLimitNotEnforcedByDefault(t *testing.T) {
	srv := newServer(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 2}))
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	for i := 0; i < 4; i++ {
		r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, strconv.Itoa(max(1-i, 0)), r.header.Get("X-RateLimit-Remaining"))
	}
}

func TestRateLimitEnforced(t *testing.T) {
	srv := newServer(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 2, Window: 30 * time.Second, Enforce: true}))
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	other := srv.AddSession("alice", vaulttest.SessionSeed{})
	list := srv.URL + "/users/me/sessions"

	for i := 0; i < 2; i++ {
		require.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, list, me.Token).status)
	}
	srv.Advance(10 * time.Second)

	r := call(t, srv.Client(), http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, me.Token)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "RATE_LIMITED", errorCode(t, r.body))
	assert.Equal(t, "20", r.header.Get("Retry-After"))
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, strconv.FormatInt(epoch.Add(30*time.Second).Unix(), 10), r.header.Get("X-RateLimit-Reset"))
	s, _ := srv.Session(other.ID)
	assert.False(t, s.Revoked, "a rate-limited request changes nothing")

	r = call(t, srv.Client(), http.MethodGet, list, other.Token)
	assert.Equal(t, http.StatusOK, r.status, "the limit is per token")

	srv.Advance(20 * time.Second)
	r = call(t, srv.Client(), http.MethodGet, list, me.Token)
	assert.Equal(t, http.StatusOK, r.status, "a new window starts at the reset time")
	assert.Equal(t, "1", r.header.Get("X-RateLimit-Remaining"))
}
