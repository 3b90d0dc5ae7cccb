package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// In a service, the handler is mounted on an http.Server whose
// time-outs bound how long a request may take to arrive: the handler
// bounds a body's size, the server the time a slow client may hold a
// connection.
func ExampleNewHandler_server() {
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/vault", webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		return nil // the work of the event
	}, os.Getenv("VAULT_WEBHOOK_SECRET")))
	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second, // a whole delivery; the Vault server waits no longer
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Fatal(srv.ListenAndServe())
}

// A backend drops its own record of a session as soon as Vault revokes
// it, and alerts a user about a sign-in. The handler answers a repeated
// delivery without calling the function again.
func ExampleNewHandler() {
	handler := webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		switch e.Type {
		case webhook.TypeSessionCreated:
			s, err := e.SessionCreated()
			if err != nil {
				return err
			}
			fmt.Printf("new sign-in of %s by %s\n", s.UserID, s.Method)
		case webhook.TypeSessionRevoked:
			r, err := e.SessionRevoked()
			if err != nil {
				return err
			}
			switch r.Scope {
			case webhook.ScopeSession:
				fmt.Printf("drop session %s of %s (%s)\n", r.SessionID, r.UserID, r.Reason)
			case webhook.ScopeAll:
				fmt.Printf("drop every session of %s (%s)\n", r.UserID, r.Reason)
			case webhook.ScopeAllExceptCurrent:
				fmt.Printf("drop every session of %s but the current one (%s)\n", r.UserID, r.Reason)
			}
		}
		return nil // an error answers 500: the server delivers again
	}, "whsec_example")
	srv := httptest.NewServer(handler)
	defer srv.Close()

	// What the Vault server would send.
	send := func(id string, data webhook.SessionRevoked) {
		body, err := data.MarshalJSON()
		if err != nil {
			log.Fatal(err)
		}
		e := &webhook.Event{ID: id, Type: webhook.TypeSessionRevoked, Timestamp: time.Now(), Data: body}
		header, err := webhook.Sign(e, webhook.FormTimestamp, "whsec_example")
		if err != nil {
			log.Fatal(err)
		}
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		if err != nil {
			log.Fatal(err)
		}
		req.Header = header
		resp, err := srv.Client().Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	revoked := webhook.SessionRevoked{UserID: "usr_1", SessionID: "ses_2", Reason: "user_revoked", RevokedAt: time.Now()}
	send("dlv_1", revoked)
	send("dlv_1", revoked) // the same delivery again: not handled twice
	send("dlv_2", webhook.SessionRevoked{UserID: "usr_1", Reason: "user_revoked_all", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: time.Now()})
	// Output:
	// drop session ses_2 of usr_1 (user_revoked)
	// 204 No Content
	// 204 No Content
	// drop every session of usr_1 but the current one (user_revoked_all)
	// 204 No Content
}

// Parse verifies a delivery in a handler of one's own: read the body
// (bounded), verify, and only then decode. Two secrets are given while
// the endpoint's secret is rotated.
func ExampleParse() {
	receive := func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhook.MaxBodyBytes))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		e, err := webhook.Parse(body, r.Header, "whsec_new", "whsec_old")
		if errors.Is(err, webhook.ErrInvalidSignature) || errors.Is(err, webhook.ErrStaleTimestamp) {
			http.Error(w, "not verified", http.StatusBadRequest)
			return
		}
		if err != nil {
			http.Error(w, "misconfigured", http.StatusInternalServerError)
			return
		}
		fmt.Println("verified", e.Type, e.ID)
		w.WriteHeader(http.StatusNoContent)
	}

	body := []byte(`{"user_id":"usr_1","session_id":"all","reason":"admin_revoked_all","revoked_at":"2025-03-01T12:00:00Z"}`)
	for _, secret := range []string{"whsec_old", "whsec_stolen"} {
		header, err := webhook.Sign(&webhook.Event{ID: "dlv_9", Type: webhook.TypeSessionRevoked, Timestamp: time.Now(), Data: body}, webhook.FormTimestamp, secret)
		if err != nil {
			log.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/vault", bytes.NewReader(body))
		req.Header = header
		w := httptest.NewRecorder()
		receive(w, req)
		fmt.Println(w.Code)
	}
	// Output:
	// verified session.revoked dlv_9
	// 204
	// 400
}

