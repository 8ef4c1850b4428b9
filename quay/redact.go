package quay

import (
	"bytes"
	"net/url"
	"strings"
)

// redacted replaces secrets in URLs, errors and bodies.
const redacted = "REDACTED"

// secretParamParts are substrings of query parameter names whose values are
// treated as secrets: OAuth tokens and codes, passwords, and the signatures
// and credentials of pre-signed storage URLs (build logs_url).
var secretParamParts = []string{"token", "secret", "password", "passwd", "key", "sig", "credential", "auth", "code"}

// redactURL renders u for errors and logs, with user information and the
// values of secret-looking query parameters replaced, and no fragment.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	if cp.User != nil {
		cp.User = url.User(redacted)
	}
	// A fragment never reaches the server and can carry a token (OAuth's
	// implicit flow answers with #access_token=...): it is left out, and
	// with it any text after "#" that could pass for user information
	// ("//0@#0@").
	cp.Fragment, cp.RawFragment = "", ""
	if cp.RawQuery != "" {
		q, err := url.ParseQuery(cp.RawQuery)
		if err != nil {
			cp.RawQuery = redacted // unparsable: cannot tell secrets apart
			return cp.String()
		}
		changed := false
		for name, vals := range q {
			if isSecretParam(name) {
				for i := range vals {
					vals[i] = redacted
				}
				changed = true
			}
		}
		if changed {
			cp.RawQuery = q.Encode()
		}
	}
	return cp.String()
}

func isSecretParam(name string) bool {
	name = strings.ToLower(name)
	for _, part := range secretParamParts {
		if strings.Contains(name, part) {
			return true
		}
	}
	return false
}

// scrubToken removes the client's token from text that came from the server,
// in case a proxy echoed the Authorization header back into an error body.
func (c *Client) scrubToken(b []byte) []byte {
	if c.auth == nil || !bytes.Contains(b, []byte(c.auth.token)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(c.auth.token), []byte(redacted))
}
