package verify

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// The algorithms Verify accepts, as a token's header names them.
const (
	// algHybrid is the Vault server's: an Ed25519 signature followed by
	// an ML-DSA-65 signature of the same input.
	algHybrid = "EdDSA+ML-DSA-65"
	// algEdDSA is a bare Ed25519 signature.
	algEdDSA = "EdDSA"
)

// Signature sizes, in bytes.
const (
	ed25519SigSize = 64
	// MLDSA65SignatureSize is the size of an ML-DSA-65 signature (FIPS
	// 204), the second half of the Vault server's hybrid signature.
	MLDSA65SignatureSize = 3309
	hybridSigSize        = ed25519SigSize + MLDSA65SignatureSize
)

// maxTokenLen bounds the tokens Verify reads: the Vault server's, with
// their 4,498 characters of signature, are about 5,500 long.
const maxTokenLen = 32 << 10

// b64 decodes the parts of a token: base64url without padding, refusing
// non-zero trailing bits, so that no two strings decode alike.
var b64 = base64.RawURLEncoding.Strict()

// scratch holds the buffers of one Verify, kept in a pool so that a
// verification allocates little beyond its Claims.
type scratch struct {
	token   []byte // the token, copied: its first two parts are the signed message
	sig     []byte
	header  bytes.Buffer
	payload bytes.Buffer
	dec     jsontext.Decoder
	text    []byte // a string with escapes, unquoted
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// keepScratchBelow bounds the token a pooled scratch may have read and
// still be kept, so that one long token does not keep its buffers large.
const keepScratchBelow = 8 << 10

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch, tokenLen int) {
	if tokenLen > keepScratchBelow {
		return
	}
	sc.dec.Reset(emptyReader)
	scratchPool.Put(sc)
}

var emptyReader = bytes.NewReader(nil)

// parts is a token split at its two dots, each part a slice of the
// scratch's copy of the token.
type parts struct {
	message   []byte // header "." payload: what was signed
	header    []byte
	payload   []byte
	signature []byte
}

// split copies token into sc and splits it. A token is three non-empty
// parts joined by two dots; base64 decoding refuses any other character
// but line breaks, which are refused here.
func split(sc *scratch, token string) (parts, error) {
	if len(token) > maxTokenLen {
		return parts{}, errTooLong
	}
	i := strings.IndexByte(token, '.')
	j := strings.LastIndexByte(token, '.')
	if i <= 0 || j <= i+1 || j == len(token)-1 || strings.IndexByte(token[i+1:j], '.') >= 0 ||
		strings.IndexByte(token, '\n') >= 0 || strings.IndexByte(token, '\r') >= 0 {
		return parts{}, errMalformed
	}
	sc.token = append(sc.token[:0], token...)
	t := sc.token
	return parts{message: t[:j], header: t[:i], payload: t[i+1 : j], signature: t[j+1:]}, nil
}

// decodeInto decodes the base64url src into buf's own storage.
func decodeInto(buf *bytes.Buffer, src []byte) error {
	buf.Reset()
	n := b64.DecodedLen(len(src))
	buf.Grow(n)
	dst := buf.AvailableBuffer()[:n]
	m, err := b64.Decode(dst, src)
	if err != nil {
		return err
	}
	buf.Write(dst[:m]) // dst is buf's free space: this only moves its end
	return nil
}

// readHeader decodes the header and returns the signature size its
// algorithm has. The header is a JSON object with a string alg; kid
// (absent, null or a string) is not needed, since each trusted key is
// tried; a crit member is refused, as no extension is understood.
func readHeader(sc *scratch, header []byte) (sigSize int, err error) {
	if decodeInto(&sc.header, header) != nil {
		return 0, errMalformed
	}
	sc.dec.Reset(&sc.header)
	if tok, err := sc.dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return 0, errHeader
	}
	for sc.dec.PeekKind() == '"' {
		name, err := sc.dec.ReadValue()
		if err != nil {
			return 0, errHeader
		}
		switch string(sc.unquote(name)) {
		case "alg":
			v, err := sc.dec.ReadValue()
			if err != nil || v.Kind() != '"' {
				return 0, errHeader
			}
			switch string(sc.unquote(v)) {
			case algHybrid:
				sigSize = hybridSigSize
			case algEdDSA:
				sigSize = ed25519SigSize
			default:
				return 0, invalid("algorithm is not EdDSA+ML-DSA-65 or EdDSA")
			}
		case "crit":
			return 0, errCrit
		default:
			if err := sc.dec.SkipValue(); err != nil {
				return 0, errHeader
			}
		}
	}
	if tok, err := sc.dec.ReadToken(); err != nil || tok.Kind() != '}' || sigSize == 0 {
		return 0, errHeader
	}
	if !sc.atEnd() {
		return 0, errHeader // something after the object
	}
	return sigSize, nil
}

// readSignature decodes the signature, which must be size bytes long, and
// returns its Ed25519 half: the first 64 bytes. The ML-DSA-65 half of a
// hybrid signature is checked for its length only: the Vault server does
// not publish its ML-DSA public key.
func readSignature(sc *scratch, sig []byte, size int) ([]byte, error) {
	if b64.DecodedLen(len(sig)) != size {
		return nil, errSignatureLen
	}
	if cap(sc.sig) < size {
		sc.sig = make([]byte, hybridSigSize)
	}
	n, err := b64.Decode(sc.sig[:size], sig)
	if err != nil || n != size {
		return nil, errMalformed
	}
	return sc.sig[:ed25519SigSize], nil
}

// atEnd reports whether the decoder has read all of its input but white
// space: a second value, or bytes that are no JSON, after the object
// make a header or payload that is not one JSON object.
func (sc *scratch) atEnd() bool {
	_, err := sc.dec.ReadToken()
	return err == io.EOF
}

// unquote returns the content of the JSON string v, its escapes decoded
// into sc.text when it has any. The result is valid until the next call.
func (sc *scratch) unquote(v jsontext.Value) []byte {
	if bytes.IndexByte(v, '\\') < 0 {
		return v[1 : len(v)-1]
	}
	var err error
	sc.text, err = jsontext.AppendUnquote(sc.text[:0], v)
	if err != nil {
		return nil
	}
	return sc.text
}
