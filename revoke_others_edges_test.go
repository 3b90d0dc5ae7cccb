package vault

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHookPanicInRevokeOtherSessionsReachesTheCaller(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.Start = func(ctx context.Context, op string) context.Context {
			if op == "revoke session" {
				panic("hook bug")
			}
			return ctx
		}
	})
	ts.mux.HandleFunc("/users/me/sessions", listOK)
	ts.mux.HandleFunc("/users/me/sessions/sess_2", ok)
	assert.PanicsWithValue(t, "hook bug", func() {
		_, _ = client.Sessions.RevokeOtherSessions(context.Background())
	}, "the panic is raised on the caller's goroutine, where it can be recovered")
}

func TestRevokeOtherSessionsStartsNothingAfterAPanic(t *testing.T) {
	// The first revocation's hook panics; the others already in flight
	// are held until it has. Of eight sessions, no more than the four
	// revocations in flight at the panic may be started.
	var started atomic.Int64
	panicking := make(chan struct{})
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.Start = func(ctx context.Context, op string) context.Context {
			if op == "revoke session" && started.Add(1) == 1 {
				close(panicking)
				panic("hook bug")
			}
			return ctx
		}
	})
	list := `[{"id":"cur","current":true,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"}`
	for i := range 8 {
		list += fmt.Sprintf(`,{"id":"s%d","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"}`, i)
	}
	list += "]"
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, list) })
	ts.mux.HandleFunc("DELETE /users/me/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		// Hold the revocations in flight until the panic is raised, and a
		// second more: ample time for the SDK to recover it before a slot
		// frees, even on a loaded machine.
		<-panicking
		time.Sleep(time.Second)
		ok(w, r)
	})
	assert.PanicsWithValue(t, "hook bug", func() {
		_, _ = client.Sessions.RevokeOtherSessions(context.Background())
	})
	assert.LessOrEqual(t, started.Load(), int64(revokeOthersConcurrency), "no revocation starts after the panic")
}

func TestRevokeOtherSessionsNeverRevokesACurrentID(t *testing.T) {
	client, ts := setup(t)
	const list = `[{"id":"s1","current":true,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"},
	{"id":"s2","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"},
	{"id":"s1","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"},
	{"id":"s2","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"}]`
	var revoked []string
	var mu sync.Mutex
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, list) })
	ts.mux.HandleFunc("DELETE /users/me/sessions/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		revoked = append(revoked, r.PathValue("id"))
		mu.Unlock()
		ok(w, r)
	})
	ids, err := client.Sessions.RevokeOtherSessions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"s2"}, ids)
	assert.Equal(t, []string{"s2"}, revoked, "the current ID is never revoked, and s2 once")
}

func TestRevokeOthersErrorTellsUnknownOutcomes(t *testing.T) {
	client, ts := setup(t)
	const list = `[{"id":"s1","current":true,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"},
	{"id":"s2","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"},
	{"id":"s3","current":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"}]`
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, list) })
	// s2: the API says no. s3: a gateway lost every answer.
	ts.mux.HandleFunc("DELETE /users/me/sessions/s2", status(http.StatusForbidden))
	ts.mux.HandleFunc("DELETE /users/me/sessions/s3", status(http.StatusBadGateway))
	_, err := client.Sessions.RevokeOtherSessions(context.Background())
	var rerr *RevokeOthersError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, []string{"s2", "s3"}, rerr.SessionIDs)
	assert.Equal(t, []string{"s3"}, rerr.Unknown())
	assert.Contains(t, err.Error(), "1 session not revoked, 1 of unknown outcome")
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}
