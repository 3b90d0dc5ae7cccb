package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// fixture is an instrumented Client against an in-memory API, with what
// it records kept in memory.
type fixture struct {
	srv     *vaulttest.Server
	demo    []vaulttest.Session // demo[0] is the current session
	client  *vault.Client
	spans   *tracetest.InMemoryExporter
	metrics *sdkmetric.ManualReader
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := vaulttest.NewServer()
	t.Cleanup(srv.Close)
	f := &fixture{
		srv:     srv,
		demo:    srv.SeedDemo(vaulttest.Demo{}),
		spans:   tracetest.NewInMemoryExporter(),
		metrics: sdkmetric.NewManualReader(),
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(f.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(f.metrics))
	t.Cleanup(func() {
		assert.NoError(t, tp.Shutdown(context.Background()))
		assert.NoError(t, mp.Shutdown(context.Background()))
	})
	tel, err := newTelemetry(tp, mp)
	require.NoError(t, err)
	f.client, err = vault.NewClient(tel.instrument(vault.Configuration{
		BaseURL:      srv.URL,
		AccessToken:  f.demo[0].Token,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
	}))
	require.NoError(t, err)
	t.Cleanup(f.client.CloseIdleConnections)
	return f
}

// callSpan is what the span of a call should hold.
type callSpan struct {
	name     string
	attempts []int // the status of each attempt's span
	status   int   // the call's last status
	outcome  string
}

func TestSpansAndMetricsOfEachCall(t *testing.T) {
	tests := []struct {
		name   string
		faults []vaulttest.Fault
		call   func(context.Context, *fixture) error
		want   callSpan
	}{
		{
			name: "list at the first attempt",
			call: func(ctx context.Context, f *fixture) error { _, err := f.client.Sessions.ListSessions(ctx); return err },
			want: callSpan{name: "list sessions", attempts: []int{200}, status: 200, outcome: "ok"},
		},
		{
			name:   "list retried after two 503s",
			faults: []vaulttest.Fault{{Route: vaulttest.RouteListSessions, Status: http.StatusServiceUnavailable, RetryAfter: "0", Count: 2}},
			call:   func(ctx context.Context, f *fixture) error { _, err := f.client.Sessions.ListSessions(ctx); return err },
			want:   callSpan{name: "list sessions", attempts: []int{503, 503, 200}, status: 200, outcome: "ok"},
		},
		{
			name: "revoke",
			call: func(ctx context.Context, f *fixture) error {
				_, err := f.client.Sessions.RevokeSession(ctx, f.demo[1].ID)
				return err
			},
			want: callSpan{name: "revoke session", attempts: []int{200}, status: 200, outcome: "ok"},
		},
		{
			name: "revoke of an unknown session",
			call: func(ctx context.Context, f *fixture) error {
				_, err := f.client.Sessions.RevokeSession(ctx, "ses_unknown")
				return err
			},
			want: callSpan{name: "revoke session", attempts: []int{404}, status: 404, outcome: "not_found"},
		},
		{
			name: "revoke refused before sending",
			call: func(ctx context.Context, f *fixture) error {
				_, err := f.client.Sessions.RevokeSession(ctx, "a/b")
				return err
			},
			want: callSpan{name: "revoke session", outcome: "invalid_argument"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.Faults().Add(tt.faults...)
			err := tt.call(context.Background(), f)
			if tt.want.outcome == "ok" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}

			spans := f.spans.GetSpans()
			require.Len(t, spans, len(tt.want.attempts)+1, "a span per attempt and one for the call")
			call := spans[len(spans)-1] // the call's span ends last
			assert.Equal(t, tt.want.name, call.Name)
			assert.False(t, call.Parent.IsValid(), "the call's span is a root here")
			attrs := attribute.NewSet(call.Attributes...)
			assertAttr(t, attrs, keyOperation, attribute.StringValue(tt.want.name))
			assertAttr(t, attrs, keyAttempts, attribute.IntValue(len(tt.want.attempts)))
			if tt.want.status != 0 {
				assertAttr(t, attrs, keyStatusCode, attribute.IntValue(tt.want.status))
			}
			if tt.want.outcome == "ok" {
				assert.Equal(t, codes.Unset, call.Status.Code)
			} else {
				assert.Equal(t, codes.Error, call.Status.Code)
				assertAttr(t, attrs, keyErrorType, attribute.StringValue(tt.want.outcome))
				assert.NotEmpty(t, call.Events, "the error is recorded")
			}

			for i, attempt := range spans[:len(spans)-1] {
				assert.Equal(t, call.SpanContext.SpanID(), attempt.Parent.SpanID(), "attempt %d is the call's child", i)
				assert.Equal(t, call.SpanContext.TraceID(), attempt.SpanContext.TraceID())
				assert.Equal(t, trace.SpanKindClient, attempt.SpanKind)
				method := http.MethodGet
				if tt.want.name != "list sessions" {
					method = http.MethodDelete
				}
				assert.Equal(t, method+" "+tt.want.name, attempt.Name)
				attrs := attribute.NewSet(attempt.Attributes...)
				assertAttr(t, attrs, keyOperation, attribute.StringValue(tt.want.name))
				assertAttr(t, attrs, keyStatusCode, attribute.IntValue(tt.want.attempts[i]))
				if i == 0 {
					_, resent := attrs.Value(keyResendCount)
					assert.False(t, resent, "the first attempt is no resend")
				} else {
					assertAttr(t, attrs, keyResendCount, attribute.Int64Value(int64(i)))
				}
			}

			calls, durations := collect(t, f.metrics)
			key := tt.want.name + "/" + tt.want.outcome
			assert.Equal(t, map[string]int64{key: 1}, calls)
			assert.Equal(t, map[string]uint64{key: 1}, durations)
		})
	}
}

