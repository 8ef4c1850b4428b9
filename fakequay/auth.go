package fakequay

import (
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
	// viaSession: the user signed in with a session cookie, which Quay
	// grants every scope (QuayDeferredPermissionUser's direct_login).
	viaSession bool
}

// sessionScopes is what a session caller may do: every scope.
var sessionScopes = &store.Token{Scopes: quayScopes}

// scopes is the token whose scopes bound the caller: the bearer's, every
// scope for a session, nil for none.
func (p principal) scopes() *store.Token {
	if p.viaSession {
		return sessionScopes
	}
	return p.token
}

// authenticate is Quay's process_oauth for bearer tokens (reference §1.1,
// §1.2). An unknown or expired token, or one whose user is disabled, leaves
// the caller anonymous rather than failing; only a JWT-shaped bearer (an
// SSO token, which fakequay has no issuer for) aborts with 401. Basic auth
// and session cookies are not API credentials here, as in Quay. rd is the
// request's view of the store.
func (s *Server) authenticate(r *http.Request, rd store.Reader) (principal, error) {
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

// jwtIssuer reports whether token is a JWT by Quay's rule
// (util/security/jwtutil.py is_jwt: PyJWT's get_unverified_header loads
// without a DecodeError and the header's typ is "jwt" or "at+jwt") and, if
// so, its unverified issuer. PyJWT's _load (jwt/api_jws.py) cuts the token
// at its last dot, then the rest at its first, and decodes all three
// segments: a signature that is not base64 makes the token no JWT, and
// Quay then looks it up as an app token.
func jwtIssuer(token string) (string, bool) {
	signing, crypto, ok := cutLast(token, ".")
	if !ok {
		return "", false
	}
	head, payload, ok := strings.Cut(signing, ".")
	if !ok {
		return "", false
	}
	headerJSON, ok := pyBase64URLDecode(head)
	if !ok {
		return "", false
	}
	var header struct {
		Typ string `json:"typ"`
	}
	// json.loads must give a dict: "null" is no header.
	if t := strings.TrimLeft(string(headerJSON), " \t\r\n"); !strings.HasPrefix(t, "{") || json.Unmarshal(headerJSON, &header) != nil {
		return "", false
	}
	claimsJSON, ok := pyBase64URLDecode(payload)
	if !ok {
		return "", false
	}
	if _, ok := pyBase64URLDecode(crypto); !ok {
		return "", false
	}
	if typ := strings.ToLower(header.Typ); typ != "jwt" && typ != "at+jwt" {
		return "", false
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	_ = json.Unmarshal(claimsJSON, &claims)
	return claims.Iss, true
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// pyBase64URLDecode is PyJWT's base64url_decode (jwt/utils.py): "=" pads
// the input to a multiple of four by its length, then Python's
// base64.urlsafe_b64decode decodes it the lenient way (binascii.a2b_base64
// without strict_mode): characters outside the alphabet are skipped, a
// complete pad ends the input, and a last group of one character, or of
// two or three without their pads, is an error.
func pyBase64URLDecode(s string) ([]byte, bool) {
	if rem := len(s) % 4; rem > 0 {
		s += strings.Repeat("=", 4-rem)
	}
	var out []byte
	var acc uint32
	quad, pads := 0, 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					return out, true
				}
			}
			continue
		}
		v, ok := base64Value(ch)
		if !ok {
			continue
		}
		pads = 0
		acc = acc<<6 | uint32(v)
		quad++
		switch quad {
		case 2:
			out = append(out, byte(acc>>4))
			acc &= 0xf
		case 3:
			out = append(out, byte(acc>>2))
			acc &= 0x3
		case 4:
			out = append(out, byte(acc))
			acc, quad = 0, 0
		}
	}
	return out, quad == 0
}

// base64Value is a character's value in base64 after urlsafe_b64decode's
// translation of "-" and "_" to "+" and "/" (so all four are valid).
func base64Value(ch byte) (byte, bool) {
	switch {
	case ch >= 'A' && ch <= 'Z':
		return ch - 'A', true
	case ch >= 'a' && ch <= 'z':
		return ch - 'a' + 26, true
	case ch >= '0' && ch <= '9':
		return ch - '0' + 52, true
	case ch == '+' || ch == '-':
		return 62, true
	case ch == '/' || ch == '_':
		return 63, true
	}
	return 0, false
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
