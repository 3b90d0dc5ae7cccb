package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"

	vault "github.com/vault-dev/vault-go"
)

// adminHelp is the help of "vault admin" and "vault admin sessions".
const adminHelp = `Usage:
  vault admin sessions list [flags] USER_ID             list every session of a user
  vault admin sessions get [flags] USER_ID SESSION_ID   show one session of a user
  vault admin sessions revoke [flags] USER_ID ID...     sign out sessions of a user
  vault admin sessions revoke-all [flags] USER_ID       sign a user out everywhere

The admin commands act on any user of the tenant, with the token of a
tenant administrator. Run vault admin sessions COMMAND --help for the flags
of a command.
`

// Admin operations, as the SDK names them in its errors.
const (
	sdkListUserSessions      = "list user sessions"
	sdkGetUserSession        = "get user session"
	sdkRevokeUserSession     = "revoke user session"
	sdkRevokeAllUserSessions = "revoke all user sessions"
)

// isAdmin reports whether an operation is one of the admin API's.
func (op operation) isAdmin() bool {
	switch op.sdk {
	case sdkListUserSessions, sdkGetUserSession, sdkRevokeUserSession, sdkRevokeAllUserSessions:
		return true
	}
	return false
}

// admin runs a subcommand of "vault admin sessions", with the connection
// flags given before the command in front of its own arguments.
func (c *cli) admin(ctx context.Context, args, global []string) int {
	if len(args) == 0 {
		c.printHelp(c.stderr, adminHelp)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		c.printHelp(c.stdout, adminHelp)
		return exitOK
	case "sessions":
	default:
		return c.fail(exitUsage, "", fmt.Sprintf("unknown command \"admin %s\"", printable(args[0])), "run vault admin --help for the commands")
	}
	args = args[1:]
	if len(args) == 0 {
		c.printHelp(c.stderr, adminHelp)
		return exitUsage
	}
	sub := slices.Concat(global, args[1:])
	switch args[0] {
	case "-h", "-help", "--help", "help":
		c.printHelp(c.stdout, adminHelp)
		return exitOK
	case "list":
		return c.adminList(ctx, sub)
	case "get":
		return c.adminGet(ctx, sub)
	case "revoke":
		return c.adminRevoke(ctx, sub)
	case "revoke-all":
		return c.adminRevokeAll(ctx, sub)
	}
	return c.fail(exitUsage, "", fmt.Sprintf("unknown command \"admin sessions %s\"", printable(args[0])), "run vault admin sessions --help for the commands")
}

var adminListCommand = command{
	name:    "admin sessions list",
	args:    "[flags] USER_ID",
	summary: "List every session of a user of the tenant, with a tenant administrator's token.",
	details: `The table shows each session's ID, its status (active, expired, revoked or
rotated: revoked and expired sessions stay listed), its device (the browser
and operating system, or the device fingerprint), IP address, last activity
and expiry. A last line tells how many sessions are active of how many the
user may have, such as "2 active sessions of 5 allowed". --output json prints the
sessions as JSON instead: an array of AdminSessionResponse objects, with
nothing else on stdout.

Examples:
  vault admin sessions list usr_42
  vault admin sessions list usr_42 --output json | jq -r '.[] | select(.status == "active") | .id'
`,
}

// adminList runs "vault admin sessions list".
func (c *cli) adminList(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault admin sessions list", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	output := fs.String("output", outputTable, "output `format`: table or json")
	rest, code, ok := c.parse(adminListCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.fail(exitUsage, "", fmt.Sprintf("admin sessions list takes one USER_ID, got %d arguments", len(rest)), "run vault admin sessions list --help")
	}
	if code, ok := c.checkOutput(*output); !ok {
		return code
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	userID := rest[0]
	var limits vault.SessionLimits
	sessions, err := client.AdminSessions.ListUserSessions(ctx, userID, vault.WithSessionLimits(&limits))
	if err != nil {
		f := explain(operation{sdk: sdkListUserSessions, label: "list sessions of user " + printable(userID)}, err, cfg)
		return c.fail(exitFailure, cfg.token, f.msg, f.hint)
	}
	if *output == outputJSON {
		if sessions == nil {
			sessions = []vault.AdminSessionResponse{}
		}
		err = c.writeIndentedJSON(sessions)
	} else {
		err = writeAdminTable(c.stdout, sessions, c.now())
		if line := adminLimitLine(limits); err == nil && line != "" && len(sessions) > 0 {
			_, err = fmt.Fprintln(c.stdout, line)
		}
	}
	if err != nil {
		return c.fail(exitFailure, cfg.token, "cannot write the sessions: "+err.Error(), "")
	}
	return exitOK
}

var adminGetCommand = command{
	name:    "admin sessions get",
	args:    "[flags] USER_ID SESSION_ID",
	summary: "Show one session of a user of the tenant, whatever its status.",
	details: `It prints the session's fields, one per line. --output json prints the
session as JSON instead: an AdminSessionResponse object.

Examples:
  vault admin sessions get usr_42 ses_2b1f9c
  vault admin sessions get usr_42 ses_2b1f9c --output json | jq -r .status
`,
}

// adminGet runs "vault admin sessions get".
func (c *cli) adminGet(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault admin sessions get", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	output := fs.String("output", outputTable, "output `format`: table or json")
	rest, code, ok := c.parse(adminGetCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		return c.fail(exitUsage, "", fmt.Sprintf("admin sessions get takes USER_ID and SESSION_ID, got %d arguments", len(rest)), "run vault admin sessions get --help")
	}
	if code, ok := c.checkOutput(*output); !ok {
		return code
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	userID, sessionID := rest[0], rest[1]
	s, err := client.AdminSessions.GetUserSession(ctx, userID, sessionID)
	if err != nil {
		f := explain(operation{sdk: sdkGetUserSession, label: "get session " + printable(sessionID) + " of user " + printable(userID)}, err, cfg)
		return c.fail(exitFailure, cfg.token, f.msg, f.hint)
	}
	if *output == outputJSON {
		err = c.writeIndentedJSON(s)
	} else {
		err = writeAdminSession(c.stdout, s, c.now())
	}
	if err != nil {
		return c.fail(exitFailure, cfg.token, "cannot write the session: "+err.Error(), "")
	}
	return exitOK
}

// writeIndentedJSON writes v to stdout as indented JSON.
func (c *cli) writeIndentedJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// adminLimitLine describes the limits of an admin list, such as "2
// active sessions of 5 allowed", or is empty when the server reported
// none. The list holds revoked and expired sessions too, which the
// server does not count.
func adminLimitLine(l vault.SessionLimits) string {
	if l == (vault.SessionLimits{}) {
		return ""
	}
	noun := "sessions"
	if l.Current == 1 {
		noun = "session"
	}
	line := fmt.Sprintf("%d active %s", l.Current, noun)
	if l.Max > 0 {
		line += fmt.Sprintf(" of %d allowed", l.Max)
	}
	return line
}
