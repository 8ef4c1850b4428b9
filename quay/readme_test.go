package quay_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// TestProvisioning is the README's first example, run as written.
func TestProvisioning(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t) // an in-memory Quay on a loopback port, closed with the test
	c, err := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Robots.CreateOrg(ctx, "acme", "ci", quay.CreateRobotRequest{}); err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Robots.CreateOrg(ctx, "acme", "ci", quay.CreateRobotRequest{})
	if !errors.Is(err, quay.ErrBadRequest) { // Quay answers 400 "Existing robot with name: acme+ci"
		t.Fatalf("second create: %v", err)
	}
	// The admin API, on the same client.
	su := superuser.New(c)
	for u, err := range su.Users.All(ctx, nil) { // every page, 100 at a time
		if err != nil {
			t.Fatal(err)
		}
		t.Log(u.Username, u.Enabled)
	}
}

// The README's first Go block is TestProvisioning above, letter for letter,
// so the first thing a newcomer copies compiles and passes.
func TestReadmeFirstExample(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(readme), "```go\n")
	block, _, _ = strings.Cut(block, "```\n")
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, fn, _ := strings.Cut(string(src), "// TestProvisioning is the README's first example, run as written.\n")
	fn, _, _ = strings.Cut(fn, "\n}\n")
	if want := fn + "\n}\n"; block != want {
		t.Errorf("README's first example differs from TestProvisioning in quay/readme_test.go:\nREADME:\n%s\ntest:\n%s", block, want)
	}
}
