package vault

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The benchmarks in this file compare each operation through the SDK with
// the same request written by hand with net/http and encoding/json, sent
// over the same transport settings to the same fixed handler. Run them
// with scripts/bench.sh, which prints the ratios.

// benchSessions is the length of the list the operation benchmarks fetch.
const benchSessions = 20

// benchConcurrency is the number of goroutines of the parallel benchmarks.
const benchConcurrency = 32

// fixedServer answers every operation with a body encoded once, so that
// the server's work is the same whoever calls it. It counts the TCP
// connections it accepts.
type fixedServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newFixedServer(tb testing.TB, list []byte, handler http.HandlerFunc) *fixedServer {
	tb.Helper()
	message := []byte(`{"message":"Session revoked successfully"}`)
	listLen := strconv.Itoa(len(list))
	messageLen := strconv.Itoa(len(message))
	if handler == nil {
		handler = func(w http.ResponseWriter, r *http.Request) {
			body, length := message, messageLen
			if r.Method == http.MethodGet {
				body, length = list, listLen
			}
			h := w.Header()
			h["Content-Type"] = []string{"application/json"}
			h["Content-Length"] = []string{length}
			_, _ = w.Write(body)
		}
	}
	s := &fixedServer{}
	s.Server = httptest.NewUnstartedServer(handler)
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// realisticSessions returns n sessions shaped like the API's: browser
// user agents, device information, fractional timestamps, and the
// nullable fields null on some of them.
func realisticSessions(n int) []SessionResponse {
	agents := []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
	}
	devices := []DeviceInfoResponse{
		{DeviceType: DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"},
		{DeviceType: DeviceTypeMobile, OS: "iOS", Browser: "Safari", IsMobile: true},
		{DeviceType: DeviceTypeDesktop, OS: "Windows", Browser: "Firefox"},
	}
	base := mustTime("2026-11-01T09:00:00.123456Z")
	sessions := make([]SessionResponse, n)
	for i := range sessions {
		s := &sessions[i]
		s.ID = "sess_" + strconv.Itoa(100000+i) + "a1b2c3d4e5f6"
		s.MFAVerified = i%2 == 0
		s.CreatedAt = base.Add(time.Duration(i) * time.Hour)
		s.LastActivityAt = s.CreatedAt.Add(90 * time.Minute)
		s.ExpiresAt = s.CreatedAt.Add(30 * 24 * time.Hour)
		s.Current = i == 0
		if i%5 == 4 {
			continue // a session the server knows nothing about
		}
		ip := "203.0.113." + strconv.Itoa(i%256)
		agent := agents[i%len(agents)]
		device := devices[i%len(devices)]
		s.IPAddress, s.UserAgent, s.DeviceInfo = &ip, &agent, &device
	}
	return sessions
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// serverDialectSessions returns the sessions of realisticSessions as the
// Vault server describes their devices: in free-form members, all of
// which land in Extra.
func serverDialectSessions(n int) []SessionResponse {
	devices := []map[string]any{
		{"oauth_provider": "google", "hosted": true},
		{"auth_method": "webauthn", "credential_id": "cred_q4Rk2TzY8wLm"},
		{"is_impersonation": true, "impersonator_id": "usr_support_7", "impersonation_reason": "Ticket 4821: cannot sign in"},
	}
	sessions := realisticSessions(n)
	for i := range sessions {
		if sessions[i].DeviceInfo != nil {
			sessions[i].DeviceInfo = &DeviceInfoResponse{Extra: devices[i%len(devices)]}
		}
	}
	return sessions
}

// serverDialectList is the body of a list in the Vault server's object
// form.
type serverDialectList struct {
	Sessions        []SessionResponse `json:"sessions"`
	CurrentSessions int               `json:"currentSessions"`
	MaxSessions     int               `json:"maxSessions"`
	Warning         *string           `json:"warning"`
}

// encodeServerDialect encodes n sessions in the Vault server's object
// form, with the free-form deviceInfo of serverDialectSessions.
func encodeServerDialect(tb testing.TB, n int) []byte {
	tb.Helper()
	body, err := json.Marshal(serverDialectList{Sessions: serverDialectSessions(n), CurrentSessions: n, MaxSessions: n + 5})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

func encodeSessions(tb testing.TB, n int) []byte {
	tb.Helper()
	body, err := json.Marshal(realisticSessions(n))
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// benchClient is an SDK client on the default transport.
func benchClient(tb testing.TB, s *fixedServer, mutate ...func(*Configuration)) *Client {
	tb.Helper()
	cfg := Configuration{BaseURL: s.URL + "/api/v1", AccessToken: testToken}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)
	return c
}

// baseline is the hand-written client: what a careful developer would
// write with net/http and encoding/json, sending the same headers as the
// SDK over a transport with the same settings.
type baseline struct {
	baseURL   string
	token     string
	userAgent string
	http      *http.Client
}

func newBaseline(tb testing.TB, s *fixedServer) *baseline {
	tb.Helper()
	t := newPooledTransport()
	tb.Cleanup(t.CloseIdleConnections)
	return &baseline{baseURL: s.URL + "/api/v1", token: testToken, userAgent: userAgent(""), http: &http.Client{Transport: t}}
}

func (b *baseline) send(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, b.baseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", b.userAgent)
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, resp.Body)
		return errors.New("status " + resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (b *baseline) listSessions(ctx context.Context) ([]SessionResponse, error) {
	var sessions []SessionResponse
	err := b.send(ctx, http.MethodGet, sessionsPath, &sessions)
	return sessions, err
}

func (b *baseline) listServerDialect(ctx context.Context) ([]SessionResponse, error) {
	var list serverDialectList
	err := b.send(ctx, http.MethodGet, sessionsPath, &list)
	return list.Sessions, err
}

func (b *baseline) message(ctx context.Context, path string) (*MessageResponse, error) {
	var msg MessageResponse
	if err := b.send(ctx, http.MethodDelete, path, &msg); err != nil {
		return nil, err
	}
	return &msg, nil
}

// operation benchmarks: each has an SDK and a Baseline sub-benchmark.

type benchOp struct {
	sdk      func(context.Context, *Client) error
	baseline func(context.Context, *baseline) error
	// list encodes the body the server lists sessions with:
	// encodeSessions when nil.
	list func(testing.TB, int) []byte
}

var benchOps = map[string]benchOp{
	"ListSessions": {
		sdk:      func(ctx context.Context, c *Client) error { _, err := c.Sessions.ListSessions(ctx); return err },
		baseline: func(ctx context.Context, b *baseline) error { _, err := b.listSessions(ctx); return err },
	},
	"ListSessionsServerDialect": {
		sdk:      func(ctx context.Context, c *Client) error { _, err := c.Sessions.ListSessions(ctx); return err },
		baseline: func(ctx context.Context, b *baseline) error { _, err := b.listServerDialect(ctx); return err },
		list:     encodeServerDialect,
	},
	"LogoutAllSessions": {
		sdk:      func(ctx context.Context, c *Client) error { _, err := c.Sessions.LogoutAllSessions(ctx); return err },
		baseline: func(ctx context.Context, b *baseline) error { _, err := b.message(ctx, sessionsPath); return err },
	},
	"RevokeSession": {
		sdk: func(ctx context.Context, c *Client) error {
			_, err := c.Sessions.RevokeSession(ctx, "sess_100001a1b2c3d4e5f6")
			return err
		},
		baseline: func(ctx context.Context, b *baseline) error {
			_, err := b.message(ctx, sessionsPath+"/sess_100001a1b2c3d4e5f6")
			return err
		},
	},
}

func BenchmarkListSessions(b *testing.B)      { benchmarkOp(b, "ListSessions") }
func BenchmarkLogoutAllSessions(b *testing.B) { benchmarkOp(b, "LogoutAllSessions") }
func BenchmarkRevokeSession(b *testing.B)     { benchmarkOp(b, "RevokeSession") }

// BenchmarkListSessionsServerDialect lists the sessions in the Vault
// server's object form, their devices described in free-form members
// that land in DeviceInfoResponse.Extra.
func BenchmarkListSessionsServerDialect(b *testing.B) { benchmarkOp(b, "ListSessionsServerDialect") }

// listBody returns the body op's server lists sessions with.
func (op benchOp) listBody(tb testing.TB) []byte {
	if op.list != nil {
		return op.list(tb, benchSessions)
	}
	return encodeSessions(tb, benchSessions)
}

func benchmarkOp(b *testing.B, name string) {
	op := benchOps[name]
	s := newFixedServer(b, op.listBody(b), nil)
	ctx := context.Background()
	sdk := func(b *testing.B) {
		c := benchClient(b, s)
		runSerial(b, func() error { return op.sdk(ctx, c) })
	}
	base := func(b *testing.B) {
		bl := newBaseline(b, s)
		runSerial(b, func() error { return op.baseline(ctx, bl) })
	}
	takeTurns(b, "SDK", sdk, "Baseline", base)
}

// takeTurns runs the two halves of a benchmark, one going first on a
// run and the other on the next. Whichever half runs first on a fresh
// server measures a few percent slower on a small machine, and a burst of
// load from elsewhere on a shared one should not always fall on the same
// half.
func takeTurns(b *testing.B, name1 string, half1 func(*testing.B), name2 string, half2 func(*testing.B)) {
	if benchRuns.Add(1)%2 == 0 {
		name1, half1, name2, half2 = name2, half2, name1, half1
	}
	b.Run(name1, half1)
	b.Run(name2, half2)
}

// benchRuns counts the runs of takeTurns, to alternate which half goes
// first.
var benchRuns atomic.Int64

func runSerial(b *testing.B, call func() error) {
	if err := call(); err != nil { // warm the connection
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListSessionsParallel lists sessions from benchConcurrency
// goroutines at once and reports the connections the server accepted.
func BenchmarkListSessionsParallel(b *testing.B) {
	op := benchOps["ListSessions"]
	ctx := context.Background()
	list := encodeSessions(b, benchSessions)
	sdk := func(b *testing.B) {
		s := newFixedServer(b, list, nil)
		c := benchClient(b, s)
		runParallel(b, s, func() error { return op.sdk(ctx, c) })
	}
	base := func(b *testing.B) {
		s := newFixedServer(b, list, nil)
		bl := newBaseline(b, s)
		runParallel(b, s, func() error { return op.baseline(ctx, bl) })
	}
	takeTurns(b, "SDK", sdk, "Baseline", base)
}

func runParallel(b *testing.B, s *fixedServer, call func() error) {
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < benchConcurrency; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if err := call(); err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(s.conns.Load()), "conns")
}
