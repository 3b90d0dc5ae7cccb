package vaulttest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

func ExampleFaults_lostAnswer() {
	srv := vaulttest.NewServer()
	defer srv.Close()
	devices := srv.SeedDemo(vaulttest.Demo{Sessions: 2})
	me, other := devices[0], devices[1]

	// The revocation of the other device is made, but its answer never
	// arrives: the connection is reset instead.
	srv.Faults().Add(vaulttest.Fault{
		Route:     vaulttest.RouteRevokeSession,
		SessionID: other.ID,
		Action:    vaulttest.ApplyThenReset,
	})

	for i := 0; i < 2; i++ {
		req, err := http.NewRequest(http.MethodDelete, srv.URL+"/users/me/sessions/"+other.ID, nil)
		if err != nil {
			panic(err)
		}
		req.Header.Set("Authorization", "Bearer "+me.Token)
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println("attempt", i+1, "failed")
			continue
		}
		resp.Body.Close()
		fmt.Println("attempt", i+1, resp.Status)
	}
	s, _ := srv.Session(other.ID)
	fmt.Println("revoked:", s.Revoked)
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Status, "fault:", r.Fault)
	}
	// Output:
	// attempt 1 failed
	// attempt 2 404 Not Found
	// revoked: true
	// DELETE 200 fault: true
	// DELETE 404 fault: false
}

func ExampleFault_Validate() {
	f := vaulttest.Fault{Route: "DELETE /api/v1/users/me/sessions/ses_1", Status: http.StatusServiceUnavailable}
	fmt.Println(f.Validate())
	// Output:
	// fault Route "DELETE /api/v1/users/me/sessions/ses_1": routes are relative to the base path /api/v1; a route is a pattern, not one session; write Route "DELETE /users/me/sessions/{sessionId}" with SessionID "ses_1"
}

func ExampleWithDialect() {
	srv := vaulttest.NewServer(vaulttest.WithDialect(vaulttest.DialectServer), vaulttest.WithMaxSessions(5))
	defer srv.Close()
	srv.SetNow(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC))
	me := srv.AddSession("alice", vaulttest.SessionSeed{
		ID:         "sess_laptop",
		DeviceInfo: &vault.DeviceInfoResponse{Extra: map[string]any{"oauth_provider": "google"}},
	})

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
	var body bytes.Buffer
	if err := json.Indent(&body, must(io.ReadAll(resp.Body)), "", "  "); err != nil {
		panic(err)
	}
	fmt.Println(body.String())
	// Output:
	// {
	//   "sessions": [
	//     {
	//       "id": "sess_laptop",
	//       "createdAt": "2025-03-14T09:00:00Z",
	//       "lastActivityAt": "2025-03-14T09:00:00Z",
	//       "expiresAt": "2025-04-13T09:00:00Z",
	//       "ipAddress": null,
	//       "userAgent": null,
	//       "deviceInfo": {
	//         "oauth_provider": "google"
	//       },
	//       "mfaVerified": false,
	//       "current": true
	//     }
	//   ],
	//   "currentSessions": 1,
	//   "maxSessions": 5,
	//   "warning": null
	// }
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
