package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
)

func TestRunSignedTokens(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	stderr := &syncbuf.Buffer{}
	exit := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"-addr", "127.0.0.1:0", "-signed-tokens", "-control=false"}, outW, stderr)
		outW.Close()
		exit <- code
	}()
	t.Cleanup(func() { cancel(); outR.Close() })

	vars := map[string]string{}
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			name, value, _ := strings.Cut(sc.Text(), "=")
			vars[name] = value
		}
	}()
	select {
	case <-read:
	case <-time.After(10 * time.Second):
		t.Fatalf("standard output stays open; stderr: %s", stderr.String())
	}
	require.Contains(t, vars, "VAULT_JWKS_URL", "stderr: %s", stderr.String())
	assert.Equal(t, strings.TrimSuffix(vars["VAULT_BASE_URL"], vaulttest.BasePath)+vaulttest.JWKSPath, vars["VAULT_JWKS_URL"])

	v, err := verify.New(verify.Config{JWKSURL: vars["VAULT_JWKS_URL"], Issuer: vaulttest.TokenIssuer})
	require.NoError(t, err)
	c, err := v.Verify(ctx, vars["VAULT_TOKEN"])
	require.NoError(t, err, "the demo token is signed by the key set's key")
	assert.Equal(t, vaulttest.DemoUserID, c.Subject)

	req, err := http.NewRequest(http.MethodGet, vars["VAULT_BASE_URL"]+"/users/me/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+vars["VAULT_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel()
	select {
	case code := <-exit:
		assert.Zero(t, code)
	case <-time.After(10 * time.Second):
		t.Fatal("vault-mock did not stop")
	}
}
