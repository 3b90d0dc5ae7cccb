package vaulttest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestExpiredWindowsAreSwept sends requests with ever new tokens, as a
// long run of test suites does, and checks that the windows of past
// minutes do not pile up.
func TestExpiredWindowsAreSwept(t *testing.T) {
	h := NewHandler()
	h.SetNow(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC))
	send := func(from, to int) {
		for i := from; i < to; i++ {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/users/me/sessions", nil)
			req.Header.Set("Authorization", fmt.Sprintf("Bearer vt_unknown_%d", i))
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	windows := func() int {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.windows)
	}

	send(0, 5000)
	assert.Equal(t, 5000, windows(), "the windows of the current minute stay")
	h.Advance(DefaultRateLimitWindow)
	send(5000, 10000)
	assert.LessOrEqual(t, windows(), 5000, "the windows of the past minute are gone")
}
