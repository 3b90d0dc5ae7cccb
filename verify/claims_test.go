package verify

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/jwtsign"
)

func TestVerifyReadsEveryClaim(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	iat := clk.Now().Unix()
	payload := `{"iss":"https://vault.example","sub":"user_1","aud":"app","exp":` + itoa(iat+900) +
		`,"nbf":` + itoa(iat) + `,"iat":` + itoa(iat) + `,"jti":"j\u00e9","type":"access","tenant_id":"t1",` +
		`"session_id":"s1","email":"ada@example.com","email_verified":true,"name":"Ada \"L\"","roles":["admin","member"],` +
		`"mfa_authenticated":true,"scope":"openid profile","acr":"2","amr":["pwd","totp"],"step_up_expires_at":` + itoa(iat+600) +
		`,"client_id":"web","is_impersonation":false,"limits":{"n":2,"tags":["a"]},"note":null}`
	c, err := v.Verify(ctx, signRaw(s, string(jwtsign.HybridHeader), payload, true))
	require.NoError(t, err)
	at := func(sec int64) time.Time { return time.Unix(sec, 0) }
	assert.Equal(t, &Claims{
		Subject: "user_1", Issuer: "https://vault.example", Audience: "app", ID: "jé", Type: "access",
		TenantID: "t1", SessionID: "s1", Email: "ada@example.com", Name: `Ada "L"`, Scope: "openid profile", ACR: "2",
		Roles: []string{"admin", "member"}, AMR: []string{"pwd", "totp"},
		EmailVerified: true, MFAAuthenticated: true,
		IssuedAt: at(iat), NotBefore: at(iat), ExpiresAt: at(iat + 900), StepUpExpiresAt: at(iat + 600),
		Extra: map[string]any{
			"client_id": "web", "is_impersonation": false,
			"limits": map[string]any{"n": 2.0, "tags": []any{"a"}}, "note": nil,
		},
	}, c)
}

func TestVerifyReadsNullsAsAbsent(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	// The server writes an unset optional claim as null.
	claims := accessClaims(clk.Now())
	claims.SessionID, claims.Email, claims.EmailVerified, claims.Name = nil, nil, nil, nil
	claims.Roles, claims.MFAAuthenticated, claims.Scope = nil, nil, nil
	token := sign(t, s, claims)
	c, err := v.Verify(ctx, token)
	require.NoError(t, err)
	assert.Empty(t, c.SessionID)
	assert.Nil(t, c.Roles)
	assert.Nil(t, c.Extra)
	assert.False(t, c.EmailVerified)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestVerifyRefusesClaimsItCannotTrust(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, func(c *Config) { c.Issuer, c.Audience = "https://vault.example", "app" })
	good := accessClaims(clk.Now())
	tests := []struct {
		name   string
		change func(*jwtsign.Claims)
	}{
		{"a refresh token", func(c *jwtsign.Claims) { c.Type = "refresh" }},
		{"an ID token", func(c *jwtsign.Claims) { c.Type = "id" }},
		{"a step-up token", func(c *jwtsign.Claims) { c.Type = "step_up" }},
		{"no type", func(c *jwtsign.Claims) { c.Type = "" }},
		{"another issuer", func(c *jwtsign.Claims) { c.Iss = "https://evil.example" }},
		{"another audience", func(c *jwtsign.Claims) { c.Aud = "other-app" }},
		{"no subject", func(c *jwtsign.Claims) { c.Sub = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.change(&c)
			_, err := v.Verify(ctx, sign(t, s, c))
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.NotErrorIs(t, err, ErrExpired)
		})
	}
	_, err := v.Verify(ctx, sign(t, s, good))
	assert.NoError(t, err, "the unchanged claims")
}

func TestVerifyRefusesMalformedClaims(t *testing.T) {
	clk := newClock()
	s := newSigner(t)
	v := staticVerifier(t, s, clk, nil)
	iat := itoa(clk.Now().Unix())
	exp := itoa(clk.Now().Unix() + 900)
	base := `"sub":"u","type":"access","iat":` + iat + `,"exp":` + exp
	tests := map[string]string{
		"not an object":      `["sub"]`,
		"not JSON":           `sub=u`,
		"a second value":     `{` + base + `} {}`,
		"sub a number":       `{"sub":1,"type":"access","iat":` + iat + `,"exp":` + exp + `}`,
		"sub twice":          `{` + base + `,"sub":"v"}`,
		"sub twice, escaped": `{` + base + `,"s\u0075b":"v"}`,
		"no exp":             `{"sub":"u","type":"access","iat":` + iat + `}`,
		"exp null":           `{"sub":"u","type":"access","iat":` + iat + `,"exp":null}`,
		"exp a string":       `{"sub":"u","type":"access","iat":` + iat + `,"exp":"` + exp + `"}`,
		"exp negative":       `{"sub":"u","type":"access","iat":` + iat + `,"exp":-1}`,
		"exp past year 9999": `{"sub":"u","type":"access","iat":` + iat + `,"exp":1e300}`,
		"no iat":             `{"sub":"u","type":"access","exp":` + exp + `}`,
		"roles a string":     `{` + base + `,"roles":"admin"}`,
		"roles of numbers":   `{` + base + `,"roles":[1]}`,
		"email_verified 1":   `{` + base + `,"email_verified":1}`,
		"invalid UTF-8":      "{" + base + ",\"name\":\"\xff\"}",
		"a custom claim cut": `{` + base + `,"x":[1,}`,
	}
	for name, payload := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := v.Verify(ctx, signRaw(s, `{"alg":"EdDSA"}`, payload, false))
			assert.ErrorIs(t, err, ErrInvalidToken)
		})
	}
	_, err := v.Verify(ctx, signRaw(s, `{"alg":"EdDSA"}`, `{`+base+`}`, false))
	assert.NoError(t, err, "the smallest token accepted")
	_, err = v.Verify(ctx, signRaw(s, `{"alg":"EdDSA"}`, `{`+base+`,"nbf":`+itoa(clk.Now().Unix()-1)+`.5}`, false))
	assert.NoError(t, err, "a fractional date")
}
