package vault

import "bytes"

// parseErrorEnvelope parses the API's {"error":{...}} body. It fails for
// anything else, including an envelope with neither code nor message.
func parseErrorEnvelope(data []byte) (ErrorResponseError, bool) {
	var r jsonReader
	r.reset(bytes.NewBuffer(data))
	e, err := r.readErrorEnvelope()
	if err != nil || r.end() != nil || e == nil || (e.Code == "" && e.Message == "") {
		return ErrorResponseError{}, false
	}
	return *e, true
}

// Member names of the error envelope, for matching without regard to
// case.
var (
	envelopeMembers = []string{"error"}
	errorMembers    = []string{"code", "message", "details"}
)

// readErrorEnvelope reads an envelope as encoding/json decodes it into a
// struct with an *ErrorResponseError field: null or no "error" member is
// no error, and a second "error" member, named in another case, adds to
// the first.
func (r *jsonReader) readErrorEnvelope() (*ErrorResponseError, error) {
	switch k := r.kind(); k {
	case '{':
	case 'n':
		_, err := r.value()
		return nil, err
	case 0:
		return nil, r.delim()
	default:
		return nil, typeError("a JSON object", k)
	}
	if err := r.delim(); err != nil {
		return nil, err
	}
	var e *ErrorResponseError
	for r.more() {
		name, err := r.name()
		if err != nil {
			return nil, err
		}
		if string(name) != "error" && matchFold(name, envelopeMembers) != 0 {
			if err := r.skip(); err != nil {
				return nil, err
			}
			continue
		}
		switch k := r.kind(); k {
		case '{':
			if e == nil {
				e = new(ErrorResponseError)
			}
			if err := r.readErrorBody(e); err != nil {
				return nil, err
			}
		case 'n':
			if _, err := r.value(); err != nil {
				return nil, err
			}
			e = nil
		default:
			return nil, typeError("a JSON object", k)
		}
	}
	return e, r.delim()
}

// readErrorBody reads the members of the envelope's "error" object into
// e. Details, like any map encoding/json decodes into, is added to.
func (r *jsonReader) readErrorBody(e *ErrorResponseError) error {
	if err := r.delim(); err != nil {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		field := matchFold(name, errorMembers)
		switch field {
		case 0:
			err = r.readString(&e.Code)
		case 1:
			err = r.readString(&e.Message)
		case 2:
			switch k := r.kind(); k {
			case '{':
				if e.Details == nil {
					e.Details = make(map[string]any)
				}
				err = r.readObjectInto(e.Details)
			case 'n':
				_, err = r.value()
				e.Details = nil
			default:
				err = typeError("a JSON object", k)
			}
		default:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
	return r.delim()
}
