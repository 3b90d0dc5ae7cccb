package vault

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenNeverPrinted(t *testing.T) {
	cfg := Configuration{
		BaseURL:     "https://api.example.test/api/v1",
		AccessToken: testToken,
		Headers:     http.Header{"X-Api-Key": {"header-secret"}},
	}
	client, err := NewClient(cfg)
	require.NoError(t, err)

	unchecked := Configuration{BaseURL: "https://user:pw-secret@api.example.test/api/v1"}
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", unchecked, unchecked, unchecked), unchecked.String()} {
		assert.NotContains(t, out, "pw-secret")
	}
	unparsable := Configuration{BaseURL: "https://user:pw-secret@api.example.test:bad/"}
	assert.NotContains(t, unparsable.String(), "pw-secret")

	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("config", "cfg", cfg, "client", client, "ptr", &cfg)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", cfg, "client", client)

	outputs := []string{logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outputs = append(outputs,
			fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg), fmt.Sprintf(verb, client),
			fmt.Sprintf(verb, *client), fmt.Sprintf(verb, client.Sessions),
			fmt.Sprintf(verb, struct{ C Configuration }{cfg}))
	}
	outputs = append(outputs, cfg.String(), client.String())
	for _, out := range outputs {
		assert.NotContains(t, out, testToken)
		assert.NotContains(t, out, "header-secret")
	}
	assert.Contains(t, cfg.String(), "AccessToken:[REDACTED]")
	assert.Contains(t, cfg.String(), "X-Api-Key")
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	var logged bytes.Buffer
	client, ts := setup(t, func(c *Configuration) {
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ts.mux.HandleFunc("/users/me/sessions", sequence(status(503), resetConnection, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sessionsJSON)
	}))
	ts.mux.HandleFunc("/users/me/sessions/", status(401))

	var errs []error
	_, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	_, err = client.Sessions.RevokeSession(context.Background(), "s1")
	errs = append(errs, err)
	_, err = client.Sessions.RevokeSession(context.Background(), "..")
	errs = append(errs, err)

	assert.Contains(t, logged.String(), "vault: retrying")
	assert.Contains(t, logged.String(), "vault: call failed")
	assert.NotContains(t, logged.String(), testToken)
	for _, err := range errs {
		require.Error(t, err)
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			assert.NotContains(t, fmt.Sprintf(verb, err), testToken)
		}
	}
}

func TestSilentByDefault(t *testing.T) {
	stdout, stderr := os.Stdout, os.Stderr
	r, w, err := os.Pipe()
	require.NoError(t, err)
	os.Stdout, os.Stderr = w, w
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()

	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", sequence(status(503), resetConnection, status(500)))
	ts.mux.HandleFunc("/users/me/sessions/", resetConnection)
	_ = listCall(client)
	_ = revokeCall(client)

	os.Stdout, os.Stderr = stdout, stderr
	require.NoError(t, w.Close())
	written, err := io.ReadAll(r)
	require.NoError(t, err)
	// net/http's server may log the hijacked connections; the SDK itself
	// must write nothing.
	for _, line := range strings.Split(string(written), "\n") {
		assert.NotContains(t, line, "vault", "the SDK wrote: %q", line)
		assert.NotContains(t, line, "retrying")
		assert.NotContains(t, line, "[DEBUG]")
	}
}

func TestLoggerRecordsAttemptsRetriesAndFailures(t *testing.T) {
	var logged bytes.Buffer
	client, ts := setup(t, func(c *Configuration) {
		c.MaxRetries = 1
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ts.mux.HandleFunc("/", status(503))
	require.ErrorIs(t, listCall(client), ErrServer)
	out := logged.String()
	assert.Equal(t, 2, strings.Count(out, "msg=\"vault: attempt\""), out)
	assert.Equal(t, 1, strings.Count(out, "msg=\"vault: retrying\""), out)
	assert.Equal(t, 1, strings.Count(out, "msg=\"vault: call failed\""), out)
	assert.Contains(t, out, "status=503")
	assert.Contains(t, out, `operation="list sessions"`)
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		leaked.Store(r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, `{"message":"revoked elsewhere"}`)
	}))
	defer other.Close()

	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/api/v1/users/me/sessions", code)
			})
			_, err := client.Sessions.RevokeSession(context.Background(), "s1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.StatusCode)
			assert.ErrorIs(t, err, ErrRedirect)
			assert.Contains(t, err.Error(), "redirect")
			assert.Contains(t, err.Error(), other.URL)
			assert.EqualValues(t, 1, ts.requests.Load())
		})
	}
	assert.Zero(t, elsewhere.Load(), "no request may reach the other host")
	assert.Nil(t, leaked.Load())
}

