package main

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

func TestServerTimeouts(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	h, _, _ := newHandler(o, discardLogger())
	srv := newServer(o, h, discardLogger())
	assert.Equal(t, time.Minute, srv.IdleTimeout)
	assert.Equal(t, time.Minute, srv.WriteTimeout)
	assert.Equal(t, readHeaderTimeout, srv.ReadHeaderTimeout)
	assert.Equal(t, readTimeout, srv.ReadTimeout)

	o, err = parseFlags([]string{"-idle-timeout", "5s", "-write-timeout", "0"}, io.Discard)
	require.NoError(t, err)
	srv = newServer(o, h, discardLogger())
	assert.Equal(t, 5*time.Second, srv.IdleTimeout)
	assert.Zero(t, srv.WriteTimeout)
}

// rawGet sends a GET of the session list on a connection of its own and
// returns the connection, unread. A client that does not read sets
// small, so that its connection buffers little of a response.
func rawGet(t *testing.T, baseURL, token string, small bool) (net.Conn, *bufio.Reader) {
	t.Helper()
	host := strings.TrimPrefix(strings.TrimSuffix(baseURL, "/api/v1"), "http://")
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	if tc, ok := conn.(*net.TCPConn); ok && small {
		require.NoError(t, tc.SetReadBuffer(4096))
	}
	_, err = fmt.Fprintf(conn, "GET /api/v1/users/me/sessions HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", host, token)
	require.NoError(t, err)
	return conn, bufio.NewReader(conn)
}

func TestRunClosesIdleConnections(t *testing.T) {
	m := startMock(t, "-idle-timeout", "100ms")
	conn, br := rawGet(t, m.baseURL, m.token, false)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.False(t, resp.Close, "the connection is kept alive")

	// Idle now: the server closes it after -idle-timeout. The deadline
	// only bounds a failing test.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server closed the idle connection")
	assert.Equal(t, 0, m.stop(t))
}

// seedLargeSessions adds sessions whose list weighs some 16 MB, more
// than the buffers of a connection hold (a few MB), so that a client that
// does not read keeps its response from being written.
func seedLargeSessions(t *testing.T, controlURL string) {
	t.Helper()
	// Each seed stays under the control API's 1 MiB body limit.
	ua := strings.Repeat("x", 512<<10)
	for i := 0; i < 32; i++ {
		status, body := send(t, "POST", controlURL+"/users/"+vaulttest.DemoUserID+"/sessions", "", `{"userAgent":"`+ua+`"}`)
		require.Equal(t, http.StatusCreated, status, body)
	}
}

func TestServerCutsAResponseNotReadInTime(t *testing.T) {
	o, err := parseFlags([]string{"-write-timeout", "300ms"}, io.Discard)
	require.NoError(t, err)
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	h, demo, _ := newHandler(o, logger)
	// Seeded here rather than through the control API, which the
	// write timeout bounds too.
	ua := strings.Repeat("x", 4<<20)
	for i := 0; i < 4; i++ {
		h.AddSession(demo.UserID, vaulttest.SessionSeed{UserAgent: ua})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := newServer(o, h, logger)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	rawGet(t, "http://"+ln.Addr().String()+"/api/v1", demo.Token, true)
	// The request is logged once its handler returns, which it does only
	// when the write timeout cuts the response the client does not read.
	require.Eventually(t, func() bool {
		return strings.Contains(logs.String(), "msg=request") && strings.Contains(logs.String(), "path=/api/v1/users/me/sessions")
	}, 30*time.Second, 10*time.Millisecond, "the response is never cut")
}

// TestServerBoundsRequestHeaders sends requests whose headers come
// just under and just over 64 KiB, request line included, and checks that
// the first is answered and the second refused 431, as the docs say.
func TestServerBoundsRequestHeaders(t *testing.T) {
	m := startMock(t)
	tests := []struct {
		size   int // of the request line and headers
		status int
	}{
		{size: maxHeaderBytes - 1000, status: http.StatusOK},
		{size: maxHeaderBytes + 1000, status: http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.size), func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, m.baseURL+"/users/me/sessions", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+m.token)
			// The request line, Host, Authorization and the client's own
			// headers take about 300 bytes.
			req.Header.Set("X-Padding", strings.Repeat("p", tt.size-300))
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := c.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
		})
	}
}
