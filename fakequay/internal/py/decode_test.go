package py

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// valueOpts compare decoded values: Ints by value, Objects by their ordered
// pairs, NaN equal to NaN.
var valueOpts = cmp.Options{
	cmp.Comparer(func(a, b Int) bool { return a.Cmp(b) == 0 }),
	cmp.Transformer("pairs", func(o *Object) [][2]any {
		var pairs [][2]any
		for k, v := range o.All() {
			pairs = append(pairs, [2]any{k, v})
		}
		return pairs
	}),
	cmpopts.EquateNaNs(),
}

func object(pairs ...any) *Object {
	o := NewObject()
	for i := 0; i < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	return o
}

// TestDecodeMatchesPython checks Decode against json.loads on every golden
// body: the same bodies are rejected, and accepted ones have the same repr,
// which shows kinds (5 vs 5.0), order and content (reference §1.6).
func TestDecodeMatchesPython(t *testing.T) {
	t.Parallel()
	for _, b := range readGolden(t).Bodies {
		body := goldenBody(t, b.BodyB64)
		v, err := Decode(body)
		if b.Error != "" {
			var syntax *SyntaxError
			if !errors.As(err, &syntax) {
				t.Errorf("Decode(%q) = %s, %v; Python raises %s", body, Repr(v), err, b.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("Decode(%q) error %v; Python accepts it", body, err)
			continue
		}
		if diff := cmp.Diff(b.Repr, Repr(v)); diff != "" {
			t.Errorf("Repr(Decode(%q)) mismatch (-want +got):\n%s", body, diff)
		}
	}
}

func TestDecodeValues(t *testing.T) {
	t.Parallel()
	big30, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	tests := []struct {
		name string
		body string
		want any
	}{
		{"int stays int", `5`, NewInt(5)},
		{"fraction makes float", `5.0`, 5.0},
		{"exponent makes float", `5e0`, 5.0},
		{"minus zero int is zero", `-0`, NewInt(0)},
		{"minus zero float keeps sign", `-0.0`, math.Copysign(0, -1)},
		{"big int", `-123456789012345678901234567890`, NewBigInt(big30)},
		{"int64 edge", `9223372036854775807`, NewInt(math.MaxInt64)},
		{"huge exponent is inf", `1e999`, math.Inf(1)},
		{"tiny exponent is zero", `1e-999`, 0.0},
		{"NaN", `NaN`, math.NaN()},
		{"Infinity", ` -Infinity `, math.Inf(-1)},
		{"duplicate key keeps first place and last value", `{"a":1,"b":2,"a":3}`, object("a", NewInt(3), "b", NewInt(2))},
		{"nested", `{"x":[null,true,false,"s",{}]}`, object("x", []any{nil, true, false, "s", NewObject()})},
		{"empty list is not nil", `[]`, []any{}},
		{"escapes", `"\"\\\/\b\f\n\r\t\u00e9"`, "\"\\/\b\f\n\r\té"},
		{"surrogate pair joins", `"\ud83d\ude00"`, "😀"},
		{"lone high surrogate is kept", `"\ud83d!"`, "\xed\xa0\xbd!"},
		{"lone low surrogate is kept", `"\udc00"`, "\xed\xb0\x80"},
		{"high then high", `"\ud800\ud800"`, "\xed\xa0\x80\xed\xa0\x80"},
		{"raw surrogate bytes pass", "\"\xed\xa0\x80\"", "\xed\xa0\x80"},
		{"utf-8 BOM skipped", "\xef\xbb\xbf[1]", []any{NewInt(1)}},
		{"utf-16le without BOM", "[\x001\x00]\x00", []any{NewInt(1)}},
		{"utf-16be lone surrogate", "\x00\"\xd8\x00\x00\"", "\xed\xa0\x80"},
		{"utf-32 with BOM", "\xff\xfe\x00\x00\"\x00\x00\x00\x00\xf6\x01\x00\"\x00\x00\x00", "😀"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatalf("Decode(%q): %v", tt.body, err)
			}
			if diff := cmp.Diff(tt.want, got, valueOpts); diff != "" {
				t.Errorf("Decode(%q) mismatch (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name    string
		body    string
		wantMsg string // SyntaxError message; "" for ErrNesting
	}{
		{"empty", ``, "Expecting value"},
		{"trailing comma in array", `[1,]`, "Expecting value"},
		{"trailing comma in object", `{"a":1,}`, "Expecting property name enclosed in double quotes"},
		{"leading zero", `01`, "Extra data"},
		{"bare fraction point", `1.`, "Extra data"},
		{"bare exponent", `1e+`, "Extra data"},
		{"single quotes", `{'a':1}`, "Expecting property name enclosed in double quotes"},
		{"missing colon", `{"a" 1}`, "Expecting ':' delimiter"},
		{"missing comma", `[1 2]`, "Expecting ',' delimiter"},
		{"control character", "\"a\tb\"", "Invalid control character at"},
		{"bad escape", `"\x"`, "Invalid \\escape"},
		{"short unicode escape", `"\u12"`, "Invalid \\uXXXX escape"},
		{"bad second half of a pair", `"\ud800\uzzzz"`, "Invalid \\uXXXX escape"},
		{"unterminated", `"abc`, "Unterminated string starting at"},
		{"invalid utf-8", "\"\xff\"", "'utf-8' codec can't decode the bytes"},
		{"overlong utf-8", "\"\xc0\xaf\"", "'utf-8' codec can't decode the bytes"},
		{"truncated utf-16", "[\x001\x00]", "'utf-16' codec can't decode the bytes: truncated data"},
		{"utf-32 beyond unicode", "\x00\x00\xfe\xff\x00\x11\x00\x00", "'utf-32' codec can't decode the bytes: code point not in range(0x110000)"},
		{"lower-case nan", `nan`, "Expecting value"},
		{"int over 4300 digits", strings.Repeat("7", 4301), "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits"},
		{"too deep", nested(MaxNesting + 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := Decode([]byte(tt.body))
			if tt.wantMsg == "" {
				if !errors.Is(err, ErrNesting) {
					t.Fatalf("Decode = %s, %v; want ErrNesting", Repr(v), err)
				}
				return
			}
			var syntax *SyntaxError
			if !errors.As(err, &syntax) {
				t.Fatalf("Decode = %s, %v; want a SyntaxError", Repr(v), err)
			}
			if diff := cmp.Diff(tt.wantMsg, syntax.Msg); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeNestingLimit(t *testing.T) {
	t.Parallel()
	body := strings.Repeat(`{"a":`, MaxNesting-1) + `[]` + strings.Repeat("}", MaxNesting-1)
	v, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode of %d levels: %v", MaxNesting, err)
	}
	depth := 0
	for {
		o, ok := v.(*Object)
		if !ok {
			break
		}
		depth++
		v, _ = o.Get("a")
	}
	if diff := cmp.Diff(MaxNesting-1, depth); diff != "" {
		t.Errorf("object depth mismatch (-want +got):\n%s", diff)
	}
}

// FuzzDecode checks that Decode never panics, that every valid JSON document
// Go knows is accepted (unless too deep or holding a too-long int), and that
// what it returns survives both encoders and a second Decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{`{}`, `{"a":[1,2.5,"x",null,true]}`, `"\ud800"`, `[NaN,-Infinity]`, "\xef\xbb\xbf1", `{"a":1,"a":2}`, "[\"\xed\xa0\x80\"]", `1e999`, `-0.0`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := Decode(body)
		if err != nil {
			var syntax *SyntaxError
			if !errors.As(err, &syntax) && !errors.Is(err, ErrNesting) {
				t.Fatalf("Decode(%q) returned an unexpected error type %T: %v", body, err, err)
			}
			if json.Valid(body) && utf8.Valid(body) && syntax != nil && !strings.HasPrefix(syntax.Msg, "Exceeds the limit") {
				t.Fatalf("Decode(%q) rejected valid JSON: %v", body, err)
			}
			return
		}
		want := Repr(v)
		_ = PFormat(v, len(body)%80+1)
		for name, encode := range map[string]func(any) ([]byte, error){"Restful": Restful, "Jsonify": Jsonify} {
			out, err := encode(v)
			if err != nil {
				t.Fatalf("%s(Decode(%q)): %v", name, body, err)
			}
			again, err := Decode(out)
			if err != nil {
				t.Fatalf("Decode(%s(Decode(%q))) = %v on %q", name, body, err, out)
			}
			if name == "Jsonify" {
				continue // keys are re-ordered
			}
			if diff := cmp.Diff(want, Repr(again)); diff != "" {
				t.Fatalf("round trip through %s changed %q (-want +got):\n%s", name, body, diff)
			}
		}
	})
}
