package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
	"github.com/vault-dev/vault-go/webhook"
)

// A service guards its API with the verifier's middleware; each handler
// reads the caller's claims from the request's context.
func ExampleVerifier_Middleware() {
	v, err := verify.New(verify.Config{
		JWKSURL:     "https://api.vault.dev/.well-known/jwks.json",
		Audience:    "my-app",
		Leeway:      30 * time.Second,
		Revocations: verify.NewRevocations(),
	})
	if err != nil {
		log.Fatal(err)
	}
	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := verify.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "user %s, session %s\n", claims.Subject, claims.SessionID)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /me", v.Middleware(me))
	_ = mux // http.ListenAndServe(addr, mux)
}

// The session.revoked webhooks feed the Revocations a Verifier asks, so
// that a revoked session's token is refused within moments rather than
// when it expires. ActiveSessions tells which session a logout-all kept.
func ExampleRevocations_Apply() {
	revocations, err := verify.NewRevocationsWithConfig(verify.RevocationsConfig{
		ActiveSessions: func(ctx context.Context, userID string) ([]string, error) {
			// Ask the admin API, such as Client.AdminSessions.ListUserSessions,
			// and return the IDs of the sessions whose status is active.
			return nil, fmt.Errorf("not wired in this example")
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	event := webhook.SessionRevoked{UserID: "user_1", SessionID: "sess_1", Scope: webhook.ScopeSession, RevokedAt: time.Now()}
	if err := revocations.Apply(&event); err != nil {
		log.Print(err)
	}
	fmt.Println("recorded")
	// Output: recorded
}

// A webhook handler records each session.revoked event. When the lookup
// of the sessions a logout-all kept fails, every session of the user is
// revoked and the event is handled: the handler logs the error and
// answers with success, since a redelivery would change nothing. Any
// other error, such as a shared store out of reach, asks for one.
func ExampleRevocations_ApplyContext() {
	revocations, err := verify.NewRevocationsWithConfig(verify.RevocationsConfig{
		ActiveSessions: func(ctx context.Context, userID string) ([]string, error) {
			return nil, errors.New("admin API unreachable")
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	handle := func(ctx context.Context, e *webhook.Event) error {
		if e.Type != webhook.TypeSessionRevoked {
			return nil
		}
		r, err := e.SessionRevoked()
		if err != nil {
			return err
		}
		err = revocations.ApplyContext(ctx, r)
		if errors.Is(err, verify.ErrActiveSessionsUnavailable) {
			fmt.Println("logged:", err)
			return nil
		}
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/vault", webhook.NewHandler(handle, os.Getenv("VAULT_WEBHOOK_SECRET")))
	_ = mux // http.ListenAndServe(addr, mux)

	// A delivery of a logout-all that kept a session, while the lookup fails:

	data, err := json.Marshal(webhook.SessionRevoked{UserID: "user_1", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: time.Now()})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(handle(context.Background(), &webhook.Event{ID: "evt_1", Type: webhook.TypeSessionRevoked, Data: data}))
	// Output:
	// logged: verify: active sessions unavailable, so every session of the user was revoked: admin API unreachable
	// <nil>
}

// Verify checks a token of vaulttest's signed tokens against the key set
// the fake serves, as it would the Vault server's.
func ExampleVerifier_Verify() {
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens())
	defer srv.Close()
	me := srv.SeedDemo(vaulttest.Demo{})[0]

	v, err := verify.New(verify.Config{JWKSURL: srv.JWKSURL(), Issuer: vaulttest.TokenIssuer})
	if err != nil {
		log.Fatal(err)
	}
	claims, err := v.Verify(context.Background(), me.Token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.Subject, claims.SessionID == me.ID, claims.ExpiresAt.Sub(claims.IssuedAt))

	_, err = v.Verify(context.Background(), me.Token+"x")
	fmt.Println(errors.Is(err, verify.ErrInvalidToken))
	// Output:
	// usr_demo true 15m0s
	// true
}

// A service that revokes a session through the SDK's Client records it
// in its Revocations when the call returns: the session's token is
// refused at once, without waiting for the webhook.
func ExampleRevocations_RevokeSession() {
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens())
	defer srv.Close()
	sessions := srv.SeedDemo(vaulttest.Demo{})
	me, phone := sessions[0], sessions[1]

	revocations := verify.NewRevocations()
	v, err := verify.New(verify.Config{JWKSURL: srv.JWKSURL(), Revocations: revocations})
	if err != nil {
		log.Fatal(err)
	}
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: me.Token})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	ctx := context.Background()
	if _, err := client.Sessions.RevokeSession(ctx, phone.ID); err != nil {
		log.Fatal(err)
	}
	if err := revocations.RevokeSession(phone.ID); err != nil {
		log.Fatal(err)
	}
	_, err = v.Verify(ctx, phone.Token)
	fmt.Println(errors.Is(err, verify.ErrRevoked))
	_, err = v.Verify(ctx, me.Token)
	fmt.Println(err)
	// Output:
	// true
	// <nil>
}
