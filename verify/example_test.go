package verify_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

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
