package vaulttest

import "context"

// AddWebhook adds an endpoint for the server's events; see
// Handler.AddWebhook.
func (s *Server) AddWebhook(w Webhook) (Webhook, error) { return s.h.AddWebhook(w) }

// Webhooks returns the endpoints; see Handler.Webhooks.
func (s *Server) Webhooks() []Webhook { return s.h.Webhooks() }

// RemoveWebhook removes an endpoint; see Handler.RemoveWebhook.
func (s *Server) RemoveWebhook(id string) bool { return s.h.RemoveWebhook(id) }

// DeliverNextTwice makes the next n events arrive twice; see
// Handler.DeliverNextTwice.
func (s *Server) DeliverNextTwice(n int) { s.h.DeliverNextTwice(n) }

// WebhookDeliveries returns the delivery log; see
// Handler.WebhookDeliveries.
func (s *Server) WebhookDeliveries() []WebhookDelivery { return s.h.WebhookDeliveries() }

// WaitWebhookDeliveries waits for deliveries to finish; see
// Handler.WaitWebhookDeliveries.
func (s *Server) WaitWebhookDeliveries(ctx context.Context, n int) ([]WebhookDelivery, error) {
	return s.h.WaitWebhookDeliveries(ctx, n)
}

// ResetWebhookDeliveries empties the delivery log; see
// Handler.ResetWebhookDeliveries.
func (s *Server) ResetWebhookDeliveries() { s.h.ResetWebhookDeliveries() }
