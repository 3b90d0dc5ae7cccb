package vaulttest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// The users, sessions, clock, request log and reset of the control API.
// Each action is a method of Handler; the types below are their JSON.

type controlUser struct {
	ID         string `json:"id"`
	TenantID   string `json:"tenantId,omitempty"`
	TenantSlug string `json:"tenantSlug,omitempty"`
	Admin      bool   `json:"admin,omitempty"`
}

// controlSession is a Session as the control API shows it, token
// included.
type controlSession struct {
	ID             string                    `json:"id"`
	UserID         string                    `json:"userId"`
	Token          string                    `json:"token"`
	IPAddress      string                    `json:"ipAddress,omitempty"`
	UserAgent      string                    `json:"userAgent,omitempty"`
	DeviceInfo     *vault.DeviceInfoResponse `json:"deviceInfo"`
	MFAVerified    bool                      `json:"mfaVerified"`
	CreatedAt      time.Time                 `json:"createdAt"`
	LastActivityAt time.Time                 `json:"lastActivityAt"`
	ExpiresAt      time.Time                 `json:"expiresAt"`
	// DeviceFingerprint is left out when empty, as sessions seeded
	// without one have it.
	DeviceFingerprint string     `json:"deviceFingerprint,omitempty"`
	Revoked           bool       `json:"revoked"`
	RevokedAt         *time.Time `json:"revokedAt"`
	// Active tells whether ListSessions lists the session at the
	// server's current time.
	Active bool `json:"active"`
}

func newControlSession(s Session, now time.Time) controlSession {
	c := controlSession{
		ID:             s.ID,
		UserID:         s.UserID,
		Token:          s.Token,
		IPAddress:      s.IPAddress,
		UserAgent:      s.UserAgent,
		DeviceInfo:     s.DeviceInfo,
		MFAVerified:    s.MFAVerified,
		CreatedAt:      s.CreatedAt,
		LastActivityAt: s.LastActivityAt,
		ExpiresAt:      s.ExpiresAt,
		Revoked:        s.Revoked,
		Active:         s.Active(now),
	}
	c.DeviceFingerprint = s.DeviceFingerprint
	if s.Revoked {
		c.RevokedAt = &s.RevokedAt
	}
	return c
}

func controlSessions(list []Session, now time.Time) []controlSession {
	out := make([]controlSession, 0, len(list))
	for _, s := range list {
		out = append(out, newControlSession(s, now))
	}
	return out
}

// controlSeed is a SessionSeed in JSON.
type controlSeed struct {
	ID                string                    `json:"id"`
	Token             string                    `json:"token"`
	IPAddress         string                    `json:"ipAddress"`
	UserAgent         string                    `json:"userAgent"`
	DeviceFingerprint string                    `json:"deviceFingerprint"`
	DeviceInfo        *vault.DeviceInfoResponse `json:"deviceInfo"`
	MFAVerified       bool                      `json:"mfaVerified"`
	CreatedAt         time.Time                 `json:"createdAt"`
	LastActivityAt    time.Time                 `json:"lastActivityAt"`
	ExpiresAt         time.Time                 `json:"expiresAt"`
}

type controlDemo struct {
	UserID     string `json:"userId"`
	TenantID   string `json:"tenantId"`
	TenantSlug string `json:"tenantSlug"`
	Sessions   int    `json:"sessions"`
}

type controlToken struct {
	UserID string `json:"userId,omitempty"`
	Token  string `json:"token"`
}

type controlClock struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
}

type controlClockChange struct {
	Now     *time.Time `json:"now"`
	Advance string     `json:"advance"`
}

