package redact

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Quoted returns s with every occurrence of secret replaced, whether it
// stands raw or quoted: each character of the occurrence may be written
// as itself, as a JSON escape (\/, \\, \", \n and the like, or \uXXXX,
// with a surrogate pair above U+FFFF), or percent-encoded byte by byte
// (%2F, %25 for % itself). A body that quotes the token inside a JSON
// string, or a URL that carries it in its query, then shows it nowhere,
// in whatever mix of forms the server wrote it.
func Quoted(s, secret string) string {
	if !Searched(secret) {
		return s
	}
	s = String(s, secret) // a token that itself looks escaped, such as "a%41"
	if !strings.ContainsAny(s, `\%`) {
		return s
	}
	d := decode(s)
	var b strings.Builder
	last := 0 // s[last:] is not yet written to b
	for i := 0; ; {
		j := strings.Index(d.text[i:], secret)
		if j < 0 {
			break
		}
		from, to := d.start[i+j], d.end[i+j+len(secret)-1]
		if from >= last {
			b.WriteString(s[last:from])
			b.WriteString(Placeholder)
			last = to
		}
		i += j + len(secret)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// TrimQuotedPartial returns s without a tail that is the start of secret
// in any of the forms Quoted knows, an escape cut in its middle included:
// a body cut short in transit or at a size limit may end inside an echoed
// token, whose first characters would otherwise show.
func TrimQuotedPartial(s, secret string) string {
	if !Searched(secret) {
		return s
	}
	d := decode(s)
	text := d.text
	if d.cutEscape >= 0 {
		// The cut escape's bytes were kept as they are, at the end.
		text = text[:len(text)-(len(s)-d.cutEscape)]
	}
	// The longest tail of the decoded text that is a proper prefix of
	// secret.
	for n := min(len(secret)-1, len(text)); n > 0; n-- {
		if strings.HasSuffix(text, secret[:n]) {
			return s[:d.start[len(text)-n]]
		}
	}
	if d.cutEscape >= 0 {
		return s[:d.cutEscape] // an escape cut short: it may be the token's start
	}
	return s
}

// decoded is a text with its JSON escapes and percent-encodings resolved,
// and where each of its bytes came from.
type decoded struct {
	text string
	// start[i] and end[i] are the span of the input that text[i] was
	// decoded from: one byte, or a whole escape.
	start, end []int
	// cutEscape is where an escape cut short by the end of the input
	// begins, or -1.
	cutEscape int
}

// decode resolves the escapes of s. What is not a complete escape is
// kept as it is.
func decode(s string) decoded {
	d := decoded{cutEscape: -1}
	var text []byte
	add := func(bs []byte, from, to int) {
		for _, c := range bs {
			text = append(text, c)
			d.start = append(d.start, from)
			d.end = append(d.end, to)
		}
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			if r, n, ok := jsonEscape(s[i:]); ok {
				add(buf[:utf8.EncodeRune(buf[:], r)], i, i+n)
				i += n
				continue
			}
			if isCutJSONEscape(s[i:]) {
				d.cutEscape = i
			}
		case '%':
			if v, ok := hexValue(s[i+1:], 2); ok {
				add([]byte{byte(v)}, i, i+3)
				i += 3
				continue
			}
			if len(s)-i < 3 && isHex(s[i+1:]) {
				d.cutEscape = i
			}
		}
		add([]byte{s[i]}, i, i+1)
		i++
	}
	d.text = string(text)
	return d
}

// jsonEscape reads the JSON escape at the start of s: what it stands for
// and its length.
func jsonEscape(s string) (rune, int, bool) {
	if len(s) < 2 {
		return 0, 0, false
	}
	switch s[1] {
	case '"', '\\', '/':
		return rune(s[1]), 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'u':
		hi, ok := hexValue(s[2:], 4)
		if !ok {
			return 0, 0, false
		}
		if utf16.IsSurrogate(hi) && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hexValue(s[8:], 4); ok {
				if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
					return r, 12, true
				}
			}
		}
		return hi, 6, true
	}
	return 0, 0, false
}

// isCutJSONEscape reports whether s, the end of a text, is the start of a
// \u escape cut short.
func isCutJSONEscape(s string) bool {
	switch {
	case len(s) == 1:
		return true
	case len(s) < 6 && s[1] == 'u':
		return isHex(s[2:])
	}
	return false
}

// hexValue reads n hexadecimal digits, in either case, at the start of s.
func hexValue(s string, n int) (rune, bool) {
	if len(s) < n || !isHex(s[:n]) {
		return 0, false
	}
	var r rune
	for i := 0; i < n; i++ {
		c := s[i] | 0x20 // lower case; digits are unchanged
		if c <= '9' {
			r = r<<4 | rune(c-'0')
		} else {
			r = r<<4 | rune(c-'a'+10)
		}
	}
	return r, true
}

// isHex reports whether s is made of hexadecimal digits only.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
