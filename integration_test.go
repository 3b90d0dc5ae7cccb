package vault_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// These tests run the SDK against vaulttest, the stateful fake of the API,
// for behaviour that spans calls and users. The wire details are tested
// with raw httptest handlers in the package's own tests.

func newClient(t *testing.T, srv *vaulttest.Server, mutate ...func(*vault.Configuration)) *vault.Client {
	t.Helper()
	cfg := vault.Configuration{BaseURL: srv.URL, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond}
	for _, m := range mutate {
		m(&cfg)
	}
	client, err := vault.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client
}

func TestSessionLifecycle(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	demo := srv.SeedDemo(vaulttest.Demo{Sessions: 4})
	me := demo[0]
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token })
	ctx := context.Background()

	sessions, err := client.Sessions.ListSessions(ctx)
	require.NoError(t, err)
	require.Len(t, sessions, 4)
	var current []string
	for _, s := range sessions {
		if s.Current {
			current = append(current, s.ID)
		}
	}
	assert.Equal(t, []string{me.ID}, current)

	_, err = client.Sessions.RevokeSession(ctx, demo[1].ID)
	require.NoError(t, err)
	revoked, _ := srv.Session(demo[1].ID)
	assert.True(t, revoked.Revoked)

	_, err = client.Sessions.RevokeSession(ctx, demo[1].ID)
	assert.ErrorIs(t, err, vault.ErrNotFound, "revoking twice")

	_, err = client.Sessions.ListSessions(ctx, vault.WithAccessToken(demo[1].Token))
	assert.ErrorIs(t, err, vault.ErrUnauthorized, "a revoked session's token stops working")

	_, err = client.Sessions.LogoutAllSessions(ctx)
	require.NoError(t, err)
	for _, s := range srv.Sessions(vaulttest.DemoUserID) {
		assert.True(t, s.Revoked, s.ID)
	}
	_, err = client.Sessions.ListSessions(ctx)
	assert.ErrorIs(t, err, vault.ErrUnauthorized)
}

func TestRevokeAnotherUsersSessionIsNotFound(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	client := newClient(t, srv)

	_, errOther := client.Sessions.RevokeSession(context.Background(), bob.ID, vault.WithAccessToken(alice.Token))
	_, errUnknown := client.Sessions.RevokeSession(context.Background(), "no-such-session", vault.WithAccessToken(alice.Token))
	var other, unknown *vault.APIError
	require.ErrorAs(t, errOther, &other)
	require.ErrorAs(t, errUnknown, &unknown)
	assert.Equal(t, unknown.Code, other.Code)
	assert.Equal(t, unknown.Message, other.Message, "no hint that the session exists")
	s, _ := srv.Session(bob.ID)
	assert.False(t, s.Revoked)
}

func TestTenantHeader(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})

	for _, tt := range []struct {
		tenant string
		want   error
	}{{"acme", nil}, {"globex", vault.ErrUnauthorized}, {"", vault.ErrUnauthorized}} {
		client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = alice.Token; c.TenantID = tt.tenant })
		_, err := client.Sessions.ListSessions(context.Background())
		if tt.want == nil {
			assert.NoError(t, err, tt.tenant)
		} else {
			assert.ErrorIs(t, err, tt.want, tt.tenant)
		}
	}
	requests := srv.Requests()
	require.NotEmpty(t, requests)
	assert.Equal(t, "acme", requests[0].Header.Get("X-Tenant-ID"))
}

func TestExpiredSessionsDisappear(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: srv.Now().Add(48 * time.Hour)})
	srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: srv.Now().Add(time.Hour)})
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token })

	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, 2)
	srv.Advance(2 * time.Hour)
	sessions, err = client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, 1)
}

func TestRateLimitHeadersAndEnforcedLimit(t *testing.T) {
	srv := vaulttest.NewServer(vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 2, Window: time.Hour, Enforce: true}))
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token })

	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(), vault.WithHTTPResponse(&resp))
	require.NoError(t, err)
	rl, ok := vault.ParseRateLimit(resp.Header)
	require.True(t, ok)
	assert.Equal(t, vault.RateLimit{Limit: 2, Remaining: 1, Reset: rl.Reset}, rl)
	assert.True(t, rl.Reset.After(srv.Now()))

	_, err = client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	_, err = client.Sessions.ListSessions(context.Background())
	var apiErr *vault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
	assert.Greater(t, apiErr.RetryAfter, 10*time.Millisecond, "an hour's window is longer than RetryWaitMax")
	assert.Equal(t, 1, apiErr.Attempts, "not retried: the wait is longer than RetryWaitMax")
	assert.Equal(t, 0, apiErr.RateLimit.Remaining)
}

func TestTLSServer(t *testing.T) {
	srv := vaulttest.NewTLSServer()
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token; c.HTTPClient = srv.Client() })
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, 1)

	untrusting := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token })
	before := srv.ConnectionCount()
	_, err = untrusting.Sessions.ListSessions(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.Equal(t, before+1, srv.ConnectionCount(), "a certificate error is not retried")
	assert.Len(t, srv.Requests(), 1, "no request got through the failed handshake")
}

func TestRetriesThroughFaults(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	phone := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: http.StatusServiceUnavailable, Count: 2})
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = me.Token })

	_, err := client.Sessions.RevokeSession(context.Background(), phone.ID)
	require.NoError(t, err)
	requests := srv.Requests()
	require.Len(t, requests, 3)
	assert.True(t, requests[0].Fault)
	assert.True(t, requests[1].Fault)
	assert.False(t, requests[2].Fault)
	s, _ := srv.Session(phone.ID)
	assert.True(t, s.Revoked)
}
