package vault

import "io"

// Helpers that run the SDK's decoders on a body outside a call.

// decodeSessionsFrom decodes a list body as ListSessions does.
func decodeSessionsFrom(src io.Reader) ([]SessionResponse, SessionLimits, error) {
	var r jsonReader
	r.reset(src)
	return decodeSessionList(&r)
}

// decodeMessageFrom decodes a message body as RevokeSession does.
func decodeMessageFrom(src io.Reader) (*MessageResponse, error) {
	var r jsonReader
	r.reset(src)
	var msg messageBody
	if err := msg.decode(&r); err != nil {
		return nil, err
	}
	return (*MessageResponse)(&msg), nil
}

// decodeEnvelopeFrom decodes an error envelope as parseErrorEnvelope
// does, with the error it hides.
func decodeEnvelopeFrom(src io.Reader) (*ErrorResponseError, error) {
	var r jsonReader
	r.reset(src)
	e, err := r.readErrorEnvelope()
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// decodeDeviceInfoFrom decodes a deviceInfo with UnmarshalJSON: nil for
// null, which leaves what it decodes into as it is.
func decodeDeviceInfoFrom(body []byte) (*DeviceInfoResponse, error) {
	const untouched = "\xff" // no decoded string is invalid UTF-8
	d := &DeviceInfoResponse{OS: untouched}
	if err := d.UnmarshalJSON(body); err != nil {
		return nil, err
	}
	if d.OS == untouched {
		return nil, nil
	}
	return d, nil
}

// decodeAdminSessionsFrom decodes a list body as ListUserSessions does,
// for the user userID.
func decodeAdminSessionsFrom(src io.Reader, userID string) ([]AdminSessionResponse, SessionLimits, error) {
	var r jsonReader
	r.reset(src)
	list := newAdminSessionList(userID)
	err := list.decode(&r)
	if err != nil {
		return nil, SessionLimits{}, err
	}
	return list.sessions, list.limits, nil
}

// decodeAdminSessionFrom decodes a session body as GetUserSession does.
func decodeAdminSessionFrom(src io.Reader, userID string) (*AdminSessionResponse, error) {
	var r jsonReader
	r.reset(src)
	body := &adminSessionBody{userID: userID}
	if err := body.decode(&r); err != nil {
		return nil, err
	}
	return &body.session, nil
}
