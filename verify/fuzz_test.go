package verify

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vault-dev/vault-go/internal/jwtsign"
)

// FuzzVerify checks that Verify never accepts a token whose Ed25519
// signature the trusted key did not make, never panics, and never quotes
// the token in its error.
func FuzzVerify(f *testing.F) {
	signer, err := jwtsign.FromSeed(make([]byte, ed25519.SeedSize))
	if err != nil {
		f.Fatal(err)
	}
	other, err := jwtsign.FromSeed([]byte("another seed of thirty-two bytes"))
	if err != nil {
		f.Fatal(err)
	}
	claims := accessClaims(epoch)
	good, err := signer.Sign(claims)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(signer.SignRaw([]byte(`{"alg":"EdDSA"}`), []byte(mustJSON(f, claims)), false))
	f.Add(signer.SignRaw([]byte(`{"alg":"EdDSA"}`), []byte(`{"sub":"u","type":"access","iat":1772366400,"exp":1772367300,"x":[{"y":null}]}`), false))
	f.Add(other.SignRaw([]byte(`{"alg":"EdDSA"}`), []byte(`{"sub":"u","type":"access","iat":1772366400,"exp":1772367300}`), false))
	f.Add(signer.SignRaw([]byte(`{"alg":"none"}`), []byte(`{}`), false))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	f.Add("a.b.c")

	revs := NewRevocations()
	v, err := New(Config{Keys: []ed25519.PublicKey{signer.PublicKey()}, Now: func() time.Time { return epoch }, Revocations: revs})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(ctx, token)
		if err != nil {
			if c != nil {
				t.Fatal("claims with an error")
			}
			if !errors.Is(err, ErrInvalidToken) && !errors.Is(err, ErrExpired) && !errors.Is(err, ErrRevoked) {
				t.Fatalf("an error of no kind: %v", err)
			}
			if len(token) >= 12 && strings.Contains(err.Error(), token[:12]) {
				t.Fatalf("the error quotes the token: %v", err)
			}
			return
		}
		// Accepted: the trusted key made the Ed25519 half of the signature
		// over the token's first two parts.
		dot := strings.LastIndexByte(token, '.')
		sig, derr := enc.DecodeString(token[dot+1:])
		if derr != nil || len(sig) < ed25519.SignatureSize || !ed25519.Verify(signer.PublicKey(), []byte(token[:dot]), sig[:ed25519.SignatureSize]) {
			t.Fatalf("accepted a token the trusted key did not sign: %q", token)
		}
		if c == nil || c.Type != "access" || c.Subject == "" {
			t.Fatalf("accepted claims that are not an access token's: %+v", c)
		}
	})
}
