package vault

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testToken is the bearer token of the tests; assertions look for it in
// places it must never reach.
const testToken = "tok-5ecret-value-xyz"

// apiPrefix is where the test server mounts the API, so that a path built
// without the base URL's own path fails loudly.
const apiPrefix = "/api/v1"

// testServer is an httptest server with the API mounted under apiPrefix,
// counting the requests and connections it sees.
type testServer struct {
	*httptest.Server
	mux      *http.ServeMux
	requests atomic.Int64
	conns    atomic.Int64
}

// setup starts a test server and a client pointed at it, with retries
// that wait a millisecond instead of half a second.
func setup(t *testing.T, mutate ...func(*Configuration)) (*Client, *testServer) {
	t.Helper()
	ts := &testServer{mux: http.NewServeMux()}
	outer := http.NewServeMux()
	outer.Handle(apiPrefix+"/", http.StripPrefix(apiPrefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.requests.Add(1)
		ts.mux.ServeHTTP(w, r)
	})))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the API prefix: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside the API prefix", http.StatusTeapot)
	})
	ts.Server = httptest.NewUnstartedServer(outer)
	ts.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)

	cfg := Configuration{
		BaseURL:      ts.URL + apiPrefix,
		AccessToken:  testToken,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	client, err := NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client, ts
}

// testMethod asserts the request's method.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

// writeJSON writes a raw JSON body with a status.
func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// sequence answers each request with the next of the given handlers, and
// with the last one once they run out.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	next := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := handlers[next]
		if next < len(handlers)-1 {
			next++
		}
		mu.Unlock()
		h(w, r)
	}
}

// status answers with the API's error envelope for code.
func status(code int, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeJSON(w, code, `{"error":{"code":"E`+http.StatusText(code)+`","message":"`+http.StatusText(code)+`"}}`)
	}
}

// ok answers a message operation with success.
func ok(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, `{"message":"done"}`)
}

// resetConnection closes the client's connection without a response.
func resetConnection(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, isTCP := conn.(*net.TCPConn); isTCP {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// sessionsJSON is a realistic list of two sessions.
const sessionsJSON = `[
 {"id":"sess_1","ipAddress":"203.0.113.7","userAgent":"Mozilla/5.0 (Macintosh)","deviceInfo":{"deviceType":"desktop","os":"macOS","browser":"Chrome","isMobile":false},
  "mfaVerified":true,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-27T08:15:30.5Z","expiresAt":"2026-12-01T09:00:00Z","current":true},
 {"id":"sess_2","ipAddress":null,"deviceInfo":null,"mfaVerified":false,"createdAt":"2026-11-02T10:00:00Z",
  "lastActivityAt":"2026-11-20T10:00:00Z","expiresAt":"2026-12-02T10:00:00Z","current":false,"someNewField":{"x":1}}
]`

// bearerToken returns the token of a request's Authorization header.
func bearerToken(req *http.Request) string {
	token, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return token
}
