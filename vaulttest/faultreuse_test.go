package vaulttest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// A client may replay a request that fails on a reused keep-alive
// connection before any byte of an answer; net/http does so for GET. The
// reset faults must reach the client all the same.
func TestResetFaultsDoNotVanishOnAReusedConnection(t *testing.T) {
	type op struct {
		route, method, path string
	}
	list := op{vaulttest.RouteListSessions, http.MethodGet, "/users/me/sessions"}
	revoke := op{vaulttest.RouteRevokeSession, http.MethodDelete, "/users/me/sessions/a2"}
	for _, useTLS := range []bool{false, true} {
		for _, action := range []vaulttest.FaultAction{vaulttest.ResetBeforeResponse, vaulttest.ApplyThenReset} {
			for _, o := range []op{list, revoke} {
				name := fmt.Sprintf("tls=%t/%s/%s", useTLS, action, o.method)
				t.Run(name, func(t *testing.T) {
					srv := vaulttest.NewServer()
					if useTLS {
						srv.Close()
						srv = vaulttest.NewTLSServer()
					}
					t.Cleanup(srv.Close)
					me := srv.AddSession("alice", vaulttest.SessionSeed{ID: "a1", Token: "tok-a1"})
					srv.AddSession("alice", vaulttest.SessionSeed{ID: "a2", Token: "tok-a2"})

					c := srv.Client() // keeps connections alive
					call(t, c, http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
					require.Equal(t, 1, srv.ConnectionCount())

					srv.Faults().Add(vaulttest.Fault{Route: o.route, Action: action})
					req, err := http.NewRequest(o.method, srv.URL+o.path, nil)
					require.NoError(t, err)
					req.Header.Set("Authorization", "Bearer "+me.Token)
					resp, err := c.Do(req)
					if err == nil {
						resp.Body.Close()
					}
					require.Error(t, err, "the faulted request fails")
					assert.True(t, isReset(err), "%v", err)

					reqs := srv.Requests()
					assert.Len(t, reqs, 2, "the request was not replayed")
					assert.Zero(t, srv.Faults().Pending())
					assert.Equal(t, 1, srv.ConnectionCount(), "the faulted request came on the reused connection")
					s, _ := srv.Session("a2")
					assert.Equal(t, action == vaulttest.ApplyThenReset && o == revoke, s.Revoked)
				})
			}
		}
	}
}

// The SDK keeps its connections alive; without retries, a reset fault
// is the error of the call it answers.
func TestResetFaultsReachTheSDK(t *testing.T) {
	for _, action := range []vaulttest.FaultAction{vaulttest.ResetBeforeResponse, vaulttest.ApplyThenReset} {
		t.Run(action.String(), func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: me.Token, MaxRetries: -1})
			require.NoError(t, err)
			t.Cleanup(client.CloseIdleConnections)
			ctx := context.Background()

			_, err = client.Sessions.ListSessions(ctx)
			require.NoError(t, err)
			srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Action: action})
			_, err = client.Sessions.ListSessions(ctx)
			require.Error(t, err, "the fault is the call's error")
			assert.Len(t, srv.Requests(), 2)
			assert.Equal(t, 1, srv.ConnectionCount(), "the faulted call came on the reused connection")

			_, err = client.Sessions.ListSessions(ctx)
			assert.NoError(t, err)
		})
	}
}

// exchange writes raw requests on one connection, queueing fault before
// the last one, and returns all the bytes that arrived for the last one.
func exchange(t *testing.T, addr string, h *vaulttest.Handler, token string, requests int, fault vaulttest.Fault) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	br := bufio.NewReader(conn)
	req := "GET " + vaulttest.BasePath + "/users/me/sessions HTTP/1.1\r\nHost: vault.test\r\nAuthorization: Bearer " + token + "\r\n\r\n"
	for i := 1; i < requests; i++ {
		_, err := io.WriteString(conn, req)
		require.NoError(t, err)
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	h.Faults().Add(fault)
	_, err = io.WriteString(conn, req)
	require.NoError(t, err)
	got, err := io.ReadAll(br)
	assert.True(t, err == nil || isReset(err), "%v", err)
	return string(got)
}

func TestResetFaultBytesOnTheWire(t *testing.T) {
	tests := []struct {
		name     string
		action   vaulttest.FaultAction
		requests int
		want     string
	}{
		{"first request, reset", vaulttest.ResetBeforeResponse, 1, ""},
		{"first request, lost answer", vaulttest.ApplyThenReset, 1, ""},
		{"later request, reset", vaulttest.ResetBeforeResponse, 3, "HTTP/1.1 200 OK\r\n"},
		{"later request, lost answer", vaulttest.ApplyThenReset, 2, "HTTP/1.1 200 OK\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := vaulttest.NewServer()
			t.Cleanup(srv.Close)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			u, err := url.Parse(srv.URL)
			require.NoError(t, err)

			got := exchange(t, u.Host, srv.Handler(), me.Token, tt.requests, vaulttest.Fault{Action: tt.action})
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestResetFaultWithoutConnState(t *testing.T) {
	h := vaulttest.NewHandler()
	me := h.AddSession("alice", vaulttest.SessionSeed{})
	ts := httptest.NewServer(h) // no ConnState: every request counts as a later one
	t.Cleanup(ts.Close)

	got := exchange(t, ts.Listener.Addr().String(), h, me.Token, 1, vaulttest.Fault{Action: vaulttest.ResetBeforeResponse})
	assert.Equal(t, "HTTP/1.1 200 OK\r\n", got)
}
