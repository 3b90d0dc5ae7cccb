package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRevokeOtherSessionsPartialFailure(t *testing.T) {
	h := vaulttest.NewHandler()
	alice := h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 3})
	broken := alice[1].ID
	// Vault fails every revocation of one session.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && r.URL.Path == vaulttest.BasePath+"/users/me/sessions/"+broken {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"code":"INTERNAL_ERROR","message":"boom"}}`)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(api.Close)
	service := startService(t, api.URL+vaulttest.BasePath)

	var got revokedResponse
	resp := call(t, service, http.MethodPost, "/account/sessions/revoke-others", alice[0].Token, &got)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	require.NotNil(t, got.Error)
	assert.Equal(t, "UPSTREAM_UNAVAILABLE", got.Error.Code)
	assert.Equal(t, []string{alice[2].ID}, got.Revoked, "what was revoked is reported")
	assert.Equal(t, []string{broken}, got.Failed)
}

// TestVaultFailures injects faults into Vault and checks the service's
// answers.
func TestVaultFailures(t *testing.T) {
	tests := []struct {
		name       string
		fault      vaulttest.Fault
		status     int
		code       string
		retryAfter string
	}{
		{
			name:       "429 carries Retry-After",
			fault:      vaulttest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "120"},
			status:     http.StatusTooManyRequests,
			code:       "RATE_LIMITED",
			retryAfter: "120",
		},
		{
			name:   "5xx after retries is 502",
			fault:  vaulttest.Fault{Status: http.StatusServiceUnavailable, Count: vaulttest.Unlimited},
			status: http.StatusBadGateway,
			code:   "UPSTREAM_UNAVAILABLE",
		},
		{
			name:   "network error is 502",
			fault:  vaulttest.Fault{Action: vaulttest.ResetBeforeResponse, Count: vaulttest.Unlimited},
			status: http.StatusBadGateway,
			code:   "UPSTREAM_UNAVAILABLE",
		},
		{
			name:   "HTML from a proxy is 502",
			fault:  vaulttest.Fault{Action: vaulttest.HTMLBody},
			status: http.StatusBadGateway,
			code:   "UPSTREAM_UNAVAILABLE",
		},
		{
			name:   "a short 503 burst is retried through",
			fault:  vaulttest.Fault{Status: http.StatusServiceUnavailable, Count: 2},
			status: http.StatusOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.fault.Route = vaulttest.RouteListSessions
			f.vault.Faults().Add(tt.fault)

			var got errorBody
			resp := call(t, f.service, http.MethodGet, "/account/sessions", f.alice[0].Token, &got)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.code, got.Error.Code)
			assert.Equal(t, tt.retryAfter, resp.Header.Get("Retry-After"))
		})
	}
}

func TestRetryAfterOfPartialFailure(t *testing.T) {
	f := newFixture(t)
	f.vault.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: http.StatusTooManyRequests, RetryAfter: "90"})

	var got revokedResponse
	resp := call(t, f.service, http.MethodPost, "/account/sessions/revoke-others", f.alice[0].Token, &got)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "90", resp.Header.Get("Retry-After"))
	assert.Len(t, got.Revoked, 1)
	assert.Len(t, got.Failed, 1)
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{&vault.APIError{StatusCode: http.StatusUnauthorized}, http.StatusUnauthorized, "UNAUTHORIZED"},
		{&vault.APIError{StatusCode: http.StatusForbidden}, http.StatusForbidden, "FORBIDDEN"},
		{&vault.APIError{StatusCode: http.StatusNotFound}, http.StatusNotFound, "NOT_FOUND"},
		{&vault.APIError{StatusCode: http.StatusTooManyRequests}, http.StatusTooManyRequests, "RATE_LIMITED"},
		{&vault.APIError{StatusCode: http.StatusInternalServerError}, http.StatusBadGateway, "UPSTREAM_UNAVAILABLE"},
		{&vault.DecodeError{Operation: "list sessions", StatusCode: 200}, http.StatusBadGateway, "UPSTREAM_UNAVAILABLE"},
		{fmt.Errorf("revoke: %w", vault.ErrInvalidArgument), http.StatusBadRequest, "BAD_REQUEST"},
		{fmt.Errorf("revoke others: %w", vault.ErrNoCurrentSession), http.StatusConflict, "NO_CURRENT_SESSION"},
		{fmt.Errorf("list: %w", context.DeadlineExceeded), http.StatusGatewayTimeout, "UPSTREAM_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			status, code, msg := classify(tt.err)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.code, code)
			assert.NotEmpty(t, msg)
		})
	}
}
