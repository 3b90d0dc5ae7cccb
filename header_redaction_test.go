package vault

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPercentEncodedTokenInResponseHeadersIsRedacted(t *testing.T) {
	// The server quotes the token percent-encoded in a header, as a login
	// redirect carries it in its query. APIError.Message and
	// APIError.RequestID redact that form; the headers the SDK hands on
	// (APIError.Header, the response of WithHTTPResponse) and
	// CallInfo.RequestID, which a tracing hook records, must too.
	const token = "abc/def+ghi<jkl"
	const encoded = "abc%2Fdef%2Bghi%3Cjkl"
	var info CallInfo
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.End = func(_ context.Context, call CallInfo) { info = call }
	})
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://login.example.test/?t="+encoded)
		w.Header().Set("X-Request-Id", "req-"+encoded)
		w.WriteHeader(http.StatusFound)
	})
	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token), WithHTTPResponse(&resp))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "req-[REDACTED]", apiErr.RequestID, "the SDK knows the form")
	require.NotNil(t, resp)

	assert.NotContains(t, fmt.Sprintf("%+v", *apiErr), encoded, "APIError.Header")
	assert.NotContains(t, fmt.Sprint(resp.Header), encoded, "WithHTTPResponse's header")
	assert.Equal(t, "req-[REDACTED]", info.RequestID, "CallInfo.RequestID")
}

func TestTokenWithObsTextBytesEchoedInHeadersIsRedacted(t *testing.T) {
	// A token with bytes from 0x80 up that are not UTF-8 is sendable
	// (obs-text), and accepted by WithAccessToken. Echoed raw in
	// X-Request-Id (which redact.String, a plain search, catches) or in a
	// 2xx's Content-Type, it must not reach APIError.RequestID or
	// DecodeError.ContentType.
	const token = "tok-\xff\xfe-secret-value"
	t.Run("request ID", func(t *testing.T) {
		client, ts := setup(t)
		ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-"+bearerToken(r))
			status(http.StatusNotFound)(w, r)
		})
		_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "req-[REDACTED]", apiErr.RequestID)
	})
	t.Run("content type", func(t *testing.T) {
		client, ts := setup(t)
		ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; t="+bearerToken(r))
			w.WriteHeader(http.StatusOK)
		})
		_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
		var decErr *DecodeError
		require.ErrorAs(t, err, &decErr)
		assert.NotContains(t, decErr.ContentType, token)
	})
}
