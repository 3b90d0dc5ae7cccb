package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	vault "github.com/vault-dev/vault-go"
)

var revokeOthersCommand = command{
	name:    "sessions revoke-others",
	args:    "[flags]",
	summary: "Sign out every session of the user but the current one.",
	details: `It lists the sessions and revokes each one that is not current. The
current session (the session of the token in use) stays signed in, so it
asks for no confirmation. Each session revoked is reported as "revoked ID"
on stdout; each one that could not be revoked is reported on stderr with
its error, and the exit code is then 1. A session already gone when its
revocation arrives counts as revoked. Nothing is revoked when the list
fails, or when it marks no session as current.

Examples:
  vault sessions revoke-others
  vault sessions revoke-others --verbose
`,
}

// opRevokeOthers names the errors of revoke-others that no single
// revocation caused: the list's, or a list without a current session.
var opRevokeOthers = operation{sdk: "revoke other sessions", label: "revoke other sessions"}

// revokeOthers runs "vault sessions revoke-others".
func (c *cli) revokeOthers(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault sessions revoke-others", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	rest, code, ok := c.parse(revokeOthersCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.fail(exitUsage, "", fmt.Sprintf("sessions revoke-others takes no arguments, got %d", len(rest)), "to sign out some sessions only, use vault sessions revoke ID...")
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	revoked, err := client.Sessions.RevokeOtherSessions(ctx)
	for _, id := range revoked {
		fmt.Fprintf(c.stdout, "revoked %s\n", printable(id))
	}
	var partial *vault.RevokeOthersError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &partial):
		for i, id := range partial.SessionIDs {
			op := opRevoke
			op.label = "revoke session " + printable(id)
			f := explain(op, partial.Errs[i], cfg)
			c.fail(exitFailure, cfg.token, f.msg, f.hint)
		}
		total := len(revoked) + len(partial.SessionIDs)
		return c.fail(exitFailure, cfg.token, fmt.Sprintf("revoked %d of %d other sessions", len(revoked), total), "")
	case errors.Is(err, vault.ErrNoCurrentSession):
		return c.fail(exitFailure, cfg.token, opRevokeOthers.label+": "+sdkDetail(opRevokeOthers, err),
			"nothing was revoked: the list does not say which session is the token's")
	}
	// The list failed: nothing was revoked.
	f := explain(opRevokeOthers, err, cfg)
	return c.fail(exitFailure, cfg.token, f.msg, f.hint)
}
