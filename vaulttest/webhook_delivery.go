package vaulttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// Bounds that keep a long run's memory flat: the deliveries waiting for
// one endpoint, and the deliveries kept in the log.
const (
	maxWebhookQueue = 10000
	maxWebhookLog   = 10000
)

// webhookUserAgent is the User-Agent of every delivery.
const webhookUserAgent = "vaulttest-webhook/1.0"

// webhooks sends the events of one Handler to its endpoints: one
// goroutine per endpoint delivers its queue in order, each delivery with
// its retries before the next. Its lock is taken under the Handler's,
// never the other way round, and no HTTP request is made under it.
type webhooks struct {
	opts       WebhookOptions
	logger     *slog.Logger
	client     *http.Client
	ownClient  bool
	configured []Webhook // of WithWebhook, added again after a reset

	mu        sync.Mutex
	closed    bool
	seq       int // of endpoint IDs
	endpoints []*endpoint
	removed   []*endpoint // stopped, their goroutines perhaps still running
	twice     int         // events still to deliver twice
	log       []*delivery
	finished  int           // deliveries finished since the last reset
	changed   chan struct{} // closed and replaced when one finishes
}

// endpoint is a Webhook with its queue and its goroutine.
type endpoint struct {
	Webhook
	queue  []*delivery
	wake   chan struct{} // a token when the queue grows
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has ended
}

// delivery is the log's record of one event sent to one endpoint. Its
// rec's ID, Webhook, URL, Type, Data and Form never change; the rest is
// guarded by webhooks.mu.
type delivery struct {
	rec   WebhookDelivery
	twice bool
}

func newWebhooks(cfg config) (*webhooks, error) {
	opts, err := cfg.webhookOptions.withDefaults()
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.webhooks {
		if err := w.validate(); err != nil {
			return nil, fmt.Errorf("WithWebhook: %w", err)
		}
	}
	wh := &webhooks{opts: opts, logger: cfg.logger, configured: cfg.webhooks, changed: make(chan struct{})}
	if opts.Client != nil {
		// A copy, so that the caller's Client is left as it is, that
		// follows no redirect either: a receiver that redirects fails
		// here as it does against the Vault server.
		c := *opts.Client
		c.CheckRedirect = noRedirect
		wh.client = &c
	} else {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.Proxy = nil // a test's endpoints are its own, never behind the environment's proxy
		wh.client = &http.Client{
			Transport: transport,
			// Like the Vault server, which follows no redirect, so that an
			// endpoint cannot send a delivery elsewhere.
			CheckRedirect: noRedirect,
		}
		wh.ownClient = true
	}
	wh.addConfigured()
	return wh, nil
}

// noRedirect makes a Client answer with a redirect itself, as the Vault
// server's delivery does: the attempt gets the 3xx, not 2xx, and fails.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (wh *webhooks) addConfigured() {
	for _, w := range wh.configured {
		_, _ = wh.add(w) // checked by newWebhooks; a closed handler adds none
	}
}

func (wh *webhooks) add(w Webhook) (Webhook, error) {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if wh.closed {
		return Webhook{}, fmt.Errorf("vaulttest: AddWebhook: %w", errClosed)
	}
	wh.seq++
	w.ID = webhookID(wh.seq)
	ctx, cancel := context.WithCancel(context.Background())
	ep := &endpoint{Webhook: w, wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel, done: make(chan struct{})}
	wh.endpoints = append(wh.endpoints, ep)
	go wh.work(ep)
	return w, nil
}

func (wh *webhooks) list() []Webhook {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	out := make([]Webhook, 0, len(wh.endpoints))
	for _, ep := range wh.endpoints {
		out = append(out, ep.Webhook)
	}
	return out
}

func (wh *webhooks) remove(id string) bool {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	for i, ep := range wh.endpoints {
		if ep.ID == id {
			wh.endpoints = append(wh.endpoints[:i], wh.endpoints[i+1:]...)
			wh.stopLocked(ep, "the webhook was removed")
			wh.removed = append(slices.DeleteFunc(wh.removed, ended), ep)
			return true
		}
	}
	return false
}

