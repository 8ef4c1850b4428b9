package py

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRestfulMatchesPython(t *testing.T) {
	t.Parallel()
	for _, g := range goldenValues(t) {
		got, err := Restful(g.value)
		if err != nil {
			t.Errorf("Restful(Decode(%q)): %v", g.body, err)
			continue
		}
		if diff := cmp.Diff(g.restful, string(got)); diff != "" {
			t.Errorf("Restful(Decode(%q)) mismatch (-want +got):\n%s", g.body, diff)
		}
	}
}

func TestJsonifyMatchesPython(t *testing.T) {
	t.Parallel()
	for _, g := range goldenValues(t) {
		got, err := Jsonify(g.value)
		if err != nil {
			t.Errorf("Jsonify(Decode(%q)): %v", g.body, err)
			continue
		}
		if diff := cmp.Diff(g.jsonify, string(got)); diff != "" {
			t.Errorf("Jsonify(Decode(%q)) mismatch (-want +got):\n%s", g.body, diff)
		}
	}
}

// The view shapes below follow reference §1.9 and §2.14.
type avatarView struct {
	Name  string `json:"name"`
	Hash  string `json:"hash"`
	Color string `json:"color"`
	Kind  string `json:"kind"`
}

type userView struct {
	Kind     string     `json:"kind"`
	Name     string     `json:"name"`
	Username string     `json:"username"`
	Email    string     `json:"email"`
	Verified bool       `json:"verified"`
	Avatar   avatarView `json:"avatar"`
	Super    bool       `json:"super_user"`
	GRO      bool       `json:"global_readonly_super_user"`
	Enabled  bool       `json:"enabled"`
}

type userPage struct {
	Users    []userView `json:"users"`
	NextPage string     `json:"next_page,omitempty"`
}

type quotaView struct {
	ID         int64 `json:"id"`
	LimitBytes any   `json:"limit_bytes"`
	Limit      string
	Limits     []any `json:"limits"`
}

type base struct {
	ID      int    `json:"id"`
	Shadow  string `json:"shadow"`
	private int
}

type withEmbedded struct {
	base
	*extra
	Shadow string    `json:"shadow"`
	Skip   string    `json:"-"`
	Zero   time.Time `json:"zero,omitzero"`
	Empty  []int     `json:"empty,omitempty"`
}

type extra struct {
	Note string `json:"note"`
}

type textKey int

func (k textKey) MarshalText() ([]byte, error) { return []byte("k" + string(rune('0'+k))), nil }

type ownJSON struct{}

func (ownJSON) MarshalJSON() ([]byte, error) { return []byte(`{"z":1,"a":[1.0,"\u00e9"]}`), nil }

type ptrJSON struct{}

func (p *ptrJSON) MarshalJSON() ([]byte, error) { return []byte(`"pointer method"`), nil }

