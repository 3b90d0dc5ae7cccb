package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// writeAdminTable writes a user's sessions as the admin API lists them,
// with their status, as an aligned table with times relative to now.
func writeAdminTable(w io.Writer, sessions []vault.AdminSessionResponse, now time.Time) error {
	if len(sessions) == 0 {
		_, err := fmt.Fprintln(w, "No sessions.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tDEVICE\tIP ADDRESS\tLAST ACTIVE\tEXPIRES")
	for _, s := range sessions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(s.ID), cell(string(s.Status)), adminDevice(s), optional(s.IPAddress),
			ago(now, s.LastActivityAt), expires(now, s.ExpiresAt))
	}
	return tw.Flush()
}

// adminDevice describes the device of an admin session: its browser and
// operating system when the server describes them, such as "Chrome on
// macOS", else its device fingerprint.
func adminDevice(s vault.AdminSessionResponse) string {
	if d := client(s.DeviceInfo); d != "-" {
		return d
	}
	return optional(s.DeviceFingerprint)
}

// writeAdminSession writes one admin session, a field per line.
func writeAdminSession(w io.Writer, s *vault.AdminSessionResponse, now time.Time) error {
	mfa := "no"
	if s.MFAVerified {
		mfa = "yes"
	}
	at := func(t time.Time, relative string) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339) + " (" + relative + ")"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range [][2]string{
		{"ID", cell(s.ID)},
		{"User", cell(s.UserID)},
		{"Status", cell(string(s.Status))},
		{"Device", adminDevice(*s)},
		{"Device type", deviceType(s.DeviceInfo)},
		{"IP address", optional(s.IPAddress)},
		{"User agent", optional(s.UserAgent)},
		{"MFA verified", mfa},
		{"Created", at(s.CreatedAt, ago(now, s.CreatedAt))},
		{"Last active", at(s.LastActivityAt, ago(now, s.LastActivityAt))},
		{"Expires", at(s.ExpiresAt, expires(now, s.ExpiresAt))},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
	}
	return tw.Flush()
}
