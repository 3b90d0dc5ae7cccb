package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/webhook"
)

// DefaultSessionTTL is the lifetime of a seeded session whose ExpiresAt
// is not set.
const DefaultSessionTTL = 30 * 24 * time.Hour

// User is a user of the server.
//
// A user with a tenant, a TenantID or a TenantSlug or both, is called
// within it: in DialectSpec every request authenticated as the user must
// name the tenant in the X-Tenant-ID header (its TenantID) or in the
// X-Tenant-Slug header (its TenantSlug), as the API's spec allows, or it
// is answered 401. A header that names another tenant is refused even
// when the other one matches. For a user without a tenant the headers
// are not read. DialectServer takes the tenant from the token and reads
// neither header.
type User struct {
	// ID identifies the user.
	ID string
	// TenantID is the ID of the user's tenant, such as
	// "tnt_4f2a9c"; empty for none.
	TenantID string
	// TenantSlug is the slug of the user's tenant, the short name the
	// API also accepts, such as "acme"; empty for none.
	TenantSlug string
	// Admin makes the user an administrator of its tenant: its tokens
	// may call the admin routes for the users of the same tenant (see
	// RouteListUserSessions). Users are in the same tenant when they have
	// the same TenantID or, both without one, the same TenantSlug; the
	// users without a tenant make one tenant of their own.
	Admin bool
}

// SessionSeed describes a session to add with AddSession. Zero fields get
// defaults.
type SessionSeed struct {
	// ID is the session ID. Empty means a generated one. "all" and
	// "all_except_current" are refused: webhooks name bulk revocations
	// with them.
	ID string
	// Token is the bearer token of the session. Empty means a generated
	// one.
	Token string
	// IPAddress is the client address; empty is reported as null.
	IPAddress string
	// UserAgent is the client's User-Agent; empty is reported as null.
	UserAgent string
	// DeviceFingerprint identifies the device in the admin routes of
	// DialectSpec; empty is reported as null. DialectServer, whose admin
	// routes describe the device with deviceInfo, does not send it.
	DeviceFingerprint string
	// DeviceInfo is the device; nil is reported as null, or as {} in
	// DialectServer, which sends only the members of its Extra. The
	// values of Extra must encode as JSON; the session keeps a copy.
	DeviceInfo *vault.DeviceInfoResponse
	// MFAVerified reports whether the session passed multi-factor
	// authentication.
	MFAVerified bool
	// CreatedAt defaults to the server's current time.
	CreatedAt time.Time
	// LastActivityAt defaults to CreatedAt.
	LastActivityAt time.Time
	// ExpiresAt defaults to CreatedAt plus DefaultSessionTTL.
	ExpiresAt time.Time
}

// Session is the server's record of a session, as returned by AddSession,
// Session and Sessions.
type Session struct {
	// ID identifies the session.
	ID string
	// UserID is the user the session belongs to.
	UserID string
	// Token is the session's bearer token: the latest one, after a
	// refresh or IssueToken.
	Token string
	// RefreshToken is the refresh token a refresh of the session
	// (POST /auth/refresh) accepts next, generated with the session;
	// each refresh replaces it and spends the one it was sent.
	RefreshToken string
	// IPAddress is the client address, or empty.
	IPAddress string
	// UserAgent is the client's User-Agent, or empty.
	UserAgent string
	// DeviceFingerprint identifies the device, or is empty.
	DeviceFingerprint string
	// DeviceInfo is the parsed device, or nil.
	DeviceInfo *vault.DeviceInfoResponse
	// MFAVerified reports whether the session passed multi-factor
	// authentication.
	MFAVerified bool
	// CreatedAt is when the session was created.
	CreatedAt time.Time
	// LastActivityAt is when the session was last used; every request
	// the server accepts with the session's token updates it.
	LastActivityAt time.Time
	// ExpiresAt is when the session stops being valid.
	ExpiresAt time.Time
	// Revoked reports whether the session was revoked.
	Revoked bool
	// RevokedAt is when the session was revoked, if it was.
	RevokedAt time.Time
}

// Active reports whether the session is neither revoked nor expired at
// time now.
func (s Session) Active(now time.Time) bool {
	return !s.Revoked && now.Before(s.ExpiresAt)
}

func (s *Session) clone() Session {
	c := *s
	c.DeviceInfo = cloneDeviceInfo(s.DeviceInfo)
	return c
}

func (s *Session) response(current bool) vault.SessionResponse {
	c := s.clone()
	r := vault.SessionResponse{
		ID:             c.ID,
		DeviceInfo:     c.DeviceInfo,
		MFAVerified:    c.MFAVerified,
		CreatedAt:      c.CreatedAt,
		LastActivityAt: c.LastActivityAt,
		ExpiresAt:      c.ExpiresAt,
		Current:        current,
	}
	if c.IPAddress != "" {
		r.IPAddress = &c.IPAddress
	}
	if c.UserAgent != "" {
		r.UserAgent = &c.UserAgent
	}
	return r
}

// AddUser adds u, or updates the tenant and the Admin role of the user
// with the same ID.
// It panics if u.ID is empty.
func (h *Handler) AddUser(u User) {
	if err := h.addUser(u); err != nil {
		panic("vaulttest: AddUser " + err.Error())
	}
}

