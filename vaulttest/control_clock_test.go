package vaulttest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// clockFunc is a clock for WithClock that a test moves.
type clockFunc struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clockFunc) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clockFunc) Move(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type clockAnswer struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
}

// TestControlClockAdvanceKeepsItRunning moves a running clock through
// the control API and checks that it runs on, so that a rate limit
// clears in real time, and that freezing and unfreezing are actions of
// their own.
func TestControlClockAdvanceKeepsItRunning(t *testing.T) {
	clock := &clockFunc{now: epoch}
	srv := vaulttest.NewTestServer(t, vaulttest.WithClock(clock.Now), vaulttest.WithControlAPI(vaulttest.ControlOptions{}),
		vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 1, Window: time.Minute, Enforce: true}))
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	list := srv.URL + "/users/me/sessions"

	r := ctl(t, srv, http.MethodPost, "/clock", `{"advance":"1s"}`)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, clockAnswer{Now: epoch.Add(time.Second), Frozen: false}, decode[clockAnswer](t, r.body), "advanced, and running")

	require.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, list, me.Token).status)
	require.Equal(t, http.StatusTooManyRequests, call(t, srv.Client(), http.MethodGet, list, me.Token).status)
	clock.Move(time.Minute) // real time passes
	assert.Equal(t, http.StatusOK, call(t, srv.Client(), http.MethodGet, list, me.Token).status,
		"the rate limit clears as time passes after an advance")
	assert.Equal(t, epoch.Add(time.Minute+time.Second), srv.Now())

	r = ctl(t, srv, http.MethodPost, "/clock", `{"frozen":true}`)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	frozenAt := epoch.Add(time.Minute + time.Second)
	assert.Equal(t, clockAnswer{Now: frozenAt, Frozen: true}, decode[clockAnswer](t, r.body))
	clock.Move(time.Hour)
	r = ctl(t, srv, http.MethodPost, "/clock", `{"advance":"1m"}`)
	assert.Equal(t, clockAnswer{Now: frozenAt.Add(time.Minute), Frozen: true}, decode[clockAnswer](t, r.body), "a frozen clock stays frozen as it moves")

	r = ctl(t, srv, http.MethodPost, "/clock", `{"frozen":false}`)
	assert.Equal(t, clockAnswer{Now: frozenAt.Add(time.Minute), Frozen: false}, decode[clockAnswer](t, r.body), "it runs again from where it stood")
	clock.Move(time.Second)
	r = ctl(t, srv, http.MethodGet, "/clock", "")
	assert.Equal(t, clockAnswer{Now: frozenAt.Add(time.Minute + time.Second), Frozen: false}, decode[clockAnswer](t, r.body))

	r = ctl(t, srv, http.MethodPost, "/clock", `{"now":"2025-03-14T09:00:00Z","frozen":false}`)
	assert.Equal(t, clockAnswer{Now: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC), Frozen: false}, decode[clockAnswer](t, r.body),
		"a time set, and the clock running from it")
	r = ctl(t, srv, http.MethodPost, "/clock", `{"now":"2025-03-14T09:00:00Z"}`)
	assert.Equal(t, clockAnswer{Now: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC), Frozen: true}, decode[clockAnswer](t, r.body),
		"a time set alone freezes the clock, as it always did")
}
