package vaulttest

import (
	"fmt"
	"net/http"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// The users, sessions, clock, request log and reset of the control API.
// Each action is a method of Handler; the types below are their JSON.

type controlUser struct {
	ID         string `json:"id"`
	TenantID   string `json:"tenantId"`
	TenantSlug string `json:"tenantSlug"`
	Admin      bool   `json:"admin"`
}

// controlUserView is a user as the control API shows it.
type controlUserView struct {
	ID         string  `json:"id"`
	TenantID   *string `json:"tenantId"`
	TenantSlug *string `json:"tenantSlug"`
	Admin      bool    `json:"admin"`
}

func newControlUserView(u User) controlUserView {
	return controlUserView{ID: u.ID, TenantID: nullable(u.TenantID), TenantSlug: nullable(u.TenantSlug), Admin: u.Admin}
}

// controlSession is a Session as the control API shows it, its access
// token and refresh token included.
type controlSession struct {
	ID             string                    `json:"id"`
	UserID         string                    `json:"userId"`
	Token          string                    `json:"token"`
	IPAddress      *string                   `json:"ipAddress"`
	UserAgent      *string                   `json:"userAgent"`
	DeviceInfo     *vault.DeviceInfoResponse `json:"deviceInfo"`
	MFAVerified    bool                      `json:"mfaVerified"`
	CreatedAt      time.Time                 `json:"createdAt"`
	LastActivityAt time.Time                 `json:"lastActivityAt"`
	ExpiresAt      time.Time                 `json:"expiresAt"`
	Revoked        bool                      `json:"revoked"`
	RevokedAt      *time.Time                `json:"revokedAt"`
	// Active tells whether ListSessions lists the session at the
	// server's current time.
	Active bool `json:"active"`
	// DeviceFingerprint comes last, as it came last: a suite that
	// matches the text of a session finds the members before it as
	// they were.
	DeviceFingerprint *string `json:"deviceFingerprint"`
	// RefreshToken is the refresh token POST /auth/refresh accepts next
	// for the session, shown as Token is; null for a session without
	// one. It comes after DeviceFingerprint for the same reason.
	RefreshToken *string `json:"refreshToken"`
}

func newControlSession(s Session, now time.Time) controlSession {
	c := controlSession{
		ID:             s.ID,
		UserID:         s.UserID,
		Token:          s.Token,
		IPAddress:      nullable(s.IPAddress),
		UserAgent:      nullable(s.UserAgent),
		DeviceInfo:     s.DeviceInfo,
		MFAVerified:    s.MFAVerified,
		CreatedAt:      s.CreatedAt,
		LastActivityAt: s.LastActivityAt,
		ExpiresAt:      s.ExpiresAt,
		Revoked:        s.Revoked,
		Active:         s.Active(now),
	}
	c.DeviceFingerprint = nullable(s.DeviceFingerprint)
	c.RefreshToken = nullable(s.RefreshToken)
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
	UserID string `json:"userId"`
	Token  string `json:"token"`
}

type controlClock struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
}

// controlClockChange is the body of POST /clock: any of a time to set,
// which freezes the clock unless frozen is false, a duration to move it
// by, and whether it is frozen, applied in that order. An advance of ""
// is refused, as a fault's latency is, not taken as left out.
type controlClockChange struct {
	Now     *time.Time `json:"now"`
	Advance *string    `json:"advance"`
	Frozen  *bool      `json:"frozen"`
}

type controlHealth struct {
	Status  string `json:"status"`
	Dialect string `json:"dialect"`
}

func (h *Handler) controlHealth(*controlCall) (int, any, error) {
	return http.StatusOK, controlHealth{Status: "ok", Dialect: h.cfg.dialect.String()}, nil
}

func (h *Handler) controlAddUser(c *controlCall) (int, any, error) {
	var u controlUser
	if err := c.decode(&u); err != nil {
		return 0, nil, err
	}
	if u.ID == "" {
		ce := badRequest("a user needs an id")
		ce.Field = "id"
		return 0, nil, ce
	}
	if err := h.addUser(User(u)); err != nil {
		return 0, nil, stateError(err)
	}
	return http.StatusCreated, newControlUserView(User(u)), nil
}

func (h *Handler) controlUser(c *controlCall) (int, any, error) {
	u, ok := h.User(c.args[0])
	if !ok {
		return 0, nil, stateError(fmt.Errorf("%w: no user %q", errNotFound, c.args[0]))
	}
	return http.StatusOK, newControlUserView(u), nil
}

func (h *Handler) controlSessions(c *controlCall) (int, any, error) {
	if _, ok := h.User(c.args[0]); !ok {
		return 0, nil, stateError(fmt.Errorf("%w: no user %q", errNotFound, c.args[0]))
	}
	return http.StatusOK, controlSessions(h.Sessions(c.args[0]), h.Now()), nil
}

func (h *Handler) controlAddSession(c *controlCall) (int, any, error) {
	var seed controlSeed
	if err := c.decode(&seed); err != nil {
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
	if err := c.decode(&tok); err != nil {
		return 0, nil, err
	}
	if tok.UserID != "" && tok.UserID != c.args[0] {
		ce := badRequest("userId %q differs from the route's user %q", tok.UserID, c.args[0])
		ce.Field = "userId"
		return 0, nil, ce
	}
	t, err := h.addSessionlessToken(c.args[0], tok.Token)
	if err != nil {
		return 0, nil, stateError(err)
	}
	return http.StatusCreated, controlToken{UserID: c.args[0], Token: t}, nil
}

func (h *Handler) controlSeedDemo(c *controlCall) (int, any, error) {
	var d controlDemo
	if err := c.decode(&d); err != nil {
		return 0, nil, err
	}
	if d.Sessions < 0 || d.Sessions > MaxDemoSessions {
		ce := badRequest("sessions must be between 1 and %d, or 0 for %d", MaxDemoSessions, DemoSessions)
		ce.Field = "sessions"
		return 0, nil, ce
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
	if err := c.decode(&change); err != nil {
		return 0, nil, err
	}
	var d time.Duration
	if change.Advance != nil {
		var err error
		if d, err = time.ParseDuration(*change.Advance); err != nil {
			ce := badRequest("advance %q is not a duration such as \"90s\" or \"1h30m\"", *change.Advance)
			if *change.Advance == "" {
				ce.Message = `advance "": an empty string; leave the member out, or send null`
			}
			ce.Field = "advance"
			return 0, nil, ce
		}
	}
	if change.Now == nil && change.Advance == nil && change.Frozen == nil {
		return 0, nil, badRequest(`the body sets "now", a time such as "2025-03-14T09:00:00Z", "advance", a duration such as "90s", or "frozen", true or false`)
	}
	if err := h.changeClock(change.Now, d, change.Frozen); err != nil {
		ce := badRequest("%v", err)
		ce.Field = "advance"
		if change.Now != nil {
			ce.Field = "now"
		}
		return 0, nil, ce
	}
	return h.controlClock(c)
}

func (h *Handler) controlReset(*controlCall) (int, any, error) {
	h.Reset()
	return http.StatusNoContent, nil, nil
}
