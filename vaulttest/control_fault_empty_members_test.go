package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestControlRefusesEmptyFaultSelectors queues faults whose selector is
// an empty string, as a suite in another language writes when the
// variable it reads the ID from is empty. No request has an empty route,
// session ID, token or user, so the fault could never be answered as
// written; taken as left out, it would answer every request instead. The
// docs take null as left out, not "". Each must be a 400 naming the
// member, with nothing queued.
func TestControlRefusesEmptyFaultSelectors(t *testing.T) {
	tests := []struct{ field, body string }{
		{"route", `{"status":503,"route":""}`},
		{"sessionId", `{"status":503,"sessionId":""}`},
		{"token", `{"status":503,"token":""}`},
		{"userId", `{"status":503,"userId":""}`},
		{"latency", `{"status":503,"latency":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			srv := newControlServer(t)
			r := ctl(t, srv, http.MethodPost, "/faults", tt.body)
			require.Equal(t, http.StatusBadRequest, r.status, "an empty %s is taken as left out: %s", tt.field, r.body)
			assert.Equal(t, tt.field, decode[controlError](t, r.body).Error.Field)
			assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
		})
	}
}

// TestControlRefusesANullHeaderValue queues a fault whose header has the
// value null. The docs give header as an object of strings, and take null
// as a member left out; a header left out is not sent, but this one is
// sent with an empty value. It must be a 400 naming header.
func TestControlRefusesANullHeaderValue(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/faults", `{"status":503,"header":{"X-Debug":null}}`)
	require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
	assert.Equal(t, "header", decode[controlError](t, r.body).Error.Field)
	assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
}

// TestControlRefusesEmptyFaultAnswerMembers queues faults whose action,
// code or Retry-After is an empty string, which names no action and
// sends no code or header: each is a 400 INVALID_FAULT naming the
// member, in an array with the index of the fault, and nothing is
// queued.
func TestControlRefusesEmptyFaultAnswerMembers(t *testing.T) {
	tests := []struct{ field, body string }{
		{"action", `{"status":503,"action":""}`},
		{"code", `{"status":503,"code":""}`},
		{"retryAfter", `{"status":503,"retryAfter":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			srv := newControlServer(t)
			r := ctl(t, srv, http.MethodPost, "/faults", "[{\"status\":503},"+tt.body+"]")
			require.Equal(t, http.StatusBadRequest, r.status, "body: %s", r.body)
			e := decode[controlError](t, r.body).Error
			assert.Equal(t, "INVALID_FAULT", e.Code)
			assert.Equal(t, tt.field, e.Field)
			if assert.NotNil(t, e.Index) {
				assert.Equal(t, 1, *e.Index)
			}
			assert.Equal(t, `faults[1]: fault `+tt.field+` "": an empty string; leave the member out, or send null`, e.Message)
			assert.Zero(t, srv.Faults().Pending(), "nothing is queued")
		})
	}
}

// TestControlTakesNullFaultMembersAsLeftOut queues a fault with every
// string member null, as the docs allow, and a header with an empty
// value, which is sent: the fault is queued with nothing set but its
// status and header.
func TestControlTakesNullFaultMembersAsLeftOut(t *testing.T) {
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/faults", `{"status":503,"route":null,"sessionId":null,"token":null,"userId":null,`+
		`"action":null,"code":null,"retryAfter":null,"latency":null,"header":{"X-Empty":""},"body":null}`)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	list := srv.Faults().List()
	require.Len(t, list, 1)
	f := list[0].Fault
	assert.Equal(t, vaulttest.Fault{Count: 1, Status: 503, Header: http.Header{"X-Empty": {""}}}, f)
}
