package vault

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// The SDK reads JSON with jsontext, the syntactic layer of encoding/json/v2,
// and maps its tokens onto the SDK's types itself, by the rules
// encoding/json applies when it decodes into the same types:
//
//   - a member name matches a field exactly or, failing that, without
//     regard to case;
//   - null leaves a string, bool, number or time field as it is, and sets
//     a pointer, map or interface to nil;
//   - a value of another JSON type than its field's is an error;
//   - invalid UTF-8 in a string, and an escaped lone surrogate, read as
//     U+FFFD;
//   - a number decoded into any is a float64, and out of its range an
//     error.
//
// It is stricter in two ways, both jsontext's: a JSON object with two
// members of the same name is an error (which of the two is meant?), and
// nesting is limited to 10,000 levels counted from the top of the body,
// as json.Unmarshal counts them, where a json.Decoder reading a list one
// session at a time counted from each session.

// jsonReader reads one JSON body. The zero value is ready for reset.
type jsonReader struct {
	dec     jsontext.Decoder
	scratch []byte // strings with escapes, unescaped
}

// keepReaderBelow bounds the body a Client's pooled bodyReader may have
// read and still be kept: its buffers grow with the longest string of a
// body, and should not stay that large.
const keepReaderBelow = 64 << 10

// reset makes r read src from the start.
func (r *jsonReader) reset(src io.Reader) {
	r.dec.Reset(src, jsontext.AllowInvalidUTF8(true))
}

// bodyReader is what reading one body needs: the JSON reader, the size
// limit and the drain of what is left. A Client keeps the bodyReaders of
// finished calls in a pool: a reader's buffers are most of what decoding
// a body allocates, and a busy service decodes the same shapes over and
// over.
type bodyReader struct {
	json  jsonReader
	body  limitedReader
	drain io.LimitedReader
}

// getReader returns a bodyReader from the Client's pool.
func (c *Client) getReader() *bodyReader {
	r, _ := c.readers.Get().(*bodyReader)
	if r == nil {
		r = new(bodyReader)
	}
	return r
}

// putReader gives back a bodyReader. It keeps the reader's buffers for
// the next body unless the last body may have grown them large.
func (c *Client) putReader(r *bodyReader) {
	read := r.body.read()
	r.body, r.drain = limitedReader{}, io.LimitedReader{}
	if read > keepReaderBelow {
		return
	}
	r.json.dec.Reset(http.NoBody)
	c.readers.Put(r)
}

// kind returns the kind of the next token without reading it, or 0 when
// there is none or it is malformed: the next read returns the error.
func (r *jsonReader) kind() jsontext.Kind { return r.dec.PeekKind() }

// more reports whether the object or array being read has another member
// or element.
func (r *jsonReader) more() bool {
	k := r.dec.PeekKind()
	return k != '}' && k != ']' && k != 0
}

// delim reads the next token, a '{', '}', '[' or ']' the caller has seen
// with kind or more (or a malformed token, whose error it returns).
func (r *jsonReader) delim() error {
	_, err := r.dec.ReadToken()
	return err
}

// skip reads past the next value.
func (r *jsonReader) skip() error { return r.dec.SkipValue() }

// end checks that nothing but white space follows the value read.
func (r *jsonReader) end() error {
	if r.dec.PeekKind() != 0 {
		return errors.New("unexpected data after the JSON value")
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		return err
	}
	return nil
}

// name reads the name of an object member, unescaped. It is valid until
// the next peek or read, which may move the reader's buffer.
func (r *jsonReader) name() ([]byte, error) {
	v, err := r.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	return r.unquote(v), nil
}

// unquote returns the content of the JSON string v, unescaped. It is a
// part of v, or of r's scratch buffer when v holds escapes or invalid
// UTF-8.
func (r *jsonReader) unquote(v jsontext.Value) []byte {
	content := v[1 : len(v)-1]
	if bytes.IndexByte(content, '\\') < 0 && utf8.Valid(content) {
		return content
	}
	// jsontext has checked the syntax; what is left to report is invalid
	// UTF-8, which reads as U+FFFD.
	r.scratch, _ = jsontext.AppendUnquote(r.scratch[:0], v)
	return r.scratch
}

