package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	vault "github.com/vault-dev/vault-go"
)

var revokeCommand = command{
	name:    "sessions revoke",
	args:    "[flags] ID...",
	summary: "Sign out one or more sessions of the user, by ID.",
	details: `Each ID is revoked in turn and reported: "revoked ID" on stdout, or the
error on stderr. An ID that does not exist is reported and the others are
still revoked; an error that would fail every ID, such as a refused token
or an unreachable server, stops at once. The exit code is 0 only when every
ID was revoked. Revoking the current session signs out the token in use.

A session that is already gone (revoked or expired) is an error, 404, as
the API answers the same to a mistyped ID; only when an earlier attempt of
the same revoke may have done it (its answer was lost, the retry got 404)
is it reported as revoked. To sign out every other session, where a
session gone meanwhile counts as revoked, use vault sessions revoke-others.

Examples:
  vault sessions revoke ses_2b1f9c
  vault --verbose sessions revoke ses_2b1f9c ses_9c0d41
`,
}

var opRevoke = operation{sdk: "revoke session"}

// revoke runs "vault sessions revoke".
func (c *cli) revoke(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault sessions revoke", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	ids, code, ok := c.parse(revokeCommand, fs, args)
	if !ok {
		return code
	}
	if len(ids) == 0 {
		return c.fail(exitUsage, "", "sessions revoke needs at least one session ID", "see vault sessions list for the IDs")
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	return c.revokeEach(ctx, cfg, ids, func(ctx context.Context, id string) (operation, error) {
		_, err := client.Sessions.RevokeSession(ctx, id)
		op := opRevoke
		op.label = "revoke session " + printable(id)
		return op, err
	}, perSession)
}

// revokeEach revokes ids one by one with revoke, printing each revoked
// ID and explaining each failure. It goes on past a failure that
// goesOn says concerns one session alone, and stops at any other.
func (c *cli) revokeEach(ctx context.Context, cfg config, ids []string, revoke func(context.Context, string) (operation, error), goesOn func(error) bool) int {
	revoked := 0
	for i, id := range ids {
		op, err := revoke(ctx, id)
		if err == nil {
			revoked++
			fmt.Fprintf(c.stdout, "revoked %s\n", printable(id))
			continue
		}
		f := explain(op, err, cfg)
		c.fail(exitFailure, cfg.token, f.msg, f.hint)
		if !goesOn(err) {
			if left := len(ids) - i - 1; left > 0 {
				c.fail(exitFailure, cfg.token, fmt.Sprintf("stopped; %d more session(s) not attempted", left), "")
			}
			break
		}
	}
	if revoked < len(ids) {
		if len(ids) > 1 {
			c.fail(exitFailure, cfg.token, fmt.Sprintf("revoked %d of %d sessions", revoked, len(ids)), "")
		}
		return exitFailure
	}
	return exitOK
}

// perSession reports whether a revoke failed because of its ID alone, so
// that the other IDs are still worth trying.
func perSession(err error) bool {
	return errors.Is(err, vault.ErrNotFound) || errors.Is(err, vault.ErrForbidden) || errors.Is(err, vault.ErrInvalidArgument)
}
