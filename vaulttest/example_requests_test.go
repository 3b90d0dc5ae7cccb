package vaulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleServer_WaitRequests() {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_laptop"})
	phone := srv.AddSession("alice", vaulttest.SessionSeed{ID: "ses_phone"})
	srv.Faults().Add(vaulttest.Fault{SessionID: phone.ID, Status: 503})

	// Code under test that signs the phone out in the background, and
	// retries once.
	go func() {
		for range 2 {
			req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/users/me/sessions/"+phone.ID, nil)
			req.Header.Set("Authorization", "Bearer "+me.Token)
			if resp, err := srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reqs, err := srv.WaitRequests(ctx, vaulttest.RequestFilter{Route: vaulttest.RouteRevokeSession, Status: 200}, 1)
	if err != nil {
		panic(err)
	}
	faulted, _ := srv.FindRequests(vaulttest.RequestFilter{Fault: "true"})
	fmt.Println(reqs[0].SessionID, "revoked the phone after", len(faulted), "answer from", faulted[0].FaultID)
	// Output:
	// ses_laptop revoked the phone after 1 answer from flt-000001
}
