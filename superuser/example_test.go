package superuser_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// newClient returns a superuser client of an in-memory Quay with a few
// users; a real program passes its registry's URL and token instead.
func newClient() (*superuser.Client, func()) {
	srv, err := fakequay.New(
		fakequay.WithToken("example-token"),
		fakequay.WithTime(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)),
		fakequay.WithConfig(func(c *fakequay.Config) { c.FeatureMailing = false }),
	)
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"alice", "bob", "carol"} {
		if err := srv.AddUser(fakequay.SeedUser{Username: name, Email: name + "@example.com"}); err != nil {
			log.Fatal(err)
		}
	}
	c, err := quay.NewClient(srv.URL(), quay.WithToken("example-token"), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		log.Fatal(err)
	}
	return superuser.New(c), srv.Close
}

func ExampleUsersService_All() {
	su, done := newClient()
	defer done()

	// All follows every page (100 users each unless Limit says otherwise).
	for u, err := range su.Users.All(context.Background(), &superuser.UserListOptions{Limit: 2}) {
		if err != nil {
			log.Fatal(err) // a *quay.PageError says which page to resume from
		}
		fmt.Println(u.Username, u.SuperUser)
	}
	// Output:
	// admin true
	// alice false
	// bob false
	// carol false
}

func ExampleUsersService_Create() {
	su, done := newClient()
	defer done()

	created, _, err := su.Users.Create(context.Background(), superuser.CreateUserRequest{Username: "dave", Email: "dave@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Username, len(created.Password))

	// Quay reports a name that is taken as a 400 with a message.
	_, _, err = su.Users.Create(context.Background(), superuser.CreateUserRequest{Username: "dave", Email: "d2@example.com"})
	var qe *quay.Error
	if errors.As(err, &qe) && errors.Is(err, quay.ErrBadRequest) {
		fmt.Println(qe.Message)
	}
	// Output:
	// dave 32
	// Username has already been taken by user cannot be reused: dave
}

func ExampleUsersService_Delete() {
	su, done := newClient()
	defer done()
	ctx := context.Background()

	if _, err := su.Users.Delete(ctx, "bob"); err != nil {
		log.Fatal(err)
	}
	_, _, err := su.Users.Get(ctx, "bob")
	fmt.Println(errors.Is(err, quay.ErrNotFound))
	// Output: true
}
