package vaulttest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleWithControlAPI() {
	srv := vaulttest.NewServer(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	defer srv.Close()

	// What a test suite in another language does, given srv.ControlURL().
	post := func(path, body string) string {
		resp, err := srv.Client().Post(srv.ControlURL()+path, "application/json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			panic(err)
		}
		return fmt.Sprintf("%d %s", resp.StatusCode, b)
	}
	fmt.Print(post("/clock", `{"now":"2025-03-14T09:00:00Z"}`))
	fmt.Print(post("/faults", `{"route":"GET /users/me/session","status":503}`))
	fmt.Print(post("/faults", `{"route":"GET /users/me/sessions","status":503}`))

	// The same server, seen from Go.
	fmt.Println(srv.Now().Format(time.RFC3339), srv.Faults().Pending())
	// Output:
	// 200 {"now":"2025-03-14T09:00:00Z","frozen":true}
	// 400 {"error":{"code":"INVALID_FAULT","message":"fault route \"GET /users/me/session\": not a route of the API, which serves \"GET /users/me/sessions\", \"DELETE /users/me/sessions\" and \"DELETE /users/me/sessions/{sessionId}\", and GET and DELETE on the admin paths \"/admin/users/{userId}/sessions\" and \"/admin/users/{userId}/sessions/{sessionId}\"","field":"route","index":null,"route":null,"sessionId":null}}
	// 201 {"pending":1,"faults":[{"id":"flt-000001","route":"GET /users/me/sessions","sessionId":null,"token":null,"userId":null,"count":1,"remaining":1,"fired":0,"action":"Respond","status":503,"code":null,"retryAfter":null,"header":null,"latency":null,"body":null}]}
	// 2025-03-14T09:00:00Z 1
}

func ExampleWithSeed() {
	var alice []vaulttest.Session
	srv := vaulttest.NewServer(vaulttest.WithSeed(func(h *vaulttest.Handler) {
		alice = h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 2})
	}))
	defer srv.Close()
	first := alice[0]

	srv.RevokeSession(first.ID)
	srv.AddSession("bob", vaulttest.SessionSeed{})
	s, _ := srv.Session(first.ID)
	fmt.Println("revoked:", s.Revoked, "bob:", len(srv.Sessions("bob")))

	srv.Reset()
	s, _ = srv.Session(first.ID)
	fmt.Println("revoked:", s.Revoked, "bob:", len(srv.Sessions("bob")), "same token:", alice[0].Token == first.Token)

	r, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
	if err != nil {
		panic(err)
	}
	r.Header.Set("Authorization", "Bearer "+first.Token)
	resp, err := srv.Client().Do(r)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// revoked: true bob: 1
	// revoked: false bob: 0 same token: true
	// 200 OK
}
