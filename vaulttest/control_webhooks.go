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

// controlWebhookSeed is the body of POST /webhooks: a Webhook without
// its ID, which the server gives.
type controlWebhookSeed struct {
	URL    string       `json:"url"`
	Secret string       `json:"secret"`
	Form   webhook.Form `json:"form"`
}

// controlWebhook is a Webhook as the control API shows it, without its
// secret.
type controlWebhook struct {
	ID   string       `json:"id"`
	URL  string       `json:"url"`
	Form webhook.Form `json:"form"`
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
	Error     *string          `json:"error"`
	Attempts  []controlAttempt `json:"attempts"`
}

type controlAttempt struct {
	Attempt   int       `json:"attempt"`
	Time      time.Time `json:"time"`
	Status    int       `json:"status"`
	Error     *string   `json:"error"`
	Duplicate bool      `json:"duplicate"`
}

func controlDeliveries(list []WebhookDelivery) []controlDelivery {
	out := make([]controlDelivery, 0, len(list))
	for _, d := range list {
		cd := controlDelivery{ID: d.ID, WebhookID: d.Webhook, URL: d.URL, Type: d.Type, Data: d.Data, Form: d.Form,
			State: d.State, Error: nullable(d.Error), Attempts: make([]controlAttempt, 0, len(d.Attempts))}
		for _, a := range d.Attempts {
			cd.Attempts = append(cd.Attempts, controlAttempt{Attempt: a.Attempt, Time: a.Time, Status: a.Status,
				Error: nullable(a.Error), Duplicate: a.Duplicate})
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
	var in controlWebhookSeed
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	w := Webhook{URL: in.URL, Secret: in.Secret, Form: in.Form}
	if member, reason := w.problem(); reason != "" {
		ce := badRequest("%s", reason)
		ce.Field = member
		return 0, nil, ce
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

// deliveryParams are the query parameters of GET /deliveries.
var deliveryParams = []string{"count", "wait"}

// controlDeliveries answers the log at once, or, with ?count=N, once N
// deliveries have finished (or 408 after ?wait, default 10s, at most a
// minute and shorter than the server's write timeout).
func (h *Handler) controlDeliveries(c *controlCall) (int, any, error) {
	countText, waitText := c.q.get("count"), c.q.get("wait")
	if countText == "" {
		if waitText != "" {
			ce := badRequest("wait needs count, the number of finished deliveries to wait for")
			ce.Field = "wait"
			return 0, nil, ce
		}
		return http.StatusOK, controlDeliveries(h.WebhookDeliveries()), nil
	}
	count, err := strconv.Atoi(countText)
	if err != nil || count < 0 {
		ce := badRequest("count %q is not a whole number of deliveries", countText)
		ce.Field = "count"
		return 0, nil, ce
	}
	wait := defaultControlWait
	wt := h.cfg.control.WriteTimeout
	if wt > 0 && wt <= 2*defaultControlWait {
		wait = wt / 2
	}
	if waitText != "" {
		wait, err = time.ParseDuration(waitText)
		switch {
		case err != nil || wait < 0 || wait > maxControlWait:
			err = fmt.Errorf("wait %q is not a duration between 0s and %s, such as \"5s\"", waitText, maxControlWait)
		case outlasts(wait, wt):
			err = fmt.Errorf("wait %s %s", wait, outlastsReason(wt))
		}
		if err != nil {
			ce := badRequest("%v", err)
			ce.Field = "wait"
			return 0, nil, ce
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
	// Events is a pointer here, to tell a missing member from 0.
	var in struct {
		Events *int `json:"events"`
	}
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	if in.Events == nil {
		ce := badRequest("events is required: how many of the next events arrive twice")
		ce.Field = "events"
		return 0, nil, ce
	}
	if *in.Events < 0 {
		ce := badRequest("events must not be negative")
		ce.Field = "events"
		return 0, nil, ce
	}
	h.DeliverNextTwice(*in.Events)
	return http.StatusOK, controlTwice{Events: *in.Events}, nil
}
