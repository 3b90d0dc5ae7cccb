package vaulttest_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
)

// signedVerifier returns a Verifier of the server's key set on its clock.
func signedVerifier(t *testing.T, srv *vaulttest.Server) *verify.Verifier {
	t.Helper()
	v, err := verify.New(verify.Config{
		JWKSURL:  srv.JWKSURL(),
		Issuer:   vaulttest.TokenIssuer,
		Audience: vaulttest.TokenAudience,
		Now:      srv.Now,
	})
	require.NoError(t, err)
	return v
}

func TestSignedTokensAreTheServers(t *testing.T) {
	srv := newServer(t, vaulttest.WithSignedTokens())
	srv.AddUser(vaulttest.User{ID: "u1", TenantID: "t1"})
	s := srv.AddSession("u1", vaulttest.SessionSeed{MFAVerified: true})

	parts := strings.Split(s.Token, ".")
	require.Len(t, parts, 3, "a JWT")
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"EdDSA+ML-DSA-65","typ":"JWT","kid":null,"alg_details":{"classical":"Ed25519","post_quantum":"ML-DSA","pq_version":"65"}}`, string(header))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	assert.Len(t, sig, 64+verify.MLDSA65SignatureSize)

	c, err := signedVerifier(t, srv).Verify(context.Background(), s.Token)
	require.NoError(t, err)
	assert.Equal(t, "u1", c.Subject)
	assert.Equal(t, s.ID, c.SessionID)
	assert.Equal(t, "t1", c.TenantID)
	assert.True(t, c.MFAAuthenticated)
	assert.Equal(t, "access", c.Type)
	assert.Equal(t, srv.Now().Unix(), c.IssuedAt.Unix())
	assert.Equal(t, vaulttest.AccessTokenLifetime, c.ExpiresAt.Sub(c.IssuedAt))

	// The API accepts it, with its tenant.
	r := call(t, http.DefaultClient, http.MethodGet, srv.URL+"/users/me/sessions", s.Token, "X-Tenant-ID", "t1")
	assert.Equal(t, http.StatusOK, r.status)
}

func TestSignedTokensExpireByTheServersClock(t *testing.T) {
	srv := newServer(t, vaulttest.WithSignedTokens())
	srv.SetNow(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	s := srv.AddSession("u1", vaulttest.SessionSeed{})
	v := signedVerifier(t, srv)
	list := srv.URL + "/users/me/sessions"

	srv.Advance(vaulttest.AccessTokenLifetime)
	assert.Equal(t, http.StatusOK, call(t, http.DefaultClient, http.MethodGet, list, s.Token).status, "at exp")
	_, err := v.Verify(context.Background(), s.Token)
	assert.NoError(t, err)

	srv.Advance(time.Second)
	assert.Equal(t, http.StatusUnauthorized, call(t, http.DefaultClient, http.MethodGet, list, s.Token).status, "after exp")
	_, err = v.Verify(context.Background(), s.Token)
	assert.ErrorIs(t, err, verify.ErrExpired)

	fresh, ok := srv.IssueToken(s.ID)
	require.True(t, ok)
	assert.Equal(t, http.StatusOK, call(t, http.DefaultClient, http.MethodGet, list, fresh).status)
	_, err = v.Verify(context.Background(), fresh)
	assert.NoError(t, err)
	got, _ := srv.Session(s.ID)
	assert.Equal(t, fresh, got.Token, "the session's latest token")

	srv.RevokeSession(s.ID)
	_, ok = srv.IssueToken(s.ID)
	assert.False(t, ok, "no token for a revoked session")
	_, ok = srv.IssueToken("nope")
	assert.False(t, ok)
}

func TestSignedTokenOfASessionEndingSooner(t *testing.T) {
	srv := newServer(t, vaulttest.WithSignedTokens())
	s := srv.AddSession("u1", vaulttest.SessionSeed{ExpiresAt: srv.Now().Add(time.Minute)})
	c, err := signedVerifier(t, srv).Verify(context.Background(), s.Token)
	require.NoError(t, err)
	assert.Equal(t, s.ExpiresAt.Unix(), c.ExpiresAt.Unix())
}

func TestJWKSIsServedAtTheRoot(t *testing.T) {
	srv := newServer(t, vaulttest.WithSignedTokens())
	root := strings.TrimSuffix(srv.URL, vaulttest.BasePath)
	assert.Equal(t, root+"/.well-known/jwks.json", srv.JWKSURL())

	r := call(t, http.DefaultClient, http.MethodGet, srv.JWKSURL(), "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	keys := decode[struct {
		Keys []map[string]string `json:"keys"`
	}](t, r.body)
	require.Len(t, keys.Keys, 1)
	assert.Equal(t, "OKP", keys.Keys[0]["kty"])
	assert.Equal(t, "Ed25519", keys.Keys[0]["crv"])
	assert.Equal(t, "EdDSA+ML-DSA-65", keys.Keys[0]["alg"])
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(srv.TokenKey()), keys.Keys[0]["x"])

	assert.Equal(t, http.StatusNotFound, call(t, http.DefaultClient, http.MethodGet, srv.URL+"/.well-known/jwks.json", "").status, "not under the API's base path")
	assert.Equal(t, http.StatusMethodNotAllowed, call(t, http.DefaultClient, http.MethodPost, srv.JWKSURL(), "").status)
}

func TestWithoutSignedTokens(t *testing.T) {
	srv := newServer(t)
	s := srv.AddSession("u1", vaulttest.SessionSeed{})
	assert.Empty(t, srv.JWKSURL())
	assert.Nil(t, srv.TokenKey())
	assert.NotContains(t, s.Token, ".", "an opaque token")
	root := strings.TrimSuffix(srv.URL, vaulttest.BasePath)
	assert.Equal(t, http.StatusNotFound, call(t, http.DefaultClient, http.MethodGet, root+vaulttest.JWKSPath, "").status)
	fresh, ok := srv.IssueToken(s.ID)
	require.True(t, ok)
	assert.Equal(t, http.StatusOK, call(t, http.DefaultClient, http.MethodGet, srv.URL+"/users/me/sessions", fresh).status)
}

func TestSignedTokensKeepTheirKeyAcrossReset(t *testing.T) {
	// The wall clock throughout: a seed runs before a test could set one.
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens(), vaulttest.WithSeed(func(h *vaulttest.Handler) { h.AddSession("u1", vaulttest.SessionSeed{ID: "s1"}) }))
	t.Cleanup(srv.Close)
	v := signedVerifier(t, srv)
	before, _ := srv.Session("s1")
	_, err := v.Verify(context.Background(), before.Token)
	require.NoError(t, err)
	srv.Reset()
	after, _ := srv.Session("s1")
	_, err = v.Verify(context.Background(), after.Token)
	assert.NoError(t, err)
	assert.Equal(t, http.StatusOK, call(t, http.DefaultClient, http.MethodGet, srv.URL+"/users/me/sessions", after.Token).status)
}

func TestSeededTokenStaysAsGiven(t *testing.T) {
	srv := newServer(t, vaulttest.WithSignedTokens())
	s := srv.AddSession("u1", vaulttest.SessionSeed{Token: "my-token"})
	assert.Equal(t, "my-token", s.Token)
}
