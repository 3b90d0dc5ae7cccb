package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// envWebhookSecret is the variable webhook listen reads its secret from
// when no --secret or --secret-file is given.
const envWebhookSecret = "VAULT_WEBHOOK_SECRET"

const defaultListenAddr = "127.0.0.1:8787"

// webhookReadTimeout bounds how long webhook listen reads a request, so
// that a client sending its body slowly cannot hold a connection: the
// server waits 30 seconds for an answer, so a delivery slower than that
// has failed already.
const webhookReadTimeout = 30 * time.Second

var listenCommand = command{
	name:    "webhook listen",
	args:    "[flags]",
	summary: "Receive Vault's webhooks, verify each, and print its event.",
	details: `Listens on --addr and answers every POST, on any path, as a receiver built
with the SDK's webhook.NewHandler does: a delivery that does not verify
with the secret (or any of several, while a secret is rotated) is refused
with 400 and reported on stderr; a verified one is printed on stdout and
answered 204; a delivery already printed (the same ID and body) is
answered 204 and not printed again. A request must arrive whole within 30
seconds, as long as the server waits for an answer; a slower one is cut
off. It runs until interrupted (Ctrl-C, SIGTERM), then exits 0.

Each event is one line: the time it was sent, its type, the delivery ID,
the attempt when the server delivered it again, and its data, such as
  2025-03-01T12:00:00Z session.revoked dlv_1 user=usr_1 session=ses_2 reason=user_revoked
--output json prints one JSON object per line instead: id, type,
timestamp, attempt and data (the event's JSON as sent).

The secret comes from --secret, --secret-file or $` + envWebhookSecret + `;
it is never printed. A real endpoint's secret belongs in the file or the
variable: a flag's value ends up in shell history and process lists.

Exit codes: 0 when interrupted, 1 when it cannot listen, 2 for a usage
error such as no secret.

Examples:
  vault webhook listen --secret whsec_test
  vault-mock -webhook-url http://127.0.0.1:8787/ -webhook-secret whsec_test
  vault webhook listen --secret-file secret.txt --output json | jq .data
`,
}

// secretsFlag is a flag given once per secret.
type secretsFlag []string

func (s *secretsFlag) String() string { return "" }
func (s *secretsFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty secret")
	}
	*s = append(*s, v)
	return nil
}

// webhookCmd runs a subcommand of "vault webhook".
func (c *cli) webhookCmd(ctx context.Context, args, global []string) int {
	if len(global) > 0 {
		return c.fail(exitUsage, "", "the connection flags do not apply to vault webhook", "run vault webhook listen --help")
	}
	if len(args) == 0 {
		c.printHelp(c.stderr, webhookHelp)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		c.printHelp(c.stdout, webhookHelp)
		return exitOK
	case "listen":
		return c.listen(ctx, args[1:])
	}
	return c.fail(exitUsage, "", fmt.Sprintf("unknown command \"webhook %s\"", printable(args[0])), "run vault webhook --help for the commands")
}

