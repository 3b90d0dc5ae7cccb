package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The admin list against the user's: listing 20 sessions of a user with
// ListUserSessions costs no more than 1.1 times what ListSessions costs
// for 20 sessions of the same shape, in time (BenchmarkListUserSessions,
// scripts/bench.sh) and in allocations
// (TestListUserSessionsAllocationsWithinListSessions).

// maxAdminListRatio bounds ListUserSessions against ListSessions.
const maxAdminListRatio = 1.1

// benchAdminUser is the user whose sessions the admin benchmarks list.
const benchAdminUser = "usr_4f2a9c1b7d"

// specAdminWire and serverAdminWire are an admin session as each
// dialect sends it: the spec with deviceFingerprint, the server with a
// free-form deviceInfo.
type specAdminWire struct {
	ID                string    `json:"id"`
	UserID            string    `json:"userId"`
	IPAddress         *string   `json:"ipAddress"`
	UserAgent         *string   `json:"userAgent"`
	DeviceFingerprint *string   `json:"deviceFingerprint"`
	MFAVerified       bool      `json:"mfaVerified"`
	CreatedAt         time.Time `json:"createdAt"`
	LastActivityAt    time.Time `json:"lastActivityAt"`
	ExpiresAt         time.Time `json:"expiresAt"`
	Status            string    `json:"status"`
}

type serverAdminWire struct {
	ID             string              `json:"id"`
	UserID         string              `json:"userId"`
	CreatedAt      time.Time           `json:"createdAt"`
	LastActivityAt time.Time           `json:"lastActivityAt"`
	ExpiresAt      time.Time           `json:"expiresAt"`
	IPAddress      *string             `json:"ipAddress"`
	UserAgent      *string             `json:"userAgent"`
	DeviceInfo     *DeviceInfoResponse `json:"deviceInfo"`
	MFAVerified    bool                `json:"mfaVerified"`
	Status         string              `json:"status"`
}

// encodeAdminSessions encodes, in the object form both dialects send,
// the n sessions of realisticSessions (server: serverDialectSessions) as
// the admin list has them: each with its user and a status, one in five
// revoked, and with a device fingerprint (spec) for those with a device.
func encodeAdminSessions(tb testing.TB, n int, server bool) []byte {
	tb.Helper()
	base := realisticSessions(n)
	if server {
		base = serverDialectSessions(n)
	}
	sessions := make([]any, 0, n)
	for i, s := range base {
		status := string(SessionStatusActive)
		if i%5 == 3 {
			status = string(SessionStatusRevoked)
		}
		if server {
			sessions = append(sessions, serverAdminWire{s.ID, benchAdminUser, s.CreatedAt, s.LastActivityAt, s.ExpiresAt,
				s.IPAddress, s.UserAgent, s.DeviceInfo, s.MFAVerified, status})
			continue
		}
		var fp *string
		if s.DeviceInfo != nil {
			f := "fp_" + s.ID[5:] // as long as a SHA-256 prefix
			fp = &f
		}
		sessions = append(sessions, specAdminWire{s.ID, benchAdminUser, s.IPAddress, s.UserAgent, fp, s.MFAVerified,
			s.CreatedAt, s.LastActivityAt, s.ExpiresAt, status})
	}
	body, err := json.Marshal(map[string]any{"sessions": sessions, "currentSessions": n, "maxSessions": n + 5})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// adminBenchDialect pairs a dialect's admin list with the user's list
// of the same dialect.
type adminBenchDialect struct {
	name   string
	server bool
	user   func(testing.TB, int) []byte
}

// adminBenchDialects are the spec's and the server's.
var adminBenchDialects = []adminBenchDialect{
	{"spec", false, encodeSessions},
	{"server", true, encodeServerDialect},
}

// BenchmarkListUserSessions lists 20 sessions of a user with
// ListUserSessions and, in the same run, 20 sessions with ListSessions,
// each from its own fixed server, as the spec sends them.
func BenchmarkListUserSessions(b *testing.B) { benchmarkAdminList(b, adminBenchDialects[0]) }

// BenchmarkListUserSessionsServerDialect is BenchmarkListUserSessions
// with the bodies of the Vault server.
func BenchmarkListUserSessionsServerDialect(b *testing.B) {
	benchmarkAdminList(b, adminBenchDialects[1])
}

func benchmarkAdminList(b *testing.B, d adminBenchDialect) {
	ctx := context.Background()
	admin := newFixedServer(b, encodeAdminSessions(b, benchSessions, d.server), nil)
	user := newFixedServer(b, d.user(b, benchSessions), nil)
	adminHalf := func(b *testing.B) {
		c := benchClient(b, admin)
		runSerial(b, func() error {
			_, err := c.AdminSessions.ListUserSessions(ctx, benchAdminUser)
			return err
		})
	}
	userHalf := func(b *testing.B) {
		c := benchClient(b, user)
		runSerial(b, func() error { _, err := c.Sessions.ListSessions(ctx); return err })
	}
	takeTurns(b, "Admin", adminHalf, "ListSessions", userHalf)
}

// TestListUserSessionsAllocationsWithinListSessions counts the
// allocations of both lists, their bodies served from memory so that no
// server's or connection's goroutine allocates during the count.
func TestListUserSessionsAllocationsWithinListSessions(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector")
	}
	ctx := context.Background()
	for _, d := range adminBenchDialects {
		t.Run(d.name, func(t *testing.T) {
			measure := func(body []byte, call func(*Client) error) float64 {
				c, err := NewClient(Configuration{
					BaseURL:     "https://api.example.test/api/v1",
					AccessToken: testToken,
					HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
						return &http.Response{
							StatusCode: http.StatusOK,
							Header:     http.Header{"Content-Type": {"application/json"}},
							Body:       io.NopCloser(bytes.NewReader(body)),
							Request:    r,
						}, nil
					})},
				})
				require.NoError(t, err)
				require.NoError(t, call(c))
				return testing.AllocsPerRun(100, func() {
					if err := call(c); err != nil {
						t.Error(err)
					}
				})
			}
			admin := measure(encodeAdminSessions(t, benchSessions, d.server), func(c *Client) error {
				_, err := c.AdminSessions.ListUserSessions(ctx, benchAdminUser)
				return err
			})
			user := measure(d.user(t, benchSessions), func(c *Client) error {
				_, err := c.Sessions.ListSessions(ctx)
				return err
			})
			assert.LessOrEqual(t, admin, user*maxAdminListRatio, "allocations per call: ListUserSessions %.0f, ListSessions %.0f", admin, user)
			t.Logf("allocations per call: ListUserSessions %.0f, ListSessions %.0f", admin, user)
		})
	}
}
