package verify

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMiddlewareAnswers(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	clk := newClock()
	revs, err := NewRevocationsWithConfig(RevocationsConfig{Now: clk.Now})
	require.NoError(t, err)
	v := jwksVerifier(t, js, clk, func(c *Config) { c.Revocations = revs })
	handler := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "no claims", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "hello "+c.Subject+" "+c.SessionID)
	}))

	good := sign(t, s, accessClaims(clk.Now()))
	expiredClaims := accessClaims(clk.Now().Add(-DefaultTokenLifetime - 1e9))
	expired := sign(t, s, expiredClaims)
	revokedClaims := accessClaims(clk.Now())
	revokedClaims.SessionID = ptr("gone")
	revokedToken := sign(t, s, revokedClaims)
	require.NoError(t, revs.RevokeSession("gone"))
	forged := sign(t, newSigner(t), accessClaims(clk.Now()))

	const invalidToken = `Bearer error="invalid_token"`
	tests := []struct {
		name      string
		header    []string // Authorization values
		status    int
		challenge string
		body      string
	}{
		{"a valid token", []string{"Bearer " + good}, 200, "", "hello user_1 sess_1"},
		{"the scheme in lower case", []string{"bearer " + good}, 200, "", "hello user_1 sess_1"},
		{"no Authorization", nil, 401, "Bearer", "Unauthorized\n"},
		{"another scheme", []string{"Basic dTpw"}, 401, "Bearer", "Unauthorized\n"},
		{"Bearer without a token", []string{"Bearer "}, 401, "Bearer", "Unauthorized\n"},
		{"two Authorization headers", []string{"Bearer " + good, "Bearer " + good}, 401, "Bearer", "Unauthorized\n"},
		{"a malformed token", []string{"Bearer abc"}, 401, invalidToken, "Unauthorized\n"},
		{"a forged token", []string{"Bearer " + forged}, 401, invalidToken, "Unauthorized\n"},
		{"an expired token", []string{"Bearer " + expired}, 401, invalidToken, "Unauthorized\n"},
		{"a revoked token", []string{"Bearer " + revokedToken}, 401, invalidToken, "Unauthorized\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/me", nil)
			for _, h := range tt.header {
				r.Header.Add("Authorization", h)
			}
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.challenge, w.Header().Get("WWW-Authenticate"))
			assert.Equal(t, tt.body, w.Body.String(), "the same body whatever the reason")
			if tt.status != 200 {
				assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestMiddlewareAnswers503WhenItCannotTell(t *testing.T) {
	s := newSigner(t)
	js := newJWKSServer(t, s)
	js.fail.Store(true)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	called := false
	handler := v.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+sign(t, s, accessClaims(clk.Now())))
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	assert.False(t, called)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Empty(t, w.Header().Get("WWW-Authenticate"), "the token was not found invalid")
	assert.False(t, strings.Contains(w.Body.String(), "500"), "no detail of the failure")
}

func TestClaimsFromContext(t *testing.T) {
	_, ok := ClaimsFromContext(ctx)
	assert.False(t, ok)
	c := &Claims{Subject: "u"}
	got, ok := ClaimsFromContext(ContextWithClaims(ctx, c))
	assert.True(t, ok)
	assert.Same(t, c, got)
	_, ok = ClaimsFromContext(ContextWithClaims(ctx, nil))
	assert.False(t, ok)
}

func ptr[T any](v T) *T { return &v }
