package vaulttest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleNewServer() {
	srv := vaulttest.NewServer()
	defer srv.Close()

	srv.SetNow(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC))
	me := srv.AddSession("alice", vaulttest.SessionSeed{
		CreatedAt: time.Date(2025, 3, 14, 8, 0, 0, 0, time.UTC),
		IPAddress: "203.0.113.24",
		UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
		DeviceInfo: &vault.DeviceInfoResponse{
			DeviceType: vault.DeviceTypeDesktop,
			OS:         "macOS",
			Browser:    "Chrome",
		},
	})
	srv.AddSession("alice", vaulttest.SessionSeed{IPAddress: "198.51.100.7"})

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+me.Token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()

	var sessions []vault.SessionResponse
	if err := json.NewDecoder(resp.Body).Decode(&sessions); err != nil {
		panic(err)
	}
	fmt.Println(resp.Status, resp.Header.Get("X-RateLimit-Remaining"))
	for _, s := range sessions {
		fmt.Println(*s.IPAddress, s.Current)
	}
	// Output:
	// 200 OK 99
	// 203.0.113.24 true
	// 198.51.100.7 false
}

func ExampleFaults() {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := srv.SeedDemo(vaulttest.Demo{})[0]

	// The next two revocations fail as if the service were overloaded.
	srv.Faults().Add(vaulttest.Fault{
		Route:      vaulttest.RouteRevokeSession,
		Status:     http.StatusServiceUnavailable,
		RetryAfter: "1",
		Count:      2,
	})

	for i := 0; i < 3; i++ {
		req, err := http.NewRequest(http.MethodDelete, srv.URL+"/users/me/sessions/"+me.ID, nil)
		if err != nil {
			panic(err)
		}
		req.Header.Set("Authorization", "Bearer "+me.Token)
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	s, _ := srv.Session(me.ID)
	fmt.Println("revoked:", s.Revoked, "attempts:", len(srv.Requests()))
	// Output:
	// 503 Retry-After="1"
	// 503 Retry-After="1"
	// 200 Retry-After=""
	// revoked: true attempts: 3
}
