package vault_test

import (
	"context"
	"errors"
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

// newTestClient returns a client for baseURL whose retries wait a
// millisecond instead of half a second.
func newTestClient(t *testing.T, baseURL string) *vault.Client {
	t.Helper()
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      baseURL,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
	})
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// seedUser gives alice n sessions and returns them; the first is the one
// the tests act from.
func seedUser(srv interface {
	AddSession(string, vaulttest.SessionSeed) vaulttest.Session
	Now() time.Time
}, n int) []vaulttest.Session {
	out := make([]vaulttest.Session, n)
	base := srv.Now().Add(-time.Hour)
	for i := range out {
		out[i] = srv.AddSession("alice", vaulttest.SessionSeed{CreatedAt: base.Add(time.Duration(i) * time.Minute)})
	}
	return out
}

func ids(sessions []vaulttest.Session) []string {
	out := make([]string, len(sessions))
	for i, s := range sessions {
		out[i] = s.ID
	}
	return out
}

// deletes counts the revocations a server received.
func deletes(reqs []vaulttest.Request) int {
	n := 0
	for _, r := range reqs {
		if r.Method == http.MethodDelete {
			n++
		}
	}
	return n
}

func assertRevoked(t *testing.T, srv *vaulttest.Server, want bool, sessions ...vaulttest.Session) {
	t.Helper()
	for _, s := range sessions {
		got, ok := srv.Session(s.ID)
		require.True(t, ok, s.ID)
		assert.Equal(t, want, got.Revoked, "session %s revoked", s.ID)
	}
}

func TestRevokeOtherSessions(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	sessions := seedUser(srv, 6)
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	client := newTestClient(t, srv.URL)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.NoError(t, err)

	assert.Equal(t, ids(sessions[1:]), revoked, "every other session, in list order")
	assertRevoked(t, srv, false, sessions[0])
	assertRevoked(t, srv, true, sessions[1:]...)
	assertRevoked(t, srv, false, bob)

	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, http.MethodGet, reqs[0].Method, "the list comes first")
	assert.Equal(t, 5, deletes(reqs))
	for _, r := range reqs {
		assert.Equal(t, "Bearer "+sessions[0].Token, r.Header.Get("Authorization"), "every call acts for alice")
		assert.NotEqual(t, vaulttest.BasePath+"/users/me/sessions/"+sessions[0].ID, r.Path, "the current session is never revoked")
	}
}

func TestRevokeOtherSessionsOnlyCurrent(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := seedUser(srv, 1)[0]
	client := newTestClient(t, srv.URL)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(me.Token))
	require.NoError(t, err)
	assert.NotNil(t, revoked)
	assert.Empty(t, revoked)
	assertRevoked(t, srv, false, me)
	assert.Zero(t, deletes(srv.Requests()))
}

func TestRevokeOtherSessionsRetriesThroughA503Burst(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	sessions := seedUser(srv, 4)
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: http.StatusServiceUnavailable, Count: 3})
	client := newTestClient(t, srv.URL)

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken(sessions[0].Token))
	require.NoError(t, err)
	assert.Equal(t, ids(sessions[1:]), revoked)
	assertRevoked(t, srv, true, sessions[1:]...)
	assertRevoked(t, srv, false, sessions[0])
	assert.Zero(t, srv.Faults().Pending(), "the burst was spent")
	assert.Equal(t, 3+3, deletes(srv.Requests()), "three revocations and three retries")
}

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

func TestRevokeOtherSessionsUnauthorized(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	sessions := seedUser(srv, 2)
	client := newTestClient(t, srv.URL)

	_, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithAccessToken("not-a-token"))
	require.ErrorIs(t, err, vault.ErrUnauthorized)
	assertRevoked(t, srv, false, sessions...)
}

func TestRevokeOtherSessionsRefusesBadInput(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := seedUser(srv, 2)[0]
	client := newTestClient(t, srv.URL)
	var resp *http.Response

	tests := []struct {
		name string
		ctx  context.Context
		opts []vault.RequestOption
		want error
	}{
		{"WithHTTPResponse", context.Background(), []vault.RequestOption{vault.WithAccessToken(me.Token), vault.WithHTTPResponse(&resp)}, vault.ErrInvalidArgument},
		{"nil context", nil, []vault.RequestOption{vault.WithAccessToken(me.Token)}, vault.ErrInvalidArgument},
		{"bad header", context.Background(), []vault.RequestOption{vault.WithAccessToken(me.Token), vault.WithHeader("Authorization", "x")}, vault.ErrInvalidArgument},
		{"no credential", context.Background(), nil, vault.ErrNoCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			revoked, err := client.Sessions.RevokeOtherSessions(tt.ctx, tt.opts...)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, revoked)
			assert.True(t, strings.HasPrefix(err.Error(), "vault: revoke other sessions: "), err.Error())
		})
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
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

func TestRevokeOthersErrorMessage(t *testing.T) {
	apiErr := &vault.APIError{Operation: "revoke session", StatusCode: 429, Code: "RATE_LIMITED", Message: "Too many requests"}
	err := &vault.RevokeOthersError{
		SessionIDs: []string{"sess_a", "sess_b"},
		Errs:       []error{apiErr, errors.New("not attempted: context canceled")},
	}
	assert.Equal(t, "vault: revoke other sessions: 2 sessions not revoked: sess_a: revoke session: 429 RATE_LIMITED: Too many requests; sess_b: not attempted: context canceled", err.Error())
	assert.ErrorIs(t, err, vault.ErrRateLimited)

	one := &vault.RevokeOthersError{SessionIDs: []string{"sess_a"}, Errs: []error{apiErr}}
	assert.Equal(t, "vault: revoke other sessions: 1 session not revoked: sess_a: revoke session: 429 RATE_LIMITED: Too many requests", one.Error())
}
