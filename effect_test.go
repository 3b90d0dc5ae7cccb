package vault

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEffectOf(t *testing.T) {
	answer := func(status int, contentType string) *http.Response {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		if contentType != "" {
			resp.Header.Set("Content-Type", contentType)
		}
		return resp
	}
	lost := errors.New("connection reset")
	dialErr := &url.Error{Op: "Post", URL: "https://api.example.test", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name string
		op   operation
		a    attempt
		want effect
	}{
		{"read, lost answer", opListSessions, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, notApplied},
		{"idempotent change, lost answer", operation{name: "x", method: http.MethodDelete, idempotent: true}, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, notApplied},
		{"2xx decoded", opRevokeSession, attempt{resp: answer(200, "application/json"), decoded: true}, applied},
		{"204 no content", opRevokeSession, attempt{resp: answer(204, ""), decoded: true}, applied},
		{"never left", opRevokeSession, attempt{err: lost}, notApplied},
		{"written, answer lost", opRevokeSession, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, maybeApplied},
		{"resent by net/http, then 404", opRevokeSession, attempt{resp: answer(404, "application/json"), wire: wireReport{mayHaveArrived: true, resent: true}}, maybeApplied},
		{"2xx JSON cut", opRevokeSession, attempt{resp: answer(200, "application/json"), err: lost}, maybeApplied},
		{"2xx JSON with a malformed parameter, cut", opRevokeSession, attempt{resp: answer(200, "application/json;;"), err: lost}, maybeApplied},
		{"2xx JSON, repeated charset, cut", opRevokeSession, attempt{resp: answer(200, "application/json; charset=utf-8; charset=UTF-8"), err: lost}, maybeApplied},
		{"2xx without Content-Type, cut", opRevokeSession, attempt{resp: answer(200, ""), err: lost}, maybeApplied},
		{"2xx unreadable Content-Type, cut", opRevokeSession, attempt{resp: answer(200, "application json"), err: lost}, maybeApplied},
		{"2xx problem+json, undecodable", opRevokeSession, attempt{resp: answer(200, "application/problem+json")}, maybeApplied},
		{"2xx HTML page", opRevokeSession, attempt{resp: answer(200, "text/html")}, notApplied},
		{"2xx HTML page with a malformed parameter", opRevokeSession, attempt{resp: answer(200, "text/html;;")}, notApplied},
		{"502", opLogoutAllSessions, attempt{resp: answer(502, "text/html")}, maybeApplied},
		{"504", opLogoutAllSessions, attempt{resp: answer(504, "")}, maybeApplied},
		{"500: the API's word", opLogoutAllSessions, attempt{resp: answer(500, "application/json")}, notApplied},
		{"503: the API's word", opLogoutAllSessions, attempt{resp: answer(503, "application/json")}, notApplied},
		{"404", opRevokeSession, attempt{resp: answer(404, "application/json")}, notApplied},
		{"refresh, 500 with an empty body: may have rotated", opRefreshToken, attempt{resp: answer(500, "")}, maybeApplied},
		{"refresh, 503: may have rotated", opRefreshToken, attempt{resp: answer(503, "application/json")}, maybeApplied},
		{"refresh, 501: may have rotated", opRefreshToken, attempt{resp: answer(501, "")}, maybeApplied},
		{"refresh, 401: refused", opRefreshToken, attempt{resp: answer(401, "")}, notApplied},
		{"refresh, 429: refused", opRefreshToken, attempt{resp: answer(429, "application/json")}, notApplied},
		{"refresh, written, answer lost", opRefreshToken, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, maybeApplied},
		{"refresh, traced, never had a connection", opRefreshToken, attempt{err: lost, wire: wireReport{traced: true}}, notApplied},
		{"refresh, dial failed", opRefreshToken, attempt{err: dialErr}, notApplied},
		{"refresh, nothing traced: may have rotated", opRefreshToken, attempt{err: lost}, maybeApplied},
		{"refresh, 2xx without tokens", opRefreshToken, attempt{resp: answer(200, "application/json")}, maybeApplied},
		{"refresh, 2xx decoded", opRefreshToken, attempt{resp: answer(200, "application/json"), decoded: true}, applied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, effectOf(tt.op, tt.a))
		})
	}
}

