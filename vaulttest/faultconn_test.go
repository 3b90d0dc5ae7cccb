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
		path        string
		status      int
		contentType string
		contains    string
	}{
		{"truncated", vaulttest.Fault{Action: vaulttest.TruncateBody}, "/users/me/sessions", 200, "application/json", `[{"id":`},
		{"truncated error", vaulttest.Fault{Action: vaulttest.TruncateBody}, "/nowhere", 404, "application/json", `{"error":`},
		{"proxy page", vaulttest.Fault{Action: vaulttest.ProxyHTML}, "/users/me/sessions", 502, "text/html; charset=utf-8", "502 Bad Gateway"},
		{"proxy page, other status", vaulttest.Fault{Action: vaulttest.ProxyHTML, Status: 504}, "/users/me/sessions", 504, "text/html; charset=utf-8", "<html>"},
		{"html page", vaulttest.Fault{Action: vaulttest.HTMLBody}, "/users/me/sessions", 200, "text/html; charset=utf-8", "<!DOCTYPE html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			me := srv.SeedDemo(vaulttest.Demo{})[0]
			srv.Faults().Add(tt.fault)
			r := call(t, srv.Client(), http.MethodGet, srv.URL+tt.path, me.Token)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.contentType, r.header.Get("Content-Type"))
			assert.Contains(t, string(r.body), tt.contains)
			assert.False(t, json.Valid(r.body), "the body is not JSON")
			assert.Equal(t, tt.status, srv.Requests()[0].Status)
		})
	}
}
