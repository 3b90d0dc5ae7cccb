package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestControlDeliveryDataIsTheBodySent checks the control API's delivery
// log against what the endpoint received. The manual calls its "data"
// the body, and a suite in another language that checks a signature, or
// compares what its receiver got, takes it for the signed bytes. The log
// is encoded with encoding/json, which rewrites <, > and & in the
// payload's strings as \u003c, \u003e and \u0026, so for a user agent
// such as "Mozilla/5.0 <script>" or "A&B" the bytes differ from the body
// that was sent and signed.
func TestControlDeliveryDataIsTheBodySent(t *testing.T) {
	rc := newReceiver(t)
	srv := newControlServer(t)
	srv.SetNow(epoch)
	r := ctl(t, srv, http.MethodPost, "/webhooks", `{"url":"`+rc.URL+`","secret":"`+hookSecret+`"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	r = ctl(t, srv, http.MethodPost, "/users/uma/sessions", `{"id":"ses_uma","userAgent":"Browser <1.0> & more"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)

	r = ctl(t, srv, http.MethodGet, "/deliveries?count=1&wait=20s", "")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got := decode[[]controlDelivery](t, r.body)
	require.Len(t, got, 1)
	sent := rc.requests()
	require.Len(t, sent, 1)
	assert.Equal(t, string(sent[0].body), string(got[0].Data), "the control API's data is not the body that was sent and signed")
}

// TestControlDeliveryDataKeepsLineSeparators checks the other characters
// encoding/json escapes by default, U+2028 and U+2029, which the body
// sent holds as they are.
func TestControlDeliveryDataKeepsLineSeparators(t *testing.T) {
	rc := newReceiver(t)
	srv := newControlServer(t)
	r := ctl(t, srv, http.MethodPost, "/webhooks", `{"url":"`+rc.URL+`","secret":"`+hookSecret+`"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	r = ctl(t, srv, http.MethodPost, "/users/uma/sessions", "{\"id\":\"ses_uma\",\"userAgent\":\"line\u2028paragraph\u2029end\"}")
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)

	r = ctl(t, srv, http.MethodGet, "/deliveries?count=1&wait=20s", "")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got := decode[[]controlDelivery](t, r.body)
	require.Len(t, got, 1)
	sent := rc.requests()
	require.Len(t, sent, 1)
	require.Contains(t, string(sent[0].body), "line\u2028paragraph\u2029end")
	assert.Equal(t, string(sent[0].body), string(got[0].Data))
}
