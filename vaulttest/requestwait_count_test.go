package vaulttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitRequestsCountsTheLogAsItChanges checks that a pending wait
// counts the requests of the log it matches as the log changes: a
// request counts when it arrives, or when it is answered for a wait by
// status, and stops counting when the log drops it or is emptied.
func TestWaitRequestsCountsTheLogAsItChanges(t *testing.T) {
	get := func(h *vaulttest.Handler) { serveTo(h, http.MethodGet, "/users/me/sessions") }
	del := func(h *vaulttest.Handler) { serveTo(h, http.MethodDelete, "/users/me/sessions/nope") }
	nowhere := func(h *vaulttest.Handler) { serveTo(h, http.MethodGet, "/nowhere") }
	gets := vaulttest.RequestFilter{Method: http.MethodGet}
	tests := []struct {
		name string
		opts []vaulttest.Option
		// filter and n are the wait's; before is sent before the wait
		// starts, and then is sent step by step as it waits, with
		// whether the wait has ended after each step.
		filter vaulttest.RequestFilter
		n      int
		before []func(*vaulttest.Handler)
		then   []func(*vaulttest.Handler)
		ended  []bool
	}{
		{
			name:   "arrivals count",
			filter: gets, n: 2,
			before: []func(*vaulttest.Handler){get},
			then:   []func(*vaulttest.Handler){del, get},
			ended:  []bool{false, true},
		},
		{
			name:   "dropped requests stop counting",
			opts:   []vaulttest.Option{vaulttest.WithRequestLog(3)},
			filter: gets, n: 3,
			before: []func(*vaulttest.Handler){get, get},
			// The two GETs drop out of the log of three.
			then:  []func(*vaulttest.Handler){del, del, del, get, get, get},
			ended: []bool{false, false, false, false, false, true},
		},
		{
			name:   "an emptied log counts from nothing",
			filter: gets, n: 2,
			before: []func(*vaulttest.Handler){get},
			then:   []func(*vaulttest.Handler){(*vaulttest.Handler).ResetRequests, get, get},
			ended:  []bool{false, false, true},
		},
		{
			name:   "a reset counts from nothing",
			filter: gets, n: 2,
			before: []func(*vaulttest.Handler){get},
			then:   []func(*vaulttest.Handler){(*vaulttest.Handler).Reset, get, get},
			ended:  []bool{false, false, true},
		},
		{
			name: "requests count when answered with the status",
			// Without a token, the API's routes answer 401, and a path
			// it does not serve 404.
			filter: vaulttest.RequestFilter{Status: http.StatusUnauthorized}, n: 2,
			before: []func(*vaulttest.Handler){del},
			then:   []func(*vaulttest.Handler){nowhere, get},
			ended:  []bool{false, true},
		},
	}
	// How a test waits: through WaitRequests, and through the control
	// API, whose answer lists the requests once the wait has ended.
	waits := map[string]func(context.Context, *vaulttest.Handler, vaulttest.RequestFilter, int) ([]vaulttest.Request, error){
		"WaitRequests": func(ctx context.Context, h *vaulttest.Handler, f vaulttest.RequestFilter, n int) ([]vaulttest.Request, error) {
			return h.WaitRequests(ctx, f, n)
		},
		"GET /requests/wait": func(ctx context.Context, h *vaulttest.Handler, f vaulttest.RequestFilter, n int) ([]vaulttest.Request, error) {
			q := url.Values{"count": {strconv.Itoa(n)}, "timeout": {"1m"}}
			if f.Method != "" {
				q.Set("method", f.Method)
			}
			if f.Status != 0 {
				q.Set("status", strconv.Itoa(f.Status))
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/__vault/requests/wait?"+q.Encode(), nil)
			req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return nil, fmt.Errorf("%d: %s", rec.Code, rec.Body)
			}
			var listed []vaulttest.Request
			err := json.Unmarshal(rec.Body.Bytes(), &listed)
			return listed, err
		},
	}
	for _, tt := range tests {
		for how, wait := range waits {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				require.Len(t, tt.ended, len(tt.then))
				opts := append([]vaulttest.Option{vaulttest.WithControlAPI(vaulttest.ControlOptions{})}, tt.opts...)
				h := vaulttest.NewHandler(opts...)
				for _, step := range tt.before {
					step(h)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				type result struct {
					reqs []vaulttest.Request
					err  error
				}
				done := make(chan result, 1)
				go func() {
					reqs, err := wait(ctx, h, tt.filter, tt.n)
					done <- result{reqs, err}
				}()
				waitPending(t, h)
				for i, step := range tt.then {
					step(h)
					if !tt.ended[i] {
						select {
						case r := <-done:
							t.Fatalf("the wait ended after step %d with %d requests, %v", i, len(r.reqs), r.err)
						case <-time.After(20 * time.Millisecond):
						}
						continue
					}
					select {
					case r := <-done:
						require.NoError(t, r.err)
						assert.Len(t, r.reqs, tt.n)
					case <-time.After(10 * time.Second):
						t.Fatalf("the wait did not end after step %d", i)
					}
				}
			})
		}
	}
}

// serveTo sends h a request without a token to path below BasePath.
func serveTo(h *vaulttest.Handler, method, path string) {
	req := httptest.NewRequest(method, vaulttest.BasePath+path, nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
}

// waitPending returns once h has a wait pending, so that what follows
// is counted as it happens rather than found in the log.
func waitPending(t *testing.T, h *vaulttest.Handler) {
	t.Helper()
	require.Eventually(t, func() bool { return vaulttest.PendingWaits(h) == 1 }, 10*time.Second, time.Millisecond)
}
