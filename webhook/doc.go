// Package webhook receives the webhooks the Vault server sends when a
// user's sessions change, and verifies them before anything is decoded.
//
// The server POSTs each event's JSON object with the headers
// X-Webhook-ID (the delivery), X-Webhook-Event (the type),
// X-Webhook-Timestamp (Unix seconds), X-Webhook-Signature ("v1=" and the
// hex HMAC-SHA256 of the body, keyed with the endpoint's secret) and, on
// deliveries made again after a failure, X-Webhook-Attempt. The HMAC
// covers "<timestamp>.<body>" (the timestamp form, from the server's
// delivery worker) or "<delivery ID>.<body>" (the ID form, from its other
// delivery path); [Parse] accepts both.
//
// Most services mount [NewHandler], which verifies each delivery, answers
// a repeated delivery without calling the handler again, and asks the
// server to deliver again when the handler fails:
//
//	http.Handle("/webhooks/vault", webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
//		if e.Type != webhook.TypeSessionRevoked {
//			return nil
//		}
//		r, err := e.SessionRevoked()
//		if err != nil {
//			return err
//		}
//		return store.DropSessions(ctx, r.UserID, r.SessionID, r.Scope)
//	}, os.Getenv("VAULT_WEBHOOK_SECRET")))
//
// Mount it on an http.Server whose ReadTimeout and ReadHeaderTimeout
// bound how long a slow client may take to send a delivery, as the
// example of NewHandler shows.
//
// [Sign] builds the headers of a signed delivery, for a service's own
// tests; package vaulttest and vault-mock send webhooks signed with it.
package webhook
