package vault

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRefreshToken is the refresh token of the tests; assertions look for
// it, and for the tokens of refreshAnswer, where they must never be.
const testRefreshToken = "rt-5ecret-refresh-0001"

// refreshAnswer is the Vault server's answer to a refresh.
const refreshAnswer = `{"accessToken":"at-5ecret-access-0002","refreshToken":"rt-5ecret-refresh-0002",` +
	`"user":{"id":"usr_1","email":"ann@example.com","emailVerified":true,"name":"Ann","mfaEnabled":false},` +
	`"mfaRequired":false,"sessionInfo":null}`

func TestRefreshTokenRequest(t *testing.T) {
	var got struct {
		method, contentType, auth, tenant, userAgent string
		body                                         []byte
		length                                       int64
	}
	client, ts := setup(t, func(c *Configuration) { c.TenantID = "tnt_1" })
	ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		got.method, got.contentType = r.Method, r.Header.Get("Content-Type")
		got.auth, got.tenant, got.userAgent = r.Header.Get("Authorization"), r.Header.Get("X-Tenant-ID"), r.Header.Get("User-Agent")
		got.length = r.ContentLength
		got.body, _ = io.ReadAll(r.Body)
		writeJSON(w, http.StatusOK, refreshAnswer)
	})

	resp, err := client.Auth.RefreshToken(context.Background(), testRefreshToken)
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "application/json", got.contentType)
	assert.Empty(t, got.auth, "a refresh carries no access token")
	assert.Equal(t, "tnt_1", got.tenant)
	assert.Contains(t, got.userAgent, "vault-go/"+Version)
	assert.JSONEq(t, `{"refreshToken":"`+testRefreshToken+`"}`, string(got.body))
	assert.Equal(t, int64(len(got.body)), got.length, "Content-Length")

	name := "Ann"
	assert.Equal(t, &AuthResponse{
		AccessToken:  "at-5ecret-access-0002",
		RefreshToken: "rt-5ecret-refresh-0002",
		User:         UserResponse{ID: "usr_1", Email: "ann@example.com", EmailVerified: true, Name: &name},
	}, resp)

	// WithTenant names the tenant of one refresh.
	_, err = client.Auth.RefreshToken(context.Background(), testRefreshToken, WithTenant("tnt_2"))
	require.NoError(t, err)
	assert.Equal(t, "tnt_2", got.tenant)
}

func TestRefreshTokenEscapesTheToken(t *testing.T) {
	token := `rt"with\quote` + "\u2028é"
	client, ts := setup(t)
	var body map[string]string
	ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		writeJSON(w, http.StatusOK, refreshAnswer)
	})
	_, err := client.Auth.RefreshToken(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"refreshToken": token}, body)
}

func TestRefreshTokenAnswers(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		contentType string
		want        *AuthResponse
		wantStatus  int // of the *APIError, when the call fails with one
	}{
		{name: "200, no name, members in another case", status: 200, contentType: "application/json",
			body: `{"AccessToken":"at-2","refreshtoken":"rt-2","user":{"id":"u","email":"e","emailVerified":false,"name":null,"mfaEnabled":true},"mfaRequired":false,"sessionInfo":null,"newer":[1]}`,
			want: &AuthResponse{AccessToken: "at-2", RefreshToken: "rt-2", User: UserResponse{ID: "u", Email: "e", MFAEnabled: true}}},
		{name: "200 without user", status: 200, contentType: "application/json",
			body: `{"accessToken":"at-2","refreshToken":"rt-2","user":null}`,
			want: &AuthResponse{AccessToken: "at-2", RefreshToken: "rt-2"}},
		{name: "400 with an empty body", status: 400, wantStatus: 400},
		{name: "401 with an empty body", status: 401, wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			resp, err := client.Auth.RefreshToken(context.Background(), testRefreshToken)
			assert.Equal(t, int64(1), ts.requests.Load(), "requests sent")
			if tt.want != nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, resp)
				return
			}
			require.Error(t, err)
			assert.Nil(t, resp)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, "refresh token", apiErr.Operation)
			assert.Equal(t, tt.wantStatus == 401, errors.Is(err, ErrUnauthorized))
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the server refused the refresh: nothing was rotated")
		})
	}
}

func TestRefreshTokenRefusesBadInput(t *testing.T) {
	tests := []struct {
		name  string
		ctx   context.Context
		token string
		opts  []RequestOption
		want  string
	}{
		{"empty token", context.Background(), "", nil, "vault: refresh token: invalid argument: the refresh token is empty"},
		{"invalid UTF-8", context.Background(), "rt-\xff-secret", nil, "vault: refresh token: invalid argument: the refresh token is not valid UTF-8"},
		{"an access token", context.Background(), testRefreshToken, []RequestOption{WithAccessToken(testToken)},
			"vault: refresh token: invalid argument: WithAccessToken: the call is sent without an access token"},
		{"nil context", nil, testRefreshToken, nil, "vault: refresh token: invalid argument: nil context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, refreshAnswer)
			})
			resp, err := client.Auth.RefreshToken(tt.ctx, tt.token, tt.opts...)
			assert.Nil(t, resp)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.EqualError(t, err, tt.want)
			assert.Zero(t, ts.requests.Load(), "nothing is sent")
		})
	}
}

func TestRefreshTokenDoesNotCallTheTokenSource(t *testing.T) {
	// The Client whose TokenSource is a TokenRefresher's Token may be the
	// one that refreshes: a refresh must not ask the source for a token,
	// which would wait for the refresh itself.
	var asked atomic.Int32
	client, ts := setup(t, func(c *Configuration) {
		c.AccessToken = ""
		c.TokenSource = func(context.Context) (string, error) {
			asked.Add(1)
			return testToken, nil
		}
	})
	ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, refreshAnswer)
	})
	_, err := client.Auth.RefreshToken(context.Background(), testRefreshToken)
	require.NoError(t, err)
	assert.Zero(t, asked.Load())
}