// value reads the next value whole: a string, number or literal, or (to
// report its type) an object or array.
func (r *jsonReader) value() (jsontext.Value, error) { return r.dec.ReadValue() }

// readString reads a string into dst; null leaves dst as it is.
func (r *jsonReader) readString(dst *string) error {
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '"':
		*dst = string(r.unquote(v))
	case 'n':
	default:
		return typeError("a string", v.Kind())
	}
	return nil
}

// readOptionalString reads a string into dst, or nil for null.
func (r *jsonReader) readOptionalString(dst **string) error {
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '"':
		s := string(r.unquote(v))
		*dst = &s
	case 'n':
		*dst = nil
	default:
		return typeError("a string", v.Kind())
	}
	return nil
}

// readNullableString reads a string into dst and reports true, or
// reports false for null, as encoding/json sets a *string.
func (r *jsonReader) readNullableString(dst *string) (bool, error) {
	v, err := r.dec.ReadValue()
	if err != nil {
		return false, err
	}
	switch v.Kind() {
	case '"':
		*dst = string(r.unquote(v))
		return true, nil
	case 'n':
		return false, nil
	default:
		return false, typeError("a string", v.Kind())
	}
}

// readBool reads a boolean into dst; null leaves dst as it is.
func (r *jsonReader) readBool(dst *bool) error {
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 't':
		*dst = true
	case 'f':
		*dst = false
	case 'n':
	default:
		return typeError("a boolean", v.Kind())
	}
	return nil
}

// readInt reads an integer into dst; null leaves dst as it is. A number
// with a fraction or an exponent is an error, as it is for encoding/json.
func (r *jsonReader) readInt(dst *int) error {
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '0':
		n, err := strconv.ParseInt(string(v), 10, strconv.IntSize)
		if err != nil {
			return fmt.Errorf("number %s is not an integer that fits an int", v)
		}
		*dst = int(n)
	case 'n':
	default:
		return typeError("an integer", v.Kind())
	}
	return nil
}

// readTime reads an RFC 3339 timestamp into dst; null leaves dst as it
// is. time.Time's own UnmarshalJSON parses it, as for encoding/json.
func (r *jsonReader) readTime(dst *time.Time) error {
	v, err := r.dec.ReadValue()
	if err != nil {
		return err
	}
	if err := dst.UnmarshalJSON(v); err != nil {
		// time's own error quotes the value whole: it may be megabytes
		// long, or hold what the server echoed of the caller's token.
		return fmt.Errorf("not a JSON string holding an RFC 3339 time (%d bytes)", len(v))
	}
	return nil
}

// readAny reads the next value as encoding/json decodes into any: a
// string, a float64, a bool, nil, []any or map[string]any.
func (r *jsonReader) readAny() (any, error) {
	switch r.dec.PeekKind() {
	case '{':
		m := make(map[string]any)
		return m, r.readObjectInto(m)
	case '[':
		if err := r.delim(); err != nil {
			return nil, err
		}
		a := make([]any, 0)
		for r.more() {
			v, err := r.readAny()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, r.delim()
	}
	v, err := r.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	switch v.Kind() {
	case '"':
		return string(r.unquote(v)), nil
	case '0':
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return nil, fmt.Errorf("number %s is out of the range of a float64", v)
		}
		return f, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	default: // null: ReadValue returns nothing else here
		return nil, nil
	}
}

// readObjectInto reads an object's members into m, as encoding/json
// decodes an object into a map that already exists: it adds to it.
func (r *jsonReader) readObjectInto(m map[string]any) error {
	if err := r.delim(); err != nil {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		key := string(name)
		v, err := r.readAny()
		if err != nil {
			return err
		}
		m[key] = v
	}
	return r.delim()
}

// matchFold returns the index of the first of names that equals name
// without regard to case, as encoding/json matches a member name that no
// field has exactly, or -1.
func matchFold(name []byte, names []string) int {
	for i, n := range names {
		if strings.EqualFold(string(name), n) {
			return i
		}
	}
	return -1
}

// typeError is the error of a value of the wrong JSON type.
func typeError(want string, got jsontext.Kind) error {
	return fmt.Errorf("expected %s, got %s", want, describeKind(got))
}

// describeKind names a kind of JSON value for an error message.
func describeKind(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	default:
		return "no value"
	}
}
