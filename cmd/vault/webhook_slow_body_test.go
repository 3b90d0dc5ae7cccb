package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWebhookListenCutsASlowBody checks that webhook listen bounds how
// long a request may take to arrive: a client that sends its headers and
// part of its body, then nothing, does not hold the connection. Without
// the server's ReadTimeout, the handler would wait for the rest for ever.
func TestWebhookListenCutsASlowBody(t *testing.T) {
	assert.Equal(t, 30*time.Second, newCLI(nil, nil, nil, nil).listenReadTimeout, "the default")

	l := startListenCLI(t, func(c *cli) { c.listenReadTimeout = 500 * time.Millisecond }, nil, "--secret", listenSecret)
	u, err := url.Parse(l.url)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user_id\":", u.Path, u.Host)
	require.NoError(t, err)

	// Seconds of headroom over the half-second limit; the command without
	// one never answers.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "the cut body is refused")
		return
	}
	var netErr net.Error
	if assert.ErrorAs(t, err, &netErr) {
		assert.False(t, netErr.Timeout(), "the command still waited for the body after 20 seconds")
	}
}
