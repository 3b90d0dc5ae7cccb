package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	vault "github.com/vault-dev/vault-go"
)

var listCommand = command{
	name:    "sessions list",
	args:    "[flags]",
	summary: "List the active sessions of the user the token belongs to.",
	details: `The table shows each session's ID, marks the current one (the session of
the token in use) with *, its device type, browser and operating system,
IP address, last activity ("3m ago") and expiry ("in 29d", or a date when
it is far away). When the server reports the user's session limit, a last
line tells how many sessions of how many allowed are in use, such as
"4 of 5 sessions, near the limit". --output json prints the API's JSON
instead: an array of SessionResponse objects, with nothing else on stdout.

Examples:
  vault sessions list
  vault sessions list --output json | jq -r '.[] | select(.current | not) | .id'
`,
}

var opList = operation{sdk: "list sessions", label: "list sessions"}

// Output formats of sessions list.
const (
	outputTable = "table"
	outputJSON  = "json"
)

// list runs "vault sessions list".
func (c *cli) list(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault sessions list", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	output := fs.String("output", outputTable, "output `format`: table or json")
	rest, code, ok := c.parse(listCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.fail(exitUsage, "", fmt.Sprintf("sessions list takes no arguments, got %d", len(rest)), "run vault sessions list --help")
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
	var limits vault.SessionLimits
	sessions, err := client.Sessions.ListSessions(ctx, vault.WithSessionLimits(&limits))
	if err != nil {
		f := explain(opList, err, cfg)
		return c.fail(exitFailure, cfg.token, f.msg, f.hint)
	}
	if *output == outputJSON {
		err = writeJSON(c, sessions)
	} else {
		err = writeTable(c.stdout, sessions, c.now())
		if line := limitLine(limits); err == nil && line != "" {
			_, err = fmt.Fprintln(c.stdout, line)
		}
	}
	if err != nil {
		return c.fail(exitFailure, cfg.token, "cannot write the sessions: "+err.Error(), "")
	}
	return exitOK
}

// writeJSON writes sessions as the API's JSON array, indented.
func writeJSON(c *cli, sessions []vault.SessionResponse) error {
	if sessions == nil {
		sessions = []vault.SessionResponse{}
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(sessions)
}

// limitLine describes the session limit the server reported, such as
// "4 of 5 sessions, near the limit", or is empty when it reported none.
func limitLine(l vault.SessionLimits) string {
	if l == (vault.SessionLimits{}) {
		return ""
	}
	line := fmt.Sprintf("%d sessions", l.Current)
	if l.Max > 0 {
		line = fmt.Sprintf("%d of %d sessions", l.Current, l.Max)
	}
	switch l.Warning {
	case "":
	case vault.WarningNearLimit:
		line += ", near the limit"
	case vault.WarningLimitReached:
		line += ", at the limit"
	default:
		line += ", " + printable(strings.ReplaceAll(l.Warning, "_", " "))
	}
	return line
}

// checkOutput refuses an --output other than table or json, with the exit
// code to return.
func (c *cli) checkOutput(output string) (int, bool) {
	if output == outputTable || output == outputJSON {
		return exitOK, true
	}
	return c.fail(exitUsage, "", fmt.Sprintf("unknown --output %q", printable(output)), "use table or json"), false
}
