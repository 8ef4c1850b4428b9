package quay_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// newFake starts an in-memory Quay for the examples; a real program passes
// its registry's URL and an OAuth token instead.
func newFake() *fakequay.Server {
	srv, err := fakequay.New(fakequay.WithToken("example-token"))
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

func ExampleNewClient() {
	srv := newFake()
	defer srv.Close()

	c, err := quay.NewClient(srv.URL(),
		quay.WithToken("example-token"),
		quay.WithHTTPClient(srv.HTTPClient()), // only for the in-memory fake
		quay.WithUserAgent("quota-report/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	// NewRequest and Do reach any endpoint, wrapped or not.
	req, err := c.NewRequest(context.Background(), "GET", "superuser/users/admin", nil)
	if err != nil {
		log.Fatal(err)
	}
	var user struct {
		Username  string `json:"username"`
		SuperUser bool   `json:"super_user"`
	}
	if _, err := c.Do(req, &user); err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Username, user.SuperUser)
	// Output: admin true
}

func ExampleError() {
	srv := newFake()
	defer srv.Close()
	c, _ := quay.NewClient(srv.URL(), quay.WithToken("example-token"), quay.WithHTTPClient(srv.HTTPClient()))

	req, _ := c.NewRequest(context.Background(), "GET", "superuser/users/nobody", nil)
	_, err := c.Do(req, nil)

	// Sentinels classify an error; *quay.Error carries what Quay said.
	fmt.Println(errors.Is(err, quay.ErrNotFound))
	var qe *quay.Error
	if errors.As(err, &qe) {
		fmt.Println(qe.StatusCode, qe.Type, qe.Detail)
	}
	// Output:
	// true
	// 404 not_found Not Found
}

// A retention job: keep the newest three live "pr-" tags, delete the rest.
// (Compiled, not run: fakequay lists tags but does not serve their deletion yet.)
func ExampleTagsService_All() {
	ctx := context.Background()
	c, err := quay.NewClient("https://quay.example.com", quay.WithToken("token"))
	if err != nil {
		log.Fatal(err)
	}
	// Collect first: deleting during the walk would shift Quay's numbered pages.
	var names []string
	opts := &quay.TagListOptions{OnlyActiveTags: true, NameContains: "pr-", Limit: quay.MaxLimit}
	for tag, err := range c.Tags.All(ctx, "acme", "web", opts) { // newest first
		if err != nil {
			log.Fatal(err) // a *quay.PageError: its NextPage is the page to resume from
		}
		names = append(names, tag.Name)
	}
	for _, name := range names[min(3, len(names)):] {
		// A deleted tag stays restorable (Tags.Restore) for the namespace's
		// time machine window.
		if _, err := c.Tags.Delete(ctx, "acme", "web", name); err != nil {
			log.Fatal(err)
		}
	}
}

// Provisioning an organization: a robot for CI, and a team holding it.
func ExampleOrganizationsService_Create() {
	srv := newFake()
	defer srv.Close()
	c, _ := quay.NewClient(srv.URL(), quay.WithToken("example-token"), quay.WithHTTPClient(srv.HTTPClient()))
	ctx := context.Background()

	if _, err := c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: "acme", Email: "acme@example.com"}); err != nil {
		log.Fatal(err)
	}
	robot, _, err := c.Robots.CreateOrg(ctx, "acme", "ci", quay.CreateRobotRequest{Description: "pushes from CI"})
	if err != nil {
		log.Fatal(err)
	}
	team, _, err := c.Teams.Update(ctx, "acme", "developers", quay.UpdateTeamRequest{Role: quay.TeamRoleMember})
	if err != nil {
		log.Fatal(err)
	}
	// Robots join directly; with FEATURE_MAILING a user who is not yet in
	// the organization would be invited instead (member.Invited).
	member, _, err := c.Teams.AddMember(ctx, "acme", "developers", robot.Name)
	if err != nil {
		log.Fatal(err)
	}
	org, _, err := c.Organizations.Get(ctx, "acme")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(robot.Name, len(robot.Token), "character token")
	fmt.Println(team.Name, team.Role, member.Name, member.IsRobot, member.Invited)
	fmt.Println(org.OrderedTeams) // the creator's "owners" team comes first
	// Output:
	// acme+ci 64 character token
	// developers member acme+ci true false
	// [owners developers]
}

// Creating what exists is a 400 with Quay's message, not a 409.
func ExampleRobotsService_CreateOrg() {
	srv := newFake()
	defer srv.Close()
	c, _ := quay.NewClient(srv.URL(), quay.WithToken("example-token"), quay.WithHTTPClient(srv.HTTPClient()))
	ctx := context.Background()
	if _, err := c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: "acme", Email: "acme@example.com"}); err != nil {
		log.Fatal(err)
	}
	for range 2 {
		_, _, err := c.Robots.CreateOrg(ctx, "acme", "ci", quay.CreateRobotRequest{})
		var qe *quay.Error
		if errors.As(err, &qe) {
			fmt.Println(qe.StatusCode, errors.Is(err, quay.ErrBadRequest), qe.Detail)
			continue
		}
		fmt.Println(err)
	}
	// Output:
	// <nil>
	// 400 true Existing robot with name: acme+ci
}
