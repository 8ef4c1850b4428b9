package fakequay

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// principal is the authenticated caller of one request: nobody (anonymous),
// or a user acting through an OAuth access token.
type principal struct {
	user  *store.Namespace
	token *store.Token
}

// authenticate is Quay's process_oauth for bearer tokens (reference §1.1,
// §1.2). An unknown or expired token, or one whose user is disabled, leaves
// the caller anonymous rather than failing; only a JWT-shaped bearer (an
// SSO token, which fakequay has no issuer for) aborts with 401. Basic auth
// and session cookies are not API credentials here, as in Quay.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	secret, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return principal{}, nil
	}
	if iss, isJWT := jwtIssuer(secret); isJWT {
		if iss == "" {
			return principal{}, &abortError{401, "Token does not contain issuer"}
		}
		return principal{}, &abortError{401, "Issuer " + iss + " not configured"}
	}
	rd := s.store.Read()
	tok, ok := rd.Token(secret)
	if !ok || (!tok.ExpiresAt.IsZero() && !tok.ExpiresAt.After(s.clock.Now())) {
		return principal{}, nil
	}
	user, ok := rd.NamespaceByID(tok.UserID)
	if !ok || !user.Enabled {
		return principal{}, nil
	}
	return principal{user: user, token: tok}, nil
}

// bearerToken parses "Bearer <token>" as Quay does: split on spaces, the
// scheme compared case-insensitively, exactly two parts.
func bearerToken(header string) (string, bool) {
	var parts [2]string
	n := 0
	for rest := header; ; {
		p, tail, more := strings.Cut(rest, " ")
		if p = strings.TrimSpace(p); p != "" {
			if n == len(parts) {
				return "", false // a third part
			}
			parts[n] = p
			n++
		}
		if !more {
			break
		}
		rest = tail
	}
	if n != 2 || !strings.EqualFold(parts[0], "bearer") {
		return "", false
	}
	return parts[1], true
}

// jwtIssuer reports whether token is a JWT by Quay's rule (its unverified
// header has typ "jwt" or "at+jwt") and, if so, its unverified issuer.
func jwtIssuer(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	var header struct {
		Typ string `json:"typ"`
	}
	if !decodeJWTPart(parts[0], &header) {
		return "", false
	}
	if typ := strings.ToLower(header.Typ); typ != "jwt" && typ != "at+jwt" {
		return "", false
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	decodeJWTPart(parts[1], &claims)
	return claims.Iss, true
}

func decodeJWTPart(part string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	return err == nil && json.Unmarshal(raw, v) == nil
}

// isBrowser approximates the ua-parser families Quay's
// require_xhr_from_browser treats as browsers (chrome, firefox, safari,
// opera, msie, ...). Edge and Chromium are not in Quay's list.
func isBrowser(ua string) bool {
	switch {
	case ua == "":
		return false
	case strings.Contains(ua, "Edg/"), strings.Contains(ua, "Edge/"), strings.Contains(ua, "Chromium/"):
		return false
	case strings.Contains(ua, "OPR/"), strings.Contains(ua, "Opera"):
		return true
	case strings.Contains(ua, "Firefox/"), strings.Contains(ua, "Chrome/"), strings.Contains(ua, "MSIE "):
		return true
	case strings.Contains(ua, "Safari/") && strings.Contains(ua, "Version/") && !strings.Contains(ua, "Mobile"):
		return true
	}
	return false
}
