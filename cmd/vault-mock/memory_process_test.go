package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// procStatus returns a size in bytes from /proc/<pid>/status, such as
// VmRSS (the resident memory now) or VmHWM (its peak).
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// TestProcessMemoryIsBoundedInBytes sends vault-mock, started with its
// default flags, 30,000 requests with 50 KB of headers each, and checks
// that its resident memory never passed the bound docs/vault-mock.md
// gives, -request-log-bytes plus memoryHeadroom, and that a reset brings
// it back to within a few MB of what it was before them.
func TestProcessMemoryIsBoundedInBytes(t *testing.T) {
	p := startProcess(t)
	pid := p.cmd.Process.Pid
	if _, err := procStatus(pid, "VmHWM"); err != nil {
		t.Skipf("resident memory is read from /proc: %v", err)
	}
	const (
		requests = 30000
		workers  = 8
		headers  = 50 // of a kilobyte each
	)
	// Each worker writes its requests on a connection of its own, from
	// bytes made once, so that the client costs little beside the
	// server, even under the race detector.
	host := strings.TrimPrefix(strings.TrimSuffix(p.baseURL, "/api/v1"), "http://")
	var padding strings.Builder
	for j := 0; j < headers; j++ {
		fmt.Fprintf(&padding, "X-Padding-%02d: %s\r\n", j, strings.Repeat("p", 1000))
	}
	type conn struct {
		c  net.Conn
		br *bufio.Reader
	}
	dial := func() (*conn, error) {
		c, err := net.Dial("tcp", host)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { c.Close() })
		return &conn{c: c, br: bufio.NewReader(c)}, nil
	}
	sendOn := func(c *conn, i int) error {
		_, err := fmt.Fprintf(c.c, "GET /api/v1/users/me/sessions?n=%d HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n%s\r\n",
			i, host, p.token, padding.String())
		if err != nil {
			return err
		}
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	first, err := dial()
	require.NoError(t, err)
	send := func(i int) error { return sendOn(first, i) }
	// What vault-mock holds once it has served a few requests, and its
	// connections are open.
	for i := 0; i < 100; i++ {
		require.NoError(t, send(i))
	}
	start, err := procStatus(pid, "VmRSS")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := dial()
			if err != nil {
				errs <- err
				return
			}
			for ctx.Err() == nil {
				i := next.Add(1)
				if i > requests {
					return
				}
				if err := sendOn(c, int(i)); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	require.NoError(t, <-errs)

	peak, err := procStatus(pid, "VmHWM")
	require.NoError(t, err)
	status, body := send2(t, "GET", p.controlURL+"/requests/count", "")
	require.Equal(t, http.StatusOK, status, body)
	t.Logf("resident memory: %d KiB at the start, %d KiB at its peak; the log holds %s", start>>10, peak>>10, body)
	bound := int64(defaultRequestLogBytes + memoryHeadroom)
	assert.Less(t, peak, bound, "the peak of resident memory, %d KiB, passed -request-log-bytes plus %d MiB", peak>>10, memoryHeadroom>>20)

	status, _ = send2(t, "POST", p.controlURL+"/reset", "")
	require.Equal(t, http.StatusNoContent, status)
	var now int64
	assert.Eventually(t, func() bool {
		now, err = procStatus(pid, "VmRSS")
		return err == nil && now < start+resetSlack
	}, 30*time.Second, 100*time.Millisecond, "after a reset")
	t.Logf("resident memory after the reset: %d KiB", now>>10)
}

// resetSlack is how far above its memory before a load vault-mock may
// stay after a reset: the runtime keeps some of what it grew.
const resetSlack = 4 << 20

func send2(t *testing.T, method, url, body string) (int, string) {
	return send(t, method, url, "", body)
}