func TestMaybeJSON(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"", true},
		{"application/json", true},
		{"Application/JSON; charset=utf-8", true},
		{"application/json;;", true},
		{"application/json; charset=utf-8; charset=UTF-8", true},
		{"application/vnd.vault+json", true},
		{"application json", true},
		{"%%%", false}, // a disposition-style type, not JSON
		{";", true},
		{"text/html", false},
		{"text/html;;", false},
		{"text/plain; charset=utf-8", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, maybeJSON(tt.contentType), "%q", tt.contentType)
	}
}

func TestCutAnswerWithMalformedContentTypeIsALostAnswer(t *testing.T) {
	// A 200 whose Content-Type has a bad parameter is still the API's
	// answer: cut in transit, it may have revoked the session, and the
	// retry's 404 is that revoke.
	for _, contentType := range []string{"application/json;;", "application/json; charset=utf-8; charset=UTF-8"} {
		t.Run(contentType, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", sequence(
				cutBody(http.StatusOK, contentType, `{"message":"Session revoked"}`, 40, 12),
				status(http.StatusNotFound),
			))
			msg, err := client.Sessions.RevokeSession(context.Background(), "sess_2")
			require.NoError(t, err)
			assert.Equal(t, MessageEarlierAttemptApplied, msg.Message)
			assert.EqualValues(t, 2, ts.requests.Load())
		})
	}
}

func TestUndecodable2xxWithMalformedContentTypeIsOutcomeUnknown(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("DELETE /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;;")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"msg":"done"}`))
	})
	_, err := client.Sessions.LogoutAllSessions(context.Background())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var decErr *DecodeError
	assert.ErrorAs(t, err, &decErr)
	assert.EqualValues(t, 1, ts.requests.Load(), "an answer that arrived whole is not retried")
}

func TestNoContentToAChangeIsSuccess(t *testing.T) {
	tests := []struct {
		name string
		path string
		call func(*Client) (*MessageResponse, error)
	}{
		{"revoke", "DELETE /users/me/sessions/sess_2", func(c *Client) (*MessageResponse, error) {
			return c.Sessions.RevokeSession(context.Background(), "sess_2")
		}},
		{"logout all", "DELETE /users/me/sessions", func(c *Client) (*MessageResponse, error) {
			return c.Sessions.LogoutAllSessions(context.Background())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc(tt.path, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
			msg, err := tt.call(client)
			require.NoError(t, err)
			require.NotNil(t, msg)
			assert.Empty(t, msg.Message, "a 204 has no message")
			assert.EqualValues(t, 1, ts.requests.Load())
		})
	}
}

func TestResendable(t *testing.T) {
	answer := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}}
	lost := errors.New("connection reset")
	dialErr := &url.Error{Op: "Post", URL: "https://api.example.test", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name string
		op   operation
		a    attempt
		want bool
	}{
		{"revoke after a 503", opRevokeSession, attempt{resp: answer}, true},
		{"revoke after a lost answer", opRevokeSession, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, true},
		{"refresh after a 503", opRefreshToken, attempt{resp: answer}, false},
		{"refresh after a lost answer", opRefreshToken, attempt{err: lost, wire: wireReport{mayHaveArrived: true}}, false},
		{"refresh net/http sent twice", opRefreshToken, attempt{err: lost, wire: wireReport{resent: true}}, false},
		{"refresh the trace saw get no connection", opRefreshToken, attempt{err: lost, wire: wireReport{traced: true}}, true},
		{"refresh whose dial was refused", opRefreshToken, attempt{err: dialErr}, true},
		{"refresh whose dial was refused after net/http sent it once", opRefreshToken, attempt{err: dialErr, wire: wireReport{traced: true, resent: true}}, false},
		{"refresh the trace did not see", opRefreshToken, attempt{err: lost}, false},
		{"refresh reset after a connection", opRefreshToken, attempt{err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, resendable(tt.op, tt.a))
		})
	}
}
