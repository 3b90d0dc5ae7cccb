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
// control API serves, and expects it to fail on every one: a client
// generated from such a document would be wrong.
func TestControlOpenAPICheckRefusesIncompleteDocuments(t *testing.T) {
	doc, err := os.ReadFile("../api/control-openapi.yaml")
	require.NoError(t, err)
	tests := []struct {
		name, old, new string
	}{
		{
			name: "a route left out",
			old:  "  /requests/count:\n",
			new:  "  /requests/tally:\n",
		},
		{
			name: "a session's members no longer all sent",
			old:  "      required: [id, userId, token, ipAddress, userAgent, deviceInfo, mfaVerified, createdAt, lastActivityAt, expiresAt, revoked, revokedAt, active, deviceFingerprint, refreshToken]\n",
			new:  "",
		},
		{
			name: "the answer of GET /clock left out",
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
			old:  "      responses:\n        '201':\n          description: The user.\n",
			new:  "      responses:\n        '200':\n          description: The user.\n",
		},
		{
			name: "a session's ipAddress never null, though it is",
			old:  "        ipAddress:\n          type: string\n          nullable: true\n        userAgent:\n          type: string\n          nullable: true\n        deviceInfo:\n          $ref: '#/components/schemas/DeviceInfo'\n        mfaVerified:\n          type: boolean\n        createdAt:",
			new:  "        ipAddress:\n          type: string\n        userAgent:\n          type: string\n          nullable: true\n        deviceInfo:\n          $ref: '#/components/schemas/DeviceInfo'\n        mfaVerified:\n          type: boolean\n        createdAt:",
		},
		{
			name: "a fault's count a string",
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
		})
	}
}
