package contracttest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/leakcheck"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestCallsLeaveNoGoroutine makes calls from many goroutines through one
// Client, through 503s and connections reset before and during a body,
// then closes the Client's idle connections: goleak must find no
// goroutine of the SDK left. The SDK's own load test makes the same check
// with internal/leakcheck; this one keeps goleak's independent verdict.
func TestCallsLeaveNoGoroutine(t *testing.T) {
	const goroutines, calls = 16, 40
	srv := newServer(t)
	baseline := goleak.IgnoreCurrent()

	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      srv.URL,
		MaxRetries:   100,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		RetryBudget:  100,
	})
	require.NoError(t, err)
	srv.Faults().Add(
		vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, Count: 10},
		vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Action: vaulttest.ResetBeforeResponse, Count: 5},
		vaulttest.Fault{Route: vaulttest.RouteListSessions, Action: vaulttest.ResetMidBody, Count: 5},
	)

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := 0; g < goroutines; g++ {
		token := srv.AddSession(fmt.Sprintf("user%02d", g), vaulttest.SessionSeed{}).Token
		wg.Add(1)
		go func() {
			defer wg.Done()
			as := vault.WithAccessToken(token)
			for i := 0; i < calls; i++ {
				if i%2 == 0 {
					_, err := client.Sessions.ListSessions(context.Background(), as)
					errs <- err
					continue
				}
				_, err := client.Sessions.RevokeSession(context.Background(), "sess_missing", as)
				if errors.Is(err, vault.ErrNotFound) {
					err = nil
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	client.CloseIdleConnections()
	goleak.VerifyNone(t, baseline)
}

// TestLeakcheckAgreesWithGoleak holds internal/leakcheck, which guards the
// SDK's own tests, to goleak's verdict: both see a goroutine left running,
// and neither sees it once it has ended.
func TestLeakcheckAgreesWithGoleak(t *testing.T) {
	before, baseline := leakcheck.Take(), goleak.IgnoreCurrent()
	release := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-release
	}()

	assert.Len(t, leakcheck.Leaked(before, 0), 1, "leakcheck sees the running goroutine")
	assert.Error(t, goleak.Find(baseline), "goleak sees the running goroutine")

	close(release)
	<-done
	assert.Empty(t, leakcheck.Leaked(before, leakcheck.DefaultWait), "leakcheck sees no goroutine once it ended")
	assert.NoError(t, goleak.Find(baseline), "goleak sees no goroutine once it ended")
}

// TestWebhookDeliveryLeavesNoGoroutine sends webhooks to a receiver
// that fails them, one that hangs and one that answers, then closes the
// server while deliveries are in flight and waiting to retry: goleak
// must find no goroutine of vaulttest's delivery left.
func TestWebhookDeliveryLeavesNoGoroutine(t *testing.T) {
	release := make(chan struct{})
	hang := make(chan struct{}, 1)
	receivers := map[string]http.HandlerFunc{
		"fails": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
		"hangs": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client go
			select {
			case hang <- struct{}{}:
			default:
			}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		},
		"answers": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
	}
	var opts []vaulttest.Option
	for _, name := range []string{"fails", "hangs", "answers"} {
		rs := httptest.NewServer(receivers[name])
		t.Cleanup(rs.Close)
		opts = append(opts, vaulttest.WithWebhook(rs.URL, "whsec_leak_"+name))
	}
	t.Cleanup(func() { close(release) }) // before the receivers close
	baseline := goleak.IgnoreCurrent()

	srv := vaulttest.NewServer(append(opts, vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Backoff: time.Second, Timeout: time.Minute}))...)
	for i := 0; i < 5; i++ {
		srv.AddSession("leak", vaulttest.SessionSeed{})
	}
	select {
	case <-hang:
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery reached the receiver")
	}
	srv.Close()
	goleak.VerifyNone(t, baseline)
	for _, d := range srv.WebhookDeliveries() {
		assert.NotEqual(t, vaulttest.DeliveryPending, d.State)
	}
}
