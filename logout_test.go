package vault

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogoutRequest(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.TenantID = "tnt_1" })
	ts.mux.HandleFunc("/auth/logout", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		assert.Equal(t, "tnt_1", r.Header.Get("X-Tenant-ID"))
		assert.Empty(t, r.Header.Get("Content-Type"), "a logout has no body")
		body, _ := io.ReadAll(r.Body)
		assert.Empty(t, body)
		writeJSON(w, http.StatusOK, `{"message":"Logged out successfully"}`)
	})
	msg, err := client.Auth.Logout(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &MessageResponse{Message: "Logged out successfully"}, msg)
}

func TestLogoutAnswers(t *testing.T) {
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		want     string // the message, or the error
		requests int64
	}{
		{name: "400 with an empty body: the token has no session",
			handlers: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }},
			want:     "vault: logout: 400: Bad Request", requests: 1},
		{name: "401 with an empty body",
			handlers: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }},
			want:     "vault: logout: 401: Unauthorized", requests: 1},
		{name: "answer lost, then 401: the first attempt logged out",
			handlers: []http.HandlerFunc{resetConnection, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }},
			want:     MessageEarlierAttemptApplied, requests: 2},
		{name: "answer lost, then 400: unknown",
			handlers: []http.HandlerFunc{resetConnection, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }},
			want:     "vault: logout: outcome unknown, the change may have been made: 400: Bad Request", requests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/auth/logout", sequence(tt.handlers...))
			msg, err := client.Auth.Logout(context.Background())
			assert.Equal(t, tt.requests, ts.requests.Load())
			if err != nil {
				assert.Nil(t, msg)
				assert.EqualError(t, err, tt.want)
				return
			}
			assert.Equal(t, tt.want, msg.Message)
		})
	}
}
