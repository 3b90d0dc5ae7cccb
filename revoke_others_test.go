package vault_test

import (
	"context"
	"errors"
	"net/http"
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
