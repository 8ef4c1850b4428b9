package fakequay

import "github.com/quaykit/go-quay/fakequay/internal/py"

// Quay's JSON, by way of internal/py. fakequay encodes only its own views,
// so an encoding error is a bug in fakequay: it panics, and the recover
// middleware answers it as Quay's unhandled-exception 500 and counts it.

// pyRestful is Flask-RESTful's output: json.dumps(v) + "\n".
func pyRestful(v any) []byte { return must(py.Restful(v)) }

// pyJsonify is Flask's jsonify: compact, sorted keys, "\n".
func pyJsonify(v any) []byte { return must(py.Jsonify(v)) }

// pyDumps is json.dumps(v): util.http.abort bodies and page-token plaintexts.
func pyDumps(v any) []byte { return must(py.Dumps(v)) }

func must(b []byte, err error) []byte {
	if err != nil {
		panic("fakequay: encoding a response: " + err.Error())
	}
	return b
}
