package fakequay

import (
	"bytes"
	"encoding/json"
)

// TEMPORARY seam until internal/py lands: Python-compatible JSON.

func pyRestful(v any) []byte {
	b := pyDumps(v)
	return append(b, '\n')
}

func pyDumps(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	compact := bytes.TrimRight(buf.Bytes(), "\n")
	out := make([]byte, 0, len(compact)+len(compact)/8)
	inStr, esc := false, false
	for _, ch := range compact {
		out = append(out, ch)
		switch {
		case esc:
			esc = false
		case inStr && ch == '\\':
			esc = true
		case ch == '"':
			inStr = !inStr
		case !inStr && (ch == ',' || ch == ':'):
			out = append(out, ' ')
		}
	}
	return out
}

func pyJsonify(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var x any
	_ = json.Unmarshal(b, &x)
	b, _ = json.Marshal(x)
	return append(b, '\n')
}

func pyDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

type bodySchema struct{}

func (*bodySchema) validate(any) error { return nil }
