package vaulttest

import (
	"net/http"
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
// and every token of the server, refresh tokens and the tokens of before
// its last resets included (and the request's own bearer token),
// wherever it appears in the path, the query or a header's value or
// name (in a name whatever the case of its letters, which net/http
// changes), inside a larger word or percent-encoded: a client that puts
// its token in the wrong place does not leak it into the logs of a test
// run.
// Handler.Requests returns requests as sent either way.
func WithShowTokens() Option {
	return func(c *config) { c.showTokens = true }
}

// hideTokensLocked returns the view of req with its tokens hidden, or nil
// if it holds none outside Authorization and Proxy-Authorization, which
// withoutCredentials hides. own is the request's bearer token, if any.
// h.mu must be held.
func (h *Handler) hideTokensLocked(req *Request, own string) *hiddenView {
	r := h.redactorLocked(own)
	names := h.anyCase(r, own)
	v := hiddenView{path: hidePath(req.Path, r), query: hideQuery(req.RawQuery, r)}
	changed := v.path != req.Path || v.query != req.RawQuery
	for name, values := range req.Header {
		if name == "Authorization" || name == "Proxy-Authorization" {
			continue
		}
		for i, value := range values {
			hid := hideValue(value, r)
			if hid == value {
				continue
			}
			if v.header == nil {
				v.header = req.Header.Clone()
			}
			v.header[name][i] = hid
		}
		// A client that swaps a header's name and value sends its
		// token as a name. A name that holds one is shown in lower
		// case, the token hidden.
		lower := asciiLower(name)
		if shown := names.hide(lower, false); shown != lower {
			if v.header == nil {
				v.header = req.Header.Clone()
			}
			v.header[shown] = append(v.header[shown], v.header[name]...)
			delete(v.header, name)
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

// hidePath hides the tokens inside the escaped path p, and the segments
// that hold one once decoded.
func hidePath(p string, r *redactor) string {
	p = r.replace(p)
	if !strings.ContainsRune(p, '%') {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if r.containsDecoded(seg, false) {
			segs[i] = hidden
		}
	}
	return strings.Join(segs, "/")
}

// hideQuery hides the tokens inside the query q, and the names and
// values that hold one once decoded.
func hideQuery(q string, r *redactor) string {
	q = r.replace(q)
	if !strings.ContainsAny(q, "%+") {
		return q
	}
	parts := strings.Split(q, "&")
	for i, part := range parts {
		name, value, hasValue := strings.Cut(part, "=")
		name = r.hide(name, true)
		if hasValue {
			parts[i] = name + "=" + r.hide(value, true)
		} else {
			parts[i] = name
		}
	}
	return strings.Join(parts, "&")
}

// hideValue hides the credentials of a value "Bearer ..." or "Basic ...",
// the tokens inside v, and the words of v that hold one once decoded:
// the runs between spaces, commas, semicolons and quotes, or the part of
// such a run after its first '=' or ':', as in a cookie "session=<token>"
// or "token:<token>".
func hideValue(v string, r *redactor) string {
	if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) {
		return scheme + " " + hidden
	}
	v = r.replace(v)
	if !strings.ContainsAny(v, "%+") {
		return v
	}
	var b strings.Builder
	start := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && strings.IndexByte(" \t,;\"'", v[i]) < 0 {
			continue
		}
		b.WriteString(hideWord(v[start:i], r))
		if i < len(v) {
			b.WriteByte(v[i])
		}
		start = i + 1
	}
	return b.String()
}

func hideWord(w string, r *redactor) string {
	if !r.containsDecoded(w, true) {
		return w
	}
	if i := strings.IndexAny(w, "=:"); i >= 0 && !r.containsDecoded(w[:i+1], true) {
		return w[:i+1] + r.hide(w[i+1:], true)
	}
	return hidden
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
	return hidePath(p, h.redactorLocked(""))
}
