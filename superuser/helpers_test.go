package superuser_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// call describes one method call and the exchange it must cause.
type call struct {
	name string
	// What the client must send. path is the escaped path below /api/v1.
	method string
	path   string
	query  url.Values
	body   string // JSON the request must carry; "" for no body
	// What the server answers: status and a testdata file ("" for an empty body).
	status int
	file   string
	// do calls the method; want is the result it must return (nil for
	// methods that return only a response).
	do   func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error)
	want any
}

// runCalls checks each call against a server that answers the reference's
// example body and against one that answers a 404 ApiError
// (apitest.CheckCall).
func runCalls(t *testing.T, calls []call) {
	t.Helper()
	for _, tt := range calls {
		ex := apitest.Exchange{Method: tt.method, Path: tt.path, Query: tt.query, Body: tt.body, Status: tt.status, File: tt.file, Want: tt.want}
		apitest.CheckCall(t, tt.name, ex, func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
			return tt.do(ctx, superuser.New(c))
		})
	}
}

// noRequest returns a client whose server fails the test if it is called.
func noRequest(t *testing.T) *superuser.Client { return superuser.New(apitest.NoRequest(t)) }

// ts builds a quay.Timestamp in UTC.
func ts(year int, month time.Month, day, hour, min, sec int) quay.Timestamp {
	return quay.Timestamp{Time: time.Date(year, month, day, hour, min, sec, 0, time.UTC)}
}