// ended reports whether ep's goroutine has returned.
func ended(ep *endpoint) bool {
	select {
	case <-ep.done:
		return true
	default:
		return false
	}
}

// takeAllLocked stops every endpoint and returns them with the removed
// ones, for the caller to wait for, outside the lock, once it has let go
// of wh.mu.
func (wh *webhooks) takeAllLocked(why string) []*endpoint {
	eps := slices.Concat(wh.endpoints, wh.removed)
	for _, ep := range wh.endpoints {
		wh.stopLocked(ep, why)
	}
	wh.endpoints, wh.removed = nil, nil
	return eps
}

// stopLocked ends ep's goroutine and fails the deliveries of its queue;
// the one in flight, if any, fails when its attempt is cut.
func (wh *webhooks) stopLocked(ep *endpoint, why string) {
	ep.cancel()
	for _, d := range ep.queue {
		wh.finishLocked(d, DeliveryFailed, why)
	}
	ep.queue = nil
}

func (wh *webhooks) deliverNextTwice(n int) {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	wh.twice = max(n, 0)
}

// emit queues an event for every endpoint. It is called with the
// Handler's lock held, in the order the changes were made. An event
// over webhook.MaxBodyBytes is not sent, as the Vault server refuses to
// create its deliveries: every receiver would refuse it with 413.
func (wh *webhooks) emit(typ string, data []byte) {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if wh.closed || len(wh.endpoints) == 0 {
		return
	}
	if len(data) > webhook.MaxBodyBytes {
		if wh.logger != nil {
			wh.logger.LogAttrs(context.Background(), slog.LevelWarn, "webhook not sent: its payload is over the server's limit",
				slog.String("type", typ),
				slog.Int("bytes", len(data)),
				slog.Int("limit", webhook.MaxBodyBytes),
			)
		}
		return
	}
	twice := wh.twice > 0
	if twice {
		wh.twice--
	}
	for _, ep := range wh.endpoints {
		d := &delivery{twice: twice, rec: WebhookDelivery{
			ID: newDeliveryID(), Webhook: ep.ID, URL: ep.URL, Type: typ, Data: data, Form: ep.Form, State: DeliveryPending,
		}}
		wh.recordLocked(d)
		if len(ep.queue) >= maxWebhookQueue {
			wh.finishLocked(d, DeliveryFailed, fmt.Sprintf("more than %d deliveries wait for this webhook", maxWebhookQueue))
			continue
		}
		ep.queue = append(ep.queue, d)
		select {
		case ep.wake <- struct{}{}:
		default:
		}
	}
}

// recordLocked adds d to the log, forgetting the oldest record beyond
// maxWebhookLog.
func (wh *webhooks) recordLocked(d *delivery) {
	if len(wh.log) == maxWebhookLog {
		copy(wh.log, wh.log[1:])
		wh.log = wh.log[:maxWebhookLog-1]
	}
	wh.log = append(wh.log, d)
}

func (wh *webhooks) finishLocked(d *delivery, state DeliveryState, why string) {
	if d.rec.State != DeliveryPending {
		return
	}
	d.rec.State, d.rec.Error = state, why
	wh.finished++
	close(wh.changed)
	wh.changed = make(chan struct{})
}

// work delivers ep's queue, in order, until ep is stopped.
func (wh *webhooks) work(ep *endpoint) {
	defer close(ep.done)
	for {
		wh.mu.Lock()
		var d *delivery
		if len(ep.queue) > 0 {
			d = ep.queue[0]
			ep.queue[0] = nil
			ep.queue = ep.queue[1:]
		}
		wh.mu.Unlock()
		if d == nil {
			select {
			case <-ep.wake:
				continue
			case <-ep.ctx.Done():
				return
			}
		}
		wh.deliver(ep, d)
	}
}

