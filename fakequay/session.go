package fakequay

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Quay's browser sessions are Flask's: the session's data travels in a
// cookie (SESSION_COOKIE_NAME, "_csrf_token") signed with SECRET_KEY by
// itsdangerous (SecureCookieSessionInterface), and flask-login keeps the
// signed-in user in it. fakequay signs its cookies the same way with the
// SECRET_KEY its config dump shows, so the cookie is one a Flask app with
// that key reads, and holds what Quay's holds, except _user_id (see
// flaskSession).

// sessionCookieName is Quay's SESSION_COOKIE_NAME (config.py).
const sessionCookieName = "_csrf_token"

// flaskSession is the session's data, with the keys Quay and flask-login
// write. Empty fields are absent keys.
type flaskSession struct {
	CSRF string // _csrf_token (endpoints/csrf.py)
	// Fresh is flask-login's _fresh: nil absent.
	Fresh *bool
	// ID is flask-login's _id, the session-protection identifier of the
	// client that signed in (_create_identifier).
	ID        string
	Permanent bool // _permanent
	// UserID is flask-login's _user_id. Quay stores the user's uuid;
	// fakequay stores "<user id>.<session id>", the session id standing
	// for the uuid (store.Credential.SessionID).
	UserID string
	// LoginTime is common_login's login_time (zero: absent), to the second
	// as Flask's tagged JSON keeps a datetime.
	LoginTime time.Time

	// modified is SecureCookieSession's flag; call.session stands for
	// its accessed.
	modified bool
}

func (f *flaskSession) empty() bool {
	return f.CSRF == "" && f.Fresh == nil && f.ID == "" && !f.Permanent && f.UserID == "" && f.LoginTime.IsZero()
}

// sessionJSON is the session as Flask's TaggedJSONSerializer writes it:
// keys sorted, a datetime as {" d": http_date}.
type sessionJSON struct {
	CSRF      string          `json:"_csrf_token,omitempty"`
	Fresh     *bool           `json:"_fresh,omitempty"`
	ID        string          `json:"_id,omitempty"`
	Permanent bool            `json:"_permanent,omitempty"`
	UserID    string          `json:"_user_id,omitempty"`
	LoginTime *taggedDatetime `json:"login_time,omitempty"`
}

type taggedDatetime struct {
	D string `json:" d"`
}

// sessionLifetime is PERMANENT_SESSION_LIFETIME, which Quay sets from
// SESSION_TIMEOUT: how long a permanent cookie lasts, and how old a
// signature Flask still accepts.
func (s *Server) sessionLifetime() time.Duration {
	secs, _ := quayTimedelta(s.cfg.SessionTimeout)
	return time.Duration(secs) * time.Second
}

// sessionKey is itsdangerous' derived key for Flask's session: HMAC-SHA1
// of the salt "cookie-session" under SECRET_KEY (key_derivation "hmac").
func (s *Server) sessionKey() []byte {
	m := hmac.New(sha1.New, []byte(s.secretKey()))
	m.Write([]byte("cookie-session"))
	return m.Sum(nil)
}

