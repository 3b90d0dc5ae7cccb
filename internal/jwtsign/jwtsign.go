// Package jwtsign signs tokens as the Vault server signs its access
// tokens: a JWT whose signature is an Ed25519 signature of the signing
// input followed by a second signature of ML-DSA-65's length. It serves
// vaulttest's signed tokens and the tests of package verify.
//
// The second half is a stand-in, not an ML-DSA-65 signature: the Go
// standard library does not export ML-DSA yet, and the Vault server does
// not publish its ML-DSA public key, so no verifier of its tokens checks
// that half. The stand-in is SHAKE-256 of a per-signer key and the
// signing input, 3,309 bytes long, so that tokens have the server's
// length and a changed input changes both halves.
package jwtsign

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha3"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// Algorithms, as a token's header names them.
const (
	AlgHybrid = "EdDSA+ML-DSA-65"
	AlgEdDSA  = "EdDSA"
)

// MLDSA65SignatureSize is the length of an ML-DSA-65 signature (FIPS 204).
const MLDSA65SignatureSize = 3309

// Signer signs tokens with one Ed25519 key and its stand-in for ML-DSA.
type Signer struct {
	priv ed25519.PrivateKey
	pq   [32]byte
}

// New returns a Signer with fresh keys. (crypto/rand never fails.)
func New() *Signer {
	seed := make([]byte, ed25519.SeedSize)
	_, _ = rand.Read(seed)
	s := &Signer{priv: ed25519.NewKeyFromSeed(seed)}
	_, _ = rand.Read(s.pq[:])
	return s
}

// FromSeed returns the Signer of a 32-byte Ed25519 seed, whose stand-in
// key is derived from the seed: the same seed signs the same tokens.
func FromSeed(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, errors.New("jwtsign: a seed is 32 bytes")
	}
	s := &Signer{priv: ed25519.NewKeyFromSeed(seed)}
	s.pq = sha256.Sum256(append([]byte("ml-dsa stand-in "), seed...))
	return s, nil
}

// PublicKey returns the Ed25519 public key.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.priv.Public().(ed25519.PublicKey) }

// KeyID returns the key's ID as the server's key set names it: the
// base64url SHA-256 of the public key.
func (s *Signer) KeyID() string {
	sum := sha256.Sum256(s.PublicKey())
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// JWKS returns the key set the server publishes at
// /.well-known/jwks.json: the Ed25519 key alone.
func (s *Signer) JWKS() []byte {
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "OKP",
		"crv": "Ed25519",
		"x":   base64.RawURLEncoding.EncodeToString(s.PublicKey()),
		"use": "sig",
		"alg": AlgHybrid,
		"kid": s.KeyID(),
	}}})
	return b
}

// HybridHeader is the header of the server's tokens.
var HybridHeader = []byte(`{"alg":"EdDSA+ML-DSA-65","typ":"JWT","kid":null,"alg_details":{"classical":"Ed25519","post_quantum":"ML-DSA","pq_version":"65"}}`)

// Sign returns the token of claims (any value encoding/json marshals to
// an object) under HybridHeader.
func (s *Signer) Sign(claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return s.SignRaw(HybridHeader, payload, true), nil
}

// SignRaw returns the token of a header and a payload as given, signed
// with the hybrid signature (Ed25519 then the stand-in) or the Ed25519
// signature alone.
func (s *Signer) SignRaw(header, payload []byte, hybrid bool) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sig := ed25519.Sign(s.priv, []byte(input))
	if hybrid {
		sig = append(sig, s.standIn([]byte(input))...)
	}
	return input + "." + enc.EncodeToString(sig)
}

// standIn returns the second half of a hybrid signature of input.
func (s *Signer) standIn(input []byte) []byte {
	h := sha3.NewSHAKE256()
	h.Write(s.pq[:])
	h.Write(input)
	out := make([]byte, MLDSA65SignatureSize)
	h.Read(out)
	return out
}
