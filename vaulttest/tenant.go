package vaulttest

import "net/http"

// sameTenant is the one rule of the handler for "the same tenant", which
// every route that compares two users' tenants applies: the same TenantID
// or, both without one, the same TenantSlug. The users without either
// make one tenant of their own, and a user the handler does not know
// (nil) is one of them.
func sameTenant(a, b *User) bool {
	var none User
	if a == nil {
		a = &none
	}
	if b == nil {
		b = &none
	}
	if a.TenantID != "" || b.TenantID != "" {
		return a.TenantID == b.TenantID
	}
	return a.TenantSlug == b.TenantSlug
}

// sameTenantLocked reports whether the users of two IDs are in the same
// tenant, by sameTenant's rule. h.mu must be held.
func (h *Handler) sameTenantLocked(userA, userB string) bool {
	return sameTenant(h.users[userA], h.users[userB])
}

// inTenant reports whether the tenant headers of a request name the
// tenant of u, or u has none: at least one of X-Tenant-ID and
// X-Tenant-Slug names it, and neither names another tenant.
func (u *User) inTenant(header http.Header) bool {
	if u == nil || (u.TenantID == "" && u.TenantSlug == "") {
		return true
	}
	named := false
	for _, hdr := range [...]struct{ name, want string }{
		{"X-Tenant-ID", u.TenantID},
		{"X-Tenant-Slug", u.TenantSlug},
	} {
		got, sent := header[http.CanonicalHeaderKey(hdr.name)]
		if !sent {
			continue
		}
		if hdr.want == "" || len(got) != 1 || got[0] != hdr.want {
			return false
		}
		named = true
	}
	return named
}