// openSession is SecureCookieSessionInterface.open_session: the request's
// cookie, if its signature is good and younger than the session lifetime;
// otherwise an empty session. It reads it into sess, the call's own
// storage (no allocation a request), and returns sess.
func (s *Server) openSession(r *http.Request, now time.Time, sess *flaskSession) *flaskSession {
	*sess = flaskSession{}
	ck, err := r.Cookie(sessionCookieName)
	if err != nil || ck.Value == "" {
		return sess
	}
	value := ck.Value
	dot := strings.LastIndexByte(value, '.')
	if dot < 0 {
		return sess
	}
	signed, sig := value[:dot], value[dot+1:]
	want := s.sign(signed)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return sess
	}
	dot = strings.LastIndexByte(signed, '.')
	if dot < 0 {
		return sess
	}
	payload, ts := signed[:dot], signed[dot+1:]
	tsBytes, err := base64.RawURLEncoding.DecodeString(ts)
	if err != nil || len(tsBytes) > 8 {
		return sess
	}
	var buf [8]byte
	copy(buf[8-len(tsBytes):], tsBytes)
	signedAt := time.Unix(int64(binary.BigEndian.Uint64(buf[:])), 0)
	if now.Sub(signedAt) > s.sessionLifetime() {
		return sess
	}
	compressed := strings.HasPrefix(payload, ".")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(payload, "."))
	if err != nil {
		return sess
	}
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return sess
		}
		if raw, err = io.ReadAll(io.LimitReader(zr, 1<<16)); err != nil {
			return sess
		}
	}
	var sj sessionJSON
	if json.Unmarshal(raw, &sj) != nil {
		return sess
	}
	sess.CSRF, sess.Fresh, sess.ID, sess.Permanent, sess.UserID = sj.CSRF, sj.Fresh, sj.ID, sj.Permanent, sj.UserID
	if sj.LoginTime != nil {
		if t, err := http.ParseTime(sj.LoginTime.D); err == nil {
			sess.LoginTime = t.UTC()
		}
	}
	return sess
}

// sign is itsdangerous' Signer.get_signature: HMAC-SHA1 under the derived
// key, base64url without padding.
func (s *Server) sign(value string) string {
	m := hmac.New(sha1.New, s.sessionKey())
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cookieValue is URLSafeTimedSerializer.dumps of the session at now: the
// JSON (zlib-compressed behind a "." when that is shorter), base64url, the
// timestamp and the signature.
func (s *Server) cookieValue(sess *flaskSession, now time.Time) string {
	sj := sessionJSON{CSRF: sess.CSRF, Fresh: sess.Fresh, ID: sess.ID, Permanent: sess.Permanent, UserID: sess.UserID}
	if !sess.LoginTime.IsZero() {
		sj.LoginTime = &taggedDatetime{D: sess.LoginTime.UTC().Format(http.TimeFormat)}
	}
	raw, err := json.Marshal(sj)
	if err != nil {
		panic("fakequay: encoding a session: " + err.Error())
	}
	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	payload := base64.RawURLEncoding.EncodeToString(raw)
	if zb.Len() < len(raw)-1 {
		payload = "." + base64.RawURLEncoding.EncodeToString(zb.Bytes())
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(now.Unix()))
	i := 0
	for i < 7 && ts[i] == 0 {
		i++
	}
	signed := payload + "." + base64.RawURLEncoding.EncodeToString(ts[i:])
	return signed + "." + s.sign(signed)
}

// saveSession is SecureCookieSessionInterface.save_session, run as the
// answer's headers are written: "Cookie" joins Vary when the request read
// the session; an emptied session that changed deletes the cookie; a
// changed or permanent one (SESSION_REFRESH_EACH_REQUEST) is sent again,
// with an expiry when permanent. Werkzeug's dump_cookie orders the
// attributes: Expires, Max-Age, HttpOnly, Path, SameSite.
func (c *call) saveSession() {
	if c.session {
		h := c.w.Header()
		switch v := h.Get("Vary"); {
		case v == "":
			h.Set("Vary", "Cookie")
		case !strings.Contains(v, "Cookie"):
			h.Set("Vary", v+", Cookie")
		}
	}
	sess := c.sess
	if sess == nil {
		return
	}
	if sess.empty() {
		if sess.modified {
			c.w.Header().Add("Set-Cookie", sessionCookieName+"=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/; SameSite=Lax")
		}
		return
	}
	if !sess.modified && !sess.Permanent {
		return
	}
	cookie := sessionCookieName + "=" + c.s.cookieValue(sess, c.now)
	if sess.Permanent {
		cookie += "; Expires=" + c.now.Add(c.s.sessionLifetime()).UTC().Format(http.TimeFormat)
	}
	c.w.Header().Add("Set-Cookie", cookie+"; HttpOnly; Path=/; SameSite=Lax")
}

// csrfToken is generate_csrf_token: the session's token, a new one (48
// random bytes, base64url) when it has none or force is set.
func (c *call) csrfToken(force bool) string {
	c.session = true
	if c.sess.CSRF == "" || force {
		var b [48]byte
		_, _ = c.s.rand.Read(b[:])
		c.sess.CSRF = base64.URLEncoding.EncodeToString(b[:])
		c.sess.modified = true
	}
	return c.sess.CSRF
}

// sessionIdentifier is flask-login's _create_identifier: SHA-512 of
// "<remote address>|<user agent>", both as Python prints bytes.
func (c *call) sessionIdentifier() string {
	addr := c.r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if xff, ok := c.r.Header["X-Forwarded-For"]; ok && len(xff) > 0 {
		addr, _, _ = strings.Cut(xff[0], ",")
		addr = strings.TrimSpace(addr)
	}
	ua := "None"
	if v, ok := c.r.Header["User-Agent"]; ok && len(v) > 0 {
		ua = pyBytesRepr(v[0])
	}
	sum := sha512.Sum512([]byte(pyBytesRepr(addr) + "|" + ua))
	return hex.EncodeToString(sum[:])
}

// pyBytesRepr is Python's repr of s encoded as UTF-8 bytes: b'...' with
// \\, \', \t, \n, \r and other bytes outside printable ASCII escaped
// (double quotes around it when s holds a ' and no ").
func pyBytesRepr(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b := []byte{'b', quote}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == quote || ch == '\\':
			b = append(b, '\\', ch)
		case ch == '\t':
			b = append(b, '\\', 't')
		case ch == '\n':
			b = append(b, '\\', 'n')
		case ch == '\r':
			b = append(b, '\\', 'r')
		case ch < 0x20 || ch >= 0x7f:
			b = append(b, '\\', 'x', "0123456789abcdef"[ch>>4], "0123456789abcdef"[ch&15])
		default:
			b = append(b, ch)
		}
	}
	return string(append(b, quote))
}

