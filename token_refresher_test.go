package vault_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// epoch is the frozen clock of the refresher tests.
var epoch = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// rotations records the refresh tokens onRotate got, and can fail.
type rotations struct {
	mu     sync.Mutex
	tokens []string
	fail   error                                   // returned, if set
	check  func(ctx context.Context, token string) // called first, if set
}

func (r *rotations) onRotate(ctx context.Context, token string) error {
	if r.check != nil {
		r.check(ctx, token)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, token)
	return r.fail
}

func (r *rotations) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.tokens...)
}

// refresherFixture is a vaulttest server with a session, and a Client
// whose TokenSource is a TokenRefresher of that session's refresh token,
// which refreshes through the same Client.
type refresherFixture struct {
	srv       *vaulttest.Server
	session   vaulttest.Session
	client    *vault.Client
	refresher *vault.TokenRefresher
	rotations *rotations
}

// newRefresherFixture starts the server with opts and a frozen clock
// that the refresher reads too.
func newRefresherFixture(t *testing.T, opts ...vaulttest.Option) *refresherFixture {
	t.Helper()
	f := &refresherFixture{srv: vaulttest.NewTestServer(t, opts...), rotations: new(rotations)}
	f.srv.SetNow(epoch)
	f.session = f.srv.AddSession("svc", vaulttest.SessionSeed{})
	var err error
	f.client, err = vault.NewClient(vault.Configuration{
		BaseURL:      f.srv.URL,
		TokenSource:  func(ctx context.Context) (string, error) { return f.refresher.Token(ctx) },
		RetryWaitMin: time.Millisecond,
	})
	require.NoError(t, err)
	t.Cleanup(f.client.CloseIdleConnections)
	f.refresher = vault.NewTokenRefresher(f.client, f.session.RefreshToken, f.rotations.onRotate)
	vault.SetTokenRefresherClock(f.refresher, f.srv.Now)
	return f
}

// routes returns the method and path of each request the server got, with
// its status, as "POST /auth/refresh 200".
func (f *refresherFixture) routes() []string {
	var out []string
	for _, r := range f.srv.Requests() {
		out = append(out, r.Method+" "+r.Path[len(vaulttest.BasePath):]+" "+http.StatusText(r.Status))
	}
	return out
}

const (
	refreshed = "POST /auth/refresh OK"
	listed    = "GET /users/me/sessions OK"
	refused   = "GET /users/me/sessions Unauthorized"
)

func (f *refresherFixture) list(t *testing.T) {
	t.Helper()
	_, err := f.client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
}

func TestTokenRefresherRefreshesOnFirstUse(t *testing.T) {
	f := newRefresherFixture(t)
	f.list(t)
	f.list(t)
	assert.Equal(t, []string{refreshed, listed, listed}, f.routes())

	s, _ := f.srv.Session(f.session.ID)
	assert.Equal(t, []string{s.RefreshToken}, f.rotations.got(), "onRotate got the new refresh token")
	assert.NotEqual(t, f.session.RefreshToken, s.RefreshToken)
	for _, r := range f.srv.Requests()[1:] {
		assert.Equal(t, "Bearer "+s.Token, r.Header.Get("Authorization"), "the calls use the new access token")
	}
}

func TestTokenRefresherSharesOneRefresh(t *testing.T) {
	f := newRefresherFixture(t)
	// A slow refresh, so that the callers pile up behind it.
	f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Latency: 300 * time.Millisecond})

	const callers = 50
	tokens := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { tokens[i], errs[i] = f.refresher.Token(context.Background()) })
	}
	wg.Wait()
	s, _ := f.srv.Session(f.session.ID)
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, s.Token, tokens[i])
	}
	assert.Equal(t, []string{refreshed}, f.routes(), "one refresh for all the callers")
	assert.False(t, s.Revoked)
	assert.Len(t, f.rotations.got(), 1)
}

