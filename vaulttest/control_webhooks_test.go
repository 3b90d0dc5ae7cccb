package vaulttest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/webhook"
)

// controlDelivery is a delivery as the control API shows it.
type controlDelivery struct {
	ID        string          `json:"id"`
	WebhookID string          `json:"webhookId"`
	URL       string          `json:"url"`
	Type      string          `json:"type"`
	Data      json.RawMessage `json:"data"`
	Form      string          `json:"form"`
	State     string          `json:"state"`
	Error     string          `json:"error"`
	Attempts  []struct {
		Attempt   int       `json:"attempt"`
		Time      time.Time `json:"time"`
		Status    int       `json:"status"`
		Error     string    `json:"error"`
		Duplicate bool      `json:"duplicate"`
	} `json:"attempts"`
}

func TestControlWebhooks(t *testing.T) {
	rc := newReceiver(t)
	srv := newControlServer(t)
	srv.SetNow(epoch)

	r := ctl(t, srv, http.MethodPost, "/webhooks", `{"url":"`+rc.URL+`","secret":"`+hookSecret+`","form":"id"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.JSONEq(t, `{"id":"wh_1","url":"`+rc.URL+`","form":"id"}`, string(r.body), "the secret is never shown")
	r = ctl(t, srv, http.MethodPost, "/webhooks", `{"url":"`+rc.URL+`/two","secret":"`+hookSecret+`"}`)
	require.Equal(t, http.StatusCreated, r.status)
	assert.JSONEq(t, `{"id":"wh_2","url":"`+rc.URL+`/two","form":"timestamp"}`, string(r.body), "the timestamp form by default")
	r = ctl(t, srv, http.MethodGet, "/webhooks", "")
	assert.JSONEq(t, `[{"id":"wh_1","url":"`+rc.URL+`","form":"id"},{"id":"wh_2","url":"`+rc.URL+`/two","form":"timestamp"}]`, string(r.body))
	assert.NotContains(t, string(r.body), hookSecret)

	// Sessions added through the control API, the demo and a revoke.
	r = ctl(t, srv, http.MethodPost, "/users/olga/sessions", `{"id":"ses_olga_1"}`)
	require.Equal(t, http.StatusCreated, r.status)
	require.Equal(t, http.StatusCreated, ctl(t, srv, http.MethodPost, "/demo", `{"userId":"pat","sessions":1}`).status)
	require.Equal(t, http.StatusOK, ctl(t, srv, http.MethodPost, "/sessions/ses_olga_1/revoke", "").status)

	r = ctl(t, srv, http.MethodGet, "/deliveries?count=6&wait=20s", "")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	got := decode[[]controlDelivery](t, r.body)
	require.Len(t, got, 6)
	assert.Equal(t, []string{"session.created", "session.created", "session.created", "session.created", "session.revoked", "session.revoked"},
		[]string{got[0].Type, got[1].Type, got[2].Type, got[3].Type, got[4].Type, got[5].Type})
	assert.Equal(t, "wh_1", got[0].WebhookID)
	assert.Equal(t, "id", got[0].Form)
	assert.Equal(t, "delivered", got[0].State)
	require.Len(t, got[0].Attempts, 1)
	assert.Equal(t, http.StatusNoContent, got[0].Attempts[0].Status)
	assert.JSONEq(t, `{"user_id":"olga","session_id":"ses_olga_1","reason":"user_revoked","revoked_at":"2025-03-14T09:26:53Z"}`, string(got[4].Data))
	for _, req := range rc.requests() {
		_, err := webhook.Parse(req.body, req.header, hookSecret)
		assert.NoError(t, err)
	}

	// Twice on request.
	r = ctl(t, srv, http.MethodPost, "/deliveries/twice", `{"events":1}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"events":1}`, string(r.body))
	require.Equal(t, http.StatusNoContent, ctl(t, srv, http.MethodDelete, "/deliveries", "").status)
	assert.JSONEq(t, "[]", string(ctl(t, srv, http.MethodGet, "/deliveries", "").body))
	require.Equal(t, http.StatusCreated, ctl(t, srv, http.MethodPost, "/users/olga/sessions", `{}`).status)
	got = decode[[]controlDelivery](t, ctl(t, srv, http.MethodGet, "/deliveries?count=2", "").body)
	require.Len(t, got, 2)
	for _, d := range got {
		require.Len(t, d.Attempts, 2, "delivered, then again")
		assert.True(t, d.Attempts[1].Duplicate)
		assert.Equal(t, 2, d.Attempts[1].Attempt)
	}

	// Removal.
	assert.Equal(t, http.StatusNoContent, ctl(t, srv, http.MethodDelete, "/webhooks/wh_2", "").status)
	r = ctl(t, srv, http.MethodDelete, "/webhooks/wh_2", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, string(r.body), `no webhook \"wh_2\"`)
	assert.JSONEq(t, `[{"id":"wh_1","url":"`+rc.URL+`","form":"id"}]`, string(ctl(t, srv, http.MethodGet, "/webhooks", "").body))

	// A reset removes the endpoints added through the control API.
	require.Equal(t, http.StatusNoContent, ctl(t, srv, http.MethodPost, "/reset", "").status)
	assert.JSONEq(t, "[]", string(ctl(t, srv, http.MethodGet, "/webhooks", "").body))
}

