package vaulttest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// Webhook is an endpoint the server sends its session events to, as the
// Vault server does: session.created for every session added,
// session.revoked for every revocation. Like the Vault server, which
// refuses to create a delivery over 1 MiB, the server sends no event
// whose payload is over webhook.MaxBodyBytes (a session seeded with a
// user agent that long, say): it is left out of the delivery log and, with
// WithLogger, logged at level Warn.
type Webhook struct {
	// ID identifies the endpoint, such as "wh_1"; AddWebhook sets it.
	ID string
	// URL is where deliveries are POSTed: an absolute http or https URL.
	URL string
	// Secret signs every delivery. String and GoString leave it out.
	Secret string
	// Form is what the signature covers besides the body:
	// webhook.FormTimestamp, the default, as the server's delivery worker
	// signs, or webhook.FormID, as its other delivery path does.
	Form webhook.Form
}

// String describes w without its secret.
func (w Webhook) String() string {
	return fmt.Sprintf("webhook %s %s (%v form)", w.ID, w.URL, w.Form)
}

// GoString describes w without its secret, for %#v.
func (w Webhook) GoString() string {
	return fmt.Sprintf("vaulttest.Webhook{ID:%q, URL:%q, Secret:[REDACTED], Form:%v}", w.ID, w.URL, w.Form)
}

// WebhookOptions tune how the server delivers webhooks. Zero fields get
// the defaults.
type WebhookOptions struct {
	// Attempts is how many times a delivery is sent before it fails for
	// good: the first time and Attempts-1 retries, after an answer other
	// than 2xx, a network error or a time-out. At most
	// MaxWebhookAttempts; 0 means DefaultWebhookAttempts.
	Attempts int
	// Backoff is the wait before the first retry; each later wait is
	// twice the one before, up to MaxWebhookBackoff. 0 means
	// DefaultWebhookBackoff.
	Backoff time.Duration
	// Timeout bounds each attempt, from connecting to the end of the
	// answer. 0 means DefaultWebhookTimeout.
	Timeout time.Duration
	// Client sends the deliveries; nil means a client of the server's
	// own that uses no proxy. Set it to reach an https endpoint with a
	// certificate of a test's own, such as httptest.NewTLSServer's
	// Client. Either way no redirect is followed, as by the Vault server:
	// the server sends with a copy of Client whose CheckRedirect answers
	// the redirect itself, so that the attempt fails.
	Client *http.Client
}

// Defaults and bounds of WebhookOptions. The Vault server makes six
// attempts over about a minute; a test wants its retries within a
// second.
const (
	DefaultWebhookAttempts = 4
	MaxWebhookAttempts     = 20
	DefaultWebhookBackoff  = 100 * time.Millisecond
	MaxWebhookBackoff      = 5 * time.Second
	DefaultWebhookTimeout  = 5 * time.Second
)

// WithWebhook makes the server send its events to url, signed with
// secret in the timestamp form, from the start and again after every
// Reset. Repeat it for more endpoints. NewHandler panics if url is not
// an absolute http or https URL or secret is empty, as for any mistake
// of a test's own setup. A Handler with a webhook must be closed.
func WithWebhook(url, secret string) Option {
	return func(c *config) {
		c.webhooks = append(c.webhooks, Webhook{URL: url, Secret: secret})
	}
}

// WithWebhookOptions sets how webhooks are delivered. NewHandler panics
// if a field is negative or over its maximum.
func WithWebhookOptions(o WebhookOptions) Option {
	return func(c *config) { c.webhookOptions = o }
}

func (o WebhookOptions) withDefaults() (WebhookOptions, error) {
	switch {
	case o.Attempts < 0 || o.Attempts > MaxWebhookAttempts:
		return o, fmt.Errorf("WebhookOptions.Attempts %d is not between 0 and %d", o.Attempts, MaxWebhookAttempts)
	case o.Backoff < 0 || o.Backoff > MaxWebhookBackoff:
		return o, fmt.Errorf("WebhookOptions.Backoff %s is not between 0 and %s", o.Backoff, MaxWebhookBackoff)
	case o.Timeout < 0:
		return o, fmt.Errorf("WebhookOptions.Timeout %s is negative", o.Timeout)
	}
	if o.Attempts == 0 {
		o.Attempts = DefaultWebhookAttempts
	}
	if o.Backoff == 0 {
		o.Backoff = DefaultWebhookBackoff
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultWebhookTimeout
	}
	return o, nil
}

// Validate reports why w cannot be added: a URL that is not an absolute
// http or https URL, or holds credentials, an empty secret, or an
// unknown form. Its message never holds the secret.
func (w Webhook) Validate() error {
	if _, reason := w.problem(); reason != "" {
		return errors.New("vaulttest: " + reason)
	}
	return nil
}

// validate is Validate with errInvalid, which the control API answers
// with 400.
func (w Webhook) validate() error {
	if _, reason := w.problem(); reason != "" {
		return fmt.Errorf("%w: %s", errInvalid, reason)
	}
	return nil
}

// problem returns the JSON member of the control API that w has wrong
// ("url", "secret" or "form") and why, or two empty strings.
func (w Webhook) problem() (member, reason string) {
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		return "url", "a webhook needs a URL"
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "url", fmt.Sprintf("webhook URL %q is not an absolute http or https URL", w.URL)
	case u.User != nil:
		return "url", fmt.Sprintf("webhook URL %q holds credentials", u.Redacted())
	case w.Secret == "":
		return "secret", "a webhook needs a secret"
	case w.Form != webhook.FormTimestamp && w.Form != webhook.FormID:
		return "form", fmt.Sprintf("unknown webhook %v", w.Form)
	}
	return "", ""
}

// errClosed is the error of AddWebhook on a closed Handler.
var errClosed = errors.New("the handler is closed")

// AddWebhook adds an endpoint the server sends its events to from now
// on, and returns it with its ID. It returns an error for a URL that is
// not an absolute http or https URL, an empty secret, an unknown form, or
// a closed Handler. Reset removes the endpoints added with it and keeps
// those of WithWebhook.
func (h *Handler) AddWebhook(w Webhook) (Webhook, error) {
	if err := w.validate(); err != nil {
		return Webhook{}, fmt.Errorf("vaulttest: AddWebhook: %w", err)
	}
	return h.webhooks.add(w)
}

// Webhooks returns the endpoints, in the order they were added.
func (h *Handler) Webhooks() []Webhook { return h.webhooks.list() }

// RemoveWebhook removes the endpoint with the given ID and reports
// whether there was one. Its deliveries still pending fail, the one in
// flight is cut; RemoveWebhook does not wait for that, but Close and
// Reset do.
func (h *Handler) RemoveWebhook(id string) bool { return h.webhooks.remove(id) }

// DeliverNextTwice makes each of the next n events arrive twice at every
// endpoint: once delivered, the same delivery is sent again, with the
// same X-Webhook-ID and the next X-Webhook-Attempt, as the Vault server
// does when the answer to a delivery is lost. It tests that a receiver
// handles an event once. n less than 1 cancels what is left of an
// earlier call.
func (h *Handler) DeliverNextTwice(n int) { h.webhooks.deliverNextTwice(n) }

func webhookID(n int) string { return "wh_" + strconv.Itoa(n) }