func TestTokenRefresherStoresTheRefreshTokenBeforeUsingTheAccessToken(t *testing.T) {
	f := newRefresherFixture(t)
	f.rotations.check = func(_ context.Context, token string) {
		s, _ := f.srv.Session(f.session.ID)
		assert.Equal(t, s.RefreshToken, token)
		assert.Equal(t, []string{refreshed}, f.routes(), "no call went out with the new access token yet")
	}
	f.list(t)
	assert.Equal(t, []string{refreshed, listed}, f.routes())
}

func TestTokenRefresherRetriesAFailedStoreWithoutRefreshing(t *testing.T) {
	f := newRefresherFixture(t)
	storeDown := errors.New("store unreachable")
	f.rotations.fail = storeDown

	_, err := f.client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, storeDown)
	assert.EqualError(t, err, "vault: list sessions: token source: token refresher: onRotate failed to store the new refresh token: store unreachable")
	assert.Equal(t, []string{refreshed}, f.routes(), "the new access token is not used while its refresh token is not stored")

	f.rotations.fail = nil
	f.list(t)
	assert.Equal(t, []string{refreshed, listed}, f.routes(), "the same refresh token is offered again, without another refresh")
	got := f.rotations.got()
	require.Len(t, got, 2)
	assert.Equal(t, got[0], got[1])
}

func TestTokenRefresherRefreshesBeforeExpiry(t *testing.T) {
	f := newRefresherFixture(t, vaulttest.WithSignedTokens()) // 15-minute JWTs
	f.list(t)
	f.srv.Advance(vaulttest.AccessTokenLifetime - vault.TokenRefreshMargin - time.Second)
	f.list(t)
	assert.Equal(t, []string{refreshed, listed, listed}, f.routes(), "not due yet")

	f.srv.Advance(time.Second) // TokenRefreshMargin before exp
	f.list(t)
	assert.Equal(t, []string{refreshed, listed, listed, refreshed, listed}, f.routes(),
		"refreshed before the server refused the token")
	assert.Len(t, f.rotations.got(), 2)
}

func TestTokenRefresherRefreshesAShortLivedTokenHalfwayThrough(t *testing.T) {
	f := newRefresherFixture(t, vaulttest.WithSignedTokens(), vaulttest.WithAccessTokenLifetime(time.Minute))
	f.list(t)
	f.srv.Advance(29 * time.Second)
	f.list(t)
	f.srv.Advance(time.Second)
	f.list(t)
	assert.Equal(t, []string{refreshed, listed, listed, refreshed, listed}, f.routes())
}

func TestTokenRefresherRefreshesOnARefusal(t *testing.T) {
	// Opaque tokens have no exp to read: the 401 tells.
	f := newRefresherFixture(t, vaulttest.WithAccessTokenLifetime(time.Minute))
	f.list(t)
	f.srv.Advance(2 * time.Minute)

	var info vault.CallInfo
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:     f.srv.URL,
		TokenSource: f.refresher.Token,
		Hooks:       vault.Hooks{End: func(_ context.Context, i vault.CallInfo) { info = i }},
	})
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	_, err = client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, []string{refreshed, listed, refused, refreshed, listed}, f.routes())
	assert.Len(t, f.rotations.got(), 2)
}

