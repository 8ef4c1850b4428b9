package fakequay

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The serving path takes shortcuts for the requests clients usually send
// (issue 14, goal 1). Each must answer exactly what the general code it
// skips would: these tests hold every shortcut against that code, on
// hand-picked inputs and on random ones from an alphabet of the characters
// that matter.

// randomQueries are deterministic random query strings over the
// characters query parsing and encoding treat specially.
func randomQueries(n int) []string {
	parts := []string{"a", "b", "limit", "next_page", "token", "Password", "=", "=", "&", "&", "%", "%2", "%3D", "+", ";", "~", ".", "1", "x y", "é"}
	r := rand.New(rand.NewPCG(14, 1))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		out[i] = b.String()
	}
	return out
}

var handPickedQueries = []string{
	"", "limit=100", "limit=100&next_page=gAAAAABp-x_1.~", "next_page=x&limit=100", "limit=1&limit=2", "limit=1&limit=1",
	"limit", "limit=", "=1", "&limit=1", "limit=1&", "limit=1&&b=2", "a=1;b=2", "a=%41", "a=x+y", "access_token=s", "Token=1",
	"a=1&b=2&c=3", "b=1&a=2", "a=é",
}

// TestRedactQueryShortcut: a query already in canonical form, with no
// secret, is journaled as it came; every query is journaled as url.Values
// would re-encode it, secrets redacted.
func TestRedactQueryShortcut(t *testing.T) {
	t.Parallel()
	general := func(raw string) string {
		if raw == "" {
			return ""
		}
		q, err := url.ParseQuery(raw)
		if err != nil {
			return "REDACTED"
		}
		for key := range q {
			for _, s := range secretParams {
				if strings.Contains(strings.ToLower(key), s) {
					for i := range q[key] {
						q[key][i] = "REDACTED"
					}
				}
			}
		}
		return q.Encode()
	}
	var diffs []string
	for _, raw := range append(slices.Clone(handPickedQueries), randomQueries(20000)...) {
		if got, want := redactQuery(raw), general(raw); got != want {
			diffs = append(diffs, raw+": got "+got+", want "+want)
		}
	}
	if len(diffs) > 0 {
		t.Errorf("redactQuery differs from ParseQuery+Encode on %d queries, e.g.:\n%s", len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
	}
	// The shortcut is taken where it should be, so it is tested at all.
	for raw, want := range map[string]bool{"limit=100&next_page=abc-_.~": true, "next_page=x&limit=1": false, "token=1": false, "a=x+y": false} {
		if got := canonicalQuery(raw); got != want {
			t.Errorf("canonicalQuery(%q) = %v, want %v", raw, got, want)
		}
	}
}

// TestQueryValuesShortcut: the values queryValues yields for a parameter
// are url.ParseQuery's, whether or not the query is plain.
func TestQueryValuesShortcut(t *testing.T) {
	t.Parallel()
	var diffs []string
	plain := 0
	for _, raw := range append(slices.Clone(handPickedQueries), randomQueries(20000)...) {
		want, _ := url.ParseQuery(raw)
		var values url.Values
		if plainQuery(raw) {
			plain++
		} else {
			values = want
		}
		for _, name := range []string{"a", "b", "limit", "next_page", "", "x y"} {
			got := slices.Collect(queryValues(raw, values, name))
			if !slices.Equal(got, want[name]) {
				diffs = append(diffs, raw+" ["+name+"]: got "+strings.Join(got, ",")+", want "+strings.Join(want[name], ","))
			}
		}
	}
	if len(diffs) > 0 {
		t.Errorf("queryValues differs from url.ParseQuery on %d lookups, e.g.:\n%s", len(diffs), strings.Join(diffs[:min(10, len(diffs))], "\n"))
	}
	if plain < 1000 {
		t.Errorf("only %d plain queries: the shortcut went untested", plain)
	}
}

// TestBearerToken is Quay's parsing of the Authorization header: split on
// spaces, parts trimmed, empty ones dropped, exactly two with a "bearer"
// scheme in any case.
func TestBearerToken(t *testing.T) {
	t.Parallel()
	type result struct {
		Token string
		OK    bool
	}
	tests := map[string]result{
		"Bearer abc":          {"abc", true},
		"bearer abc":          {"abc", true},
		"BEARER   abc  ":      {"abc", true},
		" Bearer\tabc":        {"", false}, // a tab does not split: one part "Bearer\tabc"
		"Bearer \tabc\t":      {"abc", true},
		"Bearer abc def":      {"", false},
		"Bearer":              {"", false},
		"":                    {"", false},
		"Basic abc":           {"", false},
		"Bearer  abc \t ":     {"abc", true},
		"x Bearer abc":        {"", false},
		"Bearer abc\u00a0def": {"abc\u00a0def", true},
	}
	got := map[string]result{}
	for header := range tests {
		tok, ok := bearerToken(header)
		got[header] = result{tok, ok}
	}
	if diff := cmp.Diff(tests, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestHeaderShortcuts: setCORS and setBodyHeaders set what Header.Set
// would, in values no other response shares.
func TestHeaderShortcuts(t *testing.T) {
	t.Parallel()
	want := http.Header{}
	for _, kv := range corsHeaders {
		want.Set(kv[0], kv[1])
	}
	want.Set("Content-Type", contentTypeJSON)
	want.Set("Content-Length", "48123")
	got := http.Header{}
	setCORS(got)
	setBodyHeaders(got, contentTypeJSON, 48123)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A client of the in-process transport may change its header map.
	got["Access-Control-Allow-Origin"][0] = "changed"
	got.Add("Content-Type", "more")
	again := http.Header{}
	setCORS(again)
	setBodyHeaders(again, contentTypeJSON, 48123)
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("after a client changed an earlier response's header (-want +got):\n%s", diff)
	}
}
