package vault

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachAttemptSendsItsOwnHeaders(t *testing.T) {
	// A cookie jar adds its cookies to the request it is given. Each
	// attempt must start from the call's headers, not from the last
	// attempt's, or the cookies pile up: "lb=a1; lb=a1; lb=a1".
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client, ts := setup(t, func(c *Configuration) { c.HTTPClient = &http.Client{Jar: jar} })
	var mu sync.Mutex
	var cookies [][]string
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cookies = append(cookies, r.Header.Values("Cookie"))
		n := len(cookies)
		mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "lb", Value: "a1", Path: "/"})
		if n < 4 {
			status(http.StatusServiceUnavailable)(w, r)
			return
		}
		listOK(w, r)
	})
	_, err = client.Sessions.ListSessions(context.Background(), WithHeader("X-Trace", "t1"))
	require.NoError(t, err)
	require.Len(t, cookies, 4)
	assert.Empty(t, cookies[0])
	for i := 1; i < 4; i++ {
		assert.Equal(t, []string{"lb=a1"}, cookies[i], "attempt %d", i+1)
	}
}
