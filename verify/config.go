package verify

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Config configures a Verifier. At least one of JWKSURL and Keys is set.
type Config struct {
	// JWKSURL is the URL of the Vault server's key set, such as
	// "https://api.vault.dev/.well-known/jwks.json": at the server's
	// root, not under /api/v1. The key set is fetched when a token first
	// needs it, not by New, and fetched again when a token's signature
	// verifies with no cached key, at most once per RefetchInterval. It
	// is https, or http to a loopback host (127.0.0.0/8, [::1],
	// localhost) for tests.
	JWKSURL string
	// Keys are Ed25519 public keys trusted beside those of JWKSURL, such
	// as a key pinned in the service's configuration. Each is the 32-byte
	// encoding of a point on the curve; New refuses a point of small
	// order, such as 32 zero bytes, since with one anyone can write a
	// signature that verifies.
	Keys []ed25519.PublicKey
	// Issuer, when set, must equal a token's iss claim.
	Issuer string
	// Audience, when set, must equal a token's aud claim.
	Audience string
	// Leeway is the clock skew allowed when checking exp, nbf and iat:
	// a token is accepted until Leeway after its exp, and from Leeway
	// before its nbf. Zero allows none; it must not be negative, nor
	// longer than the Leeway of Revocations.
	Leeway time.Duration
	// HTTPClient fetches the key set. Nil means a client of the
	// verifier's own that follows at most 5 redirects, each to https or,
	// from a JWKSURL that is http on loopback, to http on loopback: never
	// from https down to http. Either way each fetch is bounded by
	// FetchTimeout and its body by MaxKeySetBytes.
	HTTPClient *http.Client
	// Now is the verifier's clock, for exp, nbf and iat and for spacing
	// key-set fetches. Nil means time.Now. Revocations age their records
	// by a clock of their own (RevocationsConfig.Now), which is to be
	// this one.
	Now func() time.Time
	// Revocations, when set, is asked about every token whose signature
	// and claims pass, after them; a revoked token is refused with
	// ErrRevoked.
	Revocations *Revocations
}

// RefetchInterval is the shortest time between two fetches of the key
// set by one Verifier, whatever the traffic: a flood of tokens signed by
// unknown keys costs the Vault server at most one request per interval.
const RefetchInterval = 5 * time.Second

// FetchTimeout bounds one fetch of the key set, from connecting to the
// end of the body.
const FetchTimeout = 10 * time.Second

// MaxKeySetBytes bounds the body of the key set. The Vault server's,
// with its one key, is under 300 bytes.
const MaxKeySetBytes = 64 << 10

// maxKeys bounds the Ed25519 keys taken from one key set: each is tried
// on every token with an unknown signature.
const maxKeys = 16

// Verifier checks Vault access tokens locally: their signature against
// trusted Ed25519 keys, their claims, and their revocation. It is safe
// for concurrent use; create one per service and share it.
type Verifier struct {
	issuer, audience string
	leeway           time.Duration
	now              func() time.Time
	keys             *keySource
	revocations      *Revocations
}

// New checks cfg and returns a Verifier. It makes no network call: the
// key set at cfg.JWKSURL is fetched when a token first needs it, so a
// service starts, and its tests run, while the Vault server is away.
func New(cfg Config) (*Verifier, error) {
	if cfg.JWKSURL == "" && len(cfg.Keys) == 0 {
		return nil, errors.New("verify: Config needs JWKSURL or Keys")
	}
	static := make([]ed25519.PublicKey, 0, len(cfg.Keys))
	for i, k := range cfg.Keys {
		if err := checkPublicKey(k); err != nil {
			return nil, fmt.Errorf("verify: Config.Keys[%d] is not an Ed25519 public key to trust: %w", i, err)
		}
		static = append(static, append(ed25519.PublicKey(nil), k...))
	}
	if cfg.JWKSURL != "" {
		if err := checkJWKSURL(cfg.JWKSURL); err != nil {
			return nil, err
		}
	}
	if cfg.Leeway < 0 {
		return nil, fmt.Errorf("verify: Config.Leeway %s is negative", cfg.Leeway)
	}
	if r := cfg.Revocations; r != nil && cfg.Leeway > r.leeway {
		return nil, fmt.Errorf("verify: Config.Leeway %s is longer than the Revocations' leeway %s: a revoked token could outlive its record", cfg.Leeway, r.leeway)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{CheckRedirect: checkRedirect}
	}
	return &Verifier{
		issuer:      cfg.Issuer,
		audience:    cfg.Audience,
		leeway:      cfg.Leeway,
		now:         now,
		keys:        newKeySource(cfg.JWKSURL, client, static, now),
		revocations: cfg.Revocations,
	}, nil
}

// checkJWKSURL accepts an absolute https URL, or http to a loopback host:
// a key set read in clear text could be swapped on the way.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("verify: Config.JWKSURL: %w", err)
	}
	switch {
	case u.Host == "":
		return fmt.Errorf("verify: Config.JWKSURL %q is not an absolute URL", raw)
	case u.User != nil:
		return errors.New("verify: Config.JWKSURL holds user information")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("verify: Config.JWKSURL %q is http to a host that is not loopback: use https", raw)
	}
	return fmt.Errorf("verify: Config.JWKSURL %q is not an http or https URL", raw)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkRedirect is the default client's: a redirect may lead to https,
// or to http on a loopback host from a chain that has been http on
// loopback all along, never from https down to http; at most 5 are
// followed.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Scheme == "https" {
		return nil
	}
	if req.URL.Scheme == "http" && isLoopback(req.URL.Hostname()) {
		for _, prev := range via {
			if prev.URL.Scheme != "http" {
				return fmt.Errorf("refused a redirect from %s to http", prev.URL.Scheme)
			}
		}
		return nil
	}
	return fmt.Errorf("refused a redirect to %s://%s", req.URL.Scheme, req.URL.Host)
}
