package verify

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-json-experiment/json"
)

// jwk is the part of a JSON Web Key that names an Ed25519 public key. The
// Vault server's key set has one, with "alg":"EdDSA+ML-DSA-65" and a kid
// that is the base64url SHA-256 of the key.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Use string `json:"use"`
	// UseSuffixed is "use" as the server's code spells it ("use_").
	UseSuffixed string `json:"use_"`
	Alg         string `json:"alg"`
}

// fetchKeySet gets the key set at url and returns its Ed25519 signing
// keys, at most maxKeys of them. A set with none is an error: the cached
// keys are better than none.
func fetchKeySet(ctx context.Context, client *http.Client, url string) ([]ed25519.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch key set: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch key set: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxKeySetBytes))
		return nil, fmt.Errorf("fetch key set: GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxKeySetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch key set: read body: %w", err)
	}
	if len(body) > MaxKeySetBytes {
		return nil, fmt.Errorf("fetch key set: body over %d bytes", MaxKeySetBytes)
	}
	return parseKeySet(body)
}

// parseKeySet returns the Ed25519 signing keys of a JSON Web Key Set.
// Keys of other types or curves, keys for another use or algorithm, and
// keys it cannot use (an x that is not 32 bytes of base64url, or not a
// point of large order on the curve) are skipped, as RFC 7517 section 5
// asks: one odd entry does not hide the others, such as a rotated key.
func parseKeySet(body []byte) ([]ed25519.PublicKey, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("fetch key set: not a JSON Web Key Set: %w", err)
	}
	var keys []ed25519.PublicKey
	skipped := 0
	for _, k := range set.Keys {
		if len(keys) == maxKeys {
			break
		}
		if k.Kty != "OKP" || k.Crv != "Ed25519" {
			continue
		}
		if (k.Use != "" && k.Use != "sig") || (k.UseSuffixed != "" && k.UseSuffixed != "sig") {
			continue
		}
		if k.Alg != "" && k.Alg != algHybrid && k.Alg != algEdDSA {
			continue
		}
		x, err := b64.DecodeString(k.X)
		if err != nil || checkPublicKey(x) != nil {
			skipped++
			continue
		}
		keys = append(keys, ed25519.PublicKey(x))
	}
	if len(keys) == 0 {
		if skipped > 0 {
			return nil, fmt.Errorf("fetch key set: no usable Ed25519 signing key in the set (%d unreadable or of small order)", skipped)
		}
		return nil, errors.New("fetch key set: no Ed25519 signing key in the set")
	}
	return keys, nil
}
