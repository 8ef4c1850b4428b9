package py

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// AppendRestful and AppendJsonify write what Restful and Jsonify return,
// after whatever the buffer already holds, and leave it as it was when
// the value cannot be encoded.
func TestAppendEncodersMatchTheirAllocatingForms(t *testing.T) {
	t.Parallel()
	type view struct {
		B string `json:"b"`
		A []int  `json:"a"`
	}
	value := view{B: "é", A: []int{1, 2}}
	restful, err := Restful(value)
	if err != nil {
		t.Fatal(err)
	}
	jsonify, err := Jsonify(value)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Out string
		Err bool
	}
	run := func(appendTo func([]byte, any) ([]byte, error), v any) result {
		out, err := appendTo([]byte("prefix:"), v)
		return result{string(out), err != nil}
	}
	got := []result{
		run(AppendRestful, value), run(AppendJsonify, value),
		run(AppendRestful, math.Inf(1)), run(AppendJsonify, make(chan int)),
	}
	want := []result{
		{"prefix:" + string(restful), false}, {"prefix:" + string(jsonify), false},
		{"prefix:Infinity\n", false}, {"prefix:", true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// appendingView writes its own encoding, deliberately unlike its fields',
// so that the test sees which path an encoder took.
type appendingView struct {
	Name string `json:"name"`
}

func (v *appendingView) AppendRestful(b []byte) []byte {
	return AppendString(append(b, "<own>"...), v.Name)
}

// Restful and Dumps use a RestfulAppender's method through a pointer or an
// addressable value, and reflection otherwise; Jsonify never uses it.
func TestRestfulAppenderIsUsedWhereAddressable(t *testing.T) {
	t.Parallel()
	v := appendingView{Name: "é"}
	encode := func(f func(any) ([]byte, error), x any) string {
		out, err := f(x)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(out)
	}
	got := map[string]string{
		"Restful pointer":     encode(Restful, &v),
		"Restful value":       encode(Restful, v),
		"Restful slice":       encode(Restful, []appendingView{v}),
		"Restful nil":         encode(Restful, (*appendingView)(nil)),
		"Dumps pointer":       encode(Dumps, &v),
		"Jsonify pointer":     encode(Jsonify, &v),
		"AppendRestful form":  encode(func(x any) ([]byte, error) { return AppendRestful(nil, x) }, &v),
		"AppendRestful nil":   encode(func(x any) ([]byte, error) { return AppendRestful(nil, x) }, (*appendingView)(nil)),
		"AppendRestful value": encode(func(x any) ([]byte, error) { return AppendRestful(nil, x) }, v),
		"AppendJsonify form":  encode(func(x any) ([]byte, error) { return AppendJsonify(nil, x) }, &v),
	}
	want := map[string]string{
		"Restful pointer":     "<own>\"\\u00e9\"\n",
		"Restful value":       "{\"name\": \"\\u00e9\"}\n",
		"Restful slice":       "[<own>\"\\u00e9\"]\n",
		"Restful nil":         "null\n",
		"Dumps pointer":       "<own>\"\\u00e9\"",
		"Jsonify pointer":     "{\"name\":\"\\u00e9\"}\n",
		"AppendRestful form":  "<own>\"\\u00e9\"\n",
		"AppendRestful nil":   "null\n",
		"AppendRestful value": "{\"name\": \"\\u00e9\"}\n",
		"AppendJsonify form":  "{\"name\":\"\\u00e9\"}\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Strings are escaped eight bytes at a time when nothing in them needs it:
// whatever character needing an escape sits at whatever position, the
// result is the one of escaping character by character.
func TestStringEscapesAtEveryPosition(t *testing.T) {
	t.Parallel()
	const base = "abcdefghijklmnopqrstu"
	specials := []string{`"`, `\`, "\n", "\x00", "\x1f", " ", "~", "\x7f", "é", "\u2028", "😀", "\xff"}
	escapeEach := func(s string) string {
		out := `"`
		for _, r := range s {
			one := string(appendJSONString(nil, string(r)))
			out += one[1 : len(one)-1]
		}
		return out + `"`
	}
	for _, sp := range specials {
		for p := 0; p <= len(base); p++ {
			s := base[:p] + sp + base[p:]
			if got, want := string(appendJSONString(nil, s)), escapeEach(s); got != want {
				t.Errorf("%q: got %s, want %s", s, got, want)
			}
		}
	}
	for c := 0; c < 256; c++ {
		s := base + string([]byte{byte(c)}) + base
		if got, want := string(appendJSONString(nil, s)), escapeEach(s); got != want {
			t.Errorf("byte %#x: got %s, want %s", c, got, want)
		}
	}
}
