package main

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	vault "github.com/vault-dev/vault-go"
)

func TestVersion(t *testing.T) {
	h := newHarness(t)
	r := h.run("version")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stderr)
	assert.Equal(t, "vault devel\nvault-go SDK "+vault.Version+"\n"+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n", r.stdout)
}
