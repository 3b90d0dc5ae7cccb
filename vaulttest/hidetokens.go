package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
)

// hidden replaces a token wherever the control API and the logger would
// show it.
const hidden = "[REDACTED]"

// hiddenView is a request as the control API and the handler's logger
// show it, with every token it holds replaced by "[REDACTED]".
type hiddenView struct {
	path, query string
	header      http.Header
}

// WithShowTokens makes the control API's request log and the handler's
// logger show requests as they were sent, tokens included. Without it,
// they replace with "[REDACTED]" the credentials of Authorization and
// Proxy-Authorization, those after "Bearer " or "Basic " in any header,
// and every token of the server (and the request's own bearer token)
// that appears as a word of the path, the query or a header: a client
// that puts its token in the wrong place does not leak it into the logs
// of a test run. Handler.Requests returns requests as sent either way.
func WithShowTokens() Option {
	return func(c *config) { c.showTokens = true }
}

// hideTokensLocked returns the view of req with its tokens hidden, or nil
// if it holds none outside Authorization and Proxy-Authorization, which
// withoutCredentials hides. own is the request's bearer token, if any.
// h.mu must be held.
func (h *Handler) hideTokensLocked(req *Request, own string) *hiddenView {
	secret := func(s string) bool {
		if s == "" {
			return false
		}
		if s == own {
			return true
		}
		_, session := h.tokens[s]
		_, sessionless := h.sessionless[s]
		return session || sessionless
	}
	v := hiddenView{path: hidePath(req.Path, secret), query: hideQuery(req.RawQuery, secret)}
	changed := v.path != req.Path || v.query != req.RawQuery
	for name, values := range req.Header {
		if name == "Authorization" || name == "Proxy-Authorization" {
			continue
		}
		for i, value := range values {
			hid := hideValue(value, secret)
			if hid == value {
				continue
			}
			if v.header == nil {
				v.header = req.Header.Clone()
			}
			v.header[name][i] = hid
		}
	}
	if !changed && v.header == nil {
		return nil
	}
	if v.header == nil {
		v.header = req.Header
	}
	return &v
}

// hidePath hides the segments of the escaped path p that are secrets.
func hidePath(p string, secret func(string) bool) string {
	if !strings.Contains(p, "/") {
		return p
	}
	segs := strings.Split(p, "/")
	changed := false
	for i, seg := range segs {
		if u, err := url.PathUnescape(seg); secret(seg) || (err == nil && secret(u)) {
			segs[i] = hidden
			changed = true
		}
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

// hideQuery hides the names and values of the query q that are secrets.
func hideQuery(q string, secret func(string) bool) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, part := range parts {
		name, value, hasValue := strings.Cut(part, "=")
		hide := func(s string) string {
			if u, err := url.QueryUnescape(s); secret(s) || (err == nil && secret(u)) {
				changed = true
				return hidden
			}
			return s
		}
		name = hide(name)
		if hasValue {
			parts[i] = name + "=" + hide(value)
		} else {
			parts[i] = name
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

// hideValue hides the credentials of a value "Bearer ..." or "Basic ...",
// and the words of v that are secrets: the runs between spaces, commas,
// semicolons and quotes, and the part of such a run after its first '='
// or ':', as in a cookie "session=<token>" or "token:<token>".
func hideValue(v string, secret func(string) bool) string {
	if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) {
		return scheme + " " + hidden
	}
	var b strings.Builder
	changed := false
	start := 0
	flush := func(end int) {
		word := v[start:end]
		if hid := hideWord(word, secret); hid != word {
			changed = true
			word = hid
		}
		b.WriteString(word)
	}
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(" \t,;\"'", v[i]) >= 0 {
			flush(i)
			b.WriteByte(v[i])
			start = i + 1
		}
	}
	flush(len(v))
	if !changed {
		return v
	}
	return b.String()
}

func hideWord(w string, secret func(string) bool) string {
	if w == "" {
		return w
	}
	if u, err := url.QueryUnescape(w); secret(w) || (err == nil && secret(u)) {
		return hidden
	}
	if i := strings.IndexAny(w, "=:"); i >= 0 {
		rest := w[i+1:]
		if u, err := url.QueryUnescape(rest); secret(rest) || (err == nil && secret(u)) {
			return w[:i+1] + hidden
		}
	}
	return w
}

// shownPath returns the path of rec as the logger shows it.
func (rec *record) shownPath() string {
	if rec.hidden != nil {
		return rec.hidden.path
	}
	return rec.Path
}

// hideControlPath hides the segments of the escaped path of a control
// request that are tokens of the server.
func (h *Handler) hideControlPath(p string) string {
	if h.cfg.showTokens {
		return p
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return hidePath(p, func(s string) bool {
		_, session := h.tokens[s]
		_, sessionless := h.sessionless[s]
		return session || sessionless
	})
}
