package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPercentEncodedPathsStayWithinTheMemoryBound sends vault-mock, over
// a connection as a client would, requests whose request line fills
// most of its 64 KiB bound with a path that is percent-encoded where it
// need not be ("%41" for "A"), and one character that a path must
// escape, and checks that the request log holds them within the bound
// docs/vault-mock.md gives, -request-log-bytes plus memoryHeadroom.
// The log counts the path as the record shows it, a third of the
// request line, but the request's method is a slice of the line the
// server read, and keeps the whole of it alive with the record.
func TestPercentEncodedPathsStayWithinTheMemoryBound(t *testing.T) {
	const logBytes = 16 << 20
	o, err := parseFlags([]string{"-request-log-bytes", "16MiB"}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, logBytes, int(o.requestLogBytes))
	h, _, _ := newHandler(o, discardLogger())
	srv := newServer(o, h, discardLogger())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	br := bufio.NewReader(conn)
	encoded := strings.Repeat("%41", 21000)
	// Twice the requests that the log holds, as it counts them.
	for i := 0; i < 1500; i++ {
		line := fmt.Sprintf("GET /api/v1/users/me/sessions/{%s%d HTTP/1.1", encoded, i)
		require.Less(t, len(line), maxHeaderBytes)
		_, err := io.WriteString(conn, line+"\r\nHost: localhost\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(br, nil)
		require.NoError(t, err, "request %d", i)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	kept := len(h.Requests())
	live := heapLive()
	runtime.KeepAlive(h)
	t.Logf("the log keeps %d requests of a %d-byte request line; live heap: %d KiB", kept, len(encoded)+60, live>>10)
	bound := uint64(logBytes + memoryHeadroom)
	assert.Less(t, live, bound, "requests with a percent-encoded path hold more than -request-log-bytes plus %d MiB", memoryHeadroom>>20)
}
