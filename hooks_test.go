package vault

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startedKey marks the context Hooks.Start returns.
type startedKey struct{}

// hookRecorder keeps what the hooks of a Client saw.
type hookRecorder struct {
	mu      sync.Mutex
	started []string
	ended   []CallInfo
	// sameCtx reports, for each End, whether it got Start's context.
	sameCtx []bool
}

func (r *hookRecorder) hooks() Hooks {
	return Hooks{
		Start: func(ctx context.Context, op string) context.Context {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.started = append(r.started, op)
			return context.WithValue(ctx, startedKey{}, op)
		},
		End: func(ctx context.Context, info CallInfo) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.ended = append(r.ended, info)
			r.sameCtx = append(r.sameCtx, ctx.Value(startedKey{}) == info.Operation)
		},
	}
}

func TestHooksSeeEachCall(t *testing.T) {
	withID := func(id string, h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", id)
			h(w, r)
		}
	}
	list := func(ctx context.Context, c *Client) error { _, err := c.Sessions.ListSessions(ctx); return err }
	revoke := func(id string) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := c.Sessions.RevokeSession(ctx, id); return err }
	}
	tests := []struct {
		name     string
		path     string
		handler  http.HandlerFunc
		call     func(context.Context, *Client) error
		mutate   func(*Configuration)
		want     CallInfo // Duration and Err are checked apart
		wantErr  error    // a sentinel the error matches
		fails    bool     // the call fails, with no sentinel to match
		wantSent bool
	}{
		{
			name: "success", path: "/users/me/sessions", handler: withID("req-1", listOK), call: list,
			want: CallInfo{Operation: "list sessions", Attempts: 1, StatusCode: 200, RequestID: "req-1"}, wantSent: true,
		},
		{
			name: "success after retries", path: "/users/me/sessions",
			handler: sequence(status(503), withID("req-2", listOK)), call: list,
			want: CallInfo{Operation: "list sessions", Attempts: 2, StatusCode: 200, RequestID: "req-2"}, wantSent: true,
		},
		{
			name: "API error", path: "/users/me/sessions/s1", handler: withID("req-3", status(404)), call: revoke("s1"),
			want: CallInfo{Operation: "revoke session", Attempts: 1, StatusCode: 404, RequestID: "req-3"}, wantErr: ErrNotFound, wantSent: true,
		},
		{
			name: "lost answer, then 404: done by the first attempt", path: "/users/me/sessions/s1",
			handler: sequence(resetConnection, status(404)), call: revoke("s1"),
			want: CallInfo{Operation: "revoke session", Attempts: 2, StatusCode: 404}, wantSent: true,
		},
		{
			name: "network failure on every attempt", path: "/users/me/sessions", handler: resetConnection, call: list,
			mutate: func(c *Configuration) { c.MaxRetries = 1 },
			want:   CallInfo{Operation: "list sessions", Attempts: 2}, fails: true, wantSent: true,
		},
		{
			name: "invalid session ID", path: "/users/me/sessions/s1", handler: ok, call: revoke("a/b"),
			want: CallInfo{Operation: "revoke session"}, wantErr: ErrInvalidArgument,
		},
		{
			name: "no credential", path: "/users/me/sessions", handler: listOK, call: list,
			mutate: func(c *Configuration) { c.AccessToken = "" },
			want:   CallInfo{Operation: "list sessions"}, wantErr: ErrNoCredential,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := new(hookRecorder)
			client, ts := setup(t, func(c *Configuration) {
				c.Hooks = rec.hooks()
				if tt.mutate != nil {
					tt.mutate(c)
				}
			})
			ts.mux.HandleFunc(tt.path, tt.handler)

			err := tt.call(context.Background(), client)

			require.Equal(t, []string{tt.want.Operation}, rec.started, "Start once per call")
			require.Len(t, rec.ended, 1, "End once per call")
			got := rec.ended[0]
			assert.True(t, rec.sameCtx[0], "End gets the context Start returned")
			assert.Equal(t, err, got.Err, "End sees the call's error")
			switch {
			case tt.wantErr != nil:
				assert.ErrorIs(t, got.Err, tt.wantErr)
			case tt.fails:
				assert.Error(t, got.Err)
			default:
				assert.NoError(t, got.Err)
			}
			if tt.wantSent {
				assert.Positive(t, got.Duration)
			}
			got.Err, got.Duration = nil, 0
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestHooksSeeEachCallOfRevokeOtherSessions(t *testing.T) {
	rec := new(hookRecorder)
	client, ts := setup(t, func(c *Configuration) { c.Hooks = rec.hooks() })
	ts.mux.HandleFunc("/users/me/sessions", listOK)
	ts.mux.HandleFunc("/users/me/sessions/sess_2", ok)
	revoked, err := client.Sessions.RevokeOtherSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"sess_2"}, revoked)
	assert.Equal(t, []string{"list sessions", "revoke session"}, rec.started)
	require.Len(t, rec.ended, 2)
	assert.Equal(t, 200, rec.ended[1].StatusCode)
}

func TestHooksStartMayKeepTheContext(t *testing.T) {
	var ended int
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks = Hooks{
			Start: func(context.Context, string) context.Context { return nil },
			End:   func(context.Context, CallInfo) { ended++ },
		}
	})
	ts.mux.HandleFunc("/users/me/sessions", listOK)
	require.NoError(t, listCall(client))
	assert.Equal(t, 1, ended)
}

func TestOperationInEachAttemptsContext(t *testing.T) {
	type seen struct {
		op      string
		ok      bool
		started any
	}
	var mu sync.Mutex
	var attempts []seen
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		op, ok := OperationFromContext(r.Context())
		mu.Lock()
		attempts = append(attempts, seen{op, ok, r.Context().Value(startedKey{})})
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	tests := []struct {
		name  string
		hooks Hooks
		// started is what Start put in the context, which each attempt's
		// context holds too.
		started any
	}{
		{name: "without hooks"},
		{name: "with hooks", hooks: new(hookRecorder).hooks(), started: "list sessions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts = nil
			client, ts := setup(t, func(c *Configuration) {
				c.HTTPClient = &http.Client{Transport: transport}
				c.Hooks = tt.hooks
			})
			ts.mux.HandleFunc("/users/me/sessions", sequence(status(503), listOK))
			require.NoError(t, listCall(client))
			want := seen{"list sessions", true, tt.started}
			assert.Equal(t, []seen{want, want}, attempts)
		})
	}
}

func TestOperationFromContextElsewhere(t *testing.T) {
	op, ok := OperationFromContext(context.Background())
	assert.False(t, ok)
	assert.Empty(t, op)
}

func TestHooksStartCannotDropTheCallersCancellation(t *testing.T) {
	// A Start that returns a context of its own, not derived from the
	// caller's, must not make the call outlive the caller's cancel.
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.Start = func(ctx context.Context, _ string) context.Context {
			return context.WithValue(context.Background(), startedKey{}, true)
		}
	})
	arrived := make(chan struct{})
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select { // hang until the client goes away, or long enough to fail
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := client.Sessions.ListSessions(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("the call outlived its caller's cancellation")
	}
}

func TestHooksStartCannotDropTheCallersDeadline(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.Start = func(ctx context.Context, _ string) context.Context { return context.Background() }
	})
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		select { // hang until the client goes away, or long enough to fail
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Sessions.ListSessions(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
