package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResetKeepsTheDemoTokensBesideControlCalls resets vault-mock while
// other workers of a test suite add sessions through the control API, as
// parallel workers sharing one vault-mock do, and checks what
// docs/vault-mock.md promises of every reset: the printed VAULT_TOKEN
// and VAULT_ADMIN_TOKEN work again, and the -fail flags' fault is queued
// again as flt-000001.
func TestResetKeepsTheDemoTokensBesideControlCalls(t *testing.T) {
	o, err := parseFlags([]string{"-fail-status", "503", "-fail-route", "DELETE /users/me/sessions"}, io.Discard)
	require.NoError(t, err)
	h, demo, admin := newHandler(o, discardLogger())
	serve := func(method, path, token, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				serve(http.MethodPost, "/__vault/users/worker/sessions", "", "")
				serve(http.MethodPost, "/__vault/faults", "", `{"status":500,"route":"GET /users/me/sessions","userId":"worker"}`)
			}
		}()
	}
	resets := 300
	if testing.Short() {
		resets = 100
	}
	var bad []string
	for i := 0; i < resets && len(bad) == 0; i++ {
		status, body := serve(http.MethodPost, "/__vault/reset", "", "")
		require.Equal(t, http.StatusNoContent, status, body)
		if status, body := serve(http.MethodGet, "/api/v1/users/me/sessions", demo.Token, ""); status != http.StatusOK {
			bad = append(bad, "VAULT_TOKEN after a reset: "+body)
		}
		if status, body := serve(http.MethodGet, "/api/v1/admin/users/"+o.user+"/sessions", admin.Token, ""); status != http.StatusOK {
			bad = append(bad, "VAULT_ADMIN_TOKEN after a reset: "+body)
		}
		if status, body := serve(http.MethodGet, "/__vault/faults/flt-000001", "", ""); status != http.StatusOK || !strings.Contains(body, `"status":503`) {
			bad = append(bad, "flt-000001 after a reset: "+body)
		}
	}
	stop.Store(true)
	wg.Wait()
	assert.Empty(t, bad, "a reset beside control calls of other workers")
}
