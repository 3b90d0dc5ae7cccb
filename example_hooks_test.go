package vault_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleHooks() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, RetryAfter: "0"})

	client, err := vault.NewClient(vault.Configuration{
		BaseURL:     srv.URL,
		AccessToken: laptop.Token,
		Hooks: vault.Hooks{
			// End sees each call once, however many attempts it made. A
			// service would count it and record its duration here, and
			// end the span Start put in the context.
			End: func(ctx context.Context, call vault.CallInfo) {
				outcome := "ok"
				if call.Err != nil {
					outcome = "error"
				}
				fmt.Printf("%s: %s, %d attempt(s), last status %d\n", call.Operation, outcome, call.Attempts, call.StatusCode)
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	ctx := context.Background()
	if _, err := client.Sessions.ListSessions(ctx); err != nil {
		log.Fatal(err)
	}
	_, err = client.Sessions.RevokeSession(ctx, "sess_unknown")
	fmt.Println(err)
	// Output:
	// list sessions: ok, 2 attempt(s), last status 200
	// revoke session: error, 1 attempt(s), last status 404
	// vault: revoke session: 404 NOT_FOUND: Session not found
}
