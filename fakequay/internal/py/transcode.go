package py

import (
	"bytes"
	"encoding/binary"
)

// transcode turns a request body into the UTF-8 text Decode parses, choosing
// the encoding as Python's json.detect_encoding does and decoding as
// bytes.decode(encoding, "surrogatepass") would. UTF-8 bodies are returned
// as they are (minus a BOM); their validity is checked while parsing.
func transcode(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF}):
		return fromUTF32(b[4:], binary.BigEndian)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}):
		return fromUTF32(b[4:], binary.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return fromUTF16(b[2:], binary.BigEndian)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return fromUTF16(b[2:], binary.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], nil
	}
	// Without a BOM, NUL bytes among the first four give the encoding away.
	switch {
	case len(b) >= 4 && b[0] == 0 && b[1] != 0:
		return fromUTF16(b, binary.BigEndian)
	case len(b) >= 4 && b[0] == 0:
		return fromUTF32(b, binary.BigEndian)
	case len(b) >= 4 && b[1] == 0 && (b[2] != 0 || b[3] != 0):
		return fromUTF16(b, binary.LittleEndian)
	case len(b) >= 4 && b[1] == 0:
		return fromUTF32(b, binary.LittleEndian)
	case len(b) == 2 && b[0] == 0:
		return fromUTF16(b, binary.BigEndian)
	case len(b) == 2 && b[1] == 0:
		return fromUTF16(b, binary.LittleEndian)
	}
	return b, nil
}

// fromUTF16 decodes UTF-16, joining surrogate pairs and keeping lone
// surrogates as code points ("surrogatepass").
func fromUTF16(b []byte, order binary.ByteOrder) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, &SyntaxError{Msg: "'utf-16' codec can't decode the bytes: truncated data", Offset: len(b) - 1}
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i += 2 {
		r := rune(order.Uint16(b[i:]))
		if r >= 0xD800 && r <= 0xDBFF && i+4 <= len(b) {
			if low := rune(order.Uint16(b[i+2:])); low >= 0xDC00 && low <= 0xDFFF {
				r = 0x10000 + (r-0xD800)<<10 + (low - 0xDC00)
				i += 2
			}
		}
		out = appendCodePoint(out, r)
	}
	return out, nil
}

// fromUTF32 decodes UTF-32, keeping surrogate code points ("surrogatepass")
// and rejecting values beyond U+10FFFF.
func fromUTF32(b []byte, order binary.ByteOrder) ([]byte, error) {
	if len(b)%4 != 0 {
		return nil, &SyntaxError{Msg: "'utf-32' codec can't decode the bytes: truncated data", Offset: len(b) &^ 3}
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i += 4 {
		r := order.Uint32(b[i:])
		if r > 0x10FFFF {
			return nil, &SyntaxError{Msg: "'utf-32' codec can't decode the bytes: code point not in range(0x110000)", Offset: i}
		}
		out = appendCodePoint(out, rune(r))
	}
	return out, nil
}
