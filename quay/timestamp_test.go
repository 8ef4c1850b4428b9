package quay_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
)

func TestTimestampUnmarshal(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: `"Tue, 04 Feb 2025 13:45:10 -0000"`, want: at}, // Flask-RESTful format_date (§1.4)
		{in: `"Tue, 04 Feb 2025 13:45:10 GMT"`, want: at},   // jsonify HTTP-date (§1.4)
		{in: `"Tue, 04 Feb 2025 14:45:10 +0100"`, want: at},
		{in: `"2025-02-04T13:45:10.412345Z"`, want: at.Add(412345 * time.Microsecond)}, // mirror health
		{in: `null`, want: time.Time{}},
		{in: `"2025-02-04"`, wantErr: true},
		{in: `""`, wantErr: true},
		{in: `1738676710`, wantErr: true},
	}
	for _, tt := range tests {
		var got quay.Timestamp
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("Unmarshal(%s) error = %v, want error: %v", tt.in, err, tt.wantErr)
			continue
		}
		if !got.Equal(tt.want) || (!got.IsZero() && got.Location() != time.UTC) {
			t.Errorf("Unmarshal(%s) = %v, want %v in UTC", tt.in, got.Time, tt.want)
		}
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	t.Parallel()
	in := quay.Timestamp{time.Date(2025, 2, 4, 14, 45, 10, 0, time.FixedZone("CET", 3600))}
	b, err := json.Marshal(in)
	if err != nil || string(b) != `"Tue, 04 Feb 2025 13:45:10 -0000"` {
		t.Fatalf("Marshal = %s, %v; want Quay's RFC 2822 form in UTC", b, err)
	}
	var back quay.Timestamp
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(in.Time) {
		t.Errorf("round trip = %v, %v; want %v", back, err, in)
	}
	if b, _ := json.Marshal(quay.Timestamp{}); string(b) != "null" {
		t.Errorf("Marshal(zero) = %s, want null", b)
	}
}

func TestInt64Unmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    quay.Int64
		wantErr bool
	}{
		{in: `10737418240`, want: 10737418240},
		{in: `5000000000.0`, want: 5000000000}, // quota PUT with "limit" (§2.14)
		{in: `1e10`, want: 10000000000},
		{in: `1.099511627776e12`, want: 1099511627776},
		{in: `9007199254740993.0`, want: 9007199254740993}, // above 2^53: exact, not rounded
		{in: `-5`, want: -5},
		{in: `0.0`, want: 0},
		{in: `4.5`, wantErr: true},
		{in: `1e19`, wantErr: true},
		{in: `"5"`, wantErr: true},
		{in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		var got quay.Int64
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("Unmarshal(%s) error = %v, want error: %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("Unmarshal(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
	got := quay.Int64(7)
	if err := json.Unmarshal([]byte(`null`), &got); err != nil || got != 7 {
		t.Errorf("Unmarshal(null) = %d, %v; want the value left alone", got, err)
	}
}
