package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleSessionsService_RevokeOtherSessions() {
	// An in-memory API with one user signed in on three devices.
	srv := vaulttest.NewServer()
	defer srv.Close()
	devices := srv.SeedDemo(vaulttest.Demo{Sessions: 3})
	me := devices[0] // the device the user is on now

	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: me.Token})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	revoked, err := client.Sessions.RevokeOtherSessions(context.Background())
	var partial *vault.RevokeOthersError
	switch {
	case errors.As(err, &partial):
		fmt.Println("still signed in on:", partial.SessionIDs)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("signed out:", len(revoked), "devices")

	for _, d := range devices {
		s, _ := srv.Session(d.ID)
		fmt.Printf("%s revoked=%t\n", s.DeviceInfo.OS, s.Revoked)
	}
	// Output:
	// signed out: 2 devices
	// macOS revoked=false
	// iOS revoked=true
	// iPadOS revoked=true
}

func ExampleRetryAfter() {
	srv := vaulttest.NewServer()
	defer srv.Close()
	devices := srv.SeedDemo(vaulttest.Demo{Sessions: 3})
	// Both revocations are rate limited, one for longer. A wait past
	// RetryWaitMax (30s by default) ends the call at once.
	srv.Faults().Add(
		vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: 429, RetryAfter: "90"},
		vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: 429, RetryAfter: "120"},
	)

	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: devices[0].Token})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	_, err = client.Sessions.RevokeOtherSessions(context.Background())
	if wait, ok := vault.RetryAfter(err); ok {
		fmt.Println("come back in", wait)
	}
	// Output:
	// come back in 2m0s
}