// deliver sends d until an answer is 2xx or its attempts are spent,
// waiting Backoff, then twice as long each time, between attempts.
func (wh *webhooks) deliver(ep *endpoint, d *delivery) {
	wait := wh.opts.Backoff
	for attempt := 1; ; attempt++ {
		if wh.send(ep, d, attempt, false) {
			if d.twice {
				wh.send(ep, d, attempt+1, true)
			}
			wh.mu.Lock()
			wh.finishLocked(d, DeliveryDelivered, "")
			wh.mu.Unlock()
			return
		}
		why := ""
		switch {
		case ep.ctx.Err() != nil:
			why = "the webhook was removed, or the server reset or closed"
		case attempt == wh.opts.Attempts:
			why = fmt.Sprintf("no 2xx answer in %d attempts", attempt)
		}
		if why == "" {
			timer := time.NewTimer(wait)
			select {
			case <-timer.C:
				wait = min(2*wait, MaxWebhookBackoff)
				continue
			case <-ep.ctx.Done():
				timer.Stop()
				why = "the webhook was removed, or the server reset or closed"
			}
		}
		wh.mu.Lock()
		wh.finishLocked(d, DeliveryFailed, why)
		wh.mu.Unlock()
		return
	}
}

// send makes one attempt of d, signed now, and records it. It reports
// whether the answer was 2xx.
func (wh *webhooks) send(ep *endpoint, d *delivery, attempt int, duplicate bool) bool {
	ctx, cancel := context.WithTimeout(ep.ctx, wh.opts.Timeout)
	defer cancel()
	sent := time.Now()
	e := &webhook.Event{ID: d.rec.ID, Type: d.rec.Type, Timestamp: sent, Data: d.rec.Data}
	if attempt > 1 {
		e.Attempt = attempt
	}
	status := 0
	header, err := webhook.Sign(e, ep.Form, ep.Secret)
	if err == nil {
		status, err = wh.post(ctx, ep.URL, header, d.rec.Data)
	}
	a := WebhookAttempt{Attempt: attempt, Time: sent, Status: status, Duplicate: duplicate}
	if err != nil {
		a.Error = err.Error()
	}
	wh.mu.Lock()
	d.rec.Attempts = append(d.rec.Attempts, a)
	wh.mu.Unlock()
	if wh.logger != nil {
		wh.logger.LogAttrs(context.Background(), slog.LevelInfo, "webhook",
			slog.String("id", d.rec.ID),
			slog.String("type", d.rec.Type),
			slog.String("url", ep.URL),
			slog.Int("attempt", attempt),
			slog.Int("status", status),
			slog.String("error", a.Error),
		)
	}
	return err == nil && status >= 200 && status < 300
}

func (wh *webhooks) post(ctx context.Context, url string, header http.Header, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = header
	req.Header.Set("User-Agent", webhookUserAgent)
	resp, err := wh.client.Do(req)
	if err != nil {
		return 0, err
	}
	// Read a little of the answer, so that the connection is reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// reset stops every endpoint, waits for their goroutines, forgets the
// log and adds the endpoints of WithWebhook again.
func (wh *webhooks) reset() {
	wh.mu.Lock()
	eps := wh.takeAllLocked("the server was reset")
	wh.mu.Unlock()
	for _, ep := range eps {
		<-ep.done
	}
	wh.mu.Lock()
	wh.log, wh.finished, wh.twice, wh.seq = nil, 0, 0, 0
	wh.mu.Unlock()
	wh.addConfigured()
}

// close stops every endpoint for good and waits for their goroutines.
func (wh *webhooks) close() {
	wh.mu.Lock()
	if wh.closed {
		wh.mu.Unlock()
		return
	}
	wh.closed = true
	eps := wh.takeAllLocked("the server was closed")
	close(wh.changed) // wakes the waiters, who find it closed
	wh.changed = make(chan struct{})
	wh.mu.Unlock()
	for _, ep := range eps {
		<-ep.done
	}
	if wh.ownClient {
		wh.client.CloseIdleConnections()
	}
}

// newDeliveryID returns a random delivery ID shaped like a UUID, as the
// server's are: unique across resets and servers, so that a receiver
// that remembers IDs never takes a new delivery for an old one.
func newDeliveryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