// A Verifier changes Parse's tolerance and clock, here to check a
// delivery recorded earlier.
func ExampleVerifier() {
	sent := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"user_id":"usr_1","session_id":"ses_1","email":"ada@example.com","ip_address":null,"user_agent":null,"method":"password","created_at":"2025-03-01T12:00:00Z"}`)
	header, err := webhook.Sign(&webhook.Event{ID: "dlv_3", Type: webhook.TypeSessionCreated, Timestamp: sent, Data: body}, webhook.FormTimestamp, "whsec_example")
	if err != nil {
		log.Fatal(err)
	}

	_, err = webhook.Parse(body, header, "whsec_example") // checked against now
	fmt.Println(errors.Is(err, webhook.ErrStaleTimestamp))

	v := webhook.Verifier{
		Secrets:   []string{"whsec_example"},
		Tolerance: time.Minute,
		Now:       func() time.Time { return sent.Add(30 * time.Second) },
	}
	e, err := v.Parse(body, header)
	if err != nil {
		log.Fatal(err)
	}
	s, err := e.SessionCreated()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.UserID, s.Email, s.IPAddress == nil)
	// Output:
	// true
	// usr_1 ada@example.com true
}

// SessionRevoked tells what a revoke covered by its Scope.
func ExampleEvent_SessionRevoked() {
	for _, data := range []string{
		`{"user_id":"usr_1","session_id":"ses_7","reason":"logout","revoked_at":"2025-03-01T12:00:00Z"}`,
		`{"user_id":"usr_1","session_id":"all","reason":"admin_revoked_all","revoked_at":"2025-03-01T12:00:00Z"}`,
		`{"user_id":"usr_1","session_id":"all_except_current","reason":"user_revoked_all","revoked_at":"2025-03-01T12:00:00Z"}`,
	} {
		e := &webhook.Event{Type: webhook.TypeSessionRevoked, Data: []byte(data)}
		r, err := e.SessionRevoked()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %q %s\n", r.Scope, r.SessionID, r.Reason)
	}
	// Output:
	// session "ses_7" logout
	// all "" admin_revoked_all
	// all_except_current "" user_revoked_all
}

// Sign builds a delivery as the Vault server sends it, for a test of a
// receiver; two secrets give two v1= values, as while one is rotated.
func ExampleSign() {
	body := []byte(`{"user_id":"usr_1","session_id":"ses_1","reason":"logout","revoked_at":"2025-03-01T12:00:00Z"}`)
	e := &webhook.Event{ID: "dlv_1", Type: webhook.TypeSessionRevoked, Timestamp: time.Unix(1740830400, 0), Attempt: 2, Data: body}
	header, err := webhook.Sign(e, webhook.FormTimestamp, "whsec_new", "whsec_old")
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"X-Webhook-Id", "X-Webhook-Event", "X-Webhook-Timestamp", "X-Webhook-Attempt"} {
		fmt.Printf("%s: %s\n", name, header.Get(name))
	}
	fmt.Println(strings.Count(header.Get(webhook.HeaderSignature), "v1="), "signatures")

	_, err = webhook.Parse(body, header, "whsec_old")
	fmt.Println(errors.Is(err, webhook.ErrStaleTimestamp)) // 2025 is long gone
	// Output:
	// X-Webhook-Id: dlv_1
	// X-Webhook-Event: session.revoked
	// X-Webhook-Timestamp: 1740830400
	// X-Webhook-Attempt: 2
	// 2 signatures
	// true
}
