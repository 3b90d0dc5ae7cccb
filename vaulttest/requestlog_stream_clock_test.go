package vaulttest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestControlRequestsAnswersJSONWhenTheClockPassesTheYear9999 sets the
// server's clock, through the control API, to the last instant it
// accepts and lets it run, sends a request a second later, and checks
// that the clock stopped at the end of the year 9999 and that GET
// /requests still answers a JSON document: a request's time past the
// year 9999 has no RFC 3339 form, and the list, written as it is
// encoded, stopped at it and answered 200 with a body that is not JSON.
func TestControlRequestsAnswersJSONWhenTheClockPassesTheYear9999(t *testing.T) {
	var mu sync.Mutex
	real := epoch
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return real
	}
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}), vaulttest.WithClock(clock))
	control := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/__vault"+path, strings.NewReader(body))
		req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := control(http.MethodPost, "/clock", `{"now":"9999-12-31T23:59:59.999Z","frozen":false}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	mu.Lock()
	real = real.Add(time.Second)
	mu.Unlock()
	assert.Equal(t, time.Date(9999, time.December, 31, 23, 59, 59, 999999999, time.UTC), h.Now(), "the clock stops at the end of the year 9999")

	serveTo(h, http.MethodGet, "/users/me/sessions")
	rec = control(http.MethodGet, "/requests", "")
	t.Logf("GET /requests: %d %q", rec.Code, rec.Body.String())
	assert.True(t, json.Valid(rec.Body.Bytes()), "GET /requests answered %d with a body that is not JSON: %q", rec.Code, rec.Body.String())
}
