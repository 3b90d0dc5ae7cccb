package vault_test

import (
	"context"
	"fmt"
	"log"
	"sort"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The Vault server's code answers the list in its own form; vaulttest's
// DialectServer answers the same way, so these examples show what that
// server sends.

func ExampleWithSessionLimits() {
	srv := vaulttest.NewServer(vaulttest.WithDialect(vaulttest.DialectServer), vaulttest.WithMaxSessions(5))
	defer srv.Close()
	devices := srv.SeedDemo(vaulttest.Demo{Sessions: 4})
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: devices[0].Token})
	if err != nil {
		log.Fatal(err)
	}

	var limits vault.SessionLimits
	sessions, err := client.Sessions.ListSessions(context.Background(), vault.WithSessionLimits(&limits))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sessions), "sessions listed")
	switch {
	case limits.Max == 0:
		fmt.Println("the server sent no limits") // the spec's plain array
	case limits.Warning == vault.WarningLimitReached:
		fmt.Println("at the limit: sign out a device before signing in on a new one")
	case limits.Warning == vault.WarningNearLimit:
		fmt.Printf("%d of %d sessions: near the limit\n", limits.Current, limits.Max)
	default:
		fmt.Printf("%d of %d sessions\n", limits.Current, limits.Max)
	}
	// Output:
	// 4 sessions listed
	// 4 of 5 sessions: near the limit
}

func ExampleDeviceInfoResponse_extra() {
	srv := vaulttest.NewServer(vaulttest.WithDialect(vaulttest.DialectServer))
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{
		ID:         "sess_laptop",
		DeviceInfo: &vault.DeviceInfoResponse{Extra: map[string]any{"oauth_provider": "google", "hosted": true}},
	})
	srv.AddSession("alice", vaulttest.SessionSeed{
		ID: "sess_support",
		DeviceInfo: &vault.DeviceInfoResponse{Extra: map[string]any{
			"is_impersonation": true, "impersonator_id": "usr_support_7", "impersonation_reason": "Ticket 4821",
		}},
	})
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: me.Token})
	if err != nil {
		log.Fatal(err)
	}

	sessions, err := client.Sessions.ListSessions(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	sort.Slice(sessions, func(i, j int) bool { return sessions[i].ID < sessions[j].ID })
	for _, s := range sessions {
		// The spec's fields are empty here: this server describes the
		// session in its own members.
		extra := s.DeviceInfo.Extra
		switch {
		case extra["is_impersonation"] == true:
			fmt.Printf("%s: %v acting for the user (%v)\n", s.ID, extra["impersonator_id"], extra["impersonation_reason"])
		case extra["oauth_provider"] != nil:
			fmt.Printf("%s: signed in with %v\n", s.ID, extra["oauth_provider"])
		}
	}
	// Output:
	// sess_laptop: signed in with google
	// sess_support: usr_support_7 acting for the user (Ticket 4821)
}
