package svcaccount_test

import (
	"context"
	"fmt"

	"github.com/jarcoal/httpmock"

	"github.com/quaykit/go-quay/examples/testing/svcaccount"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/quaymock"
)

// Ensure against fakequay, reached through httpmock at the production
// URL the package hard-codes. In a test, httpmock.Activate(t) and
// fakequay.RunT(t) clean up by themselves.
func ExampleEnsure() {
	srv, err := fakequay.New(fakequay.WithSeed(seed()))
	if err != nil {
		panic(err)
	}
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	quaymock.Register(nil, svcaccount.BaseURL, srv)

	ctx := context.Background()
	for _, token := range []string{tokAdmin, tokAdmin, tokNoScope} {
		res, err := svcaccount.Ensure(ctx, token, "ci-bot", "ci-bot@example.com")
		fmt.Printf("created=%v password=%d chars reenabled=%v err=%v\n", res.Created, len(res.Password), res.Reenabled, err)
	}
	u, _ := srv.User("ci-bot")
	fmt.Println(u.Username, u.Email, u.Enabled)
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, r.Operation, r.Status)
	}
	// Output:
	// created=true password=32 chars reenabled=false err=<nil>
	// created=false password=0 chars reenabled=false err=<nil>
	// created=false password=0 chars reenabled=false err=svcaccount: GET /api/v1/superuser/users/ci-bot: 403 insufficient_scope: Unauthorized
	// ci-bot ci-bot@example.com true
	// GET /api/v1/superuser/users/ci-bot getInstallUser 404
	// POST /api/v1/superuser/users/ createInstallUser 200
	// GET /api/v1/superuser/users/ci-bot getInstallUser 200
	// GET /api/v1/superuser/users/ci-bot getInstallUser 403
}
