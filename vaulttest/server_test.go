package vaulttest_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestServers(t *testing.T) {
	tests := []struct {
		name   string
		start  func(...vaulttest.Option) *vaulttest.Server
		scheme string
	}{
		{"plain", vaulttest.NewServer, "http://"},
		{"tls", vaulttest.NewTLSServer, "https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.start()
			defer srv.Close()
			assert.True(t, strings.HasPrefix(srv.URL, tt.scheme), srv.URL)
			assert.True(t, strings.HasSuffix(srv.URL, "/api/v1"), srv.URL)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
			assert.Equal(t, http.StatusOK, r.status)
		})
	}
}

func TestHandlerMountedElsewhere(t *testing.T) {
	h := vaulttest.NewHandler()
	me := h.AddSession("alice", vaulttest.SessionSeed{})
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ConnState = h.ConnState
	ts.Start()
	defer ts.Close()

	r := call(t, ts.Client(), http.MethodGet, ts.URL+vaulttest.BasePath+"/users/me/sessions", me.Token)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, 1, h.ConnectionCount())

	srv := vaulttest.NewServer()
	defer srv.Close()
	assert.NotNil(t, srv.Handler())
}

func TestConnectionCount(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	assert.Zero(t, srv.ConnectionCount())

	reuse := srv.Client()
	for i := 0; i < 3; i++ {
		call(t, reuse, http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	}
	assert.Equal(t, 1, srv.ConnectionCount(), "a kept-alive connection is reused")

	fresh := freshClient(t)
	for i := 0; i < 2; i++ {
		call(t, fresh, http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
	}
	assert.Equal(t, 3, srv.ConnectionCount())
}

func TestNoGoroutineLeftAfterClose(t *testing.T) {
	srv := vaulttest.NewServer()
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(
		vaulttest.Fault{Latency: 10 * time.Millisecond},
		vaulttest.Fault{Action: vaulttest.ResetBeforeResponse},
		vaulttest.Fault{Action: vaulttest.ResetMidBody},
	)
	c := srv.Client()
	for i := 0; i < 4; i++ {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+me.Token)
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	srv.Close()
	// A connection's goroutine may still be on its way out after Close
	// has returned (hijacked connections are not waited for), so give
	// them a moment, as goleak does.
	var stacks []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if stacks = serverGoroutines(); len(stacks) == 0 {
			break
		}
	}
	assert.Empty(t, stacks, "goroutines of the server still running after Close")
}

// serverGoroutines returns the stacks of running goroutines that are in
// the handler's code or serve connections.
func serverGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "vaulttest.(*Handler)") || strings.Contains(g, "net/http.(*conn).serve") {
			out = append(out, g)
		}
	}
	return out
}

func TestClock(t *testing.T) {
	now := epoch
	srv := vaulttest.NewServer(vaulttest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	assert.True(t, srv.Now().Equal(epoch))
	now = epoch.Add(time.Minute)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Minute)), "the clock function is read on every use")

	srv.Advance(time.Hour)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Hour+time.Minute)))
	now = epoch.Add(2 * time.Minute)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Hour+2*time.Minute)), "the clock runs on, an hour ahead")

	srv.SetNow(epoch)
	now = epoch.Add(3 * time.Minute)
	assert.True(t, srv.Now().Equal(epoch), "SetNow freezes the clock")
	srv.Advance(time.Second)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Second)), "a frozen clock stays frozen as it moves")

	srv.Unfreeze()
	now = epoch.Add(4 * time.Minute)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Minute+time.Second)), "it runs again from where it stood")
	srv.Freeze()
	now = epoch.Add(time.Hour)
	assert.True(t, srv.Now().Equal(epoch.Add(time.Minute+time.Second)), "Freeze stops it where it stands")
}