func (h *Handler) addUser(u User) error {
	if u.ID == "" {
		return fmt.Errorf("%w: an empty user ID", errInvalid)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users[u.ID] = &User{ID: u.ID, TenantID: u.TenantID, TenantSlug: u.TenantSlug, Admin: u.Admin}
	return nil
}

// AddSession adds a session for the user with the given ID, adding the
// user without a tenant if it does not exist yet, and returns the
// session with its ID and token. With a zero seed it mints a new
// session, with a new token, as a sign-in does, and the webhooks get
// session.created. It panics if userID is empty, if the seed's ID or
// token is already in use (the token as any access or refresh token of
// the handler), or if the seed's ID is "all" or
// "all_except_current", which the Vault server never gives a session and
// a session.revoked webhook uses for every session of a user (see
// webhook.IsScopeName).
func (h *Handler) AddSession(userID string, seed SessionSeed) Session {
	s, err := h.addSession(userID, seed)
	if err != nil {
		panic("vaulttest: AddSession " + err.Error())
	}
	return s
}

func (h *Handler) addSession(userID string, seed SessionSeed) (Session, error) {
	if userID == "" {
		return Session{}, fmt.Errorf("%w: an empty user ID", errInvalid)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if webhook.IsScopeName(seed.ID) {
		return Session{}, fmt.Errorf("%w: session ID %q is reserved: a session.revoked webhook names every session of a user with it", errInvalid, seed.ID)
	}
	if seed.ID != "" {
		if _, dup := h.sessions[seed.ID]; dup {
			return Session{}, fmt.Errorf("%w: session ID %q is already in use", errConflict, seed.ID)
		}
	}
	if seed.Token != "" && h.tokenInUseLocked(seed.Token) {
		return Session{}, fmt.Errorf("%w: the session token is already in use", errConflict)
	}
	if _, ok := h.users[userID]; !ok {
		h.users[userID] = &User{ID: userID}
	}
	h.seq++
	if seed.ID == "" {
		seed.ID = h.unusedLocked(generatedID, func(id string) bool { return h.sessions[id] != nil })
	}
	generated := seed.Token == ""
	if generated {
		seed.Token = h.generatedTokenLocked(userID)
	}
	if seed.CreatedAt.IsZero() {
		seed.CreatedAt = h.nowLocked()
	}
	if seed.LastActivityAt.IsZero() {
		seed.LastActivityAt = seed.CreatedAt
	}
	if seed.ExpiresAt.IsZero() {
		seed.ExpiresAt = seed.CreatedAt.Add(DefaultSessionTTL)
	}
	s := &Session{
		ID:             seed.ID,
		UserID:         userID,
		Token:          seed.Token,
		IPAddress:      seed.IPAddress,
		UserAgent:      seed.UserAgent,
		MFAVerified:    seed.MFAVerified,
		CreatedAt:      seed.CreatedAt.UTC(),
		LastActivityAt: seed.LastActivityAt.UTC(),
		ExpiresAt:      seed.ExpiresAt.UTC(),
	}
	s.DeviceInfo = cloneDeviceInfo(seed.DeviceInfo)
	s.DeviceFingerprint = seed.DeviceFingerprint
	if generated && h.signing != nil {
		s.Token = h.issueLocked(s, h.nowLocked())
	}
	// The token is in use before the refresh token is generated, which
	// must differ from it.
	h.tokens[s.Token] = s
	h.sessionAddedLocked(s, generated, h.nowLocked())
	h.sessions[s.ID] = s
	h.noteTokenLocked(s.Token)
	h.sessionCreatedLocked(s)
	return s.clone(), nil
}

// unusedLocked returns gen(h.seq), moving on in the sequence while the
// value is in use, as a seeded ID or token may be.
func (h *Handler) unusedLocked(gen func(int) string, inUse func(string) bool) string {
	v := gen(h.seq)
	for inUse(v) {
		h.seq++
		v = gen(h.seq)
	}
	return v
}

// User returns the user with the given ID and whether it exists.
func (h *Handler) User(id string) (User, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	u, ok := h.users[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// Session returns the session with the given ID, revoked and expired ones
// included, and whether it exists.
func (h *Handler) Session(id string) (Session, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.sessions[id]
	if !ok {
		return Session{}, false
	}
	return s.clone(), true
}

// Sessions returns every session of the user with the given ID, revoked
// and expired ones included, ordered by creation time and then ID. Use
// Session.Active to tell the ones ListSessions would return.
func (h *Handler) Sessions(userID string) []Session {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Session
	for _, s := range h.sortedSessionsLocked(userID) {
		out = append(out, s.clone())
	}
	return out
}

func (h *Handler) sortedSessionsLocked(userID string) []*Session {
	var list []*Session
	for _, s := range h.sessions {
		if s.UserID == userID {
			list = append(list, s)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].CreatedAt.Before(list[j].CreatedAt)
		}
		return list[i].ID < list[j].ID
	})
	return list
}

// generatedID returns a deterministic session ID shaped like a UUID.
func generatedID(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("vaulttest session %d", n)))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// generatedToken returns a deterministic opaque bearer token.
func generatedToken(n int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("vaulttest token %d", n)))
	return "vt_" + hex.EncodeToString(sum[:20])
}
