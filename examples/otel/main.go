// Command otel traces and measures the calls of the vault-go SDK with
// OpenTelemetry, against an in-memory Vault API, and prints what it
// recorded with OpenTelemetry's stdout exporters:
//
//   - a span per call, named after the operation ("list sessions"), with
//     the attempts made, the last status and the request ID;
//   - a child span per attempt, made by otelhttp and named after the
//     operation too ("GET list sessions"), with
//     http.request.resend_count on a retry;
//   - the counter vault.client.calls and the histogram
//     vault.client.call.duration, per operation and outcome.
//
// The SDK itself imports no OpenTelemetry: this program is a module of its
// own, and brings it through vault.Configuration.Hooks and an instrumented
// HTTPClient. Run it with:
//
//	cd examples/otel && go run .
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run makes three calls to an in-memory API, a list retried once after a
// 503, a revoke and a revoke of an unknown session, and writes their
// spans and metrics to w.
func run(ctx context.Context, w io.Writer) (err error) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	demo := srv.SeedDemo(vaulttest.Demo{})
	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, RetryAfter: "0"})

	spans, err := stdouttrace.New(stdouttrace.WithWriter(w), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	metrics, err := stdoutmetric.New(stdoutmetric.WithWriter(w), stdoutmetric.WithPrettyPrint())
	if err != nil {
		return err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)))
	defer func() {
		// Shutting down flushes what is left: the metrics are printed here.
		err = errors.Join(err, tp.Shutdown(ctx), mp.Shutdown(ctx))
	}()

	tel, err := newTelemetry(tp, mp)
	if err != nil {
		return err
	}
	client, err := vault.NewClient(tel.instrument(vault.Configuration{
		BaseURL:        srv.URL,
		AccessToken:    demo[0].Token,
		AttemptTimeout: 10 * time.Second,
	}))
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()

	if _, err := client.Sessions.ListSessions(ctx); err != nil {
		return err
	}
	if _, err := client.Sessions.RevokeSession(ctx, demo[1].ID); err != nil {
		return err
	}
	if _, err := client.Sessions.RevokeSession(ctx, "ses_unknown"); !errors.Is(err, vault.ErrNotFound) {
		return fmt.Errorf("revoke of an unknown session: want a 404, got %v", err)
	}
	return nil
}
