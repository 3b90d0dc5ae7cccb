package vault_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

// The hostile-server tests answer the SDK with what no correct server
// sends: bodies too large or endless, JSON nested past any sense, headers
// of many megabytes. Each call must end in a clear error within its
// context's deadline, and every handler must end with it (TestMain checks
// that no goroutine is left behind).

// hostileLimit is the MaxResponseBytes of the hostile-server tests.
const hostileLimit = 1 << 20

// hostile is a server answering every request with one handler. It counts
// the requests and the handlers still running.
type hostile struct {
	*httptest.Server
	client   *vault.Client
	requests atomic.Int64
	active   atomic.Int64
}

func newHostile(t *testing.T, handler http.HandlerFunc, mutate ...func(*vault.Configuration)) *hostile {
	t.Helper()
	h := &hostile{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		h.active.Add(1)
		defer h.active.Add(-1)
		handler(w, r)
	}))
	t.Cleanup(h.Close)
	cfg := vault.Configuration{
		BaseURL:          h.URL + "/api/v1",
		AccessToken:      secretToken,
		RetryWaitMin:     time.Millisecond,
		RetryWaitMax:     5 * time.Millisecond,
		MaxResponseBytes: hostileLimit,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	client, err := vault.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	h.client = client
	return h
}

// assertHandlersEnd checks that no handler is still running: the client
// closed what it stopped reading, so the server is not left writing.
func (h *hostile) assertHandlersEnd(t *testing.T) {
	t.Helper()
	assert.Eventually(t, func() bool { return h.active.Load() == 0 }, 10*time.Second, 5*time.Millisecond,
		"a handler is still running")
}

// callHostile runs op against h with a deadline, and checks that it ended
// well before it.
func callHostile(t *testing.T, h *hostile, op operation) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := op.call(ctx, h.client)
	assert.NoError(t, ctx.Err(), "the call ended by itself, not by its deadline")
	return err
}

// successBody returns the start of a 2xx body of op and the unit that
// repeating after it keeps it valid so far.
func successBody(op operation) (prefix, unit string) {
	if op.method == http.MethodGet {
		return "[", `{"id":"sess_x","current":false},`
	}
	return `{"message":"`, "revoked "
}

func TestHostileBodyOverTheCap(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			prefix, unit := successBody(op)
			body := prefix + strings.Repeat(unit, 2*hostileLimit/len(unit))
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			})
			err := callHostile(t, h, op)
			require.ErrorIs(t, err, vault.ErrResponseTooLarge)
			assert.True(t, strings.HasPrefix(err.Error(), "vault: "+op.name+": "), err.Error())
			assert.Contains(t, err.Error(), "1048576")
			assert.EqualValues(t, 1, h.requests.Load(), "a body too large is not retried")
			h.assertHandlersEnd(t)
		})
	}
}

func TestHostileErrorBodyOverTheCap(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, "<h1>Bad Request</h1>"+strings.Repeat("<p>padding</p>\n", 2*hostileLimit/15))
			})
			err := callHostile(t, h, op)
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr, "an error body is read up to a bound, not refused")
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.True(t, strings.HasPrefix(apiErr.Body, "<h1>Bad Request</h1>"), apiErr.Body)
			assert.LessOrEqual(t, len(apiErr.Body), 256, "only an excerpt is kept")
			assert.EqualValues(t, 1, h.requests.Load())
			h.assertHandlersEnd(t)
		})
	}
}

// endless writes status, then prefix, then unit over and over until the
// client goes away.
func endless(status int, prefix, unit string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, prefix)
		chunk := strings.Repeat(unit, 1+4096/len(unit))
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}
}

func TestHostileEndlessBody(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			prefix, unit := successBody(op)
			h := newHostile(t, endless(http.StatusOK, prefix, unit))
			start := time.Now()
			err := callHostile(t, h, op)
			require.ErrorIs(t, err, vault.ErrResponseTooLarge, "the client stops at MaxResponseBytes")
			assert.True(t, strings.HasPrefix(err.Error(), "vault: "+op.name+": "), err.Error())
			assert.EqualValues(t, 1, h.requests.Load())
			assert.Less(t, time.Since(start), 10*time.Second)
			h.assertHandlersEnd(t)
		})
	}
}

func TestHostileEndlessErrorBody(t *testing.T) {
	// A 500 is retried; each attempt reads a bounded part of the endless
	// page, and the last attempt's excerpt becomes the error.
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			h := newHostile(t, endless(http.StatusInternalServerError, "<html><body>", "<p>error</p>"))
			err := callHostile(t, h, op)
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
			assert.Equal(t, vault.DefaultMaxRetries+1, apiErr.Attempts)
			assert.True(t, strings.HasPrefix(apiErr.Body, "<html><body><p>error</p>"), apiErr.Body)
			assert.EqualValues(t, vault.DefaultMaxRetries+1, h.requests.Load())
			h.assertHandlersEnd(t)
		})
	}
}

func TestHostileTricklingBody(t *testing.T) {
	// A body that never ends and never grows large: only the caller's
	// deadline can end the call, and it does.
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			prefix, _ := successBody(op)
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, prefix)
				rc := http.NewResponseController(w)
				for r.Context().Err() == nil {
					if _, err := io.WriteString(w, " "); err != nil || rc.Flush() != nil {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := op.call(ctx, h.client)
			assert.Less(t, time.Since(start), 5*time.Second)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.True(t, strings.HasPrefix(err.Error(), "vault: "+op.name+": "), err.Error())
			assert.EqualValues(t, 1, h.requests.Load())
			h.assertHandlersEnd(t)
		})
	}
}
