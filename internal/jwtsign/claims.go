package jwtsign

// Claims are an access token's claims as the Vault server writes them:
// every member present, those without a value as null, the
// authentication-context members left out when unset.
type Claims struct {
	Iss              string   `json:"iss"`
	Sub              string   `json:"sub"`
	Aud              string   `json:"aud"`
	Exp              int64    `json:"exp"`
	Nbf              int64    `json:"nbf"`
	Iat              int64    `json:"iat"`
	Jti              string   `json:"jti"`
	Type             string   `json:"type"`
	TenantID         string   `json:"tenant_id"`
	SessionID        *string  `json:"session_id"`
	Email            *string  `json:"email"`
	EmailVerified    *bool    `json:"email_verified"`
	Name             *string  `json:"name"`
	Roles            []string `json:"roles"`
	MFAAuthenticated *bool    `json:"mfa_authenticated"`
	Scope            *string  `json:"scope"`
	ACR              *string  `json:"acr,omitempty"`
	AMR              []string `json:"amr,omitempty"`
	StepUpExpiresAt  *int64   `json:"step_up_expires_at,omitempty"`
}

// Ptr returns a pointer to v, for the optional claims.
func Ptr[T any](v T) *T { return &v }
