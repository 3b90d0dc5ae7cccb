package vault

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProductionGuideStatesTheTransportDefaults holds the table of the
// built-in transport's settings in docs/guide-production.md to the
// transport NewClient builds.
func TestProductionGuideStatesTheTransportDefaults(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("docs", "guide-production.md"))
	require.NoError(t, err)
	guide := string(b)
	tr := newPooledTransport()
	seconds := func(d time.Duration) string {
		if d == 0 {
			return "none"
		}
		require.Zero(t, d%time.Second, "%s is not whole seconds", d)
		return fmt.Sprintf("%d s", d/time.Second)
	}
	require.NotNil(t, tr.Proxy)
	require.NotNil(t, tr.DialContext)
	require.Nil(t, tr.TLSClientConfig, "the guide says TLS has Go's defaults")
	require.False(t, tr.DisableCompression, "the guide says compression is on")
	require.False(t, tr.DisableKeepAlives)

	rows := []string{
		"| `Proxy` | `http.ProxyFromEnvironment` |",
		"| Dial timeout | " + seconds(dialTimeout) + " |",
		"| TCP keep-alive | " + seconds(dialKeepAlive) + " |",
		"| `TLSHandshakeTimeout` | " + seconds(tr.TLSHandshakeTimeout) + " |",
		"| TLS | Go's defaults |",
		fmt.Sprintf("| `ForceAttemptHTTP2` | %t |", tr.ForceAttemptHTTP2),
		fmt.Sprintf("| `MaxIdleConns` | %d |", tr.MaxIdleConns),
		fmt.Sprintf("| `MaxIdleConnsPerHost` | %d |", tr.MaxIdleConnsPerHost),
		fmt.Sprintf("| `MaxConnsPerHost` | %d, no limit |", tr.MaxConnsPerHost),
		"| `IdleConnTimeout` | " + seconds(tr.IdleConnTimeout) + " |",
		"| `ResponseHeaderTimeout` | " + seconds(tr.ResponseHeaderTimeout) + " |",
		"| `ExpectContinueTimeout` | " + seconds(tr.ExpectContinueTimeout) + " |",
		"| Compression | on |",
	}
	for _, row := range rows {
		assert.True(t, strings.Contains(guide, row), "docs/guide-production.md has no row starting %s", row)
	}
	assert.Zero(t, tr.MaxConnsPerHost)

	_, client := newHTTPClient(nil, 0)
	assert.True(t, strings.Contains(guide, "| `http.Client.Timeout` | "+seconds(client.Timeout)+" |"))
	assert.Nil(t, client.Jar)
	assert.True(t, strings.Contains(guide, "| Cookie jar | none |"))

	// The transport the guide builds without a proxy has the same settings.
	for _, field := range []string{
		fmt.Sprintf("Timeout:   %d * time.Second,", dialTimeout/time.Second),
		fmt.Sprintf("KeepAlive: %d * time.Second,", dialKeepAlive/time.Second),
		fmt.Sprintf("MaxIdleConns:          %d,", tr.MaxIdleConns),
		fmt.Sprintf("MaxIdleConnsPerHost:   %d,", tr.MaxIdleConnsPerHost),
		fmt.Sprintf("IdleConnTimeout:       %d * time.Second,", tr.IdleConnTimeout/time.Second),
		fmt.Sprintf("TLSHandshakeTimeout:   %d * time.Second,", tr.TLSHandshakeTimeout/time.Second),
	} {
		assert.True(t, strings.Contains(guide, field), "the guide's transport without a proxy lacks %s", field)
	}
}
