package vault

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientDefaults(t *testing.T) {
	client, err := NewClient(Configuration{AccessToken: "t"})
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, client.BaseURL())
	assert.Equal(t, DefaultMaxRetries, client.maxRetries)
	assert.Equal(t, DefaultRetryWaitMin, client.retryWaitMin)
	assert.Equal(t, DefaultRetryWaitMax, client.retryWaitMax)
	assert.EqualValues(t, DefaultMaxResponseBytes, client.maxBody)
	assert.Nil(t, client.logger)
	transport, isTransport := client.transport.(*http.Transport)
	require.True(t, isTransport)
	assert.GreaterOrEqual(t, transport.MaxIdleConnsPerHost, 32, "pooled for concurrent use")
}

func TestBaseURLTrailingSlash(t *testing.T) {
	for _, base := range []string{"https://api.example.test/api/v1", "https://api.example.test/api/v1/", "https://api.example.test/api/v1//"} {
		client, err := NewClient(Configuration{BaseURL: base, AccessToken: "t"})
		require.NoError(t, err)
		assert.Equal(t, "https://api.example.test/api/v1", client.BaseURL())
	}
}

func TestBaseURLSchemes(t *testing.T) {
	tests := []struct {
		base          string
		allowInsecure bool
		wantErr       string
	}{
		{base: "https://api.vault.dev/api/v1"},
		{base: "http://127.0.0.1:4010/api/v1"},
		{base: "http://127.9.9.9:80/api/v1"},
		{base: "http://localhost:3000/api/v1"},
		{base: "http://LOCALHOST/api/v1"},
		{base: "http://[::1]:8080/api/v1"},
		{base: "http://api.vault.dev/api/v1", wantErr: "clear text"},
		{base: "http://10.0.0.5/api/v1", wantErr: "clear text"},
		{base: "http://localhost.example.com/api/v1", wantErr: "clear text"},
		{base: "http://api.vault.dev/api/v1", allowInsecure: true},
		{base: "ftp://api.vault.dev/", wantErr: "scheme must be https or http"},
		{base: "api.vault.dev/api/v1", wantErr: "scheme"},
		{base: "https:///api/v1", wantErr: "no host"},
		{base: "https://user:pw@api.vault.dev/api/v1", wantErr: "credentials"},
		{base: "https://api.vault.dev/api/v1?x=1", wantErr: "query"},
		{base: "https://api.vault.dev/api/v1#top", wantErr: "fragment"},
		{base: "https://api.vault.dev:bad/api/v1", wantErr: "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			_, err := NewClient(Configuration{BaseURL: tt.base, AccessToken: "t", AllowInsecureHTTP: tt.allowInsecure})
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			var cfgErr *ConfigError
			require.True(t, errors.As(err, &cfgErr), "got %v", err)
			assert.Equal(t, "BaseURL", cfgErr.Field)
			assert.Contains(t, err.Error(), "vault: invalid Configuration.BaseURL: ")
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "pw")
		})
	}
}

func TestNewClientNamesTheFieldAtFault(t *testing.T) {
	tests := []struct {
		cfg   Configuration
		field string
	}{
		{Configuration{AccessToken: "a\nb"}, "AccessToken"},
		{Configuration{TenantID: "t\r\nX: y"}, "TenantID"},
		{Configuration{UserAgent: "ua\n"}, "UserAgent"},
		{Configuration{Headers: http.Header{"Authorization": {"Bearer x"}}}, "Headers"},
		{Configuration{Headers: http.Header{"X-Tenant-Id": {"x"}}}, "Headers"},
		{Configuration{Headers: http.Header{"Bad Name": {"x"}}}, "Headers"},
		{Configuration{Headers: http.Header{"X-Ok": {"a\nb"}}}, "Headers"},
		{Configuration{RetryWaitMin: -time.Second}, "RetryWaitMin"},
		{Configuration{RetryWaitMax: -time.Second}, "RetryWaitMax"},
		{Configuration{RetryWaitMin: time.Minute, RetryWaitMax: time.Second}, "RetryWaitMin"},
		{Configuration{MaxResponseBytes: -1}, "MaxResponseBytes"},
		// Control characters net/http refuses to send, beyond CR, LF, NUL.
		{Configuration{TenantID: "acme\x01"}, "TenantID"},
		{Configuration{AccessToken: "tok\x7fen-value"}, "AccessToken"},
		{Configuration{UserAgent: "ua\x1b[31m"}, "UserAgent"},
		{Configuration{Headers: http.Header{"X-Ok": {"a\x02b"}}}, "Headers"},
		// A bad name without values is still a bad name.
		{Configuration{Headers: http.Header{"Bad Name": {}}}, "Headers"},
		{Configuration{Headers: http.Header{"Authorization": nil}}, "Headers"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			client, err := NewClient(tt.cfg)
			assert.Nil(t, client)
			var cfgErr *ConfigError
			require.ErrorAs(t, err, &cfgErr)
			assert.Equal(t, tt.field, cfgErr.Field)
			assert.NotContains(t, err.Error(), "Bearer x")
		})
	}
}

func TestNewClientWithoutCredentialIsAllowed(t *testing.T) {
	// A shared Client may get every token from WithAccessToken.
	_, err := NewClient(Configuration{})
	assert.NoError(t, err)
}

func TestCallersHTTPClientIsUsed(t *testing.T) {
	var used bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	}), Timeout: time.Minute}
	client, ts := setup(t, func(c *Configuration) { c.HTTPClient = hc })
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, "[]") })
	require.NoError(t, listCall(client))
	assert.True(t, used)
	assert.Equal(t, time.Minute, client.httpClient.Timeout)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTabIsASendableHeaderCharacter(t *testing.T) {
	_, err := NewClient(Configuration{UserAgent: "my-app\t1.0", Headers: http.Header{"X-A": {"a\tb"}}})
	assert.NoError(t, err)
}

func TestRetryWaitBoundSetAlone(t *testing.T) {
	tests := []struct {
		name             string
		min, max         time.Duration
		wantMin, wantMax time.Duration
	}{
		{"neither", 0, 0, DefaultRetryWaitMin, DefaultRetryWaitMax},
		{"max alone, below the default min", 0, 100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond},
		{"max alone, above the default min", 0, 5 * time.Second, DefaultRetryWaitMin, 5 * time.Second},
		{"min alone, above the default max", time.Minute, 0, time.Minute, time.Minute},
		{"min alone, below the default max", 10 * time.Millisecond, 0, 10 * time.Millisecond, DefaultRetryWaitMax},
		{"both", time.Second, 2 * time.Second, time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewClient(Configuration{RetryWaitMin: tt.min, RetryWaitMax: tt.max})
			require.NoError(t, err)
			assert.Equal(t, tt.wantMin, client.retryWaitMin)
			assert.Equal(t, tt.wantMax, client.retryWaitMax)
		})
	}
}

func TestOptionsRefuseUnsendableValues(t *testing.T) {
	client, err := NewClient(Configuration{AccessToken: testToken})
	require.NoError(t, err)
	for _, opt := range []RequestOption{
		WithAccessToken("tok\x7fen-value"),
		WithAccessToken("tok\x01en-value"),
		WithHeader("X-A", "v\x01"),
	} {
		_, err := client.Sessions.ListSessions(context.Background(), opt)
		require.ErrorIs(t, err, ErrInvalidArgument)
		assert.NotContains(t, err.Error(), "tok\x7fen-value")
	}
}
