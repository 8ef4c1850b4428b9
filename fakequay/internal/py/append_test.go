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
