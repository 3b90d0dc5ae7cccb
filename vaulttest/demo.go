package vaulttest

import (
	"time"

	vault "github.com/vault-dev/vault-go"
)

// Defaults of SeedDemo.
const (
	DemoUserID       = "usr_demo"
	DemoSessions     = 3
	MaxDemoSessions  = 100
	demoSessionSpace = 5 * time.Hour
)

// Demo describes the demo data SeedDemo adds.
type Demo struct {
	// UserID is the demo user; empty means DemoUserID.
	UserID string
	// TenantID is the ID of the demo user's tenant; empty means none.
	TenantID string
	// TenantSlug is the slug of the demo user's tenant; empty means
	// none.
	TenantSlug string
	// Sessions is the number of sessions, at most MaxDemoSessions; zero
	// or less means DemoSessions.
	Sessions int
}

// demoDevice is a realistic device profile for a demo session.
type demoDevice struct {
	ip, userAgent string
	device        *vault.DeviceInfoResponse // as DialectSpec describes it
	serverInfo    map[string]any            // as DialectServer does
	mfa           bool
	fingerprint   string // as the admin routes of DialectSpec describe it
}

// Addresses are from the ranges reserved for documentation.
var demoDevices = []demoDevice{
	{
		ip:         "203.0.113.24",
		userAgent:  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
		device:     &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"},
		serverInfo: map[string]any{"oauth_provider": "google", "hosted": true},
		mfa:        true,
		// The fingerprints are made up, in the form of a SHA-256 prefix.
		fingerprint: "fp_9f2c4e1a7b3d5c60",
	},
	{
		ip:          "198.51.100.7",
		userAgent:   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
		device:      &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeMobile, OS: "iOS", Browser: "Safari", IsMobile: true},
		serverInfo:  map[string]any{"auth_method": "webauthn", "credential_id": "cred_q4Rk2TzY8wLm"},
		mfa:         true,
		fingerprint: "fp_41d8e07c92ab6f13",
	},
	{
		ip:          "2001:db8:85a3::8a2e:370:7334",
		userAgent:   "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
		device:      &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeTablet, OS: "iPadOS", Browser: "Safari"},
		serverInfo:  map[string]any{"user_agent": nil, "ip_address": "[2001:db8:85a3::8a2e:370:7334]:51234"},
		fingerprint: "fp_c3a05b7719e2d48f",
	},
	{
		ip:          "192.0.2.15",
		userAgent:   "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
		device:      &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeDesktop, OS: "Windows", Browser: "Firefox"},
		serverInfo:  map[string]any{"is_impersonation": true, "impersonator_id": "usr_support_7", "impersonation_reason": "Ticket 4821: cannot sign in"},
		fingerprint: "fp_07be6d29f4c1a358",
	},
	{
		ip:          "198.51.100.42",
		userAgent:   "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
		device:      &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeMobile, OS: "Android", Browser: "Chrome", IsMobile: true},
		serverInfo:  map[string]any{"type": "anonymous", "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"},
		mfa:         true,
		fingerprint: "fp_5e81f3c0a6d92b74",
	},
	{
		// A command-line client: the server could not tell the device
		// nor the address, and DialectServer describes it as {}.
		userAgent: "vault-cli/1.4.2",
	},
}

// SeedDemo adds a demo user with realistic sessions: a desktop Chrome on
// macOS, an iPhone, an iPad, then other devices, each with an address, a
// user agent and timestamps relative to the server's clock. It returns
// the sessions, newest first; the first one was used moments ago and is
// the natural one to make requests with.
//
// In DialectServer the devices are described as that server does, in
// DeviceInfo.Extra alone: signed in with Google, with a passkey, an
// administrator's impersonation, an anonymous session, and so on.
func (h *Handler) SeedDemo(d Demo) []Session {
	if d.UserID == "" {
		d.UserID = DemoUserID
	}
	switch {
	case d.Sessions <= 0:
		d.Sessions = DemoSessions
	case d.Sessions > MaxDemoSessions:
		d.Sessions = MaxDemoSessions
	}
	h.AddUser(User{ID: d.UserID, TenantID: d.TenantID, TenantSlug: d.TenantSlug})
	now := h.Now().Truncate(time.Second)
	out := make([]Session, 0, d.Sessions)
	for i := 0; i < d.Sessions; i++ {
		dev := demoDevices[i%len(demoDevices)]
		device := dev.device
		if h.cfg.dialect == DialectServer {
			device = &vault.DeviceInfoResponse{Extra: dev.serverInfo}
		}
		age := time.Duration(i)*demoSessionSpace + 2*time.Hour + 15*time.Minute
		created := now.Add(-age)
		out = append(out, h.AddSession(d.UserID, SessionSeed{
			IPAddress:      dev.ip,
			UserAgent:      dev.userAgent,
			DeviceInfo:     device,
			MFAVerified:    dev.mfa,
			CreatedAt:      created,
			LastActivityAt: now.Add(-(time.Duration(i)*3*time.Hour + time.Minute)),
			ExpiresAt:      created.Add(DefaultSessionTTL),
			// The admin routes of DialectSpec show it.
			DeviceFingerprint: dev.fingerprint,
		}))
	}
	return out
}
