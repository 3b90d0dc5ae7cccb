package vaulttest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

// The states of a WebhookDelivery.
const (
	// DeliveryPending: not answered 2xx yet, with attempts left.
	DeliveryPending DeliveryState = "pending"
	// DeliveryDelivered: an attempt was answered 2xx.
	DeliveryDelivered DeliveryState = "delivered"
	// DeliveryFailed: every attempt failed, or the webhook was removed,
	// or the server reset or closed, before one succeeded.
	DeliveryFailed DeliveryState = "failed"
)

// WebhookDelivery is the record of one event sent to one endpoint.
type WebhookDelivery struct {
	// ID is the delivery's X-Webhook-ID, the same on every attempt.
	ID string
	// Webhook is the ID of the endpoint, and URL its URL.
	Webhook string
	URL     string
	// Type is the event's type, such as webhook.TypeSessionRevoked.
	Type string
	// Data is the body of every attempt: the event's JSON.
	Data json.RawMessage
	// Form is the form of its signatures.
	Form webhook.Form
	// State is where it stands, and Error why it failed.
	State DeliveryState
	Error string
	// Attempts are the attempts made so far, in order.
	Attempts []WebhookAttempt
}

// WebhookAttempt is one POST of a delivery.
type WebhookAttempt struct {
	// Attempt counts from 1; from 2 on, the request carried it in
	// X-Webhook-Attempt.
	Attempt int
	// Time is when it was sent, by the wall clock: its
	// X-Webhook-Timestamp.
	Time time.Time
	// Status is the answer's status, or 0 when there was none.
	Status int
	// Error is why there was no answer, such as a time-out.
	Error string
	// Duplicate marks the copy DeliverNextTwice asked for, sent after
	// the delivery had succeeded.
	Duplicate bool
}

func (d *delivery) snapshot() WebhookDelivery {
	c := d.rec
	c.Attempts = slices.Clone(d.rec.Attempts)
	c.Data = slices.Clone(d.rec.Data)
	return c
}

// WebhookDeliveries returns the deliveries made since the handler was
// created or last reset, pending ones included, in the order their
// events happened; the log keeps the last 10,000.
func (h *Handler) WebhookDeliveries() []WebhookDelivery {
	wh := h.webhooks
	wh.mu.Lock()
	defer wh.mu.Unlock()
	out := make([]WebhookDelivery, 0, len(wh.log))
	for _, d := range wh.log {
		out = append(out, d.snapshot())
	}
	return out
}

// WaitWebhookDeliveries waits until at least n deliveries have finished,
// delivered or failed, since the handler was created or last reset, and
// returns the finished ones in the order their events happened. When ctx
// ends first, or the handler is closed, it returns those finished so far
// with an error. Delivery is asynchronous: wait before checking what a
// receiver got.
func (h *Handler) WaitWebhookDeliveries(ctx context.Context, n int) ([]WebhookDelivery, error) {
	wh := h.webhooks
	for {
		wh.mu.Lock()
		finished, closed, changed := wh.finished, wh.closed, wh.changed
		wh.mu.Unlock()
		switch {
		case finished >= n:
			return h.finishedDeliveries(), nil
		case closed:
			return h.finishedDeliveries(), fmt.Errorf("vaulttest: %d of %d webhook deliveries finished: %w", finished, n, errClosed)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return h.finishedDeliveries(), fmt.Errorf("vaulttest: %d of %d webhook deliveries finished: %w", finished, n, ctx.Err())
		}
	}
}

func (h *Handler) finishedDeliveries() []WebhookDelivery {
	return slices.DeleteFunc(h.WebhookDeliveries(), func(d WebhookDelivery) bool { return d.State == DeliveryPending })
}

// ResetWebhookDeliveries empties the delivery log, pending deliveries
// excepted, and starts WaitWebhookDeliveries's count over. The
// endpoints stay.
func (h *Handler) ResetWebhookDeliveries() {
	wh := h.webhooks
	wh.mu.Lock()
	defer wh.mu.Unlock()
	wh.log = slices.DeleteFunc(wh.log, func(d *delivery) bool { return d.rec.State != DeliveryPending })
	wh.finished = 0
}