func TestRestful(t *testing.T) {
	t.Parallel()
	alice := userView{
		Kind: "user", Name: "alice", Username: "alice", Email: "alice@example.com", Verified: true,
		Avatar: avatarView{Name: "alice", Hash: "ff8d", Color: "#a55194", Kind: "user"}, Enabled: true,
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{
			"struct fields in declaration order (§2.1)",
			userPage{Users: []userView{alice}},
			`{"users": [{"kind": "user", "name": "alice", "username": "alice", "email": "alice@example.com", "verified": true, "avatar": {"name": "alice", "hash": "ff8d", "color": "#a55194", "kind": "user"}, "super_user": false, "global_readonly_super_user": false, "enabled": true}]}` + "\n",
		},
		{
			"float limit_bytes after a PUT with limit (§2.14)",
			quotaView{ID: 3, LimitBytes: Float(5e9), Limit: "4.7 GiB", Limits: []any{}},
			`{"id": 3, "limit_bytes": 5000000000.0, "Limit": "4.7 GiB", "limits": []}` + "\n",
		},
		{"empty string body (§1.4)", "", `""` + "\n"},
		{"Created body (§2.14)", "Created", `"Created"` + "\n"},
		{"ensure_ascii and no HTML escaping", "<é> & \U0001F600 \u2028", `"<\u00e9> & \ud83d\ude00 \u2028"` + "\n"},
		{"control characters and DEL", "\x00\x01\b\f\n\r\t\x1f\x7f\"\\/", `"\u0000\u0001\b\f\n\r\t\u001f\u007f\"\\/"` + "\n"},
		{"lone surrogate", "\xed\xb0\x80", `"\udc00"` + "\n"},
		{"go map keys sorted", map[string]int{"b": 1, "a": 2}, `{"a": 2, "b": 1}` + "\n"},
		{"integer and text map keys", map[textKey]int{2: 1, 1: 2}, `{"k1": 2, "k2": 1}` + "\n"},
		{"nil slice and map are null", struct {
			L []int          `json:"l"`
			M map[string]int `json:"m"`
		}{}, `{"l": null, "m": null}` + "\n"},
		{"non-finite floats and negative zero", []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1)}, `[NaN, Infinity, -Infinity, -0.0]` + "\n"},
		{"embedded, shadowed, skipped and omitted fields", withEmbedded{base: base{ID: 1, Shadow: "inner", private: 9}, extra: &extra{Note: "n"}, Shadow: "outer", Skip: "x"},
			`{"id": 1, "note": "n", "shadow": "outer"}` + "\n"},
		{"nil embedded pointer drops its fields", withEmbedded{Shadow: "s"}, `{"id": 0, "shadow": "s"}` + "\n"},
		{"json.Marshaler re-written in Python style", ownJSON{}, `{"z": 1, "a": [1.0, "\u00e9"]}` + "\n"},
		{"pointer-receiver Marshaler on addressable value", &struct{ P ptrJSON }{}, `{"P": "pointer method"}` + "\n"},
		{"json.Number read as Python would", []json.Number{"5", "1e2"}, `[5, 100.0]` + "\n"},
		{"bytes as base64", []byte("hi"), `"aGk="` + "\n"},
		{"big Int", NewBigInt(NewInt(1).Big().Lsh(NewInt(1).Big(), 80)), `1208925819614629174706176` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Restful(tt.v)
			if err != nil {
				t.Fatalf("Restful: %v", err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Restful mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJsonify(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 2, 4, 13, 45, 10, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		v    any
		want string
	}{
		{
			"struct fields sorted by JSON name, nested too (§2.8)",
			map[string]any{"keys": []any{struct {
				Name     string     `json:"name"`
				Created  time.Time  `json:"created_date"`
				Expires  *time.Time `json:"expiration_date"`
				Approval any        `json:"approval"`
				Metadata *Object    `json:"metadata"`
			}{"ci key", created, nil, nil, object("team", "platform", "creator", "admin")}}},
			`{"keys":[{"approval":null,"created_date":"Tue, 04 Feb 2025 12:45:10 GMT","expiration_date":null,"metadata":{"creator":"admin","team":"platform"},"name":"ci key"}]}` + "\n",
		},
		{"takeOwnership body (§3)", map[string]string{"namespace": "acme"}, `{"namespace":"acme"}` + "\n"},
		{"floats as repr", []any{5.0, Float(1e16), 0.5}, `[5.0,1e+16,0.5]` + "\n"},
		{"ensure_ascii", "é", `"\u00e9"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Jsonify(tt.v)
			if err != nil {
				t.Fatalf("Jsonify: %v", err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Jsonify mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type cycle struct {
	Next *cycle `json:"next"`
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	loop := &cycle{}
	loop.Next = loop
	tests := []struct {
		name   string
		encode func(any) ([]byte, error)
		v      any
	}{
		{"datetime on the Flask-RESTful path", Restful, map[string]any{"when": time.Now()}},
		{"circular value", Restful, loop},
		{"channel", Jsonify, make(chan int)},
		{"array map key", Restful, map[[2]int]int{{1, 2}: 3}},
		{"string option", Restful, struct {
			N int `json:"n,string"`
		}{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := tt.encode(tt.v)
			var unsupported *UnsupportedValueError
			if !errors.As(err, &unsupported) {
				t.Fatalf("encode = %q, %v; want an UnsupportedValueError", out, err)
			}
		})
	}
}

func TestInteropWithEncodingJSON(t *testing.T) {
	t.Parallel()
	got, err := json.Marshal(map[string]any{"i": NewInt(7), "f": Float(5e9), "o": object("b", NewInt(1), "a", "é")})
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	want := `{"f":5000000000.0,"i":7,"o":{"b":1,"a":"\u00e9"}}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("json.Marshal mismatch (-want +got):\n%s", diff)
	}
	if _, err := json.Marshal(Float(math.NaN())); err == nil {
		t.Errorf("json.Marshal(Float(NaN)) succeeded; encoding/json has no NaN")
	}
}

// benchmarkPage is a full listAllUsers page (§2.1): 100 users.
func benchmarkPage() userPage {
	page := userPage{NextPage: "gAAAAABrCm1qxtLHXKMPXYA8yyR7M2UDCPT59aQOSinv6xfHlpqEQQmfFRecArH5ihOZNbYlvCWmWKlE984i40Mg13dRR3gK9u2ZoE6l49ILUetvC9wrfZiCvlrGajDErVtZLiC7m_bleWB7df-mbWF-NsPD7CjAZLU2XfF_TF3X-WA0dclTfVI="}
	for i := range 100 {
		name := "user" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		page.Users = append(page.Users, userView{
			Kind: "user", Name: name, Username: name, Email: name + "@example.com", Verified: i%3 != 0,
			Avatar: avatarView{Name: name, Hash: "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", Color: "#a55194", Kind: "user"},
			Super:  i == 0, Enabled: i%7 != 0,
		})
	}
	return page
}

func BenchmarkRestful(b *testing.B) {
	page := benchmarkPage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Restful(page); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONMarshalBaseline is encoding/json on the same page, the
// baseline BenchmarkRestful is measured against (goal: at most 1.5x).
func BenchmarkJSONMarshalBaseline(b *testing.B) {
	page := benchmarkPage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJsonify(b *testing.B) {
	page := benchmarkPage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Jsonify(page); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode parses a typical request body, the work done on every
// write request.
func BenchmarkDecode(b *testing.B) {
	body := []byte(`{"service": "my_service", "name": "ci signing key", "metadata": {"team": "platform", "note": "caf\u00e9"}, "notes": "for CI", "expiration": 1767225600.5}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONUnmarshalBaseline is encoding/json decoding the same body
// into any.
func BenchmarkJSONUnmarshalBaseline(b *testing.B) {
	body := []byte(`{"service": "my_service", "name": "ci signing key", "metadata": {"team": "platform", "note": "caf\u00e9"}, "notes": "for CI", "expiration": 1767225600.5}`)
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

type tree struct {
	Name string  `json:"name"`
	Kids []*tree `json:"kids"`
}

// TestEncodeConcurrentFirstUse encodes a recursive type from many goroutines
// at once, so its encoder is built while others already wait for it.
func TestEncodeConcurrentFirstUse(t *testing.T) {
	t.Parallel()
	v := tree{Name: "root", Kids: []*tree{{Name: "a", Kids: []*tree{}}, {Name: "b"}}}
	want := `{"kids":[{"kids":[],"name":"a"},{"kids":null,"name":"b"}],"name":"root"}` + "\n"
	results := make(chan string, 16)
	for range cap(results) {
		go func() {
			out, err := Jsonify(v)
			if err != nil {
				results <- err.Error()
				return
			}
			results <- string(out)
		}()
	}
	for range cap(results) {
		if diff := cmp.Diff(want, <-results); diff != "" {
			t.Errorf("Jsonify mismatch (-want +got):\n%s", diff)
		}
	}
}
