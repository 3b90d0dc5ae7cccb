package vaulttest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestClockRunsFromFarTimes lets the clock run from times further from
// the real one than a time.Duration reaches (about 292 years), which
// the control API takes as it takes any time of the years 1 to 9999:
// the clock must run from the time set, or the input be refused, not
// read a time nobody set.
func TestClockRunsFromFarTimes(t *testing.T) {
	start := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		body []string // POST /clock, in order
		want time.Time
	}{
		{"set far ahead, running", []string{`{"now":"2400-01-01T00:00:00Z","frozen":false}`},
			time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"set far back, running", []string{`{"now":"1700-01-01T00:00:00Z","frozen":false}`},
			time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"frozen far ahead, then running", []string{`{"now":"2400-01-01T00:00:00Z"}`, `{"frozen":false}`},
			time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"advanced past the reach of a duration, running", []string{`{"now":"2300-01-01T00:00:00Z","frozen":false}`, `{"advance":"200000h"}`},
			time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC).Add(200000 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &clockFunc{now: start}
			srv := newControlServer(t, vaulttest.WithClock(clock.Now))
			var got clockAnswer
			for _, body := range tt.body {
				r := ctl(t, srv, http.MethodPost, "/clock", body)
				if r.status == http.StatusBadRequest {
					// Refused, naming the member: the clock does not lie.
					assert.NotEmpty(t, decode[controlError](t, r.body).Error.Field)
					return
				}
				require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
				got = decode[clockAnswer](t, r.body)
			}
			assert.False(t, got.Frozen)
			assert.Equal(t, tt.want, got.Now.UTC(), "the clock just after it was set")
			clock.Move(time.Minute)
			assert.Equal(t, tt.want.Add(time.Minute), srv.Now().UTC(), "the clock a minute later")
		})
	}
}
