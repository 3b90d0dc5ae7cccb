package main

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	vault "github.com/vault-dev/vault-go"
)

// instrumentationName names the tracer and the meter of the example.
const instrumentationName = "github.com/vault-dev/vault-go/examples/otel"

// Attribute keys. The vault.* keys are the example's own; the others are
// OpenTelemetry's HTTP and error conventions.
const (
	keyOperation   = attribute.Key("vault.operation")
	keyOutcome     = attribute.Key("vault.outcome")
	keyAttempts    = attribute.Key("vault.attempts")
	keyRequestID   = attribute.Key("vault.request_id")
	keyStatusCode  = attribute.Key("http.response.status_code")
	keyResendCount = attribute.Key("http.request.resend_count")
	keyErrorType   = attribute.Key("error.type")
)

// Metric names.
const (
	metricCalls        = "vault.client.calls"
	metricCallDuration = "vault.client.call.duration"
)

// telemetry records the SDK's calls: a span per call, whose children are
// the spans otelhttp makes for each attempt, and a counter and a duration
// histogram per operation and outcome.
type telemetry struct {
	tracer   trace.Tracer
	calls    metric.Int64Counter
	duration metric.Float64Histogram
	tp       trace.TracerProvider
	mp       metric.MeterProvider
}

func newTelemetry(tp trace.TracerProvider, mp metric.MeterProvider) (*telemetry, error) {
	meter := mp.Meter(instrumentationName)
	calls, err := meter.Int64Counter(metricCalls,
		metric.WithDescription("Calls of the Vault SDK, whatever their number of attempts."),
		metric.WithUnit("{call}"))
	if err != nil {
		return nil, err
	}
	duration, err := meter.Float64Histogram(metricCallDuration,
		metric.WithDescription("Duration of the calls of the Vault SDK, retries and their waits included."),
		metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	return &telemetry{tracer: tp.Tracer(instrumentationName), calls: calls, duration: duration, tp: tp, mp: mp}, nil
}

// instrument returns cfg with the hooks that record each call and an
// HTTP client whose transport records each attempt.
func (t *telemetry) instrument(cfg vault.Configuration) vault.Configuration {
	cfg.Hooks = vault.Hooks{Start: t.start, End: t.end}
	cfg.HTTPClient = &http.Client{
		Transport: otelhttp.NewTransport(attemptAttributes{pooledTransport()},
			otelhttp.WithTracerProvider(t.tp),
			otelhttp.WithMeterProvider(t.mp),
			otelhttp.WithSpanNameFormatter(attemptName),
		),
	}
	return cfg
}

// attemptsKey is the context key of a call's attempt counter.
type attemptsKey struct{}

// start begins the span of a call. The context it returns carries the
// span, so that otelhttp makes each attempt's span its child, and the
// counter attemptAttributes numbers the attempts with.
func (t *telemetry) start(ctx context.Context, operation string) context.Context {
	ctx, _ = t.tracer.Start(ctx, operation, trace.WithAttributes(keyOperation.String(operation)))
	return context.WithValue(ctx, attemptsKey{}, new(atomic.Int64))
}

// end ends the span of a call and counts it.
func (t *telemetry) end(ctx context.Context, call vault.CallInfo) {
	result := outcome(call.Err)
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(keyAttempts.Int(call.Attempts))
	if call.StatusCode != 0 {
		span.SetAttributes(keyStatusCode.Int(call.StatusCode))
	}
	if call.RequestID != "" {
		span.SetAttributes(keyRequestID.String(call.RequestID))
	}
	if call.Err != nil {
		// The SDK's error text never holds the token.
		span.RecordError(call.Err)
		span.SetStatus(codes.Error, call.Err.Error())
		span.SetAttributes(keyErrorType.String(result))
	}
	span.End()

	attrs := metric.WithAttributes(keyOperation.String(call.Operation), keyOutcome.String(result))
	t.calls.Add(ctx, 1, attrs)
	t.duration.Record(ctx, call.Duration.Seconds(), attrs)
}

// outcome names what a call came to, in few enough values to label
// metrics with.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, vault.ErrRetryBudgetExhausted):
		return "retry_budget_exhausted"
	case errors.Is(err, vault.ErrNotFound):
		return "not_found"
	case errors.Is(err, vault.ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, vault.ErrForbidden):
		return "forbidden"
	case errors.Is(err, vault.ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, vault.ErrServer):
		return "server_error"
	case errors.Is(err, vault.ErrInvalidArgument), errors.Is(err, vault.ErrNoCredential):
		return "invalid_argument"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return "error"
}

// attemptName names the span of an attempt after the SDK's operation,
// such as "GET list sessions".
func attemptName(_ string, r *http.Request) string {
	if op, ok := vault.OperationFromContext(r.Context()); ok {
		return r.Method + " " + op
	}
	return r.Method
}

// attemptAttributes sits under otelhttp, where the request's context holds
// the attempt's span: it adds the operation and, on a retry, the number of
// attempts before this one.
type attemptAttributes struct{ base http.RoundTripper }

func (a attemptAttributes) RoundTrip(r *http.Request) (*http.Response, error) {
	span := trace.SpanFromContext(r.Context())
	if op, ok := vault.OperationFromContext(r.Context()); ok {
		span.SetAttributes(keyOperation.String(op))
	}
	if n, ok := r.Context().Value(attemptsKey{}).(*atomic.Int64); ok {
		if resends := n.Add(1) - 1; resends > 0 {
			span.SetAttributes(keyResendCount.Int64(resends))
		}
	}
	return a.base.RoundTrip(r)
}

// pooledTransport keeps as many idle connections per host as the SDK's
// own transport, which a Transport of the caller's replaces: net/http's
// default of two would make concurrent calls open and close connections.
func pooledTransport() *http.Transport {
	t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	if std, ok := http.DefaultTransport.(*http.Transport); ok {
		t = std.Clone()
	}
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}
