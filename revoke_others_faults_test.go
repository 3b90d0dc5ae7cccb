package vault_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// failingSession answers every revocation of one session with a 500, in
// front of a vaulttest handler, as a backend with one broken shard would.
func failingSession(h http.Handler, id string) http.Handler {
	path := vaulttest.BasePath + "/users/me/sessions/" + id
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && r.URL.EscapedPath() == path {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":{"code":"INTERNAL_ERROR","message":"shard unavailable"}}`))
			return
		}
		h.ServeHTTP(w, r)
	})
}

func TestRevokeOtherSessionsPartialFailure(t *testing.T) {
	h := vaulttest.NewHandler()
	sessions := seedUser(h, 5)
	broken := sessions[2]
	ts := httptest.NewServer(failingSession(h, broken.ID))
	defer ts.Close()
	client := newTestClient(t, ts.URL+vaulttest.BasePath)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.Error(t, err)
	assert.Equal(t, []string{sessions[1].ID, sessions[3].ID, sessions[4].ID}, revoked, "the others are revoked")

	var partial *vault.RevokeOthersError
	require.ErrorAs(t, err, &partial)
	assert.Equal(t, []string{broken.ID}, partial.SessionIDs)
	var apiErr *vault.APIError
	require.ErrorAs(t, err, &apiErr, "errors.As reaches the failed call's *APIError")
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, 4, apiErr.Attempts, "retried like any call")
	assert.ErrorIs(t, err, vault.ErrServer)
	assert.Contains(t, err.Error(), broken.ID, "the message names the session")
	assert.Contains(t, err.Error(), "shard unavailable")

	got, _ := h.Session(broken.ID)
	assert.False(t, got.Revoked)
	for _, s := range []vaulttest.Session{sessions[1], sessions[3], sessions[4]} {
		got, _ := h.Session(s.ID)
		assert.True(t, got.Revoked, s.ID)
	}
}

// signOutDuringList lets one session sign itself out right after the list
// is served, so that its revocation finds it gone.
func signOutDuringList(h *vaulttest.Handler, gone vaulttest.Session) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method != http.MethodGet {
			return
		}
		req := httptest.NewRequest(http.MethodDelete, vaulttest.BasePath+"/users/me/sessions/"+gone.ID, nil)
		req.Header.Set("Authorization", "Bearer "+gone.Token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			panic("sign out failed: " + rec.Body.String())
		}
	})
}

func TestRevokeOtherSessionsCountsNotFoundAsRevoked(t *testing.T) {
	h := vaulttest.NewHandler()
	sessions := seedUser(h, 3)
	ts := httptest.NewServer(signOutDuringList(h, sessions[1]))
	defer ts.Close()
	client := newTestClient(t, ts.URL+vaulttest.BasePath)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.NoError(t, err)
	assert.Equal(t, ids(sessions[1:]), revoked)

	var notFound int
	for _, r := range h.Requests() {
		if r.Method == http.MethodDelete && r.Status == http.StatusNotFound {
			notFound++
		}
	}
	assert.Equal(t, 1, notFound, "the revocation of the session already gone got a 404")
}

// withoutCurrent rewrites the list so that no session is marked current.
func withoutCurrent(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(strings.ReplaceAll(rec.Body.String(), `"current":true`, `"current":false`)))
	})
}

func TestRevokeOtherSessionsRefusesWithoutCurrent(t *testing.T) {
	h := vaulttest.NewHandler()
	sessions := seedUser(h, 3)
	ts := httptest.NewServer(withoutCurrent(h))
	defer ts.Close()
	client := newTestClient(t, ts.URL+vaulttest.BasePath)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.ErrorIs(t, err, vault.ErrNoCurrentSession)
	assert.Nil(t, revoked)
	assert.Equal(t, "vault: revoke other sessions: no current session in the session list", err.Error())
	assert.Zero(t, deletes(h.Requests()), "nothing revoked")
	for _, s := range sessions {
		got, _ := h.Session(s.ID)
		assert.False(t, got.Revoked, s.ID)
	}
}

func TestRevokeOtherSessionsListFailure(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	sessions := seedUser(srv, 3)
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusInternalServerError, Count: vaulttest.Unlimited})
	client := newTestClient(t, srv.URL)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.Error(t, err)
	assert.Nil(t, revoked)
	var apiErr *vault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "list sessions", apiErr.Operation)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.True(t, strings.HasPrefix(err.Error(), "vault: revoke other sessions: list sessions: 500"), err.Error())
	assert.Zero(t, deletes(srv.Requests()))
	assertRevoked(t, srv, false, sessions...)
}

// TestRevokeOtherSessionsBoundAndCancel holds every revocation at the
// server, checks that no more than four are in flight, then cancels: the
// revocations in flight fail with the context's error and no new one
// starts.
func TestRevokeOtherSessionsBoundAndCancel(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	sessions := seedUser(srv, 10)
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Latency: time.Minute, Count: vaulttest.Unlimited})
	client := newTestClient(t, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		revoked []string
		err     error
	}
	done := make(chan result, 1)
	go func() {
		revoked, err := client.Sessions.RevokeOtherSessions(ctx, vault.WithAccessToken(sessions[0].Token))
		done <- result{revoked, err}
	}()

	require.Eventually(t, func() bool { return deletes(srv.Requests()) == 4 }, 10*time.Second, 5*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, 4, deletes(srv.Requests()), "at most four revocations in flight")
	cancel()

	var res result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RevokeOtherSessions did not return after cancel")
	}
	assert.Empty(t, res.revoked)
	require.ErrorIs(t, res.err, context.Canceled)
	var partial *vault.RevokeOthersError
	require.ErrorAs(t, res.err, &partial)
	assert.Equal(t, ids(sessions[1:]), partial.SessionIDs, "all nine not revoked")
	assert.Equal(t, 4, deletes(srv.Requests()), "no revocation started after cancel")
	assertRevoked(t, srv, false, sessions...)
}
