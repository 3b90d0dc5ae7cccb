package vault

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// levelRecorder is a slog.Handler that keeps the level of each record by
// its message.
type levelRecorder struct {
	mu     sync.Mutex
	levels map[string][]slog.Level
}

func newLevelRecorder() *levelRecorder {
	return &levelRecorder{levels: make(map[string][]slog.Level)}
}

func (r *levelRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *levelRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.levels[rec.Message] = append(r.levels[rec.Message], rec.Level)
	return nil
}

func (r *levelRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *levelRecorder) WithGroup(string) slog.Handler      { return r }

func (r *levelRecorder) of(msg string) []slog.Level {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.levels[msg]
}

func TestCallFailedLevel(t *testing.T) {
	html := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>sign in</html>"))
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cancel  bool
		want    slog.Level
	}{
		{"401 for the Client's own token: its credential is broken", status(http.StatusUnauthorized), false, slog.LevelWarn},
		{"403 is expected", status(http.StatusForbidden), false, slog.LevelDebug},
		{"404 to a revoke: already gone", status(http.StatusNotFound), false, slog.LevelDebug},
		{"cancelled by the caller", ok, true, slog.LevelDebug},
		{"429 is news about one caller", status(http.StatusTooManyRequests), false, slog.LevelInfo},
		{"500", status(http.StatusInternalServerError), false, slog.LevelWarn},
		{"503", status(http.StatusServiceUnavailable), false, slog.LevelWarn},
		{"400 the SDK did not expect", status(http.StatusBadRequest), false, slog.LevelWarn},
		{"redirect", status(http.StatusFound, "Location", "https://elsewhere.example.test/"), false, slog.LevelWarn},
		{"network failure", resetConnection, false, slog.LevelWarn},
		{"body that does not decode", html, false, slog.LevelWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newLevelRecorder()
			client, ts := setup(t, func(c *Configuration) {
				c.MaxRetries = -1
				c.Logger = slog.New(rec)
			})
			ts.mux.HandleFunc("/users/me/sessions/s1", tt.handler)
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			_, err := client.Sessions.RevokeSession(ctx, "s1")
			require.Error(t, err)
			assert.Equal(t, []slog.Level{tt.want}, rec.of("vault: call failed"), "for %v", err)
		})
	}
}

func TestCallFailedLevelDependsOnWhatWasAsked(t *testing.T) {
	list := func(opts ...RequestOption) func(c *Client) error {
		return func(c *Client) error {
			_, err := c.Sessions.ListSessions(context.Background(), opts...)
			return err
		}
	}
	tests := []struct {
		name   string
		path   string
		answer http.HandlerFunc
		call   func(c *Client) error
		want   slog.Level
	}{
		{"401 for a user's token", "/users/me/sessions", status(http.StatusUnauthorized),
			list(WithAccessToken("user-token-0001")), slog.LevelDebug},
		{"404 to a list: the BaseURL is wrong", "/users/me/sessions", status(http.StatusNotFound),
			list(), slog.LevelWarn},
		{"404 to a logout", "/users/me/sessions", status(http.StatusNotFound), func(c *Client) error {
			_, err := c.Sessions.LogoutAllSessions(context.Background())
			return err
		}, slog.LevelWarn},
		{"unknown outcome after a lost answer", "/users/me/sessions/s1", sequence(resetConnection, status(http.StatusUnauthorized)), func(c *Client) error {
			_, err := c.Sessions.RevokeSession(context.Background(), "s1", WithAccessToken("user-token-0001"))
			return err
		}, slog.LevelWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newLevelRecorder()
			client, ts := setup(t, func(c *Configuration) { c.Logger = slog.New(rec) })
			ts.mux.HandleFunc(tt.path, tt.answer)
			err := tt.call(client)
			require.Error(t, err)
			assert.Equal(t, []slog.Level{tt.want}, rec.of("vault: call failed"), "for %v", err)
		})
	}
}

func TestCallFailedLevelOfAnEmptyRetryBudget(t *testing.T) {
	rec := newLevelRecorder()
	client, ts := setup(t, func(c *Configuration) {
		c.RetryBudget = 1
		c.Logger = slog.New(rec)
	})
	// A 429 without a wait spends the budget; once it is empty, the
	// record says so at warn, whatever the last status.
	ts.mux.HandleFunc("/users/me/sessions", status(http.StatusTooManyRequests))
	err := listCall(client)
	require.ErrorIs(t, err, ErrRetryBudgetExhausted)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, []slog.Level{slog.LevelWarn}, rec.of("vault: call failed"))
}
