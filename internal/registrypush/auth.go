package registrypush

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// challenge is a Bearer challenge of a WWW-Authenticate header.
type challenge struct {
	realm   string
	service string
}

// parseBearer reads `Bearer realm="...",service="...",scope="..."`. It
// accepts quoted and bare values and ignores parameters it does not know.
func parseBearer(h string) (challenge, bool) {
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return challenge{}, false
	}
	var ch challenge
	for {
		rest = strings.TrimLeft(rest, " ,")
		key, after, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		var val string
		if strings.HasPrefix(after, `"`) {
			end := strings.IndexByte(after[1:], '"')
			if end < 0 {
				return challenge{}, false
			}
			val, rest = after[1:1+end], after[2+end:]
		} else {
			val, rest, _ = strings.Cut(after, ",")
			val = strings.TrimSpace(val)
		}
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "realm":
			ch.realm = val
		case "service":
			ch.service = val
		}
	}
	return ch, ch.realm != ""
}

// discover asks GET /v2/ for the registry's challenge, once per client. A
// registry that answers 200 needs no token: the challenge stays empty.
func (c *Client) discover(ctx context.Context) (*challenge, error) {
	c.mu.Lock()
	ch := c.challenge
	c.mu.Unlock()
	if ch != nil {
		return ch, nil
	}
	u, _ := c.resolve("/v2/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("registrypush: %w", err)
	}
	defer resp.Body.Close()
	found := &challenge{}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		parsed, ok := parseBearer(resp.Header.Get("WWW-Authenticate"))
		if !ok {
			return nil, fmt.Errorf("registrypush: GET /v2/: 401 without a Bearer challenge (%q)", resp.Header.Get("WWW-Authenticate"))
		}
		found = &parsed
	default:
		return nil, newError(req, resp)
	}
	c.mu.Lock()
	c.challenge = found
	c.mu.Unlock()
	return found, nil
}

// token returns a bearer token for scope, from the cache unless fresh is
// set. An empty token means the registry needs none.
func (c *Client) token(ctx context.Context, scope string, fresh bool) (string, error) {
	ch, err := c.discover(ctx)
	if err != nil || ch.realm == "" {
		return "", err
	}
	c.mu.Lock()
	tok, ok := c.tokens[scope]
	c.mu.Unlock()
	if ok && !fresh {
		return tok, nil
	}
	u, err := url.Parse(ch.realm)
	if err != nil {
		return "", fmt.Errorf("registrypush: token realm %q: %w", ch.realm, err)
	}
	q := u.Query()
	if ch.service != "" {
		q.Set("service", ch.service)
	}
	q.Set("scope", scope)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.password)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("registrypush: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", newError(req, resp)
	}
	var body struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return "", fmt.Errorf("registrypush: token answer: %w", err)
	}
	tok = body.Token
	if tok == "" {
		tok = body.AccessToken
	}
	if tok == "" {
		return "", fmt.Errorf("registrypush: token answer has no token")
	}
	c.mu.Lock()
	c.tokens[scope] = tok
	c.mu.Unlock()
	return tok, nil
}

func pushScope(repo string) string { return "repository:" + repo + ":pull,push" }

// do sends the request build makes, with a token for repo's push scope.
// On a 401 it fetches a new token and sends a fresh request once more
// (build is called again, so bodies are re-read from the start).
func (c *Client) do(ctx context.Context, repo string, build func() (*http.Request, error)) (*http.Response, error) {
	scope := pushScope(repo)
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx, scope, attempt > 0)
		if err != nil {
			return nil, err
		}
		req, err := build()
		if err != nil {
			return nil, err
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, fmt.Errorf("registrypush: %s %s: %w", req.Method, redact(req.URL), err)
		}
		if resp.StatusCode != http.StatusUnauthorized || attempt > 0 || tok == "" {
			return resp, nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
