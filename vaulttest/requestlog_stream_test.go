package vaulttest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// recordingWriter is a pausedWriter that keeps what it is written.
type recordingWriter struct {
	pausedWriter
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	n, err := w.pausedWriter.Write(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	return n, err
}

// TestControlRequestsListsTheLogAsItWasAsked starts GET /requests on a
// log longer than one chunk of the answer, changes the log while the
// client has read the first chunk only, and checks what the rest lists:
// none of the requests that arrived after the call, none that the log
// dropped or a reset cleared before their turn, and a JSON array
// whatever happened.
func TestControlRequestsListsTheLogAsItWasAsked(t *testing.T) {
	const logged = 500 // about 150 KB of JSON: several chunks
	tests := []struct {
		name string
		opts []vaulttest.Option
		// change is made while the answer waits after its first chunk.
		change func(*vaulttest.Handler)
		// listed reports whether the answer holds all the logged
		// requests, or fewer.
		all bool
	}{
		{
			name:   "requests arriving after the call are not listed",
			change: func(h *vaulttest.Handler) { serveN(h, 100) },
			all:    true,
		},
		{
			name:   "requests the log drops are left out",
			opts:   []vaulttest.Option{vaulttest.WithRequestLog(logged)},
			change: func(h *vaulttest.Handler) { serveN(h, logged) },
		},
		{
			name:   "an emptied log ends the list",
			change: (*vaulttest.Handler).ResetRequests,
		},
		{
			name: "a reset ends the list",
			change: func(h *vaulttest.Handler) {
				h.Reset()
				serveN(h, logged+100)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]vaulttest.Option{vaulttest.WithControlAPI(vaulttest.ControlOptions{})}, tt.opts...)
			h := vaulttest.NewHandler(opts...)
			serveN(h, logged)
			w := &recordingWriter{pausedWriter: pausedWriter{header: http.Header{}, started: make(chan struct{}), release: make(chan struct{})}}
			get := httptest.NewRequest(http.MethodGet, "/__vault/requests", nil)
			get.RemoteAddr, get.Host = "127.0.0.1:40000", "localhost"
			done := make(chan struct{})
			go func() {
				defer close(done)
				h.ServeHTTP(w, get)
			}()
			<-w.started
			tt.change(h)
			close(w.release)
			<-done

			var listed []struct {
				ID string `json:"id"`
			}
			require.NoError(t, json.Unmarshal(w.buf.Bytes(), &listed), "the answer is a JSON array")
			require.NotEmpty(t, listed, "the first chunk is listed")
			if tt.all {
				assert.Len(t, listed, logged)
			} else {
				assert.Less(t, len(listed), logged)
			}
			for i, r := range listed {
				assert.Equal(t, reqID(i+1), r.ID, "in order, without a gap")
			}
		})
	}
}

// serveN sends h n requests without a token.
func serveN(h *vaulttest.Handler, n int) {
	for range n {
		serveTo(h, http.MethodGet, "/users/me/sessions")
	}
}

// reqID returns the ID of the n-th request.
func reqID(n int) string {
	b := []byte("req-000000")
	for i := len(b) - 1; n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// TestControlRequestsListsFewMatchesOfALongLog lists, from a log longer
// than one part read at a time, the few requests a filter matches, far
// apart, and checks that each is listed once, in order.
func TestControlRequestsListsFewMatchesOfALongLog(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	var want []string
	for i := 1; i <= 10000; i++ {
		if i%4000 == 1 {
			serveTo(h, http.MethodGet, "/nowhere") // 404
			want = append(want, reqID(i))
			continue
		}
		serveTo(h, http.MethodGet, "/users/me/sessions") // 401
	}
	get := httptest.NewRequest(http.MethodGet, "/__vault/requests?status=404", nil)
	get.RemoteAddr, get.Host = "127.0.0.1:40000", "localhost"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var listed []struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &listed), rec.Body.String())
	got := make([]string, len(listed))
	for i, r := range listed {
		got[i] = r.ID
	}
	assert.Equal(t, want, got)
}
