package vault

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-querystring/query"

	"github.com/vault-dev/vault-go/internal/redact"
)

// RequestOption changes a single call: its credential, headers or query,
// or captures its raw response. Options are the Go counterpart of the
// TypeScript SDK's initOverrides and ...Raw methods. An option that cannot
// apply fails the call before any request is sent.
type RequestOption func(*requestOptions) error

// requestOptions is what the options of one call add up to.
type requestOptions struct {
	token    string
	header   http.Header
	query    string
	response **http.Response
	limits   *SessionLimits
	tenant   []string // the X-Tenant-ID value of WithTenant
}

// applyOptions adds up the options of one call.
func applyOptions(opts []RequestOption) (requestOptions, error) {
	if len(opts) == 0 {
		return requestOptions{}, nil // without the escaping copy below
	}
	ro := new(requestOptions)
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(ro); err != nil {
			return requestOptions{}, err
		}
	}
	return *ro, nil
}

// WithAccessToken sends the call with token instead of the Client's
// credential, so that one shared Client can act for many users.
func WithAccessToken(token string) RequestOption {
	return func(o *requestOptions) error {
		if token == "" {
			return fmt.Errorf("%w: WithAccessToken with an empty token", ErrNoCredential)
		}
		if why := headerValueFault(token); why != "" {
			return fmt.Errorf("%w: WithAccessToken with a token that %s", ErrInvalidArgument, why)
		}
		o.token = token
		return nil
	}
}

// WithTenant sends the call for tenantID, as its X-Tenant-ID header, in
// place of Configuration.TenantID, so that one shared Client can serve
// many tenants. The ID is checked like Configuration.TenantID: an empty
// one, or one holding a control character or line break, fails the call
// with ErrInvalidArgument before anything is sent. The last WithTenant of
// a call wins.
func WithTenant(tenantID string) RequestOption {
	// Built once, and with no spare capacity, so that a RoundTripper that
	// appends to the header copies it rather than writing into it.
	value := []string{tenantID}
	return func(o *requestOptions) error {
		if tenantID == "" {
			return fmt.Errorf("%w: WithTenant with an empty tenant ID", ErrInvalidArgument)
		}
		if err := checkTenantID(tenantID); err != nil {
			return fmt.Errorf("%w: WithTenant: %v", ErrInvalidArgument, err)
		}
		o.tenant = value
		return nil
	}
}

// WithHeader adds a header to the call. The headers the SDK sets itself
// (Authorization, Accept, User-Agent, X-Tenant-ID, Content-Type, Host)
// are refused: use the Configuration fields, WithAccessToken or
// WithTenant for them.
func WithHeader(key, value string) RequestOption {
	return func(o *requestOptions) error {
		if err := checkHeader(key, value); err != nil {
			return fmt.Errorf("%w: WithHeader: %v", ErrInvalidArgument, err)
		}
		if o.header == nil {
			o.header = make(http.Header)
		}
		o.header.Add(key, value)
		return nil
	}
}

// WithQuery adds query parameters to the call from a struct with `url`
// field tags, encoded by github.com/google/go-querystring. The Sessions
// operations define no parameters today; WithQuery lets a caller pass one a
// newer server understands without waiting for a new SDK:
//
//	type trace struct {
//		Debug bool `url:"debug,omitempty"`
//	}
//	client.Sessions.ListSessions(ctx, vault.WithQuery(trace{Debug: true}))
func WithQuery(v any) RequestOption {
	return func(o *requestOptions) error {
		values, err := query.Values(v)
		if err != nil {
			return fmt.Errorf("%w: WithQuery: %v", ErrInvalidArgument, err)
		}
		if encoded := values.Encode(); encoded != "" {
			if o.query != "" {
				o.query += "&"
			}
			o.query += encoded
		}
		return nil
	}
}

// WithHTTPResponse stores in *dst the last HTTP response the call
// received, for its status and headers (rate limits, request ID),
// whatever ended the call afterwards: a transport failure on a later
// attempt, or the context ending in the wait before a retry. The body has
// already been read and closed, and the Authorization header of its
// Request is redacted. *dst is set on API errors too. The option sets
// *dst to nil as it is applied, so *dst is nil after a call that got no
// response, whether it failed before sending (a TokenSource error, a
// context already done, a later option refused) or while sending. Only a
// call refused before this option is applied leaves *dst as it was: a
// nil context, an invalid session ID, an option before it that is
// refused.
func WithHTTPResponse(dst **http.Response) RequestOption {
	return func(o *requestOptions) error {
		if dst == nil {
			return fmt.Errorf("%w: WithHTTPResponse with a nil pointer", ErrInvalidArgument)
		}
		*dst = nil
		o.response = dst
		return nil
	}
}

// WithSessionLimits stores in *dst the session limits the Vault server
// sends with ListSessions' list: Current, Max and Warning; and with
// AdminSessionsService.ListUserSessions' list: Current and Max. Once its
// options are accepted, either list always sets *dst: to the limits of
// the object form, or to zero when the server answered a plain array,
// which has none, or when the call failed. The other operations leave
// *dst alone, and so do the revocations of RevokeOtherSessions, whose
// list fills it.
func WithSessionLimits(dst *SessionLimits) RequestOption {
	return func(o *requestOptions) error {
		if dst == nil {
			return fmt.Errorf("%w: WithSessionLimits with a nil pointer", ErrInvalidArgument)
		}
		o.limits = dst
		return nil
	}
}

// withoutCredential returns resp for the caller, its Request a copy whose
// Authorization header is redacted and which has no body, with the
// caller's ctx: the response outlives the call, and printing it (fmt's
// %s follows the Request pointer) must not show the token, nor reading
// its Request's body (a refresh's holds the refresh token). A secret
// the server echoed in a response header is redacted too.
func withoutCredential(ctx context.Context, resp *http.Response, secret string) *http.Response {
	if resp == nil || resp.Request == nil {
		return resp
	}
	out := *resp
	out.Header = redact.Header(resp.Header, secret)
	out.Request = resp.Request.Clone(ctx)
	if out.Request.Header.Get("Authorization") != "" {
		out.Request.Header.Set("Authorization", "Bearer "+redact.Placeholder)
	}
	if out.Request.Body != nil {
		out.Request.Body, out.Request.GetBody = http.NoBody, nil
	}
	return &out
}
