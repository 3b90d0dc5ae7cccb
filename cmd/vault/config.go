package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// Environment variables the command reads.
const (
	envBaseURL  = "VAULT_BASE_URL"
	envToken    = "VAULT_TOKEN"
	envTenantID = "VAULT_TENANT_ID"
	// envAdminToken is where vault-mock's output puts the token of its
	// demo administrator. vault never uses it as a token; it only points
	// at it when an admin command is refused with another token.
	envAdminToken = "VAULT_ADMIN_TOKEN"
)

const (
	defaultBaseURL = vault.DefaultBaseURL
	defaultTimeout = 30 * time.Second
	defaultRetries = vault.DefaultMaxRetries
)

// connFlags are the flags every sessions command takes to reach the API.
type connFlags struct {
	baseURL   string
	tenantID  string
	tokenFile string
	timeout   time.Duration
	retries   int
	verbose   bool
}

// register adds the connection flags to fs.
func (f *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.baseURL, "base-url", "", "API base `URL` (default $"+envBaseURL+", else "+defaultBaseURL+")")
	fs.StringVar(&f.tenantID, "tenant-id", "", "tenant `ID` sent as X-Tenant-ID (default $"+envTenantID+")")
	fs.StringVar(&f.tokenFile, "token-file", "", "read the bearer token from `FILE` instead of $"+envToken)
	fs.DurationVar(&f.timeout, "timeout", defaultTimeout, "give up after this `duration`, retries included; 0 waits forever")
	fs.IntVar(&f.retries, "retries", defaultRetries, "retries of a failed request, `N` >= 0")
	fs.BoolVar(&f.verbose, "verbose", false, "log each request and retry to stderr")
}

// config is what the flags and the environment resolve to.
type config struct {
	baseURL   string
	tenantID  string
	token     string
	tokenFrom string // where the token came from, for logs and hints
	// otherAdminToken reports that VAULT_ADMIN_TOKEN holds a token other
	// than the one in use, for the hint of a refused admin command.
	otherAdminToken bool
	timeout         time.Duration
	retries         int
	verbose         bool
}

// resolve combines the flags with the environment: a flag wins over its
// variable. Every error is a usage error.
func (c *cli) resolve(f connFlags) (config, error) {
	cfg := config{
		baseURL:  firstNonEmpty(f.baseURL, c.getenv(envBaseURL), defaultBaseURL),
		tenantID: firstNonEmpty(f.tenantID, c.getenv(envTenantID)),
		timeout:  f.timeout,
		retries:  f.retries,
		verbose:  f.verbose,
	}
	switch {
	case f.timeout < 0:
		return config{}, &usageError{msg: "--timeout must not be negative"}
	case f.retries < 0:
		return config{}, &usageError{msg: "--retries must not be negative"}
	}
	if f.tokenFile != "" {
		token, err := readTokenFile(f.tokenFile)
		if err != nil {
			return config{}, err
		}
		cfg.token, cfg.tokenFrom = token, "--token-file"
	} else {
		cfg.token, cfg.tokenFrom = strings.TrimSpace(c.getenv(envToken)), envToken
	}
	if cfg.token == "" {
		return config{}, &usageError{msg: "no token", hint: "set " + envToken + " or pass --token-file FILE"}
	}
	if admin := strings.TrimSpace(c.getenv(envAdminToken)); admin != "" && admin != cfg.token {
		cfg.otherAdminToken = true
	}
	return cfg, nil
}

// readTokenFile returns the token held in the file at path, without the
// surrounding white space. The error never holds the file's content.
func readTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", &usageError{msg: "cannot read the token file: " + pathError(err), hint: "check --token-file"}
	}
	token := strings.TrimSpace(string(b))
	switch {
	case token == "":
		return "", &usageError{msg: fmt.Sprintf("the token file %s is empty", path), hint: "write the token into it, or set " + envToken}
	case strings.ContainsAny(token, "\r\n\x00"):
		return "", &usageError{msg: fmt.Sprintf("the token file %s holds more than one line", path), hint: "keep only the token in it"}
	}
	return token, nil
}

// pathError describes a file error by its path and cause.
func pathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

// newClient returns the SDK client for cfg, logging to stderr when
// verbose. A configuration the SDK refuses is a usage error.
func (c *cli) newClient(cfg config) (*vault.Client, error) {
	vc := vault.Configuration{
		BaseURL:     cfg.baseURL,
		AccessToken: cfg.token,
		TenantID:    cfg.tenantID,
		UserAgent:   "vault-cli/" + cliVersion(),
		MaxRetries:  cfg.retries,
	}
	if cfg.retries == 0 {
		vc.MaxRetries = -1 // the SDK reads 0 as its default
	}
	if cfg.verbose {
		vc.Logger = slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	client, err := vault.NewClient(vc)
	if err != nil {
		return nil, configUsageError(err)
	}
	if vc.Logger != nil {
		vc.Logger.Debug("vault: config", "base_url", client.BaseURL(), "tenant_id", cfg.tenantID,
			"token_from", cfg.tokenFrom, "timeout", cfg.timeout, "retries", cfg.retries)
	}
	return client, nil
}

// configUsageError turns the SDK's *vault.ConfigError into a usage error
// naming the flag or variable to fix.
func configUsageError(err error) error {
	var ce *vault.ConfigError
	if !errors.As(err, &ce) {
		return &usageError{msg: strings.TrimPrefix(err.Error(), "vault: ")}
	}
	switch ce.Field {
	case "BaseURL":
		return &usageError{msg: "invalid base URL: " + ce.Reason, hint: "check --base-url or " + envBaseURL + "; use https, or http to a loopback address"}
	case "AccessToken":
		return &usageError{msg: "invalid token: " + ce.Reason, hint: "check " + envToken + " or the token file"}
	case "TenantID":
		return &usageError{msg: "invalid tenant ID: " + ce.Reason, hint: "check --tenant-id or " + envTenantID}
	}
	return &usageError{msg: "invalid configuration: " + strings.TrimPrefix(ce.Error(), "vault: ")}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// connect resolves the configuration and builds the client. Its errors
// are usage errors.
func (c *cli) connect(f connFlags) (config, *vault.Client, error) {
	cfg, err := c.resolve(f)
	if err != nil {
		return config{}, nil, err
	}
	client, err := c.newClient(cfg)
	if err != nil {
		return config{}, nil, err
	}
	return cfg, client, nil
}

// withTimeout bounds ctx by the --timeout of cfg, if any.
func withTimeout(ctx context.Context, cfg config) (context.Context, context.CancelFunc) {
	if cfg.timeout == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, cfg.timeout)
}
