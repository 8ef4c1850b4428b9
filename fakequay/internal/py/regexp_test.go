package py

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRegexpMatchesPython runs re.search and re.match cases recorded from
// CPython, including Quay's patterns of reference §1.10.
func TestRegexpMatchesPython(t *testing.T) {
	t.Parallel()
	for _, g := range readGolden(t).Regexps {
		re, err := CompileRegexp(g.Pattern)
		if err != nil {
			t.Errorf("CompileRegexp(%q): %v", g.Pattern, err)
			continue
		}
		for _, c := range g.Cases {
			got := [2]bool{Search(re, c.Text), Match(re, c.Text)}
			want := [2]bool{c.Search, c.Match}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pattern %q on %q: [search match] mismatch (-want +got):\n%s", g.Pattern, c.Text, diff)
			}
		}
	}
}

// Quay's own patterns (§1.10), checked with the function Quay uses for each.
func TestQuayPatterns(t *testing.T) {
	t.Parallel()
	username := MustCompileRegexp(`^([a-z0-9]+(?:[._-][a-z0-9]+)*)$`)
	friendlyName := MustCompileRegexp(`^[\s a-zA-Z0-9\-_:/]*$`)
	service := MustCompileRegexp(`^[a-z0-9_]+$`)
	quotaLimit := MustCompileRegexp(`^(\d+\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$`)
	tests := []struct {
		name  string
		check func(string) bool
		text  string
		want  bool
	}{
		{"username plain", func(s string) bool { return Match(username, s) }, "new.user-1", true},
		{"username final newline passes, as $ allows", func(s string) bool { return Match(username, s) }, "alice\n", true},
		{"username upper case", func(s string) bool { return Match(username, s) }, "Alice", false},
		{"username double separator", func(s string) bool { return Match(username, s) }, "a..b", false},
		{"friendly name with Unicode space", func(s string) bool { return Match(friendlyName, s) }, "ci\u3000key", true},
		{"friendly name with dot", func(s string) bool { return Match(friendlyName, s) }, "ci.key", false},
		{"friendly name empty", func(s string) bool { return Match(friendlyName, s) }, "", true},
		{"service name", func(s string) bool { return Match(service, s) }, "my_service", true},
		{"service name with dash", func(s string) bool { return Match(service, s) }, "my-service", false},
		{"quota with Arabic-Indic digits", func(s string) bool { return Search(quotaLimit, s) }, "\u0665 GiB", true},
		{"quota decimal", func(s string) bool { return Search(quotaLimit, s) }, "1.5G", false},
		{"quota two spaces", func(s string) bool { return Search(quotaLimit, s) }, "5  G", false},
		{"password whitespace check (re.search \\s)", func(s string) bool { return Search(MustCompileRegexp(`\s`), s) }, "pass\u00a0word", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.check(tt.text)); diff != "" {
				t.Errorf("check(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestCompileRegexpRejects(t *testing.T) {
	t.Parallel()
	for _, pattern := range []string{
		`(a)\1`, `(?P<n>a)(?P=n)`, `a(?=b)`, `a(?!b)`, `(?<=a)b`, `(?>a)`, `(?(1)a|b)`,
		`\bword\b`, `(?x) a b`, `a(?i)b`, `\q`, `[\q]`, `\N{DIGIT ONE}`, `[a-\d]`, `[z-a]`,
		`[abc`, `(a`, `a)`, `\x4`, `\u12`, "\xed\xa0\x80", `a{2000}`,
	} {
		if re, err := CompileRegexp(pattern); err == nil {
			t.Errorf("CompileRegexp(%q) = %v; want an error", pattern, re)
		}
	}
}

func TestCompileRegexpTranslation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, want string
	}{
		{`^a$`, `\Aa(?:\n?\z)`},
		{`(?m)^a$`, `(?m:^)a(?m:$)`},
		{`\d\D`, `[\p{Nd}][^\p{Nd}]`},
		{`(?a)\w\b`, `[0-9A-Z_a-z]\b`},
		{`[\d.]`, `[\p{Nd}\x{2e}]`},
		{`x{,3}y{}`, `x{0,3}y\{\}`},
		{`(?i:a)(?s-i:b)`, `(?i:a)(?s-i:b)`},
	}
	for _, tt := range tests {
		re, err := CompileRegexp(tt.pattern)
		if err != nil {
			t.Errorf("CompileRegexp(%q): %v", tt.pattern, err)
			continue
		}
		if diff := cmp.Diff(tt.want, re.String()); diff != "" {
			t.Errorf("CompileRegexp(%q) mismatch (-want +got):\n%s", tt.pattern, diff)
		}
	}
}

// FuzzCompileRegexp checks that translation never panics.
func FuzzCompileRegexp(f *testing.F) {
	for _, seed := range []string{`^[\s a-zA-Z0-9\-_:/]*$`, `(?m)^(\d+)$`, `[^]\W-]`, `a{,2}`, `(?i:x)\Z`} {
		f.Add(seed, "text")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		re, err := CompileRegexp(pattern)
		if err != nil {
			return
		}
		_ = Match(re, text)
		_ = Search(re, text)
	})
}
