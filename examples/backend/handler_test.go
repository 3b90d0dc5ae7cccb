package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// fixture is the service under test in front of an in-memory Vault.
type fixture struct {
	vault   *vaulttest.Server
	service *httptest.Server
	alice   []vaulttest.Session // alice[0] is the device she calls from
}

// newFixture starts an in-memory Vault with alice signed in on three
// devices, and the service over HTTP in front of it.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{vault: vaulttest.NewServer()}
	t.Cleanup(f.vault.Close)
	f.alice = f.vault.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 3})
	f.service = startService(t, f.vault.URL)
	return f
}

// startService serves newHandler over HTTP with a Client of baseURL whose
// retries wait milliseconds. The service and the SDK log to logs, if not
// nil.
func startService(t *testing.T, baseURL string, logs ...io.Writer) *httptest.Server {
	t.Helper()
	var out io.Writer = io.Discard
	if len(logs) > 0 {
		out = logs[0]
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      baseURL,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
		Logger:       logger,
	})
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	srv := httptest.NewServer(newHandler(client, logger))
	t.Cleanup(srv.Close)
	return srv
}

// call sends a request to the service as the holder of token (none if
// empty) and decodes the JSON answer into out, if not nil.
func call(t *testing.T, srv *httptest.Server, method, path, token string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp
}

// errorBody is the service's JSON error.
type errorBody struct {
	Error vault.ErrorResponseError `json:"error"`
}

func revoked(t *testing.T, v *vaulttest.Server, id string) bool {
	t.Helper()
	s, ok := v.Session(id)
	require.True(t, ok, id)
	return s.Revoked
}

func TestListSessions(t *testing.T) {
	f := newFixture(t)
	bob := f.vault.AddSession("bob", vaulttest.SessionSeed{})

	var got sessionsResponse
	resp := call(t, f.service, http.MethodGet, "/account/sessions", f.alice[0].Token, &got)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, got.Sessions, 3)
	for _, s := range got.Sessions {
		assert.Equal(t, s.ID == f.alice[0].ID, s.Current, s.ID)
	}

	// The same service, and the same Client, acts for bob with his token.
	var bobs sessionsResponse
	call(t, f.service, http.MethodGet, "/account/sessions", bob.Token, &bobs)
	require.Len(t, bobs.Sessions, 1)
	assert.Equal(t, bob.ID, bobs.Sessions[0].ID)

	reqs := f.vault.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer "+f.alice[0].Token, reqs[0].Header.Get("Authorization"), "alice's own token reached Vault")
	assert.Equal(t, "Bearer "+bob.Token, reqs[1].Header.Get("Authorization"))
}

func TestRevokeSession(t *testing.T) {
	f := newFixture(t)
	bob := f.vault.AddSession("bob", vaulttest.SessionSeed{})
	target := f.alice[2].ID

	var got revokedResponse
	resp := call(t, f.service, http.MethodDelete, "/account/sessions/"+target, f.alice[0].Token, &got)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{target}, got.Revoked)
	assert.True(t, revoked(t, f.vault, target))
	assert.False(t, revoked(t, f.vault, f.alice[1].ID))

	var gone errorBody
	resp = call(t, f.service, http.MethodDelete, "/account/sessions/"+bob.ID, f.alice[0].Token, &gone)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "another user's session is not found")
	assert.Equal(t, "NOT_FOUND", gone.Error.Code)
	assert.False(t, revoked(t, f.vault, bob.ID))
}

func TestRevokeSessionBadID(t *testing.T) {
	f := newFixture(t)
	var got errorBody
	resp := call(t, f.service, http.MethodDelete, "/account/sessions/a%2Fb", f.alice[0].Token, &got)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "BAD_REQUEST", got.Error.Code)
	assert.Empty(t, f.vault.Requests(), "nothing was sent to Vault")
}

func TestRevokeOtherSessions(t *testing.T) {
	f := newFixture(t)
	var got revokedResponse
	resp := call(t, f.service, http.MethodPost, "/account/sessions/revoke-others", f.alice[0].Token, &got)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.ElementsMatch(t, []string{f.alice[1].ID, f.alice[2].ID}, got.Revoked)
	assert.False(t, revoked(t, f.vault, f.alice[0].ID), "the caller's own device stays signed in")
	assert.True(t, revoked(t, f.vault, f.alice[1].ID))
	assert.True(t, revoked(t, f.vault, f.alice[2].ID))
}

func TestLogoutEverywhere(t *testing.T) {
	f := newFixture(t)
	var got vault.MessageResponse
	resp := call(t, f.service, http.MethodPost, "/account/logout-everywhere", f.alice[0].Token, &got)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, vaulttest.MessageAllSessionsRevoked, got.Message)
	for _, s := range f.alice {
		assert.True(t, revoked(t, f.vault, s.ID), s.ID)
	}

	// The caller's token is revoked too: Vault's 401 passes through.
	var denied errorBody
	resp = call(t, f.service, http.MethodGet, "/account/sessions", f.alice[0].Token, &denied)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "UNAUTHORIZED", denied.Error.Code)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
}

func TestNoToken(t *testing.T) {
	f := newFixture(t)
	for _, route := range []struct{ method, path string }{
		{http.MethodGet, "/account/sessions"},
		{http.MethodDelete, "/account/sessions/" + f.alice[1].ID},
		{http.MethodPost, "/account/sessions/revoke-others"},
		{http.MethodPost, "/account/logout-everywhere"},
	} {
		var got errorBody
		resp := call(t, f.service, route.method, route.path, "", &got)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, route.path)
		assert.Equal(t, "UNAUTHORIZED", got.Error.Code)
	}
	assert.Empty(t, f.vault.Requests(), "an anonymous request never reaches Vault")
}