func TestControlWebhooksRefuse(t *testing.T) {
	srv := newControlServer(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"no body", http.MethodPost, "/webhooks", "", http.StatusBadRequest, "needs a JSON body"},
		{"no URL", http.MethodPost, "/webhooks", `{"secret":"s"}`, http.StatusBadRequest, "a webhook needs a URL"},
		{"no secret", http.MethodPost, "/webhooks", `{"url":"http://127.0.0.1:1/"}`, http.StatusBadRequest, "a webhook needs a secret"},
		{"bad URL", http.MethodPost, "/webhooks", `{"url":"127.0.0.1:1","secret":"s"}`, http.StatusBadRequest, "not an absolute http or https URL"},
		{"unknown form", http.MethodPost, "/webhooks", `{"url":"http://127.0.0.1:1/","secret":"s","form":"signed"}`, http.StatusBadRequest, `unknown form \"signed\"`},
		{"an ID", http.MethodPost, "/webhooks", `{"id":"wh_9","url":"http://127.0.0.1:1/","secret":"s"}`, http.StatusBadRequest, `unknown member \"id\"`},
		{"unknown member", http.MethodPost, "/webhooks", `{"url":"http://127.0.0.1:1/","secret":"s","events":["session.created"]}`, http.StatusBadRequest, "events"},
		{"count not a number", http.MethodGet, "/deliveries?count=many", "", http.StatusBadRequest, `count \"many\"`},
		{"negative count", http.MethodGet, "/deliveries?count=-1", "", http.StatusBadRequest, "count"},
		{"wait without count", http.MethodGet, "/deliveries?wait=1s", "", http.StatusBadRequest, "wait needs count"},
		{"wait too long", http.MethodGet, "/deliveries?count=1&wait=2h", "", http.StatusBadRequest, "between 0s and 1m0s"},
		{"unknown parameter", http.MethodGet, "/deliveries?limit=3", "", http.StatusBadRequest, `unknown query parameter \"limit\"`},
		{"time-out", http.MethodGet, "/deliveries?count=1&wait=10ms", "", http.StatusRequestTimeout, "0 of 1 deliveries finished within 10ms"},
		{"negative twice", http.MethodPost, "/deliveries/twice", `{"events":-2}`, http.StatusBadRequest, "must not be negative"},
		{"twice without body", http.MethodPost, "/deliveries/twice", "", http.StatusBadRequest, "needs a JSON body"},
		{"wrong method", http.MethodPut, "/webhooks", "", http.StatusMethodNotAllowed, "not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ctl(t, srv, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, r.status, "%s", r.body)
			assert.Contains(t, string(r.body), tc.want)
			assert.NotContains(t, string(r.body), `"secret":"`, "the secret is never shown")
		})
	}
	assert.Empty(t, srv.Webhooks())
}
