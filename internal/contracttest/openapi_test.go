package contracttest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// contract checks requests and responses against the project's OpenAPI
// document.
type contract struct {
	router routers.Router
	opts   *openapi3filter.Options
}

func loadContract(t *testing.T, baseURL string) *contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../../api/openapi.yaml")
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	doc.Servers = openapi3.Servers{{URL: baseURL}}
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return &contract{
		router: router,
		opts: &openapi3filter.Options{
			IncludeResponseStatus: true,
			AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
				if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
					return errors.New("no bearer token")
				}
				return nil
			},
		},
	}
}

// do validates req, sends it, and returns the response with its body read
// and the outcome of validating it.
func (c *contract) do(t *testing.T, client *http.Client, req *http.Request) (reply, error) {
	t.Helper()
	route, params, err := c.router.FindRoute(req)
	require.NoError(t, err)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: c.opts}
	require.NoError(t, openapi3filter.ValidateRequest(req.Context(), in), "request %s %s", req.Method, req.URL)

	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                c.opts,
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}, openapi3filter.ValidateResponse(req.Context(), out)
}

func TestResponsesConformToOpenAPI(t *testing.T) {
	const limit = 8
	srv := newServer(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: limit, Enforce: true}))
	demo := srv.SeedDemo(vaulttest.Demo{Sessions: 6, TenantID: "acme"})
	other := srv.AddSession("bob", vaulttest.SessionSeed{})
	c := loadContract(t, srv.URL)
	me, victim := demo[0], demo[1]

	type step struct {
		name   string
		method string
		path   string
		token  string
		tenant string
		fault  *vaulttest.Fault
		status int
	}
	steps := []step{
		{name: "list", method: "GET", path: "/users/me/sessions", token: me.Token, tenant: "acme", status: 200},
		{name: "revoke one", method: "DELETE", path: "/users/me/sessions/" + url.PathEscape(victim.ID), token: me.Token, tenant: "acme", status: 200},
		{name: "revoke unknown", method: "DELETE", path: "/users/me/sessions/no-such-session", token: me.Token, tenant: "acme", status: 404},
		{name: "revoke another user's", method: "DELETE", path: "/users/me/sessions/" + other.ID, token: me.Token, tenant: "acme", status: 404},
		{name: "revoked token", method: "GET", path: "/users/me/sessions", token: victim.Token, tenant: "acme", status: 401},
		{name: "wrong tenant", method: "GET", path: "/users/me/sessions", token: me.Token, tenant: "globex", status: 401},
		{
			name: "service unavailable", method: "GET", path: "/users/me/sessions", token: me.Token, tenant: "acme",
			fault: &vaulttest.Fault{Status: 503, RetryAfter: "2"}, status: 503,
		},
		{
			name: "internal error", method: "DELETE", path: "/users/me/sessions", token: me.Token, tenant: "acme",
			fault: &vaulttest.Fault{Status: 500}, status: 500,
		},
		{name: "logout all", method: "DELETE", path: "/users/me/sessions", token: me.Token, tenant: "acme", status: 200},
		{name: "after logout", method: "GET", path: "/users/me/sessions", token: me.Token, tenant: "acme", status: 401},
	}
	for i := 0; i < limit; i++ {
		steps = append(steps, step{name: "within the limit", method: "GET", path: "/users/me/sessions", token: other.Token, status: 200})
	}
	steps = append(steps, step{name: "over the limit", method: "GET", path: "/users/me/sessions", token: other.Token, status: 429})

	for i, s := range steps {
		if s.fault != nil {
			srv.Faults().Add(*s.fault)
		}
		req, err := http.NewRequest(s.method, srv.URL+s.path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.token)
		req.Header.Set("Accept", "application/json")
		if s.tenant != "" {
			req.Header.Set("X-Tenant-ID", s.tenant)
		}
		r, err := c.do(t, srv.Client(), req)
		assert.NoError(t, err, "step %d: %s: %s", i, s.name, r.body)
		assert.Equal(t, s.status, r.status, "step %d: %s", i, s.name)
	}
	assert.Len(t, srv.Requests(), len(steps))
}

func TestOpenAPIRejectsFaultBodies(t *testing.T) {
	tests := []vaulttest.Fault{
		{Action: vaulttest.ProxyHTML, Status: http.StatusServiceUnavailable},
		{Action: vaulttest.HTMLBody},
		{Action: vaulttest.TruncateBody},
	}
	for _, f := range tests {
		t.Run(f.Action.String(), func(t *testing.T) {
			srv := newServer(t)
			me := srv.AddSession("alice", vaulttest.SessionSeed{})
			c := loadContract(t, srv.URL)
			srv.Faults().Add(f)
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+me.Token)
			_, err = c.do(t, srv.Client(), req)
			assert.Error(t, err, "the validator catches a body that breaks the contract")
		})
	}
}
