package vaulttest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// The webhooks of the control API: its endpoints, the delivery log, and
// the events to deliver twice. The secret of an endpoint is taken, never
// shown.

// controlWebhook is a Webhook in JSON; Secret is read, never written.
type controlWebhook struct {
	ID     string       `json:"id,omitempty"`
	URL    string       `json:"url"`
	Secret string       `json:"secret,omitempty"`
	Form   webhook.Form `json:"form"`
}

func newControlWebhook(w Webhook) controlWebhook {
	return controlWebhook{ID: w.ID, URL: w.URL, Form: w.Form}
}

// controlDelivery is a WebhookDelivery in JSON.
type controlDelivery struct {
	ID        string           `json:"id"`
	WebhookID string           `json:"webhookId"`
	URL       string           `json:"url"`
	Type      string           `json:"type"`
	Data      json.RawMessage  `json:"data"`
	Form      webhook.Form     `json:"form"`
	State     DeliveryState    `json:"state"`
	Error     string           `json:"error,omitempty"`
	Attempts  []controlAttempt `json:"attempts"`
}

type controlAttempt struct {
	Attempt   int       `json:"attempt"`
	Time      time.Time `json:"time"`
	Status    int       `json:"status"`
	Error     string    `json:"error,omitempty"`
	Duplicate bool      `json:"duplicate,omitempty"`
}

func controlDeliveries(list []WebhookDelivery) []controlDelivery {
	out := make([]controlDelivery, 0, len(list))
	for _, d := range list {
		cd := controlDelivery{ID: d.ID, WebhookID: d.Webhook, URL: d.URL, Type: d.Type, Data: d.Data, Form: d.Form,
			State: d.State, Error: d.Error, Attempts: make([]controlAttempt, 0, len(d.Attempts))}
		for _, a := range d.Attempts {
			cd.Attempts = append(cd.Attempts, controlAttempt(a))
		}
		out = append(out, cd)
	}
	return out
}

type controlTwice struct {
	Events int `json:"events"`
}

func (h *Handler) controlWebhooks(*controlCall) (int, any, error) {
	list := h.Webhooks()
	out := make([]controlWebhook, 0, len(list))
	for _, w := range list {
		out = append(out, newControlWebhook(w))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) controlAddWebhook(c *controlCall) (int, any, error) {
	var in controlWebhook
	if err := c.decode(&in, true); err != nil {
		return 0, nil, err
	}
	if in.ID != "" {
		return 0, nil, badRequest(`"id" is given by the server; leave it out`)
	}
	w := Webhook{URL: in.URL, Secret: in.Secret, Form: in.Form}
	if err := w.validate(); err != nil {
		return 0, nil, stateError(err)
	}
	w, err := h.webhooks.add(w)
	if err != nil {
		return 0, nil, &controlError{status: http.StatusConflict, Code: "CONFLICT", Message: err.Error()}
	}
	return http.StatusCreated, newControlWebhook(w), nil
}

func (h *Handler) controlRemoveWebhook(c *controlCall) (int, any, error) {
	if !h.RemoveWebhook(c.args[0]) {
		return 0, nil, stateError(fmt.Errorf("%w: no webhook %q", errNotFound, c.args[0]))
	}
	return http.StatusNoContent, nil, nil
}

// maxControlWait bounds the wait of GET /deliveries, and
// defaultControlWait is its wait when none is given.
const (
	maxControlWait     = time.Minute
	defaultControlWait = 10 * time.Second
)

// controlDeliveries answers the log at once, or, with ?count=N, once N
// deliveries have finished (or 408 after ?wait, default 10s).
func (h *Handler) controlDeliveries(c *controlCall) (int, any, error) {
	q := c.r.URL.Query()
	for name := range q {
		if name != "count" && name != "wait" {
			return 0, nil, badRequest("unknown query parameter %q; the parameters are count and wait", name)
		}
	}
	countText, waitText := q.Get("count"), q.Get("wait")
	if countText == "" {
		if waitText != "" {
			return 0, nil, badRequest("wait needs count, the number of finished deliveries to wait for")
		}
		return http.StatusOK, controlDeliveries(h.WebhookDeliveries()), nil
	}
	count, err := strconv.Atoi(countText)
	if err != nil || count < 0 {
		return 0, nil, badRequest("count %q is not a whole number of deliveries", countText)
	}
	wait := defaultControlWait
	if waitText != "" {
		if wait, err = time.ParseDuration(waitText); err != nil || wait < 0 || wait > maxControlWait {
			return 0, nil, badRequest("wait %q is not a duration between 0s and %s, such as \"5s\"", waitText, maxControlWait)
		}
	}
	ctx, cancel := context.WithTimeout(c.r.Context(), wait)
	defer cancel()
	list, err := h.WaitWebhookDeliveries(ctx, count)
	if err != nil {
		return 0, nil, &controlError{status: http.StatusRequestTimeout, Code: "TIMEOUT",
			Message: fmt.Sprintf("%d of %d deliveries finished within %s", len(list), count, wait)}
	}
	return http.StatusOK, controlDeliveries(list), nil
}

func (h *Handler) controlClearDeliveries(*controlCall) (int, any, error) {
	h.ResetWebhookDeliveries()
	return http.StatusNoContent, nil, nil
}

func (h *Handler) controlDeliverTwice(c *controlCall) (int, any, error) {
	var in controlTwice
	if err := c.decode(&in, true); err != nil {
		return 0, nil, err
	}
	if in.Events < 0 {
		return 0, nil, badRequest("events must not be negative")
	}
	h.DeliverNextTwice(in.Events)
	return http.StatusOK, in, nil
}
