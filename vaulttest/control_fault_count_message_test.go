package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestControlFaultCountErrorStatesTheControlRule queues a fault with a
// count below -1. Through the control API a count of 0 is refused, so
// the refusal must not tell the client that zero means one.
func TestControlFaultCountErrorStatesTheControlRule(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/faults", `{"status":503,"count":-2}`)
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	e := decode[controlError](t, r.body).Error
	assert.Equal(t, "count", e.Field)
	assert.NotContains(t, e.Message, "zero for one", "the control API refuses 0")
}
