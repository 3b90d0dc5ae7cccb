package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	vault "github.com/vault-dev/vault-go"
)

var adminRevokeCommand = command{
	name:    "admin sessions revoke",
	args:    "[flags] USER_ID SESSION_ID...",
	summary: "Sign out one or more sessions of a user of the tenant, by ID.",
	details: `Each session is revoked in turn and reported: "revoked ID" on stdout, or
the error on stderr. A session that is not the user's, or a session ID
that cannot be one (such as "" or "a/b"), is reported and the others are
still revoked; an error that would fail every ID, such as a USER_ID that
cannot be one, a token that is not a tenant administrator's or an
unreachable server, stops at once.

A session that is already revoked, or has expired, is revoked again without
error. The exit code is 0 only when every session was revoked.

Examples:
  vault admin sessions revoke usr_42 ses_2b1f9c
  vault admin sessions revoke usr_42 ses_2b1f9c ses_9c0d41
`,
}

// adminRevoke runs "vault admin sessions revoke".
func (c *cli) adminRevoke(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault admin sessions revoke", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	rest, code, ok := c.parse(adminRevokeCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) < 2 {
		return c.fail(exitUsage, "", "admin sessions revoke needs a USER_ID and at least one session ID", "see vault admin sessions list USER_ID for the IDs")
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	userID, ids := rest[0], rest[1:]
	return c.revokeEach(ctx, cfg, ids, func(ctx context.Context, id string) (operation, error) {
		_, err := client.AdminSessions.RevokeUserSession(ctx, userID, id)
		return operation{sdk: sdkRevokeUserSession, label: "revoke session " + printable(id) + " of user " + printable(userID)}, err
	}, failsOneSession)
}

// failsOneSession reports whether err, the error of revoking one session
// of a user, is about that session alone, so that the other sessions are
// still worth revoking: a 404, or a session ID the SDK refuses. Any other
// error, a refused USER_ID included, would fail every session.
func failsOneSession(err error) bool {
	var ae *vault.ArgumentError
	if errors.As(err, &ae) {
		return ae.Argument == "session ID"
	}
	return errors.Is(err, vault.ErrNotFound)
}

var adminRevokeAllCommand = command{
	name:    "admin sessions revoke-all",
	args:    "[flags] USER_ID",
	summary: "Sign out every session of a user of the tenant: after a password reset, or when the account is compromised.",
	details: `On a terminal it asks for a confirmation first, unless --yes is given.
Without a terminal (in a script or a pipe) it refuses to run unless --yes
is given. It prints the server's confirmation, which counts the sessions
revoked, such as "Revoked 3 sessions for user usr_42".

Examples:
  vault admin sessions revoke-all usr_42
  vault admin sessions revoke-all usr_42 --yes
`,
}

// adminRevokeAll runs "vault admin sessions revoke-all".
func (c *cli) adminRevokeAll(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault admin sessions revoke-all", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	yes := fs.Bool("yes", false, "do not ask for a confirmation; required without a terminal")
	rest, code, ok := c.parse(adminRevokeAllCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.fail(exitUsage, "", fmt.Sprintf("admin sessions revoke-all takes one USER_ID, got %d arguments", len(rest)),
			"to sign out some sessions only, use vault admin sessions revoke USER_ID ID...")
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	userID := rest[0]
	if !*yes {
		if !c.stdinIsTerminal() {
			return c.fail(exitUsage, "", "admin sessions revoke-all signs every session of the user out and needs a confirmation, but stdin is not a terminal",
				"pass --yes to confirm")
		}
		if !c.confirm(fmt.Sprintf("Sign out every session of user %s? [y/N] ", printable(userID))) {
			return c.fail(exitFailure, "", "cancelled; no session was signed out", "")
		}
	}

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	msg, err := client.AdminSessions.RevokeAllUserSessions(ctx, userID)
	if err != nil {
		f := explain(operation{sdk: sdkRevokeAllUserSessions, label: "revoke all sessions of user " + printable(userID)}, err, cfg)
		return c.fail(exitFailure, cfg.token, f.msg, f.hint)
	}
	fmt.Fprintln(c.stdout, cell(msg.Message))
	return exitOK
}