func TestCallsCountedPerOperationAndOutcome(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range 3 {
		_, err := f.client.Sessions.ListSessions(ctx)
		require.NoError(t, err)
	}
	_, err := f.client.Sessions.RevokeSession(ctx, "ses_unknown")
	require.ErrorIs(t, err, vault.ErrNotFound)
	revoked, err := f.client.Sessions.RevokeOtherSessions(ctx)
	require.NoError(t, err)

	calls, durations := collect(t, f.metrics)
	want := map[string]int64{
		"list sessions/ok":         4, // RevokeOtherSessions lists first
		"revoke session/not_found": 1,
		"revoke session/ok":        int64(len(revoked)),
	}
	assert.Equal(t, want, calls)
	for key, n := range want {
		assert.Equal(t, uint64(n), durations[key], key)
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{&vault.APIError{StatusCode: 401}, "unauthorized"},
		{&vault.APIError{StatusCode: 403}, "forbidden"},
		{&vault.APIError{StatusCode: 404}, "not_found"},
		{&vault.APIError{StatusCode: 429}, "rate_limited"},
		{&vault.APIError{StatusCode: 502}, "server_error"},
		{vault.ErrRetryBudgetExhausted, "retry_budget_exhausted"},
		{vault.ErrNoCredential, "invalid_argument"},
		{context.Canceled, "canceled"},
		{context.DeadlineExceeded, "timeout"},
		{&vault.DecodeError{}, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, outcome(tt.err))
		})
	}
}

func assertAttr(t *testing.T, attrs attribute.Set, key attribute.Key, want attribute.Value) {
	t.Helper()
	got, ok := attrs.Value(key)
	if assert.True(t, ok, "attribute %s is missing", key) {
		assert.Equal(t, want, got, "attribute %s", key)
	}
}

// collect reads the call counter and the number of durations recorded, by
// "operation/outcome".
func collect(t *testing.T, reader *sdkmetric.ManualReader) (map[string]int64, map[string]uint64) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	calls := make(map[string]int64)
	durations := make(map[string]uint64)
	label := func(attrs attribute.Set) string {
		op, _ := attrs.Value(keyOperation)
		result, _ := attrs.Value(keyOutcome)
		return op.AsString() + "/" + result.AsString()
	}
	for _, scope := range rm.ScopeMetrics {
		if scope.Scope.Name != instrumentationName {
			continue
		}
		for _, m := range scope.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				require.Equal(t, metricCalls, m.Name)
				for _, p := range data.DataPoints {
					calls[label(p.Attributes)] += p.Value
				}
			case metricdata.Histogram[float64]:
				require.Equal(t, metricCallDuration, m.Name)
				for _, p := range data.DataPoints {
					durations[label(p.Attributes)] += p.Count
				}
			}
		}
	}
	return calls, durations
}