// sessionPrincipal is validate_session_cookie behind flask-login's
// current_user: session protection first (a non-empty session signed in
// from another client, or never signed in, loses _fresh), then the user
// _user_id names, refused (anonymous) when the session id is stale (Quay:
// no user has that uuid any more), the user disabled, or an organization.
func (c *call) sessionPrincipal() principal {
	c.session = true
	sess := c.sess
	if !sess.empty() && sess.ID != c.sessionIdentifier() {
		if sess.Fresh == nil || *sess.Fresh {
			f := false
			sess.Fresh = &f
			sess.modified = true
		}
	}
	if sess.UserID == "" {
		return principal{}
	}
	idText, sid, ok := strings.Cut(sess.UserID, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return principal{}
	}
	rd := c.read
	u, found := rd.NamespaceByID(id)
	if !found || rd.Credential(id).SessionID != sid || !u.Enabled || !u.IsUser() {
		return principal{}
	}
	return principal{user: u, viaSession: true}
}

// commonLogin is endpoints/common.py common_login for user u: flask-login's
// login_user (refused, false, for an unverified user: is_active), then
// login_time, a permanent session (FEATURE_PERMANENT_SESSIONS) and a new
// CSRF token, which the answer carries in X-Next-CSRF-Token.
func (c *call) commonLogin(u *store.Namespace) bool {
	if !u.Verified {
		return false
	}
	c.session = true
	sess := c.sess
	sess.UserID = strconv.FormatInt(u.ID, 10) + "." + c.s.store.Read().Credential(u.ID).SessionID
	t := true
	sess.Fresh = &t
	sess.ID = c.sessionIdentifier()
	sess.LoginTime = c.now.UTC().Truncate(time.Second)
	sess.Permanent = c.s.cfg.FeaturePermanentSessions
	sess.modified = true
	c.w.Header().Set("X-Next-CSRF-Token", c.csrfToken(true))
	return true
}

// logoutUser is flask-login's logout_user: _user_id, _fresh and _id leave
// the session (a change only when one was there).
func (c *call) logoutUser() {
	sess := c.sess
	if sess.UserID != "" || sess.Fresh != nil || sess.ID != "" {
		sess.UserID, sess.Fresh, sess.ID = "", nil, ""
		sess.modified = true
	}
}
