package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decodeSessions decodes a JSON array of sessions one element at a time,
// so that a long list is never held twice in memory (json.Decoder.Decode
// would buffer the whole array before decoding it).
func decodeSessions(r io.Reader) ([]SessionResponse, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("expected a JSON array of sessions, got %s", describeToken(tok))
	}
	sessions := make([]SessionResponse, 0, 8)
	for dec.More() {
		sessions = append(sessions, SessionResponse{})
		s := &sessions[len(sessions)-1]
		if err := dec.Decode(s); err != nil {
			return nil, fmt.Errorf("session %d: %w", len(sessions)-1, err)
		}
		if s.ID == "" {
			return nil, fmt.Errorf("session %d has no id", len(sessions)-1)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if err := expectEnd(dec); err != nil {
		return nil, err
	}
	return sessions, nil
}

// sessionList is the decoder of ListSessions.
type sessionList []SessionResponse

func (l *sessionList) decode(r io.Reader) (err error) {
	*l, err = decodeSessions(r)
	return err
}

// messageBody is the decoder of the operations answering a
// MessageResponse.
type messageBody MessageResponse

func (m *messageBody) decode(r io.Reader) error {
	return decodeMessageInto(r, (*MessageResponse)(m))
}

// decodeMessage decodes a MessageResponse, which must have its message.
func decodeMessage(r io.Reader) (*MessageResponse, error) {
	msg := new(MessageResponse)
	if err := decodeMessageInto(r, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

func decodeMessageInto(r io.Reader, msg *MessageResponse) error {
	dec := json.NewDecoder(r)
	var wire struct {
		Message *string `json:"message"`
	}
	if err := dec.Decode(&wire); err != nil {
		return err
	}
	if wire.Message == nil {
		return errors.New(`expected a JSON object with a "message" string`)
	}
	if err := expectEnd(dec); err != nil {
		return err
	}
	msg.Message = *wire.Message
	return nil
}

// expectEnd fails if anything but white space follows the JSON value.
func expectEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("unexpected data after the JSON value")
		}
		return err
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		return "'" + v.String() + "'"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
