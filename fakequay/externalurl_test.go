package fakequay

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The URLs fakequay builds into its answers name the host and scheme the
// request named, as Werkzeug does behind Quay's ProxyFix: the Host header
// lowercased and without the scheme's default port, the scheme from
// X-Forwarded-Proto or else the connection. url_for (error type links)
// narrows the scheme to http or https; the strict-slash redirect keeps it.
// Every case with a Host or X-Forwarded-Proto header was sent to real Quay
// (realquay, Werkzeug 3.0.6, over plain HTTP) and answered as wanted here.
func TestGeneratedURLsFollowTheRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		url      string // the request's scheme and host
		host     string // a Host header other than the URL's
		proto    string // X-Forwarded-Proto, if any
		wantType string // getErrorDescription's type link, without the path
		wantLoc  string // the strict-slash redirect's Location, without the path
	}{
		{name: "plain http", url: "http://quay.test", wantType: "http://quay.test", wantLoc: "http://quay.test"},
		{name: "https through the transport", url: "https://quay.io", wantType: "https://quay.io", wantLoc: "https://quay.io"},
		{name: "https default port dropped", url: "https://quay.io:443", wantType: "https://quay.io", wantLoc: "https://quay.io"},
		{name: "other port kept", url: "https://quay.example.com:8443", wantType: "https://quay.example.com:8443",
			wantLoc: "https://quay.example.com:8443"},
		{name: "forwarded https, default port dropped", url: "http://quay.test", host: "quay.example.com:443", proto: "https",
			wantType: "https://quay.example.com", wantLoc: "https://quay.example.com"},
		{name: "http default port dropped", url: "http://quay.test", host: "quay.example.com:80",
			wantType: "http://quay.example.com", wantLoc: "http://quay.example.com"},
		{name: "443 is not http's default port", url: "http://quay.test", host: "quay.example.com:443",
			wantType: "http://quay.example.com:443", wantLoc: "http://quay.example.com:443"},
		{name: "host lowercased, last forwarded value wins", url: "http://quay.test", host: "Quay.Example.COM", proto: "http, https",
			wantType: "https://quay.example.com", wantLoc: "https://quay.example.com"},
		{name: "url_for narrows an odd scheme, the redirect keeps it", url: "http://quay.test", host: "q.io", proto: "ftp",
			wantType: "http://q.io", wantLoc: "ftp://q.io"},
		{name: "an empty last forwarded value is ignored", url: "http://quay.test", host: "q.io", proto: "https, ",
			wantType: "http://q.io", wantLoc: "http://q.io"},
	}
	h := newHarness(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			type urls struct{ Type, Location string }
			var got urls
			for _, path := range []string{"/api/v1/error/not_found", "/api/v1/superuser/organizations"} {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tc.url+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if tc.host != "" {
					req.Host = tc.host
				}
				if tc.proto != "" {
					req.Header.Set("X-Forwarded-Proto", tc.proto)
				}
				resp, err := h.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode == http.StatusPermanentRedirect {
					got.Location = resp.Header.Get("Location")
					continue
				}
				var desc struct{ Type string }
				if err := json.Unmarshal(body, &desc); err != nil {
					t.Fatalf("%s: %v in %q", path, err, body)
				}
				got.Type = desc.Type
			}
			want := urls{Type: tc.wantType + "/api/v1/error/not_found", Location: tc.wantLoc + "/api/v1/superuser/organizations/"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("generated URLs (-want +got):\n%s", diff)
			}
		})
	}
}

// Over TCP the scheme comes from the connection, or X-Forwarded-Proto, as
// through the socket-free transport.
func TestGeneratedURLsOverTCP(t *testing.T) {
	t.Parallel()
	srv := RunT(t)
	tests := []struct {
		name, proto, want string
	}{
		{"plain", "", "http://quay.example.com/api/v1/error/not_found"},
		{"forwarded https", "https", "https://quay.example.com/api/v1/error/not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL()+"/api/v1/error/not_found", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = "quay.example.com"
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var desc struct{ Type string }
			if err := json.NewDecoder(resp.Body).Decode(&desc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, desc.Type); diff != "" {
				t.Errorf("type link (-want +got):\n%s", diff)
			}
		})
	}
}
