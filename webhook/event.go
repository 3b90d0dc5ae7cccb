package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The event types the Vault server sends, as in X-Webhook-Event and
// [Event].Type.
const (
	// TypeSessionCreated is sent when a user signs in and a session starts;
	// its data decodes with [Event.SessionCreated].
	TypeSessionCreated = "session.created"
	// TypeSessionRevoked is sent when one session or several of a user's
	// sessions are revoked; its data decodes with [Event.SessionRevoked].
	TypeSessionRevoked = "session.revoked"
	// TypeUserLogin is sent when a user signs in.
	TypeUserLogin = "user.login"
	// TypeUserLogout is sent when a user signs out.
	TypeUserLogout = "user.logout"
)

// ErrUnexpectedType is wrapped by the error of [Event.SessionCreated] and
// [Event.SessionRevoked] when the event is of another type.
var ErrUnexpectedType = errors.New("webhook: unexpected event type")

// Event is a delivery whose signature was verified by [Parse].
type Event struct {
	// ID is the delivery's ID, from X-Webhook-ID. A delivery sent again
	// after a failure keeps its ID and its body. The ID is signed in the
	// ID form only: in the timestamp form anyone replaying a delivery
	// within the tolerance can change it, so deduplicate on the ID and
	// the body together, as [Handler] does.
	ID string
	// Type is the event's type, from X-Webhook-Event, such as
	// [TypeSessionRevoked]. No form signs it; [Event.SessionCreated] and
	// [Event.SessionRevoked] refuse a body without the members of their
	// type.
	Type string
	// Timestamp is when the delivery was sent, from X-Webhook-Timestamp
	// (Unix seconds). In the timestamp form it is signed and within the
	// tolerance of now. In the ID form it is not signed and not checked:
	// it says what the sender claims, and it is the zero time when the
	// header is absent or not Unix seconds.
	Timestamp time.Time
	// Attempt is the value of X-Webhook-Attempt, which the server sends
	// on deliveries made again after a failure; 0 when the header is
	// absent or not a whole number. No form signs it: use it for logs
	// and metrics, not for decisions.
	Attempt int
	// Data is the body exactly as received: the event's JSON object.
	Data json.RawMessage
}

// SessionCreated decodes the data of a [TypeSessionCreated] event. It
// returns an error wrapping [ErrUnexpectedType] for an event of another
// type, and an error when the data does not decode or lacks user_id,
// session_id or created_at.
func (e *Event) SessionCreated() (*SessionCreated, error) {
	if err := e.expect(TypeSessionCreated); err != nil {
		return nil, err
	}
	var s SessionCreated
	if err := s.UnmarshalJSON(e.Data); err != nil {
		return nil, err
	}
	return &s, nil
}

// SessionRevoked decodes the data of a [TypeSessionRevoked] event. It
// returns an error wrapping [ErrUnexpectedType] for an event of another
// type, and an error when the data does not decode or lacks user_id,
// session_id, reason or revoked_at.
func (e *Event) SessionRevoked() (*SessionRevoked, error) {
	if err := e.expect(TypeSessionRevoked); err != nil {
		return nil, err
	}
	var s SessionRevoked
	if err := s.UnmarshalJSON(e.Data); err != nil {
		return nil, err
	}
	return &s, nil
}

func (e *Event) expect(typ string) error {
	if e == nil {
		return fmt.Errorf("%w: nil event, want %s", ErrUnexpectedType, typ)
	}
	if e.Type != typ {
		return fmt.Errorf("%w: %q, want %s", ErrUnexpectedType, e.Type, typ)
	}
	return nil
}