func TestTokenRefresherFailsForGood(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *refresherFixture)
		matches error
	}{
		{name: "401: the session was revoked", setup: func(f *refresherFixture) {
			f.srv.RevokeSession(f.session.ID)
		}, matches: vault.ErrUnauthorized},
		{name: "503: the token may have been rotated", setup: func(f *refresherFixture) {
			f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Status: http.StatusServiceUnavailable, RetryAfter: "0"})
		}, matches: vault.ErrOutcomeUnknown},
		{name: "the answer lost after the rotation", setup: func(f *refresherFixture) {
			f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Action: vaulttest.ApplyThenReset})
		}, matches: vault.ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRefresherFixture(t)
			tt.setup(f)
			_, first := f.refresher.Token(context.Background())
			require.ErrorIs(t, first, tt.matches)
			assert.Contains(t, first.Error(), "vault: token refresher: refresh failed for good, sign in again: ")

			_, again := f.refresher.Token(context.Background())
			assert.Equal(t, first, again, "the same error, without sending anything")
			_, err := f.client.Sessions.ListSessions(context.Background())
			assert.ErrorIs(t, err, tt.matches)

			assert.Equal(t, 1, len(f.srv.Requests()), "one refresh: the old refresh token is never sent again")
			s, _ := f.srv.Session(f.session.ID)
			if tt.matches == vault.ErrOutcomeUnknown {
				assert.False(t, s.Revoked, "no reuse of the refresh token revoked the session")
			}
			assert.Empty(t, f.rotations.got())
		})
	}
}

func TestTokenRefresherTriesAgainAfterARateLimit(t *testing.T) {
	// A 429 is the server's refusal before it read the refresh token: it
	// is still good, and the next Token sends it again.
	f := newRefresherFixture(t)
	f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err := f.refresher.Token(context.Background())
	require.ErrorIs(t, err, vault.ErrRateLimited)
	assert.NotContains(t, err.Error(), "for good")

	f.list(t)
	s, _ := f.srv.Session(f.session.ID)
	assert.False(t, s.Revoked)
	assert.Equal(t, []string{"POST /auth/refresh Too Many Requests", refreshed, listed}, f.routes())
}

func TestTokenRefresherCallerGivesUpButTheRefreshGoesOn(t *testing.T) {
	f := newRefresherFixture(t)
	f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRefreshToken, Latency: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := f.refresher.Token(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "vault: token refresher: gave up waiting for a refresh")

	// The refresh went on without the caller: the next Token waits for it
	// and gets its token, and nothing was sent twice.
	token, err := f.refresher.Token(context.Background())
	require.NoError(t, err)
	s, _ := f.srv.Session(f.session.ID)
	assert.Equal(t, s.Token, token)
	assert.Equal(t, []string{refreshed}, f.routes())
}

func TestTokenRefresherRefusesBadInput(t *testing.T) {
	client, err := vault.NewClient(vault.Configuration{})
	require.NoError(t, err)
	for name, r := range map[string]*vault.TokenRefresher{
		"nil Client":            vault.NewTokenRefresher(nil, "rt", nil),
		"empty refresh token":   vault.NewTokenRefresher(client, "", nil),
		"invalid refresh token": vault.NewTokenRefresher(client, "rt-\xff", nil),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := r.Token(context.Background())
			assert.ErrorIs(t, err, vault.ErrInvalidArgument)
		})
	}
}

func TestTokenRefresherKeepsAServiceSignedInForLong(t *testing.T) {
	// The server's real clock, tokens of two seconds: for three seconds,
	// every call finds a token that works, refreshed ahead of its expiry
	// or, on a machine too slow for that, after its 401.
	srv := vaulttest.NewTestServer(t, vaulttest.WithSignedTokens(), vaulttest.WithAccessTokenLifetime(2*time.Second))
	s := srv.AddSession("svc", vaulttest.SessionSeed{})
	var refresher *vault.TokenRefresher
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:     srv.URL,
		TokenSource: func(ctx context.Context) (string, error) { return refresher.Token(ctx) },
	})
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	refresher = vault.NewTokenRefresher(client, s.RefreshToken, nil)

	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		_, err := client.Sessions.ListSessions(context.Background())
		require.NoError(t, err)
	}
	refreshes := 0
	for _, r := range srv.Requests() {
		if r.Path == vaulttest.BasePath+"/auth/refresh" {
			refreshes++
		}
	}
	assert.GreaterOrEqual(t, refreshes, 2, "refreshed as the tokens aged")
	got, _ := srv.Session(s.ID)
	assert.False(t, got.Revoked)
}
