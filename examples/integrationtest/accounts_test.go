package integrationtest

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

// newVault is the setup every test shares. It starts an in-memory Vault
// API, like httptest.NewServer starts an HTTP server, and returns it
// with the service code under test pointed at it.
func newVault(t *testing.T, opts ...vaulttest.Option) (*vaulttest.Server, *Accounts) {
	t.Helper()

	// The fake listens on a free loopback port; srv.URL is its base URL,
	// such as http://127.0.0.1:41234/api/v1. Close it when the test ends.
	// opts can make it answer as the Vault server's code does rather than
	// as the spec says.
	srv := vaulttest.NewServer(opts...)
	t.Cleanup(srv.Close)

	// The Client is built the way production builds it, with two changes
	// for tests: the base URL of the fake, and retry waits of
	// milliseconds instead of half a second and more, so that a test
	// with injected failures still takes milliseconds.
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      srv.URL,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 50 * time.Millisecond,
	})
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)

	return srv, &Accounts{Vault: client}
}

// seedDevices signs a user in on n devices and returns the sessions. Each
// session has its own token; the first is the device the user acts from.
func seedDevices(srv *vaulttest.Server, userID string, n int) []vaulttest.Session {
	// SeedDemo adds realistic sessions (a Mac, an iPhone, an iPad, ...);
	// AddSession adds one session with exactly the fields a test needs.
	return srv.SeedDemo(vaulttest.Demo{UserID: userID, Sessions: n})
}

func TestAfterPasswordChange(t *testing.T) {
	srv, accounts := newVault(t)
	alice := seedDevices(srv, "alice", 4)
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})

	// Run the service code as alice, from her first device.
	n, err := accounts.AfterPasswordChange(context.Background(), alice[0].Token)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	// Assert on the fake's state: Session returns revoked sessions too,
	// so a test can see exactly what the code changed.
	for _, s := range alice[1:] {
		got, _ := srv.Session(s.ID)
		assert.True(t, got.Revoked, "alice's other device %s is signed out", s.ID)
	}
	current, _ := srv.Session(alice[0].ID)
	assert.False(t, current.Revoked, "the device she changed the password on stays signed in")
	other, _ := srv.Session(bob.ID)
	assert.False(t, other.Revoked, "bob is not affected")

	// Assert on the requests the fake received: one list, then one
	// revocation per other device, all with alice's token.
	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	for _, r := range reqs {
		assert.Equal(t, "Bearer "+alice[0].Token, r.Header.Get("Authorization"))
	}
	for _, r := range reqs[1:] {
		assert.Equal(t, http.MethodDelete, r.Method)
		assert.Equal(t, http.StatusOK, r.Status)
	}
}

func TestAfterPasswordChangeRetriesA503Burst(t *testing.T) {
	srv, accounts := newVault(t)
	alice := seedDevices(srv, "alice", 2)

	// Inject a fault: the next two revocations answer 503, as an
	// overloaded API would. Faults are consumed in order by the requests
	// that match their route; the rest are served normally.
	srv.Faults().Add(vaulttest.Fault{
		Route:  vaulttest.RouteRevokeSession,
		Status: http.StatusServiceUnavailable,
		Count:  2,
	})

	n, err := accounts.AfterPasswordChange(context.Background(), alice[0].Token)
	require.NoError(t, err, "the SDK retries 503 by itself")
	assert.Equal(t, 1, n)

	// The request log shows what happened: the list, two faulted
	// attempts, then the retry that got through.
	var statuses []int
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	assert.Equal(t, []int{200, 503, 503, 200}, statuses)
	assert.Zero(t, srv.Faults().Pending(), "every injected fault was used")
	got, _ := srv.Session(alice[1].ID)
	assert.True(t, got.Revoked)
}

func TestAfterPasswordChangeRateLimited(t *testing.T) {
	srv, accounts := newVault(t)
	alice := seedDevices(srv, "alice", 2)

	// A 429 whose Retry-After (two minutes) is longer than the client's
	// RetryWaitMax: the SDK does not sleep for it, it returns at once
	// with the wait in the error. This is the service's own handling
	// under test: it must turn that into a TryLaterError for its queue.
	srv.Faults().Add(vaulttest.Fault{
		Route:      vaulttest.RouteRevokeSession,
		Status:     http.StatusTooManyRequests,
		RetryAfter: "120",
	})

	n, err := accounts.AfterPasswordChange(context.Background(), alice[0].Token)
	var later *TryLaterError
	require.ErrorAs(t, err, &later)
	assert.Equal(t, 2*time.Minute, later.Wait)
	assert.ErrorIs(t, err, vault.ErrRateLimited, "the SDK's error is still reachable")
	assert.Zero(t, n)

	got, _ := srv.Session(alice[1].ID)
	assert.False(t, got.Revoked, "a faulted request does not change the fake's state")

	// Run the job again, as the queue would after the wait: the fault is
	// spent, so this time it succeeds.
	n, err = accounts.AfterPasswordChange(context.Background(), alice[0].Token)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestForceLogoutIsIdempotent(t *testing.T) {
	// The spec's logout-all ends the current session too; the Vault
	// server's keeps it. ForceLogout must sign the user out of every
	// device against either, so the test runs against both.
	for _, dialect := range []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer} {
		t.Run(dialect.String(), func(t *testing.T) {
			srv, accounts := newVault(t, vaulttest.WithDialect(dialect))
			alice := seedDevices(srv, "alice", 3)

			require.NoError(t, accounts.ForceLogout(context.Background(), alice[1].Token))
			for _, s := range srv.Sessions("alice") {
				assert.True(t, s.Revoked, s.ID)
			}

			// The token is revoked now, so Vault answers 401; the service
			// treats that as "already signed out". The request log proves
			// the 401 happened rather than the second call being skipped.
			srv.ResetRequests()
			require.NoError(t, accounts.ForceLogout(context.Background(), alice[1].Token))
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.StatusUnauthorized, reqs[0].Status)
		})
	}
}

func TestForceLogoutServerDown(t *testing.T) {
	srv, accounts := newVault(t)
	alice := seedDevices(srv, "alice", 1)

	// Count: vaulttest.Unlimited keeps the fault for every request, so the
	// SDK's retries run out and the service sees the error.
	srv.Faults().Add(vaulttest.Fault{
		Route:  vaulttest.RouteLogoutAllSessions,
		Status: http.StatusServiceUnavailable,
		Count:  vaulttest.Unlimited,
	})

	err := accounts.ForceLogout(context.Background(), alice[0].Token)
	require.ErrorIs(t, err, vault.ErrServer)
	var later *TryLaterError
	assert.NotErrorAs(t, err, &later, "only rate limiting asks to try later")
	assert.Len(t, srv.Requests(), 1+vault.DefaultMaxRetries, "the first attempt and every retry")
	got, _ := srv.Session(alice[0].ID)
	assert.False(t, got.Revoked)
}
