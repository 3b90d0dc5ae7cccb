package vaulttest

import (
	"hash/maphash"
	"sort"
	"strings"
)

// Bounds of the tokens of before a reset that the handler keeps hiding,
// and keeps from other users: the most recent ones are kept, at most
// maxRetiredTokens of them and maxRetiredBytes, each token counted with
// retiredOverhead bytes of its own, so that a reset gives back the memory
// of large tokens.
const (
	maxRetiredTokens = 1 << 14
	maxRetiredBytes  = 2 << 20
	retiredOverhead  = 48
)

// retiredTokens holds the tokens the handler issued or was given before
// its resets, so that a client that kept one does not see it in the
// logs of the next test, nor another user get it. It keeps the latest
// retired, within the bounds above, in the order they were retired: a
// token retired again, as a seed's is at every reset, moves to the end.
// A token larger than maxRetiredBytes alone is not kept.
type retiredTokens struct {
	set   map[string]retiredToken
	order []string // the set's tokens, oldest first, from head; "" where one moved to the end
	head  int
	bytes int
}

// retiredToken is what retiredTokens knows of a token.
type retiredToken struct {
	userID string // whose it was
	at     int    // its place in order
}

// add retires tok, a token of the user userID.
func (r *retiredTokens) add(tok, userID string) {
	size := len(tok) + retiredOverhead
	if tok == "" || size > maxRetiredBytes {
		return
	}
	if r.set == nil {
		r.set = make(map[string]retiredToken)
	}
	if old, ok := r.set[tok]; ok {
		r.order[old.at] = ""
		r.bytes -= size
	}
	r.set[tok] = retiredToken{userID: userID, at: len(r.order)}
	r.order = append(r.order, tok)
	r.bytes += size
	for len(r.set) > maxRetiredTokens || r.bytes > maxRetiredBytes {
		if old := r.order[r.head]; old != "" {
			delete(r.set, old)
			r.bytes -= len(old) + retiredOverhead
		}
		r.order[r.head] = ""
		r.head++
	}
	// Move the tokens kept to the front once the slots before them fill
	// half the slice, so that it does not grow without end.
	if r.head > 32 && r.head >= len(r.order)/2 {
		kept := r.order[:0]
		for _, t := range r.order[r.head:] {
			if t != "" {
				r.set[t] = retiredToken{userID: r.set[t].userID, at: len(kept)}
				kept = append(kept, t)
			}
		}
		clear(r.order[len(kept):])
		r.order = kept
		r.head = 0
	}
}

// tokens returns the tokens kept, oldest first, with "" where one moved
// to the end.
func (r *retiredTokens) tokens() []string { return r.order[r.head:] }

func (r *retiredTokens) has(tok string) bool {
	_, ok := r.set[tok]
	return ok
}

// owner returns the user whose token tok was, if it is retired.
func (r *retiredTokens) owner(tok string) (string, bool) {
	t, ok := r.set[tok]
	return t.userID, ok
}

// retireTokensLocked adds every token of the handler to its retired
// tokens, before a reset forgets them. h.mu must be held.
func (h *Handler) retireTokensLocked() {
	for tok, s := range h.tokens {
		h.retired.add(tok, s.UserID)
	}
	for tok, userID := range h.sessionless {
		h.retired.add(tok, userID)
	}
	for tok, rec := range h.auth.refresh {
		h.retired.add(tok, rec.session.UserID)
	}
	// The lengths and folded forms of the tokens the reset forgets go
	// with them: those of the retired tokens are kept, as the tokens
	// are, and the seeds note their own again.
	h.folded.reset()
	clear(h.tokenLens)
	for _, tok := range h.retired.tokens() {
		h.noteTokenLocked(tok)
	}
}

// noteTokenLocked records the length of a token the handler issued or
// was given, so that the redactor looks for tokens of that length.
// h.mu must be held.
func (h *Handler) noteTokenLocked(tok string) {
	if tok == "" {
		return
	}
	if h.tokenLens == nil {
		h.tokenLens = make(map[int]struct{})
	}
	h.tokenLens[len(tok)] = struct{}{}
	h.folded.add(tok)
}

// foldedTokens holds a hash of the lower-case form of each token of the
// handler, current or retired, that has upper-case letters, so that the
// token is found in a header name, whose letters net/http puts in
// canonical case; a token without upper-case letters is found where it
// is kept, by the name's lower-case form. A hash keeps the set small:
// one that matches some other text by chance hides that text, no more.
type foldedTokens struct {
	seed maphash.Seed
	set  map[uint64]struct{}
}

