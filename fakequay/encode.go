package fakequay

import (
	"sync"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// Quay's JSON, by way of internal/py. fakequay encodes only its own views,
// so an encoding error is a bug in fakequay: it panics, and the recover
// middleware answers it as Quay's unhandled-exception 500 and counts it.

// pyRestful is Flask-RESTful's output: json.dumps(v) + "\n".
func pyRestful(v any) []byte { return must(py.Restful(v)) }

// pyJsonify is Flask's jsonify: compact, sorted keys, "\n".
func pyJsonify(v any) []byte { return must(py.Jsonify(v)) }

// pyDumps is json.dumps(v): util.http.abort bodies and page-token plaintexts.
func pyDumps(v any) []byte { return must(py.Dumps(v)) }

// responseBuffers recycles the buffers responses are encoded into: a page
// of users is 48 KB.
var responseBuffers = sync.Pool{New: func() any { return new([]byte) }}

// encodeResponse encodes v with appendTo into a recycled buffer and hands
// it to write, which owns it from then on and gives it back with
// releaseBuffer once done with it.
func encodeResponse(appendTo func([]byte, any) ([]byte, error), v any, write func(buf *[]byte)) {
	buf := responseBuffers.Get().(*[]byte)
	*buf = must(appendTo((*buf)[:0], v))
	write(buf)
}

// releaseBuffer recycles a response buffer, unless an unusual response
// made it too large to keep.
func releaseBuffer(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		responseBuffers.Put(buf)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic("fakequay: encoding a response: " + err.Error())
	}
	return b
}
