package vaulttest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// epoch is the frozen clock most tests run at.
var epoch = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// reply is a response read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request with the given bearer token (none if empty) and
// extra header pairs, and reads the whole response.
func call(t *testing.T, c *http.Client, method, url, token string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}

func errorCode(t *testing.T, b []byte) string {
	t.Helper()
	return decode[vault.ErrorResponse](t, b).Error.Code
}

// newServer starts a server frozen at epoch and closes it at the end of
// the test.
func newServer(t *testing.T, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	srv := vaulttest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.SetNow(epoch)
	return srv
}

// freshClient returns a client that opens a new connection per request,
// so that a reset connection is never retried by the transport.
func freshClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// heapLive returns the bytes of the objects the heap holds after a
// collection.
func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
