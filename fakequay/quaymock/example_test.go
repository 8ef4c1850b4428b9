package quaymock_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/quaymock"
)

// Code that knows only its production URL and http.DefaultClient reaches
// fakequay once httpmock is active and the base URL is registered. In a
// test, httpmock.Activate(t) deactivates it when the test ends.
func Example() {
	srv, err := fakequay.New()
	if err != nil {
		panic(err)
	}
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	quaymock.Register(nil, "https://quay.example.com", srv)

	get := func(url string) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+srv.SuperuserToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		var body struct {
			Users []struct{ Username string }
			Type  string
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		fmt.Printf("%s users=%v type=%q\n", resp.Status, body.Users, body.Type)
	}
	get("https://quay.example.com/api/v1/superuser/users/")
	get("https://quay.example.com/api/v1/superuser/users/nobody")
	get("https://elsewhere.example.com/")
	// Output:
	// 200 OK users=[{admin}] type=""
	// 404 Not Found users=[] type="https://quay.example.com/api/v1/error/not_found"
	// Get "https://elsewhere.example.com/": no responder found
}
