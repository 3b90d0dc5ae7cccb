package leakcheck

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	Main(m)
}

// parked blocks until release is closed.
func parked(release <-chan struct{}) { <-release }

func TestLeakedFindsAGoroutineStartedAfterTheSnapshot(t *testing.T) {
	before := Take()
	release := make(chan struct{})
	go parked(release)

	leaked := Leaked(before, 50*time.Millisecond)
	require.Len(t, leaked, 1)
	assert.Contains(t, leaked[0], "created by github.com/vault-dev/vault-go/internal/leakcheck.TestLeakedFindsAGoroutineStartedAfterTheSnapshot")

	close(release)
	assert.Empty(t, Leaked(before, DefaultWait), "an ended goroutine is no leak")
}

func TestLeakedIgnoresGoroutinesOfTheSnapshot(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	go parked(release)
	before := Take()
	assert.Empty(t, Leaked(before, 0))
}

func TestLeakedWaitsForGoroutinesOnTheirWayOut(t *testing.T) {
	before := Take()
	release := make(chan struct{})
	go parked(release)
	time.AfterFunc(20*time.Millisecond, func() { close(release) })
	assert.Empty(t, Leaked(before, DefaultWait))
}

func TestLeakedFindsAnHTTPConnectionLeftOpen(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	before := Take()

	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	leaked := Leaked(before, 50*time.Millisecond)
	assert.NotEmpty(t, leaked, "the idle connection's goroutines are still running")
	assert.True(t, anyContains(leaked, "net/http.(*persistConn)"), "the client's connection is among them")

	tr.CloseIdleConnections()
	assert.Empty(t, Leaked(before, DefaultWait), "closing the idle connection ends them")
}

func TestVerifyFailsTheTestOnALeak(t *testing.T) {
	before := Take()
	release := make(chan struct{})
	defer close(release)
	go parked(release)

	rec := &recorder{TB: t}
	verify(rec, before, 0)
	assert.True(t, rec.failed)
	assert.Contains(t, rec.msg, "1 goroutines outlived the test")
	assert.Contains(t, rec.msg, "created by github.com/vault-dev/vault-go/internal/leakcheck.TestVerifyFailsTheTestOnALeak")
}

func TestVerifyPassesWithoutALeak(t *testing.T) {
	before := Take()
	rec := &recorder{TB: t}
	verify(rec, before, 0)
	assert.False(t, rec.failed)
}

// tests stands for the *testing.M of Main: Run starts leaks goroutines
// that block until release is closed, and returns code.
type tests struct {
	code    int
	leaks   int
	release chan struct{}
}

func (m *tests) Run() int {
	for i := 0; i < m.leaks; i++ {
		go parked(m.release)
	}
	return m.code
}

func TestMainStatus(t *testing.T) {
	cases := []struct {
		name   string
		code   int
		leaks  int
		want   int
		report string
	}{
		{name: "passing tests, no leak", want: 0},
		{name: "passing tests, two leaks", leaks: 2, want: 1, report: "leakcheck: 2 goroutines outlived the tests"},
		{name: "failing tests are reported as they are", code: 3, leaks: 1, want: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := &tests{code: c.code, leaks: c.leaks, release: make(chan struct{})}
			defer close(m.release)
			var out strings.Builder
			assert.Equal(t, c.want, run(m, 0, &out))
			if c.report == "" {
				assert.Empty(t, out.String())
			} else {
				assert.Contains(t, out.String(), c.report)
			}
		})
	}
}

func TestGoroutinesParsesTheDump(t *testing.T) {
	gs := goroutines()
	require.NotEmpty(t, gs)
	ids := map[uint64]bool{}
	for _, g := range gs {
		assert.NotZero(t, g.id)
		assert.False(t, ids[g.id], "each goroutine once")
		ids[g.id] = true
		assert.True(t, strings.HasPrefix(g.stack, "goroutine "), g.stack)
	}
}

// recorder is a testing.TB that records a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = fmt.Sprintf(format, args...)
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
