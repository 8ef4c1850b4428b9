package fernet

import "errors"

// errBase64 is returned by decodeBase64 for the two inputs Python rejects.
var errBase64 = errors.New("incorrect base64 padding or length")

// base64Values maps a byte to its 6-bit value, or 0xFF when Python's decoder
// skips it. Both alphabets are accepted: urlsafe_b64decode translates '-' and
// '_' to '+' and '/' and then decodes the standard alphabet.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// decodeBase64 decodes s exactly as Python's base64.urlsafe_b64decode does,
// which is what both Fernet(key) and Fernet.decrypt(token) use. Unlike
// [encoding/base64] it is lenient in the ways CPython's non-strict
// binascii.a2b_base64 is:
//   - bytes outside the alphabet (spaces, newlines, '%', non-ASCII) are
//     skipped;
//   - decoding stops at the first padding that completes a quantum, and
//     whatever follows is ignored;
//   - unused low bits of the last quantum need not be zero;
//   - '=' before two data characters of a quantum is skipped.
//
// It fails only where Python raises binascii.Error: a quantum left with one
// data character, or with two or three and not enough padding.
func decodeBase64(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/4*3+3)
	var quadPos, pads int
	var left byte
	for i := range len(s) {
		c := s[i]
		if c == '=' {
			if quadPos >= 2 {
				pads++
				if quadPos+pads >= 4 {
					return out, nil
				}
			}
			continue
		}
		v := base64Values[c]
		if v == 0xFF {
			continue
		}
		pads = 0
		switch quadPos {
		case 0:
			left = v
		case 1:
			out = append(out, left<<2|v>>4)
			left = v & 0x0F
		case 2:
			out = append(out, left<<4|v>>2)
			left = v & 0x03
		case 3:
			out = append(out, left<<6|v)
		}
		quadPos = (quadPos + 1) % 4
	}
	if quadPos != 0 {
		return nil, errBase64
	}
	return out, nil
}
