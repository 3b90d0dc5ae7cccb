package redact

import (
	"strings"
	"unicode/utf8"
)

// Quoted returns s with every occurrence of secret replaced, whether it
// stands raw or quoted: each character of the occurrence may be written
// as itself, as a JSON escape (\/, \\, \", \n and the like, or \uXXXX,
// with a surrogate pair above U+FFFF), or percent-encoded byte by byte
// (%2F). A body that quotes the token inside a JSON string, or a URL that
// carries it in its query, then shows it nowhere, in whatever mix of
// forms the server wrote it.
func Quoted(s, secret string) string {
	if !Searched(secret) {
		return s
	}
	var b strings.Builder
	last := 0 // s[last:i] is not yet written to b
	for i := 0; i < len(s); {
		if n := matchQuoted(s[i:], secret); n > 0 {
			b.WriteString(s[last:i])
			b.WriteString(Placeholder)
			i += n
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchQuoted returns the length of the occurrence of secret at the start
// of s, in any of the forms Quoted knows, or 0 when there is none.
func matchQuoted(s, secret string) int {
	at := 0
	for _, want := range secret {
		n := matchRune(s[at:], want)
		if n == 0 {
			return 0
		}
		at += n
	}
	return at
}

// matchRune returns the length of want at the start of s, written raw, as
// a JSON escape or percent-encoded, or 0.
func matchRune(s string, want rune) int {
	if s == "" {
		return 0
	}
	if r, n := utf8.DecodeRuneInString(s); r == want && (r != utf8.RuneError || n > 1) {
		return n
	}
	switch s[0] {
	case '\\':
		return matchJSONEscape(s, want)
	case '%':
		return matchPercent(s, want)
	}
	return 0
}

// matchJSONEscape matches want written as a JSON escape at the start of s.
func matchJSONEscape(s string, want rune) int {
	if len(s) < 2 {
		return 0
	}
	if short, ok := jsonShortEscape(s[1]); ok {
		if short == want {
			return 2
		}
		return 0
	}
	if s[1] != 'u' {
		return 0
	}
	r, ok := hexRune(s[2:], 4)
	if !ok {
		return 0
	}
	if r == want {
		return 6
	}
	// A rune above U+FFFF is written as a surrogate pair.
	if r >= 0xD800 && r < 0xDC00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		lo, ok := hexRune(s[8:], 4)
		if ok && lo >= 0xDC00 && lo < 0xE000 && (r-0xD800)<<10+(lo-0xDC00)+0x10000 == want {
			return 12
		}
	}
	return 0
}

// jsonShortEscape returns what the two-character JSON escape \c stands
// for.
func jsonShortEscape(c byte) (rune, bool) {
	switch c {
	case '"', '\\', '/':
		return rune(c), true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// matchPercent matches the UTF-8 bytes of want percent-encoded at the
// start of s, each byte as %XX, or raw where it needs no encoding.
func matchPercent(s string, want rune) int {
	var buf [utf8.UTFMax]byte
	enc := buf[:utf8.EncodeRune(buf[:], want)]
	at := 0
	for _, c := range enc {
		switch {
		case at+3 <= len(s) && s[at] == '%':
			v, ok := hexRune(s[at+1:], 2)
			if !ok || byte(v) != c {
				return 0
			}
			at += 3
		case at < len(s) && s[at] == c:
			at++
		default:
			return 0
		}
	}
	return at
}

// hexRune reads n hexadecimal digits, in either case, at the start of s.
func hexRune(s string, n int) (rune, bool) {
	if len(s) < n {
		return 0, false
	}
	var r rune
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