// listen runs "vault webhook listen".
func (c *cli) listen(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault webhook listen", flag.ContinueOnError)
	var secrets secretsFlag
	fs.Var(&secrets, "secret", "the endpoint's `SECRET`; repeat it to accept several (default $"+envWebhookSecret+")")
	secretFile := fs.String("secret-file", "", "read the secrets from `FILE`, one per line")
	addr := fs.String("addr", defaultListenAddr, "listen on `HOST:PORT`")
	output := fs.String("output", outputTable, "output `format`: table (one line per event) or json")
	rest, code, ok := c.parse(listenCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.fail(exitUsage, "", fmt.Sprintf("webhook listen takes no arguments, got %d", len(rest)), "run vault webhook listen --help")
	}
	if code, ok := c.checkOutput(*output); !ok {
		return code
	}
	all, err := c.webhookSecrets(secrets, *secretFile)
	if err != nil {
		return c.failUsage(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return c.fail(exitFailure, "", "cannot listen: "+err.Error(), "pick another --addr, such as 127.0.0.1:0")
	}
	p := &eventPrinter{w: c.stdout, json: *output == outputJSON}
	h := &webhook.Handler{
		Verifier: webhook.Verifier{Secrets: all, Now: c.now},
		Handle:   p.print,
		Logger:   slog.New(&refusalLog{w: c.stderr, mu: &p.mu}),
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: c.listenReadTimeout}
	fmt.Fprintf(c.stderr, "vault: listening for webhooks on http://%s/\n", ln.Addr())
	if c.onListen != nil {
		c.onListen(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return c.fail(exitFailure, "", "stopped listening: "+err.Error(), "")
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	<-served
	return exitOK
}

// webhookSecrets gathers the secrets of the flags, or of the variable
// when no flag gives one.
func (c *cli) webhookSecrets(flagged []string, file string) ([]string, error) {
	all := append([]string(nil), flagged...)
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, &usageError{msg: "cannot read the secret file: " + pathError(err), hint: "check --secret-file"}
		}
		for line := range strings.Lines(string(b)) {
			if s := strings.TrimSpace(line); s != "" {
				all = append(all, s)
			}
		}
		if len(all) == len(flagged) {
			return nil, &usageError{msg: fmt.Sprintf("the secret file %s is empty", file), hint: "write the secret into it"}
		}
	}
	if len(all) == 0 {
		if s := strings.TrimSpace(c.getenv(envWebhookSecret)); s != "" {
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return nil, &usageError{msg: "no webhook secret", hint: "pass --secret SECRET or --secret-file FILE, or set " + envWebhookSecret}
	}
	return all, nil
}

// eventPrinter writes each verified event to stdout, one line each.
type eventPrinter struct {
	mu   sync.Mutex // one line at a time, from concurrent deliveries
	w    io.Writer
	json bool
}

// printedEvent is an event as --output json prints it.
type printedEvent struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Timestamp *time.Time      `json:"timestamp"`
	Attempt   int             `json:"attempt,omitempty"`
	Data      json.RawMessage `json:"data"`
}

func (p *eventPrinter) print(_ context.Context, e *webhook.Event) error {
	var compact bytes.Buffer
	if err := json.Compact(&compact, e.Data); err != nil {
		return fmt.Errorf("the body is not JSON: %w", err)
	}
	var line []byte
	if p.json {
		out := printedEvent{ID: e.ID, Type: e.Type, Attempt: e.Attempt, Data: compact.Bytes()}
		if !e.Timestamp.IsZero() {
			ts := e.Timestamp.UTC()
			out.Timestamp = &ts
		}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		line = b
	} else {
		text, err := eventLine(e, compact.Bytes())
		if err != nil {
			return err
		}
		line = []byte(text)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := fmt.Fprintf(p.w, "%s\n", line)
	return err
}

// eventLine is the one-line form of an event.
func eventLine(e *webhook.Event, compact []byte) (string, error) {
	ts := "-"
	if !e.Timestamp.IsZero() {
		ts = e.Timestamp.UTC().Format(time.RFC3339)
	}
	fields := []string{ts, value(e.Type), value(e.ID)}
	if e.Attempt > 0 {
		fields = append(fields, "attempt="+strconv.Itoa(e.Attempt))
	}
	switch e.Type {
	case webhook.TypeSessionCreated:
		s, err := e.SessionCreated()
		if err != nil {
			return "", err
		}
		fields = append(fields, kv("user", s.UserID), kv("session", s.SessionID), kv("email", s.Email), kv("method", s.Method),
			kv("ip", deref(s.IPAddress)), kv("agent", deref(s.UserAgent)))
	case webhook.TypeSessionRevoked:
		r, err := e.SessionRevoked()
		if err != nil {
			return "", err
		}
		fields = append(fields, kv("user", r.UserID))
		if r.Scope == webhook.ScopeSession {
			fields = append(fields, kv("session", r.SessionID))
		} else {
			fields = append(fields, kv("scope", string(r.Scope)))
		}
		fields = append(fields, kv("reason", r.Reason))
	default:
		fields = append(fields, "data="+printable(string(compact)))
	}
	return strings.Join(fields, " "), nil
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// kv is key=value, the value quoted when it holds a space, a quote or
// nothing, so that a line splits into its fields.
func kv(key, v string) string { return key + "=" + value(v) }

func value(v string) string {
	if v == "" || strings.ContainsAny(v, " \"=") {
		return strconv.Quote(printable(v))
	}
	return printable(v)
}

// refusalLog is the slog.Handler of the listener's webhook.Handler: it
// prints each refused delivery as one line on stderr. The records hold
// no secret or signature.
type refusalLog struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *refusalLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *refusalLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *refusalLog) WithGroup(string) slog.Handler            { return l }
func (l *refusalLog) Handle(_ context.Context, r slog.Record) error {
	var status, id, event, reason string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "status":
			status = a.Value.String()
		case "id":
			id = a.Value.String()
		case "event":
			event = a.Value.String()
		case "error":
			reason = a.Value.String()
		}
		return true
	})
	if id == "" {
		id = "without an ID"
	}
	if event != "" {
		id += " (" + event + ")"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := fmt.Fprintf(l.w, "vault: delivery %s answered %s: %s\n", printable(id), status, printable(reason))
	return err
}
