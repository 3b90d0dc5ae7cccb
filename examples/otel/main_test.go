package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunPrintsSpansAndMetrics(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	printed := out.String()
	for _, want := range []string{
		`"Name": "list sessions"`, `"Name": "GET list sessions"`,
		`"Name": "revoke session"`, `"Name": "DELETE revoke session"`,
		`"Name": "vault.client.calls"`, `"Name": "vault.client.call.duration"`,
	} {
		assert.Contains(t, printed, want)
	}
	assert.NotContains(t, strings.ToLower(printed), "bearer", "no credential is recorded")
}
