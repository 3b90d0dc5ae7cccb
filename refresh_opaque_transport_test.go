package vault_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// lossyTransport sends each request on a transport of its own, which
// the request's httptrace does not reach (as an HTTP/3 transport, or one
// that relays through another process, would), and loses the answer to
// the first request it sends.
type lossyTransport struct {
	inner http.RoundTripper
	lost  atomic.Bool
}

func (l *lossyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.inner.RoundTrip(req.Clone(context.Background()))
	if err != nil {
		return nil, err
	}
	if l.lost.CompareAndSwap(false, true) {
		_ = resp.Body.Close()
		return nil, errors.New("read: connection reset by peer")
	}
	return resp, nil
}

// TestRefreshThroughAnOpaqueTransportIsNotResent checks that a refresh
// sent through a transport whose progress the SDK cannot trace is not
// sent again after a transport error: without a report that the request
// never left, it may have reached the server and rotated the token.
func TestRefreshThroughAnOpaqueTransportIsNotResent(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	session := srv.AddSession("svc", vaulttest.SessionSeed{})
	transport := &lossyTransport{inner: http.DefaultTransport.(*http.Transport).Clone()}
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      srv.URL,
		HTTPClient:   &http.Client{Transport: transport},
		RetryWaitMin: time.Millisecond,
	})
	require.NoError(t, err)
	defer client.CloseIdleConnections()

	_, err = client.Auth.RefreshToken(context.Background(), session.RefreshToken)
	require.Error(t, err)
	assert.ErrorIs(t, err, vault.ErrOutcomeUnknown, "the refresh token may have been rotated")
	assert.Len(t, srv.Requests(), 1, "the refresh was sent again")
	s, _ := srv.Session(session.ID)
	assert.False(t, s.Revoked, "the second copy revoked the session")
}
