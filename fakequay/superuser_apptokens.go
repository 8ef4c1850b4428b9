package fakequay

import (
	"math"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// App tokens: reference §3 listAllAppTokens.

func appTokenRoutes() []*route {
	return []*route{{pattern: "/api/v1/superuser/apptokens", when: func(c *Config) bool { return c.FeatureAppSpecificTokens }, ops: map[string]*operation{
		http.MethodGet: {nickname: "listAllAppTokens", freshLogin: true, anyHost: true, query: []queryParam{
			{name: "expiring", kind: paramTruthyBool, help: "If true, only returns those tokens expiring soon"},
		}, handle: (*Server).listAllAppTokens},
	}}}
}

// defaultAppTokenExpiration is the lifetime Quay assumes for the "expiring
// soon" window when APP_SPECIFIC_TOKEN_EXPIRATION is unset.
const defaultAppTokenExpiration = "4w"

// listAllAppTokens: §3. Only global read-only superusers, and superusers
// when FEATURE_SUPERUSERS_FULL_ACCESS is on, may list every user's tokens.
// With a truthy ?expiring, only tokens that expire within the window and
// have not expired yet are listed.
func (s *Server) listAllAppTokens(c *call) error {
	if !c.isGlobalReadonly() && !(s.cfg.FeatureSuperusersFullAccess && c.isSuperuser()) {
		return unauthorized(c.who)
	}
	out := appTokenListView{Tokens: []appTokenView{}}
	expiring, given := c.queryArg("expiring").(bool)
	if given {
		out.OnlyExpiring = &expiring
	}
	add := func(t *store.AppToken) bool {
		out.Tokens = append(out.Tokens, appTokenView{UUID: t.UUID, Title: t.Title,
			LastAccessed: formatDate(t.LastAccessed), Created: formatDate(t.Created), Expiration: formatDate(t.Expiration)})
		return true
	}
	if expiring {
		soon, err := s.appTokensExpiringBy(c.now)
		if err != nil {
			return err
		}
		for _, t := range c.read.ExpiringAppTokens(c.now, soon) {
			add(t)
		}
	} else {
		c.read.AppTokens(add)
	}
	c.restful(http.StatusOK, out)
	return nil
}

// appTokensExpiringBy is the end of the "expiring soon" window that starts
// at now: a tenth of APP_SPECIFIC_TOKEN_EXPIRATION (or of 4w), rounded up to
// whole seconds and at least one when that rounds to 0. Where Quay's
// arithmetic raises (a malformed setting, a date past year 9999), the
// request crashes as in Quay.
func (s *Server) appTokensExpiringBy(now time.Time) (time.Time, error) {
	setting := defaultAppTokenExpiration
	if e := s.cfg.AppSpecificTokenExpiration; e != nil && *e != "" {
		setting = *e
	}
	lifetime, ok := quayTimedelta(setting)
	if !ok {
		return time.Time{}, &crashError{reason: "APP_SPECIFIC_TOKEN_EXPIRATION " + setting + " is not a Quay timedelta"}
	}
	window := int64(math.Ceil(float64(lifetime) * 0.1))
	if window == 0 {
		window = 1
	}
	end := now.Unix() + window
	if end < minPythonDatetime.Unix() || end > maxPythonDatetime.Unix() {
		return time.Time{}, &crashError{reason: "OverflowError: date value out of range"}
	}
	return time.Unix(end, int64(now.Nanosecond())).UTC(), nil
}

// The range of Python's datetime.
var (
	minPythonDatetime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxPythonDatetime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// timedeltaUnits are the suffixes Quay's convert_to_timedelta knows, in
// seconds.
var timedeltaUnits = map[rune]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400, 'y': 365 * 86400}

// quayTimedelta is Quay's util.timedeltastring.convert_to_timedelta, in
// whole seconds: Python's int() of everything but the last character, then
// that character as the unit. ok is false where Python raises: a bad
// number or unit (ValueError), or a result beyond timedelta's range of
// ±999999999 days (OverflowError).
func quayTimedelta(v string) (seconds int64, ok bool) {
	unit, size := utf8.DecodeLastRuneInString(v)
	num, ok := pythonInt(v[:len(v)-size])
	if !ok {
		return 0, false
	}
	per, ok := timedeltaUnits[unit]
	if !ok {
		return 0, false
	}
	const maxDays = 999999999
	lowest, highest := -maxDays*86400/per, (maxDays*86400+86399)/per
	if num < lowest || num > highest {
		return 0, false
	}
	return num * per, true
}

// formatDate is Quay's format_date: RFC 2822 with "-0000", or null for a
// missing date.
func formatDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := quaytime.FormatRFC2822(t)
	return &s
}
