package vault

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

// rotatingSource is a TokenSource that hands out "tok-1", and the next
// token in line when the Client reports the one in hand refused.
type rotatingSource struct {
	mu      sync.Mutex
	tokens  []string
	refused []string // what RefusedToken reported, call by call ("" for none)
	err     error    // returned once a token was refused, if set
}

func (s *rotatingSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	refused, ok := RefusedToken(ctx)
	s.refused = append(s.refused, refused)
	if ok {
		if s.err != nil {
			return "", s.err
		}
		if len(s.tokens) > 1 && refused == s.tokens[0] {
			s.tokens = s.tokens[1:]
		}
	}
	return s.tokens[0], nil
}

// acceptOnly answers the list with success to the bearer token want, and
// with an empty 401 to any other.
func acceptOnly(want string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+want {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		writeJSON(w, http.StatusOK, sessionsJSON)
	}
}

func TestTokenSourceRenewsARefusedToken(t *testing.T) {
	tests := []struct {
		name        string
		tokens      []string
		sourceErr   error
		accepted    string
		wantErr     string // empty for success
		requests    int64
		wantRefused []string
	}{
		{name: "a new token: sent again", tokens: []string{"tok-1", "tok-2"}, accepted: "tok-2",
			requests: 2, wantRefused: []string{"", "tok-1"}},
		{name: "the same token: the 401 stands", tokens: []string{"tok-1"}, accepted: "tok-2",
			wantErr: "vault: list sessions: 401: Unauthorized", requests: 1, wantRefused: []string{"", "tok-1"}},
		{name: "a new token refused too: once only", tokens: []string{"tok-1", "tok-2", "tok-3"}, accepted: "tok-3",
			wantErr: "vault: list sessions: 401: Unauthorized", requests: 2, wantRefused: []string{"", "tok-1"}},
		{name: "the source fails: the 401 and its error", tokens: []string{"tok-1"}, sourceErr: errors.New("vault: sign-in needed"), accepted: "tok-2",
			wantErr: "vault: list sessions: 401: Unauthorized; then token source: sign-in needed", requests: 1, wantRefused: []string{"", "tok-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &rotatingSource{tokens: tt.tokens, err: tt.sourceErr}
			logs := new(syncbuf.Buffer)
			client, ts := setup(t, func(c *Configuration) {
				c.AccessToken = ""
				c.TokenSource = src.token
				c.MaxRetries = 1
				c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			ts.mux.HandleFunc("/users/me/sessions", acceptOnly(tt.accepted))
			var info CallInfo
			client.hooks.End = func(_ context.Context, i CallInfo) { info = i }

			sessions, err := client.Sessions.ListSessions(context.Background())
			assert.Equal(t, tt.requests, ts.requests.Load())
			assert.Equal(t, int(tt.requests), info.Attempts)
			assert.Equal(t, tt.wantRefused, src.refused)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Len(t, sessions, 2)
				assert.Contains(t, logs.String(), `msg="vault: token refused, sending again with a new one"`)
				return
			}
			assert.EqualError(t, err, tt.wantErr)
			assert.ErrorIs(t, err, ErrUnauthorized)
			if tt.sourceErr != nil {
				assert.ErrorIs(t, err, tt.sourceErr)
			}
		})
	}
}

func TestRenewedTokenIsNoRetry(t *testing.T) {
	// The call sent again with a new token keeps all its retries: with
	// MaxRetries 1, a 401 and then a 503 still leave one retry.
	src := &rotatingSource{tokens: []string{"tok-1", "tok-2"}}
	client, ts := setup(t, func(c *Configuration) {
		c.AccessToken = ""
		c.TokenSource = src.token
		c.MaxRetries = 1
	})
	ts.mux.HandleFunc("/users/me/sessions", sequence(acceptOnly("tok-2"), status(http.StatusServiceUnavailable), acceptOnly("tok-2")))
	_, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(3), ts.requests.Load())
}

func TestStaticTokensAreNotRenewed(t *testing.T) {
	tests := []struct {
		name   string
		config func(*Configuration)
		opts   []RequestOption
	}{
		{name: "AccessToken", config: func(*Configuration) {}},
		{name: "WithAccessToken over a TokenSource", config: func(c *Configuration) {
			c.TokenSource = func(context.Context) (string, error) { return "tok-2", nil }
		}, opts: []RequestOption{WithAccessToken("tok-1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t, tt.config)
			ts.mux.HandleFunc("/users/me/sessions", acceptOnly("tok-2"))
			_, err := client.Sessions.ListSessions(context.Background(), tt.opts...)
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.Equal(t, int64(1), ts.requests.Load())
		})
	}
}

func TestNoRenewalAfterALostAnswer(t *testing.T) {
	// A logout whose answer was lost and whose retry gets 401 was made
	// by the first attempt: the 401 is news of it, not a reason to ask
	// the source for another token.
	src := &rotatingSource{tokens: []string{"tok-1", "tok-2"}}
	client, ts := setup(t, func(c *Configuration) {
		c.AccessToken = ""
		c.TokenSource = src.token
	})
	ts.mux.HandleFunc("/users/me/sessions", sequence(resetConnection, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	msg, err := client.Sessions.LogoutAllSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, MessageEarlierAttemptApplied, msg.Message)
	assert.Equal(t, []string{""}, src.refused, "the source was asked once, for the call")
}

func TestRefusedTokenOutsideARenewal(t *testing.T) {
	_, ok := RefusedToken(context.Background())
	assert.False(t, ok)
	var none context.Context // a nil context is reported, not a panic
	_, ok = RefusedToken(none)
	assert.False(t, ok)
}
