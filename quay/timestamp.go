package quay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// Timestamp is a time in one of the formats Quay writes, always held in UTC.
// Quay renders most dates as RFC 2822 with a "-0000" zone ("Tue, 04 Feb 2025
// 13:45:10 -0000"), the endpoints that use Flask's jsonify as an HTTP-date
// ("Tue, 04 Feb 2025 13:45:10 GMT"), and a few as RFC 3339; all three decode.
// JSON null decodes to the zero Timestamp.
type Timestamp struct {
	time.Time
}

// rfc2822 is Python's email.utils.formatdate layout, which Quay uses.
const rfc2822 = "Mon, 02 Jan 2006 15:04:05 -0700"

var timestampLayouts = []string{rfc2822, time.RFC1123, time.RFC3339Nano}

// UnmarshalJSON decodes a JSON string in any of Quay's date formats, or null.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("quay: timestamp %s is not a JSON string", b)
	}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("quay: timestamp %q is in no format Quay uses", s)
}

// MarshalJSON writes the time the way Quay's API does (RFC 2822, "-0000"),
// or null for the zero Timestamp.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format("Mon, 02 Jan 2006 15:04:05") + " -0000")
}

// Int64 is an integer that also decodes from an integral JSON float such as
// 5000000000.0: Quay returns a quota's limit_bytes as a float after the quota
// was changed with a "limit" string (reference §2.14).
type Int64 int64

// UnmarshalJSON decodes a JSON number with no fractional part that fits in
// an int64. It rejects fractions rather than silently rounding them. Like
// encoding/json, it leaves the value alone on null.
func (n *Int64) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int64(v)
		return nil
	}
	// Parse the decimal exactly (no float64 rounding above 2^53).
	f, ok := new(big.Float).SetPrec(256).SetString(s)
	if !ok {
		return fmt.Errorf("quay: %s is not a JSON number", b)
	}
	if !f.IsInt() {
		return fmt.Errorf("quay: %s is not a whole number", b)
	}
	v, acc := f.Int64()
	if acc != big.Exact {
		return fmt.Errorf("quay: %s does not fit in an int64", b)
	}
	*n = Int64(v)
	return nil
}
