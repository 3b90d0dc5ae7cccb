package vault_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

// redirectCodes are the statuses net/http's client follows.
var redirectCodes = []int{
	http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
	http.StatusTemporaryRedirect, http.StatusPermanentRedirect,
}

// followingClient is a caller's *http.Client that follows every redirect;
// the SDK must not, whatever the caller's client would do.
func followingClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
}

// witness is a second server that records everything it receives.
type witness struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // method, URL and headers of each request
}

func newWitness(t *testing.T) *witness {
	w := &witness{}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.seen = append(w.seen, r.Method+" "+r.URL.String()+" "+headerText(r.Header))
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{"message":"Session revoked"}`)
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *witness) requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.seen...)
}

func headerText(h http.Header) string {
	var b []byte
	for k, vs := range h {
		for _, v := range vs {
			b = append(b, k+": "+v+"\n"...)
		}
	}
	return string(b)
}

func TestHostileRedirectToAnotherHost(t *testing.T) {
	other := newWitness(t)
	for _, follow := range []bool{false, true} {
		for _, op := range operations {
			for _, code := range redirectCodes {
				name := op.name + "/" + strconv.Itoa(code)
				if follow {
					name += "/caller's client follows redirects"
				}
				t.Run(name, func(t *testing.T) {
					var mutate []func(*vault.Configuration)
					if follow {
						mutate = append(mutate, func(c *vault.Configuration) { c.HTTPClient = followingClient(t) })
					}
					h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
						http.Redirect(w, r, other.URL+r.URL.Path, code)
					}, mutate...)
					err := callHostile(t, h, op)
					var apiErr *vault.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, code, apiErr.StatusCode)
					assert.ErrorIs(t, err, vault.ErrRedirect)
					assert.Equal(t, 1, apiErr.Attempts, "a redirect is not retried")
					assert.Contains(t, err.Error(), other.URL, "the error names where the server pointed")
					assert.EqualValues(t, 1, h.requests.Load())
					assertErrorHasNoSecret(t, err)
				})
			}
		}
	}
	assert.Empty(t, other.requests(), "no request, and so no token, reached the other host")
}

func TestHostileRedirectWouldTurnDeleteIntoGet(t *testing.T) {
	// For 301, 302 and 303, net/http's client resends a DELETE as a GET to
	// the new location. Pointed back at the sessions list, a revoke would
	// turn into a read that "succeeds" with a list, or a logout-all into
	// one. The SDK sends the DELETE once and reports the redirect.
	for _, follow := range []bool{false, true} {
		for _, op := range operations[1:] {
			for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
				name := op.name + "/" + strconv.Itoa(code)
				if follow {
					name += "/caller's client follows redirects"
				}
				t.Run(name, func(t *testing.T) {
					var s methodLog
					var mutate []func(*vault.Configuration)
					if follow {
						mutate = append(mutate, func(c *vault.Configuration) { c.HTTPClient = followingClient(t) })
					}
					h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
						s.add(r.Method)
						if r.Method == http.MethodGet {
							w.Header().Set("Content-Type", "application/json")
							_, _ = io.WriteString(w, `{"message":"Session revoked"}`)
							return
						}
						http.Redirect(w, r, "/api/v1/users/me/sessions?from=delete", code)
					}, mutate...)

					err := callHostile(t, h, op)
					require.ErrorIs(t, err, vault.ErrRedirect)
					assert.Equal(t, []string{http.MethodDelete}, s.get(), "one DELETE, and no GET")

					// The same server does turn a plain client's DELETE into
					// a GET: the hazard is real.
					req, err := http.NewRequest(http.MethodDelete, h.URL+"/api/v1"+op.path, nil)
					require.NoError(t, err)
					resp, err := followingClient(t).Do(req)
					require.NoError(t, err)
					_ = resp.Body.Close()
					assert.Equal(t, []string{http.MethodDelete, http.MethodDelete, http.MethodGet}, s.get())
				})
			}
		}
	}
}

// methodLog records the methods of the requests a server received.
type methodLog struct {
	mu      sync.Mutex
	methods []string
}

func (l *methodLog) add(m string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.methods = append(l.methods, m)
}

func (l *methodLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.methods...)
}
