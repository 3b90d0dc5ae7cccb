package vaulttest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitRequestsAnswersOnlyWhatMatches checks that GET /requests/wait
// ends on requests that match its filter as they are logged, not on a
// state a request passes through before its fault is known or before a
// fault replaces its status: a request is logged before a fault is
// matched with it, and ApplyThenCutBody records the status of the
// answer it makes, then the status of the line it sends. A wait that
// ends early answers 200 with fewer requests than its count, often
// none, or with a request that does not match.
func TestWaitRequestsAnswersOnlyWhatMatches(t *testing.T) {
	tests := []struct {
		name  string
		fault vaulttest.Fault
		// query is the wait's filter, and match tells whether a request,
		// as the log holds it in the end, matches it.
		query string
		match func(vaulttest.Request) bool
	}{
		{
			name:  "a request a fault answers is not one without a fault",
			fault: vaulttest.Fault{Route: "GET /users/me/sessions", Status: http.StatusServiceUnavailable},
			query: "fault=false",
			match: func(r vaulttest.Request) bool { return !r.Fault },
		},
		{
			name: "the status a fault replaces does not count",
			// Without a token the route answers 401, and the fault then
			// sends 500.
			fault: vaulttest.Fault{Route: "GET /users/me/sessions", Action: vaulttest.ApplyThenCutBody, Status: http.StatusInternalServerError},
			query: "status=401",
			match: func(r vaulttest.Request) bool { return r.Status == http.StatusUnauthorized },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
			h.Faults().Add(tt.fault)
			answer := make(chan *httptest.ResponseRecorder, 1)
			go func() {
				req := httptest.NewRequest(http.MethodGet, "/__vault/requests/wait?count=1&timeout=1s&"+tt.query, nil)
				req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				answer <- rec
			}()
			waitPending(t, h)

			// The one request of the test, which the fault answers.
			func() {
				// ApplyThenCutBody aborts the handler on a recorder,
				// which cannot be hijacked.
				defer func() { _ = recover() }()
				serveTo(h, http.MethodGet, "/users/me/sessions")
			}()
			logged := h.Requests()
			require.Len(t, logged, 1)
			require.False(t, tt.match(logged[0]), "the request, as logged, does not match the wait: %+v", logged[0])

			var rec *httptest.ResponseRecorder
			select {
			case rec = <-answer:
			case <-time.After(10 * time.Second):
				t.Fatal("the wait did not end after its time-out")
			}
			if rec.Code == http.StatusRequestTimeout {
				return // no request matched: the wait timed out, as it should
			}
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var listed []vaulttest.Request
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &listed), rec.Body.String())
			assert.NotEmpty(t, listed, "the wait for 1 request answered 200 with %s", rec.Body)
			final := h.Requests()[0] // the one request, as logged in the end
			for _, r := range listed {
				require.Equal(t, final.ID, r.ID)
				assert.True(t, tt.match(final), "the wait ended on %s, which does not match as logged: status %d, fault %v", r.ID, final.Status, final.Fault)
			}
		})
	}
}
