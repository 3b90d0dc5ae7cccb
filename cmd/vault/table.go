package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// currentMarker marks the session of the token in use.
const currentMarker = "*"

// writeTable writes sessions as an aligned table, with times relative to
// now.
func writeTable(w io.Writer, sessions []vault.SessionResponse, now time.Time) error {
	if len(sessions) == 0 {
		_, err := fmt.Fprintln(w, "No active sessions.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tID\tDEVICE\tBROWSER / OS\tIP ADDRESS\tLAST ACTIVE\tEXPIRES")
	current := false
	for _, s := range sessions {
		mark := ""
		if s.Current {
			mark, current = currentMarker, true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			mark, cell(s.ID), deviceType(s.DeviceInfo), client(s.DeviceInfo), optional(s.IPAddress),
			ago(now, s.LastActivityAt), expires(now, s.ExpiresAt))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if current {
		_, err := fmt.Fprintln(w, "\n"+currentMarker+" current session (the token in use)")
		return err
	}
	return nil
}

// cell makes s safe for a table cell: no control characters, which would
// break the alignment or rewrite the terminal, and a dash for nothing.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return printable(s)
}

func optional(s *string) string {
	if s == nil {
		return "-"
	}
	return cell(*s)
}

func deviceType(d *vault.DeviceInfoResponse) string {
	if d == nil {
		return "-"
	}
	return cell(string(d.DeviceType))
}

// client describes the browser and OS, such as "Chrome on macOS".
func client(d *vault.DeviceInfoResponse) string {
	switch {
	case d == nil || d.Browser == "" && d.OS == "":
		return "-"
	case d.OS == "":
		return cell(d.Browser)
	case d.Browser == "":
		return cell(d.OS)
	}
	return cell(d.Browser + " on " + d.OS)
}

// ago describes a past time relative to now, such as "3m ago". A time
// slightly ahead of the local clock is "just now".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	if d < time.Minute {
		return "just now"
	}
	return span(d) + " ago"
}

// expiryHorizon is how far ahead an expiry is shown relative; later ones
// are shown as a date.
const expiryHorizon = 100 * 24 * time.Hour

// expires describes an expiry time, such as "in 29d", "expired 2h ago" or
// "2026-01-31" when it is far away.
func expires(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "expired " + ago(now, t)
	case d < time.Minute:
		return "in <1m"
	case d < expiryHorizon:
		return "in " + span(d)
	}
	return t.UTC().Format(time.DateOnly)
}

// span shortens a duration of at least a minute to its largest unit:
// "3m", "2h", "5d".
func span(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dd", d/(24*time.Hour))
}