func TestRedirectNotFollowedWithCallersHTTPClient(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	client, ts := setup(t, func(c *Configuration) { c.HTTPClient = follow })
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL, http.StatusTemporaryRedirect)
	})
	require.ErrorIs(t, listCall(client), ErrRedirect)
	assert.Zero(t, elsewhere.Load())
}

func TestConnectionReuse(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sessionsJSON)
	})
	ts.mux.HandleFunc("/users/me/sessions/unauthorized", status(401))
	ts.mux.HandleFunc("/users/me/sessions/missing", status(404))
	ts.mux.HandleFunc("/users/me/sessions/flaky", sequence(status(500), ok))
	ts.mux.HandleFunc("/users/me/sessions/html", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(strings.Repeat("<p>bad gateway</p>", 500)))
	})
	for i := 0; i < 20; i++ {
		_, err := client.Sessions.ListSessions(context.Background())
		require.NoError(t, err)
		for _, id := range []string{"unauthorized", "missing", "flaky"} {
			_, _ = client.Sessions.RevokeSession(context.Background(), id)
		}
		_, _ = client.Sessions.RevokeSession(context.Background(), "html", WithHeader("X-Once", "1"))
	}
	assert.EqualValues(t, 1, ts.conns.Load(), "every body is drained so the connection is reused")
}

func TestCapturedResponseHasNoCredential(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", sequence(status(503), func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"), "the server still gets the token")
		writeJSON(w, http.StatusOK, "[]")
	}))
	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(), WithHTTPResponse(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	require.NotNil(t, resp.Request)
	assert.Equal(t, "Bearer [REDACTED]", resp.Request.Header.Get("Authorization"))
	assert.Equal(t, "application/json", resp.Request.Header.Get("Accept"), "the other headers are kept")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, resp), testToken, verb)
	}
}

func TestTokenEchoedByServerIsRedacted(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		echoed := r.Header.Get("Authorization")
		w.Header().Set("Location", "https://elsewhere.example/?token="+testToken)
		w.Header().Set("X-Echo", echoed)
		writeJSON(w, http.StatusBadRequest, `{"error":{"code":"BAD_REQUEST","message":"bad header `+echoed+`","details":{"header":"`+echoed+`"}}}`)
	})
	ts.mux.HandleFunc("/users/me/sessions/html", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<pre>" + r.Header.Get("Authorization") + "</pre>"))
	})
	ts.mux.HandleFunc("/users/me/sessions/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/?token="+testToken, http.StatusFound)
	})

	_, err := client.Sessions.ListSessions(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "bad header Bearer [REDACTED]", apiErr.Message)
	assert.Equal(t, map[string]any{"header": "Bearer [REDACTED]"}, apiErr.Details)
	assert.Equal(t, "Bearer [REDACTED]", apiErr.Header.Get("X-Echo"))
	assert.NotContains(t, fmt.Sprintf("%#v", apiErr), testToken)

	client2, _ := setup(t, func(c *Configuration) { c.BaseURL = ts.URL + apiPrefix; c.MaxRetries = -1 })
	_, err2 := client2.Sessions.RevokeSession(context.Background(), "html")
	_, err3 := client.Sessions.RevokeSession(context.Background(), "moved")
	for _, e := range []error{err, err2, err3} {
		require.Error(t, e)
		assert.NotContains(t, fmt.Sprintf("%v %+v", e, e), testToken)
	}
	assert.Contains(t, err2.Error(), "[REDACTED]")
	assert.Contains(t, err3.Error(), "[REDACTED]")
}

func TestLoggerRecordsAttemptEndedByDeadline(t *testing.T) {
	var logged bytes.Buffer
	client, ts := setup(t, func(c *Configuration) {
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	release := make(chan struct{})
	defer close(release)
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Sessions.ListSessions(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	out := logged.String()
	assert.Contains(t, out, `msg="vault: attempt"`, out)
	assert.Contains(t, out, "attempt=1 error=", out)
	assert.Contains(t, out, `msg="vault: call failed"`)
}

func TestLoggerRecordsBodyLostOnce(t *testing.T) {
	var logged bytes.Buffer
	client, ts := setup(t, func(c *Configuration) {
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ts.mux.HandleFunc("/users/me/sessions", sequence(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`[{"id":"s1"`))
		http.NewResponseController(w).Flush()
		resetConnection(w, r)
	}, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sessionsJSON)
	}))
	_, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	out := logged.String()
	assert.Equal(t, 1, strings.Count(out, `msg="vault: attempt" operation="list sessions" attempt=1 `), out)
	assert.Equal(t, 1, strings.Count(out, `msg="vault: response body lost" operation="list sessions" attempt=1 error=`), out)
	assert.Equal(t, 1, strings.Count(out, `msg="vault: retrying"`), out)
	assert.Equal(t, 1, strings.Count(out, `msg="vault: attempt" operation="list sessions" attempt=2 status=200`), out)
}
