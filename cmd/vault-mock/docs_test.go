package main

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestDocsShowWhatVaultMockAnswers makes the requests of docs/vault-mock.md
// and checks that the page shows what vault-mock printed and answered.
func TestDocsShowWhatVaultMockAnswers(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "vault-mock.md"))
	require.NoError(t, err)
	doc := string(b)
	shows := func(block string) {
		t.Helper()
		assert.True(t, strings.Contains(doc, block), "docs/vault-mock.md does not show:\n%s", block)
	}

	m := startMock(t)
	u, err := url.Parse(m.baseURL)
	require.NoError(t, err)
	// The page starts vault-mock on port 4010.
	printed := strings.ReplaceAll(strings.Join(m.lines, "\n"), u.Host, "127.0.0.1:4010")
	shows("```\n" + printed + "\n```\n")
	shows("VAULT_TOKEN: " + m.token + " ") // in the compose recipe

	answers := func(steps ...func() string) string {
		var out []string
		for _, step := range steps {
			out = append(out, step())
		}
		return "```json\n" + strings.Join(out, "\n") + "\n```\n"
	}
	control := func(method, path, body string) func() string {
		return func() string {
			_, answer := send(t, method, m.controlURL+path, "", body)
			return strings.TrimSuffix(answer, "\n")
		}
	}

	shows(answers(
		control("POST", "/clock", `{"now":"2025-03-14T09:00:00Z"}`),
		control("POST", "/users/alice/sessions", `{"id":"ses_laptop","ipAddress":"203.0.113.24","userAgent":"Mozilla/5.0 (Macintosh)"}`),
	))
	shows(answers(
		control("POST", "/faults", `{"route":"DELETE /users/me/sessions/ses_laptop","status":503}`),
		control("POST", "/faults", `{"sessionId":"ses_laptop","status":503,"retryAfter":"1"}`),
	))
	shows(answers(
		func() string {
			_, s := send(t, "GET", m.controlURL+"/sessions/ses_laptop", "", "")
			token := strings.SplitN(strings.SplitN(s, `"token":"`, 2)[1], `"`, 2)[0]
			shows("TOKEN=" + token + " ")
			// What curl -s -A checkout-tests sends.
			req, err := http.NewRequest(http.MethodDelete, m.baseURL+"/users/me/sessions/ses_laptop", nil)
			require.NoError(t, err)
			req.Header.Set("User-Agent", "checkout-tests")
			req.Header.Set("Accept", "*/*")
			req.Header.Set("Authorization", "Bearer "+token)
			c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			resp, err := c.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return strings.TrimSuffix(string(body), "\n")
		},
		control("GET", "/requests", ""),
	))

	assert.Equal(t, 0, m.stop(t))

	// Refresh and logout: the demo session's refresh, as a vault-mock
	// just started answers it. (After the sessions above and a reset,
	// the refresh would skip the token alice had.)
	fresh := startMock(t)
	refresh := func() string {
		_, answer := send(t, "POST", fresh.baseURL+"/auth/refresh", "", `{"refreshToken":"`+fresh.refreshToken+`"}`)
		return strings.TrimSuffix(answer, "\n")
	}
	shows(answers(refresh))
	shows(`-d "{\"refreshToken\":\"$VAULT_REFRESH_TOKEN\"}" "$VAULT_BASE_URL/auth/refresh"`)
	assert.Equal(t, 0, fresh.stop(t))
}

// TestDocsDescribeTheControlAPI checks that docs/vault-mock.md documents
// what api/control-openapi.yaml does: every route, every member of every
// body and answer, the statuses, both meanings of sessionId, and how to
// run vault-mock beside other services.
func TestDocsDescribeTheControlAPI(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "vault-mock.md"))
	require.NoError(t, err)
	doc := string(b)
	b, err = os.ReadFile(filepath.Join("..", "..", "api", "control-openapi.yaml"))
	require.NoError(t, err)
	var api struct {
		Paths      map[string]map[string]any `yaml:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `yaml:"properties"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	require.NoError(t, yaml.Unmarshal(b, &api))

	for path, ops := range api.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			assert.Contains(t, doc, "| `"+strings.ToUpper(method)+" "+path+"` |", "the route table lists %s %s", method, path)
		}
	}
	for name, schema := range api.Components.Schemas {
		for member := range schema.Properties {
			assert.Regexp(t, "`"+member+"`", doc, "the member %s of %s is documented", member, name)
		}
	}
	for _, want := range []string{
		"| `count` | integer | `1` |", // the defaults
		"| `400` | `BAD_REQUEST` |",
		"| `408` | `TIMEOUT` |",
		"| `409` | `CONFLICT` |",
		"| `413` | `PAYLOAD_TOO_LARGE` |",
		"| `415` | `UNSUPPORTED_MEDIA_TYPE` |",
		"| `431` | |",
		"`sessionId` has two meanings",
		"-addr 0.0.0.0:4010 -control-remote",
		"VAULT_CONTROL_URL: http://vault-mock:4010/__vault",
	} {
		assert.Contains(t, doc, want)
	}
}

// TestDocsStateTheControlBodyLimit sends vault-mock control bodies at and
// just over the limit docs/vault-mock.md states, 1 MiB, and checks the
// page names the answer to the larger one. The JSON comes after the
// padding, so that the whole body must be read to find it.
func TestDocsStateTheControlBodyLimit(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "vault-mock.md"))
	require.NoError(t, err)
	doc := string(b)
	assert.Contains(t, doc, "A body is at most 1 MiB (1,048,576 bytes), or gets `413`")
	assert.Contains(t, doc, "`413 PAYLOAD_TOO_LARGE` for a body over 1 MiB")

	m := startMock(t)
	const mib = 1 << 20
	clock := `{"now":"2025-03-14T09:00:00Z"}`
	body := func(size int) string { return strings.Repeat(" ", size-len(clock)) + clock }

	status, answer := send(t, "POST", m.controlURL+"/clock", "", body(mib))
	assert.Equal(t, http.StatusOK, status, "a body of 1 MiB is read: %s", answer)

	status, answer = send(t, "POST", m.controlURL+"/clock", "", body(mib+1))
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Contains(t, answer, `"code":"PAYLOAD_TOO_LARGE"`)
}