func (f *foldedTokens) add(tok string) {
	lower := asciiLower(tok)
	if lower == tok {
		return
	}
	if f.set == nil {
		f.seed = maphash.MakeSeed()
		f.set = make(map[uint64]struct{})
	}
	f.set[maphash.String(f.seed, lower)] = struct{}{}
}

// has reports whether lower is the lower-case form of a token of f.
func (f *foldedTokens) has(lower string) bool {
	if f.set == nil {
		return false
	}
	_, ok := f.set[maphash.String(f.seed, lower)]
	return ok
}

func (f *foldedTokens) reset() { clear(f.set) }

// asciiLower returns s with its ASCII letters in lower case, byte for
// byte: net/http changes the case of those letters only.
func asciiLower(s string) string {
	for i := range len(s) {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// anyCase returns a redactor that finds, in the lower-case form of a
// text (asciiLower), what r finds in the text whatever the case of its
// letters: a token in a header name, whose letters net/http puts in
// canonical case ("X-Vt_0bb2..." for "x-vt_0bb2..."). own is the
// request's own bearer token, if any. The text is put in lower case once,
// not each stretch of it that might be a token. h.mu must be held while
// it is used.
func (h *Handler) anyCase(r *redactor, own string) *redactor {
	exact, ownLower := r.secret, asciiLower(own)
	return &redactor{lens: r.lens, secret: func(lower string) bool {
		return exact(lower) || h.folded.has(lower) || own != "" && lower == ownLower
	}}
}

// redactorLocked returns the redactor of the handler's tokens, current
// and retired, and own, the request's own bearer token if not empty.
// h.mu must be held.
func (h *Handler) redactorLocked(own string) *redactor {
	lens := make([]int, 0, len(h.tokenLens)+1)
	for n := range h.tokenLens {
		lens = append(lens, n)
	}
	if _, ok := h.tokenLens[len(own)]; own != "" && !ok {
		lens = append(lens, len(own))
	}
	// Longest first, so that a token holding a shorter one is hidden
	// whole.
	sort.Sort(sort.Reverse(sort.IntSlice(lens)))
	return &redactor{lens: lens, secret: func(s string) bool {
		if s == own && own != "" {
			return true
		}
		_, session := h.tokens[s]
		_, sessionless := h.sessionless[s]
		_, refresh := h.auth.refresh[s]
		return session || sessionless || refresh || h.retired.has(s)
	}}
}

// redactor finds tokens inside text: secret says whether a string is a
// token, lens lists the lengths tokens have, longest first.
type redactor struct {
	lens   []int
	secret func(string) bool
}

// replace returns s with every token inside it replaced by hidden.
func (r *redactor) replace(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		n := r.tokenAt(s, i)
		if n == 0 {
			i++
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(hidden)
		i += n
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// contains reports whether a token is inside s.
func (r *redactor) contains(s string) bool {
	for i := range len(s) {
		if r.tokenAt(s, i) > 0 {
			return true
		}
	}
	return false
}

// tokenAt returns the length of the token at s[i:], or 0.
func (r *redactor) tokenAt(s string, i int) int {
	for _, n := range r.lens {
		if i+n <= len(s) && r.secret(s[i:i+n]) {
			return n
		}
	}
	return 0
}

// containsDecoded reports whether a token is inside s once its
// percent-encoding is decoded, once or up to three times over; plus
// says whether '+' stands for a space, as in a query.
func (r *redactor) containsDecoded(s string, plus bool) bool {
	for range 3 {
		d := percentDecode(s, plus)
		if d == s {
			return false
		}
		if r.contains(d) {
			return true
		}
		s = d
	}
	return false
}

// hide returns s with the tokens inside it replaced by hidden, or hidden
// alone if a token still shows once s is decoded.
func (r *redactor) hide(s string, plus bool) string {
	out := r.replace(s)
	if r.containsDecoded(out, plus) {
		return hidden
	}
	return out
}

// percentDecode decodes the escapes "%XX" of s, and '+' as a space if
// plus, leaving a '%' that begins no escape as it is.
func percentDecode(s string, plus bool) string {
	if !strings.ContainsRune(s, '%') && (!plus || !strings.ContainsRune(s, '+')) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case c == '+' && plus:
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