// controlRequest is a Request as the control API shows it. Credentials
// are left out of its header.
type controlRequest struct {
	ID        string      `json:"id"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Query     string      `json:"query"`
	Header    http.Header `json:"header"`
	Time      time.Time   `json:"time"`
	Status    int         `json:"status"`
	Fault     bool        `json:"fault"`
	UserID    string      `json:"userId"`
	SessionID string      `json:"sessionId"`
}

func (h *Handler) controlHealth(*controlCall) (int, any, error) {
	return http.StatusOK, map[string]string{"status": "ok", "dialect": h.cfg.dialect.String()}, nil
}

func (h *Handler) controlAddUser(c *controlCall) (int, any, error) {
	var u controlUser
	if err := c.decode(&u, true); err != nil {
		return 0, nil, err
	}
	if err := h.addUser(User(u)); err != nil {
		return 0, nil, stateError(err)
	}
	return http.StatusCreated, u, nil
}

func (h *Handler) controlUser(c *controlCall) (int, any, error) {
	u, ok := h.User(c.args[0])
	if !ok {
		return 0, nil, stateError(fmt.Errorf("%w: no user %q", errNotFound, c.args[0]))
	}
	return http.StatusOK, controlUser(u), nil
}

func (h *Handler) controlSessions(c *controlCall) (int, any, error) {
	if _, ok := h.User(c.args[0]); !ok {
		return 0, nil, stateError(fmt.Errorf("%w: no user %q", errNotFound, c.args[0]))
	}
	return http.StatusOK, controlSessions(h.Sessions(c.args[0]), h.Now()), nil
}

func (h *Handler) controlAddSession(c *controlCall) (int, any, error) {
	var seed controlSeed
	if err := c.decode(&seed, false); err != nil {
		return 0, nil, err
	}
	s, err := h.addSession(c.args[0], SessionSeed(seed))
	if err != nil {
		return 0, nil, stateError(err)
	}
	return http.StatusCreated, newControlSession(s, h.Now()), nil
}

func (h *Handler) controlAddToken(c *controlCall) (int, any, error) {
	var tok controlToken
	if err := c.decode(&tok, false); err != nil {
		return 0, nil, err
	}
	if tok.UserID != "" && tok.UserID != c.args[0] {
		return 0, nil, badRequest("userId %q differs from the route's user %q", tok.UserID, c.args[0])
	}
	t, err := h.addSessionlessToken(c.args[0], tok.Token)
	if err != nil {
		return 0, nil, stateError(err)
	}
	return http.StatusCreated, controlToken{UserID: c.args[0], Token: t}, nil
}

func (h *Handler) controlSeedDemo(c *controlCall) (int, any, error) {
	var d controlDemo
	if err := c.decode(&d, false); err != nil {
		return 0, nil, err
	}
	if d.Sessions < 0 || d.Sessions > MaxDemoSessions {
		return 0, nil, badRequest("sessions must be between 1 and %d, or 0 for %d", MaxDemoSessions, DemoSessions)
	}
	list := h.SeedDemo(Demo(d))
	return http.StatusCreated, controlSessions(list, h.Now()), nil
}

func (h *Handler) controlSession(c *controlCall) (int, any, error) {
	s, ok := h.Session(c.args[0])
	return h.sessionAnswer(c.args[0], s, ok)
}

func (h *Handler) controlRevoke(c *controlCall) (int, any, error) {
	s, ok := h.RevokeSession(c.args[0])
	return h.sessionAnswer(c.args[0], s, ok)
}

func (h *Handler) controlExpire(c *controlCall) (int, any, error) {
	s, ok := h.ExpireSession(c.args[0])
	return h.sessionAnswer(c.args[0], s, ok)
}

// sessionAnswer answers with the session s, or 404 if there is no
// session with the ID id.
func (h *Handler) sessionAnswer(id string, s Session, ok bool) (int, any, error) {
	if !ok {
		return 0, nil, stateError(fmt.Errorf("%w: no session %q", errNotFound, id))
	}
	return http.StatusOK, newControlSession(s, h.Now()), nil
}

func (h *Handler) controlClock(*controlCall) (int, any, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return http.StatusOK, controlClock{Now: h.nowLocked().UTC(), Frozen: h.frozen}, nil
}

func (h *Handler) controlSetClock(c *controlCall) (int, any, error) {
	var change controlClockChange
	if err := c.decode(&change, true); err != nil {
		return 0, nil, err
	}
	var d time.Duration
	if change.Advance != "" {
		var err error
		if d, err = time.ParseDuration(change.Advance); err != nil {
			return 0, nil, badRequest("advance %q is not a duration such as \"90s\" or \"1h30m\"", change.Advance)
		}
	}
	if change.Now == nil && change.Advance == "" {
		return 0, nil, badRequest(`the body sets "now", a time such as "2025-03-14T09:00:00Z", or "advance", a duration such as "90s"`)
	}
	next := h.Now()
	if change.Now != nil {
		next = *change.Now
	}
	if next = next.Add(d); next.Year() < 1 || next.Year() > 9999 {
		// Times of such years have no RFC 3339 form to answer with.
		return 0, nil, badRequest("the clock would read %s, outside the years 1 to 9999", next.Format(time.RFC3339))
	}
	if change.Now != nil {
		h.SetNow(*change.Now)
	}
	if change.Advance != "" {
		h.Advance(d)
	}
	return h.controlClock(c)
}

func (h *Handler) controlRequests(*controlCall) (int, any, error) {
	reqs := h.Requests()
	out := make([]controlRequest, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, controlRequest{
			ID:        r.ID,
			Method:    r.Method,
			Path:      r.Path,
			Query:     r.RawQuery,
			Header:    withoutCredentials(r.Header),
			Time:      r.Time,
			Status:    r.Status,
			Fault:     r.Fault,
			UserID:    r.UserID,
			SessionID: r.SessionID,
		})
	}
	return http.StatusOK, out, nil
}

// withoutCredentials returns hdr with the credentials of its
// Authorization and Proxy-Authorization headers replaced by
// "[REDACTED]", their scheme kept.
func withoutCredentials(hdr http.Header) http.Header {
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		for i, v := range hdr[name] {
			// Only a known scheme before a space is kept: a value without
			// one may be the bare token.
			redacted := "[REDACTED]"
			if scheme, _, ok := strings.Cut(v, " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) {
				redacted = scheme + " [REDACTED]"
			}
			hdr[name][i] = redacted
		}
	}
	return hdr
}

func (h *Handler) controlClearRequests(*controlCall) (int, any, error) {
	h.ResetRequests()
	return http.StatusNoContent, nil, nil
}

func (h *Handler) controlReset(*controlCall) (int, any, error) {
	h.Reset()
	return http.StatusNoContent, nil, nil
}
