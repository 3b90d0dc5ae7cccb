package vaulttest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestControlOpenAPICheckRefusesIncompleteDocuments runs the check of
// api/control-openapi.yaml, TestControlOpenAPIMatchesTheRoutes, on
// copies of the document that each leave out or misstate something the
// control API serves, and expects it to fail on every one, saying what
// is wrong: a client generated from such a document would be wrong.
func TestControlOpenAPICheckRefusesIncompleteDocuments(t *testing.T) {
	doc, err := os.ReadFile("../api/control-openapi.yaml")
	require.NoError(t, err)
	tests := []struct {
		name, old, new string
		says           string // what the check says of it
	}{
		{
			name: "a route left out",
			says: "the routes served and the operations documented",
			old:  "  /requests/count:\n",
			new:  "  /requests/tally:\n",
		},
		{
			name: "a session's members no longer all sent",
			says: "every member of an answer Session is sent",
			old:  "      required: [id, userId, token, ipAddress, userAgent, deviceInfo, mfaVerified, createdAt, lastActivityAt, expiresAt, revoked, revokedAt, active, deviceFingerprint, refreshToken]\n",
			new:  "",
		},
		{
			name: "the answer of GET /clock left out",
			says: "GET /clock: statuses the route declares in controlAnswers that the document does not list",
			old: `      summary: Read the server's clock
      responses:
        '200':
          description: The clock.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Clock'
`,
			new: `      summary: Read the server's clock
      responses:
`,
		},
		{
			name: "GET /faults answering a clock",
			says: "GET /faults: the schema of its 200 answer",
			old: `          description: The pending faults.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FaultList'
`,
			new: `          description: The pending faults.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Clock'
`,
		},
		{
			name: "POST /users answering 200, not the 201 it sends",
			says: "POST /users: statuses the document lists that the route does not declare in controlAnswers",
			old:  "      responses:\n        '201':\n          description: The user.\n",
			new:  "      responses:\n        '200':\n          description: The user.\n",
		},
		{
			name: "a session's ipAddress never null, though it is",
			says: "Session.ipAddress is null when it is empty",
			old:  "        ipAddress:\n          type: string\n          nullable: true\n        userAgent:\n          type: string\n          nullable: true\n        deviceInfo:\n          $ref: '#/components/schemas/DeviceInfo'\n        mfaVerified:\n          type: boolean\n        createdAt:",
			new:  "        ipAddress:\n          type: string\n        userAgent:\n          type: string\n          nullable: true\n        deviceInfo:\n          $ref: '#/components/schemas/DeviceInfo'\n        mfaVerified:\n          type: boolean\n        createdAt:",
		},
		{
			name: "GET /health listing a 404 it never answers",
			says: "GET /health: statuses the document lists that the route does not declare in controlAnswers",
			old:  "                $ref: '#/components/schemas/Health'\n        '400':\n",
			new:  "                $ref: '#/components/schemas/Health'\n        '404':\n          $ref: '#/components/responses/NotFound'\n        '400':\n",
		},
		{
			name: "POST /users/{userId}/tokens without the 409 of a token in use",
			says: "POST /users/{userId}/tokens: statuses the route declares in controlAnswers that the document does not list",
			old:  "                $ref: '#/components/schemas/Token'\n        '400':\n          $ref: '#/components/responses/BadRequest'\n        '403':\n          $ref: '#/components/responses/Forbidden'\n        '409':\n          $ref: '#/components/responses/Conflict'\n",
			new:  "                $ref: '#/components/schemas/Token'\n        '400':\n          $ref: '#/components/responses/BadRequest'\n        '403':\n          $ref: '#/components/responses/Forbidden'\n",
		},
		{
			name: "the 404 of a user answered as a user",
			says: "GET /users/{userId}: the schema of its 404 answer",
			old:  "  NotFound:\n      description: >-\n        No such user, session, pending fault or webhook (`NOT_FOUND`).\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/Error'\n",
			new:  "  NotFound:\n      description: >-\n        No such user, session, pending fault or webhook (`NOT_FOUND`).\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/User'\n",
		},
		{
			name: "a request's header nullable, though it is {} when empty",
			says: "Request.header is nullable in the document, but the control API sends {} for it when it is empty",
			old:  "          description: The request's headers, credentials and tokens replaced by [REDACTED].\n",
			new:  "          description: The request's headers, credentials and tokens replaced by [REDACTED].\n          nullable: true\n",
		},
		{
			name: "a pending fault's header not nullable, though it is null when empty",
			says: "PendingFault.header is null when it is empty",
			old:  "        header:\n          type: object\n          nullable: true\n",
			new:  "        header:\n          type: object\n",
		},
		{
			name: "a fault list's faults nullable, though they are [] when empty",
			says: "FaultList.faults is nullable in the document, but the control API sends [] for it when it is empty",
			old:  "        faults:\n          type: array\n",
			new:  "        faults:\n          type: array\n          nullable: true\n",
		},
		{
			name: "an error's field not nullable, though it is null where it does not apply",
			says: "Error.error.field is null when it is empty",
			old:  "              nullable: true\n              description: The member or query parameter refused.\n",
			new:  "              description: The member or query parameter refused.\n",
		},
		{
			name: "a fault's count a string",
			says: "the type of Fault.count",
			old:  "        count:\n          type: integer\n          minimum: -1\n",
			new:  "        count:\n          type: string\n          minimum: -1\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(string(doc), tt.old), "the text to change is in the document once")
			root := t.TempDir()
			require.NoError(t, os.Mkdir(filepath.Join(root, "api"), 0o755))
			require.NoError(t, os.Mkdir(filepath.Join(root, "vaulttest"), 0o755))
			changed := strings.Replace(string(doc), tt.old, tt.new, 1)
			require.NoError(t, os.WriteFile(filepath.Join(root, "api", "control-openapi.yaml"), []byte(changed), 0o644))

			// This test binary, running the check alone on the copy.
			cmd := exec.Command(os.Args[0], "-test.run=^TestControlOpenAPIMatchesTheRoutes$", "-test.count=1", "-test.v")
			cmd.Dir = filepath.Join(root, "vaulttest")
			out, err := cmd.CombinedOutput()
			require.Contains(t, string(out), "TestControlOpenAPIMatchesTheRoutes", "the check ran:\n%s", out)
			assert.Error(t, err, "the check passed a document with %s", tt.name)
			assert.Contains(t, string(out), tt.says, "the check says what is wrong")
		})
	}
}
