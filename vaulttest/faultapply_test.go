package vaulttest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// lostAnswer is what a client got from a request whose answer was lost.
type lostAnswer struct {
	err    error // of the request, or of reading the body
	resp   *http.Response
	body   []byte
	status int // 0 if no response arrived
}

// send makes one request over a new connection and reads what arrives.
func send(t *testing.T, method, url, token string) lostAnswer {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := freshClient(t).Do(req)
	if err != nil {
		return lostAnswer{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return lostAnswer{err: err, resp: resp, body: body, status: resp.StatusCode}
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func TestFaultApplyThenLoseTheAnswer(t *testing.T) {
	type op struct {
		name, method, path string
		retryStatus        int // of the same request sent again
	}
	revoke := op{"revoke", http.MethodDelete, "/users/me/sessions/a2", http.StatusNotFound}
	logoutAll := op{"logout all", http.MethodDelete, "/users/me/sessions", http.StatusUnauthorized}
	list := op{"list", http.MethodGet, "/users/me/sessions", http.StatusOK}

	for _, action := range []vaulttest.FaultAction{vaulttest.ApplyThenReset, vaulttest.ApplyThenCutBody} {
		for _, o := range []op{revoke, logoutAll, list} {
			t.Run(action.String()+"/"+o.name, func(t *testing.T) {
				srv := newServer(t)
				a1 := srv.AddSession("alice", vaulttest.SessionSeed{ID: "a1", Token: "tok-a1"})
				srv.AddSession("alice", vaulttest.SessionSeed{ID: "a2", Token: "tok-a2"})
				srv.Advance(time.Minute)
				srv.Faults().Add(vaulttest.Fault{Action: action})

				got := send(t, o.method, srv.URL+o.path, a1.Token)
				require.Error(t, got.err, "the answer is lost")
				assert.True(t, isReset(got.err), "%v", got.err)
				if action == vaulttest.ApplyThenCutBody {
					require.NotNil(t, got.resp, "the status line and header arrive")
					assert.Equal(t, http.StatusOK, got.status)
					assert.Equal(t, "application/json", got.resp.Header.Get("Content-Type"))
					assert.NotEmpty(t, got.resp.Header.Get("X-Request-Id"))
					assert.Less(t, int64(len(got.body)), got.resp.ContentLength, "the body is cut")
					assert.False(t, json.Valid(got.body))
				} else {
					assert.Nil(t, got.resp, "nothing arrives")
				}

				// The change was made.
				s1, _ := srv.Session("a1")
				s2, _ := srv.Session("a2")
				assert.Equal(t, o != list, s2.Revoked, "the other session")
				assert.Equal(t, o == logoutAll, s1.Revoked, "the caller's session")
				assert.True(t, s1.LastActivityAt.Equal(srv.Now()), "the request was served")

				reqs := srv.Requests()
				require.Len(t, reqs, 1)
				assert.True(t, reqs[0].Fault)
				assert.Equal(t, http.StatusOK, reqs[0].Status, "the status of the lost answer")

				// A retry finds the change in place.
				assert.Equal(t, o.retryStatus, call(t, freshClient(t), o.method, srv.URL+o.path, a1.Token).status)
			})
		}
	}
}

func TestFaultApplyThenLoseAnErrorAnswer(t *testing.T) {
	for _, action := range []vaulttest.FaultAction{vaulttest.ApplyThenReset, vaulttest.ApplyThenCutBody} {
		t.Run(action.String(), func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			srv.Faults().Add(vaulttest.Fault{Action: action})

			got := send(t, http.MethodDelete, srv.URL+"/users/me/sessions/unknown", me.Token)
			require.Error(t, got.err)
			if action == vaulttest.ApplyThenCutBody {
				assert.Equal(t, http.StatusNotFound, got.status)
			}
			assert.Equal(t, http.StatusNotFound, srv.Requests()[0].Status)
			s, _ := srv.Session(me.ID)
			assert.False(t, s.Revoked)
		})
	}
}

func TestFaultApplyThenCutBodyStatus(t *testing.T) {
	srv := newServer(t)
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	other := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ApplyThenCutBody, Status: http.StatusGatewayTimeout, RetryAfter: "3"})

	got := send(t, http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, me.Token)
	require.Error(t, got.err)
	assert.Equal(t, http.StatusGatewayTimeout, got.status)
	assert.Equal(t, "3", got.resp.Header.Get("Retry-After"))
	s, _ := srv.Session(other.ID)
	assert.True(t, s.Revoked, "the change is made, whatever the status line says")
	assert.Equal(t, http.StatusGatewayTimeout, srv.Requests()[0].Status)
}

func TestFaultApplyCountsAgainstTheRateLimit(t *testing.T) {
	srv := newServer(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 1, Enforce: true}))
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ApplyThenReset}, vaulttest.Fault{Action: vaulttest.ApplyThenReset})

	require.Error(t, send(t, http.MethodGet, srv.URL+"/users/me/sessions", me.Token).err)
	require.Error(t, send(t, http.MethodGet, srv.URL+"/users/me/sessions", me.Token).err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.StatusOK, reqs[0].Status)
	assert.Equal(t, http.StatusTooManyRequests, reqs[1].Status, "the lost answer was over the limit")
}
