package vaulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetEndsRequestsInFlight holds a revocation on a fault's latency,
// resets the server, and checks that the revocation ends at once without
// revoking the session of the reset server, and is not in its log.
func TestResetEndsRequestsInFlight(t *testing.T) {
	for _, action := range []vaulttest.FaultAction{vaulttest.Respond, vaulttest.ApplyThenCutBody} {
		t.Run(action.String(), func(t *testing.T) {
			var alice []vaulttest.Session
			srv := vaulttest.NewTestServer(t, vaulttest.WithSeed(func(h *vaulttest.Handler) {
				alice = h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 2})
			}))
			me, other := alice[0], alice[1]
			srv.Faults().Add(vaulttest.Fault{SessionID: other.ID, Latency: time.Hour, Action: action})

			answered := make(chan reply, 1)
			go func() {
				req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, nil)
				req.Header.Set("Authorization", "Bearer "+me.Token)
				resp, err := freshClient(t).Do(req)
				if err != nil {
					answered <- reply{}
					return
				}
				defer resp.Body.Close()
				answered <- reply{status: resp.StatusCode}
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := srv.WaitRequests(ctx, vaulttest.RequestFilter{Route: vaulttest.RouteRevokeSession}, 1)
			require.NoError(t, err, "the revocation is held")

			srv.Reset()
			select {
			case r := <-answered:
				if action == vaulttest.Respond {
					assert.Equal(t, http.StatusServiceUnavailable, r.status, "answered as a server that was reset")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the request held across the reset is still waiting for its latency")
			}
			s, ok := srv.Session(other.ID)
			require.True(t, ok)
			assert.False(t, s.Revoked, "a request of before the reset changes nothing after it")
			assert.Empty(t, srv.Requests(), "nor is it in the new log")
			assert.Zero(t, srv.Faults().Pending())
		})
	}
}

// TestResetIsACleanCut resets the server again and again while clients
// revoke a seeded session, and checks after each reset that the session
// is revoked only if the new log holds the revocation that did it: a
// request is in the old log and changes the old state, or in the new
// log and changes the new state.
func TestResetIsACleanCut(t *testing.T) {
	resets := 200
	if testing.Short() {
		resets = 30
	}
	var alice []vaulttest.Session
	srv := vaulttest.NewTestServer(t, vaulttest.WithSeed(func(h *vaulttest.Handler) {
		alice = h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 2})
		// A short latency keeps revocations in flight across resets.
		h.Faults().Add(vaulttest.Fault{Latency: time.Millisecond, Count: vaulttest.Unlimited})
	}), vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 1 << 30}))
	me, other := alice[0], alice[1]
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: me.Token, MaxRetries: -1})
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _ = client.Sessions.RevokeSession(ctx, other.ID)
			}
		}()
	}
	for i := 0; i < resets; i++ {
		srv.Reset()
		time.Sleep(time.Millisecond)
		s, _ := srv.Session(other.ID)
		if !s.Revoked {
			continue
		}
		reqs, err := srv.FindRequests(vaulttest.RequestFilter{Route: vaulttest.RouteRevokeSession, Status: http.StatusOK})
		require.NoError(t, err)
		require.NotEmpty(t, reqs, "reset %d: the session is revoked, and no request of the log did it", i)
		assert.False(t, reqs[0].Time.Before(s.CreatedAt), fmt.Sprintf("reset %d", i))
	}
	cancel()
	wg.Wait()
}
