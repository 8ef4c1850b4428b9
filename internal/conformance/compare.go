package conformance

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Diff is one difference between two answers: Field is "status", a header
// ("header Allow"), "body" (a non-JSON body, or JSON of another shape),
// "format" (the same JSON values written differently), or a JSON path
// ("$.users[3].email").
type Diff struct {
	Field      string
	Real, Fake string
}

func (d Diff) String() string {
	return fmt.Sprintf("%s: real %s, fake %s", d.Field, clip(d.Real), clip(d.Fake))
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}

// ignoredHeaders are the server's own headers (werkzeug's dev server stands
// in for gunicorn, and Go's net/http for both) and the framing headers,
// which follow from the body compared anyway.
var ignoredHeaders = []string{"Server", "Date", "Connection", "Keep-Alive", "Content-Length", "Transfer-Encoding"}

// Compare lists the differences between the real and the fake answer after
// normalising what is random by nature; realVars and fakeVars are each
// server's captured values, which are replaced by their names.
func Compare(real, fake *Response, realVars, fakeVars map[string]string) []Diff {
	var diffs []Diff
	if real.Status != fake.Status {
		diffs = append(diffs, Diff{"status", strconv.Itoa(real.Status), strconv.Itoa(fake.Status)})
	}
	diffs = append(diffs, compareHeaders(real.Header, fake.Header, realVars, fakeVars)...)
	return append(diffs, compareBodies(real.Body, fake.Body, realVars, fakeVars)...)
}

func compareHeaders(real, fake http.Header, realVars, fakeVars map[string]string) []Diff {
	var names []string
	for _, h := range []http.Header{real, fake} {
		for name := range h {
			if !slices.Contains(ignoredHeaders, name) && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	var diffs []Diff
	for _, name := range names {
		r := substitute(strings.Join(real.Values(name), "\n"), realVars)
		f := substitute(strings.Join(fake.Values(name), "\n"), fakeVars)
		switch name {
		case "Allow":
			r, f = sortedList(r), sortedList(f)
		case "Set-Cookie":
			r, f = sessionCookie(r, real.Get("Date")), sessionCookie(f, fake.Get("Date"))
		}
		if r != f {
			diffs = append(diffs, Diff{"header " + name, show(r, real, name), show(f, fake, name)})
		}
	}
	return diffs
}

// sessionCookie normalises a Flask session cookie (Set-Cookie values, one
// a line): its value, data signed with each server's own SECRET_KEY, is
// "VALUE" (the session's content is compared through what the servers
// then do with it), and its Expires date is given relative to the
// answer's Date header, to the minute ("Date+44640m"): the servers
// compute both at about the same moment, not the same second.
func sessionCookie(v, date string) string {
	sent, err := http.ParseTime(date)
	lines := strings.Split(v, "\n")
	for i, line := range lines {
		parts := strings.Split(line, "; ")
		if name, _, ok := strings.Cut(parts[0], "="); ok {
			parts[0] = name + "=VALUE"
		}
		for j, part := range parts {
			if at, ok := strings.CutPrefix(part, "Expires="); ok && err == nil {
				if t, perr := http.ParseTime(at); perr == nil && t.Unix() != 0 {
					parts[j] = "Expires=Date+" + strconv.FormatInt(int64(t.Sub(sent).Round(time.Minute)/time.Minute), 10) + "m"
				}
			}
		}
		lines[i] = strings.Join(parts, "; ")
	}
	return strings.Join(lines, "\n")
}

// sortedList sorts the items of a comma-separated header. Werkzeug builds
// a 405's Allow header from a set, so its order follows the process's hash
// seed: two Quay processes order the same methods differently.
func sortedList(v string) string {
	items := strings.Split(v, ", ")
	slices.Sort(items)
	return strings.Join(items, ", ")
}

func show(v string, h http.Header, name string) string {
	if _, ok := h[name]; !ok {
		return "(absent)"
	}
	return strconv.Quote(v)
}

// compareBodies compares JSON bodies value by value, then their formatting
// (separators, spacing, escapes) with the values taken out; any other body
// byte for byte.
func compareBodies(real, fake []byte, realVars, fakeVars map[string]string) []Diff {
	rt, rerr := parseJSON(real)
	ft, ferr := parseJSON(fake)
	if rerr != nil || ferr != nil {
		r, f := substitute(string(real), realVars), substitute(string(fake), fakeVars)
		if r != f {
			return []Diff{{"body", strconv.Quote(r), strconv.Quote(f)}}
		}
		return nil
	}
	rt.normalise(realVars, "")
	ft.normalise(fakeVars, "")
	var diffs []Diff
	diffTrees("$", rt, ft, &diffs)
	if len(diffs) == 0 && !bytes.Equal(skeleton(real), skeleton(fake)) {
		diffs = append(diffs, Diff{"format", strconv.Quote(string(skeleton(real))), strconv.Quote(string(skeleton(fake)))})
	}
	return diffs
}

// node is a JSON value that keeps what a byte comparison would see: the
// order of object members, and scalars as written (strings with their
// quotes and escapes, numbers as their literal).
type node struct {
	kind    byte // '{', '[', or 's' for a scalar
	keys    []string
	members []*node // an object's values, or an array's items
	raw     string  // a scalar's literal
}

func parseJSON(b []byte) (*node, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseValue(dec, b)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("trailing data")
	}
	return n, nil
}

func parseValue(dec *json.Decoder, src []byte) (*node, error) {
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{kind: '{'}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseValue(dec, src)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k.(string))
			n.members = append(n.members, v)
		}
		_, err := dec.Token()
		return n, err
	case json.Delim('['):
		n := &node{kind: '['}
		for dec.More() {
			v, err := parseValue(dec, src)
			if err != nil {
				return nil, err
			}
			n.members = append(n.members, v)
		}
		_, err := dec.Token()
		return n, err
	}
	// The literal as written: from the first non-space byte after the
	// previous token (and its ':' or ',') to where the decoder stopped.
	lit := bytes.TrimLeft(src[start:dec.InputOffset()], " \t\r\n:,")
	return &node{kind: 's', raw: string(lit)}, nil
}

// deletedName is the name Quay gives a namespace it marks for deletion
// (data/model/user.py mark_namespace_for_deletion: str(uuid4())), as a
// JSON string.
var deletedName = regexp.MustCompile(`^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`)

// masked are members whose value is random by nature, by key: generated
// passwords (createInstallUser), a new key's private and public halves
// (createServiceKey), page tokens (encrypted with a random IV), a private
// repository's status_token (its badge token, a uuid4), and the
// database ids in audit-log metadata, of the OAuth token and of a
// namespace (take_ownership's entity_id), which a seed cannot set: Quay's
// user table counts robots, which the seed has none of.
var masked = []string{"password", "encrypted_password", "private_key", "public_key", "next_page", "oauth_token_id", "entity_id", "status_token"}

// normalise rewrites n in place: captured values become {name}, masked
// members "<random>", the modulus of a key the run created "<modulus>",
// the color of an avatar whose hash was captured, the random name (and so
// the avatar) a deleted namespace carries until it is purged, a robot's
// avatar (drawn from its random e-mail address), and the list of
// aggregated log counts is sorted (Quay's
// GROUP BY has no ORDER BY).
func (n *node) normalise(vars map[string]string, key string) {
	switch n.kind {
	case 's':
		if slices.Contains(masked, key) && n.raw != "null" {
			n.raw = `"<random>"`
			return
		}
		n.raw = substitute(n.raw, vars)
	case '{':
		for i, k := range n.keys {
			n.members[i].normalise(vars, k)
		}
		// A namespace deleted during the run: Quay renames it to a random
		// uuid until the purge, and its avatar follows the name.
		if name, avatar := slices.Index(n.keys, "name"), slices.Index(n.keys, "avatar"); name >= 0 && avatar >= 0 &&
			deletedName.MatchString(n.members[name].raw) {
			n.members[name].raw = `"<deleted namespace>"`
			n.members[avatar] = &node{kind: 's', raw: `"<avatar of a deleted namespace>"`}
		}
		// A robot's avatar: Quay hashes the robot's e-mail, a uuid4 that
		// create_robot draws (data/model/user.py create_robot) and no API
		// shows, so a seed cannot copy it.
		if kind := slices.Index(n.keys, "kind"); key == "avatar" && kind >= 0 && n.members[kind].raw == `"robot"` {
			for _, k := range []string{"hash", "color"} {
				if i := slices.Index(n.keys, k); i >= 0 {
					n.members[i].raw = `"<robot avatar>"`
				}
			}
		}
		// A robot's avatar: its hash and colour come from the e-mail
		// address Quay gives a robot, a uuid4 (create_robot).
		if robot, avatar := slices.Index(n.keys, "is_robot"), slices.Index(n.keys, "avatar"); robot >= 0 && avatar >= 0 &&
			n.members[robot].raw == "true" && n.members[avatar].kind == '{' {
			n.members[avatar] = &node{kind: 's', raw: `"<avatar of a robot>"`}
		}
		// The modulus of a key the run created: its kid is a captured
		// variable by now. Keys of the starting state keep theirs, which
		// the snapshot copied.
		if kid := slices.Index(n.keys, "kid"); key == "jwk" && kid >= 0 && strings.HasPrefix(n.members[kid].raw, `"{`) {
			if i := slices.Index(n.keys, "n"); i >= 0 {
				n.members[i].raw = `"<modulus>"`
			}
		}
	case '[':
		for _, m := range n.members {
			m.normalise(vars, "")
		}
		if key == "aggregated" {
			slices.SortStableFunc(n.members, func(a, b *node) int { return cmp.Compare(a.render(), b.render()) })
		}
	}
}

// render writes n compactly, for sorting and for reports.
func (n *node) render() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case 's':
		b.WriteString(n.raw)
	case '{':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			n.members[i].write(b)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			m.write(b)
		}
		b.WriteByte(']')
	}
}

// substitute replaces each captured value (of eight characters or more, so
// that short values such as a quota id are left alone) with its name.
func substitute(s string, vars map[string]string) string {
	for _, name := range sortedNames(vars) {
		if v := vars[name]; len(v) >= 8 {
			s = strings.ReplaceAll(s, v, "{"+name+"}")
		}
	}
	return s
}

// sortedNames orders variable names longest value first, so that a value
// holding another is replaced whole.
func sortedNames(vars map[string]string) []string {
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(vars[b]), len(vars[a])), strings.Compare(a, b))
	})
	return names
}

func diffTrees(path string, real, fake *node, diffs *[]Diff) {
	if real.kind != fake.kind {
		*diffs = append(*diffs, Diff{path, real.render(), fake.render()})
		return
	}
	switch real.kind {
	case 's':
		if real.raw != fake.raw && !sameMoment(real.raw, fake.raw) && !sameEpoch(path, real.raw, fake.raw) {
			*diffs = append(*diffs, Diff{path, real.raw, fake.raw})
		}
	case '[':
		for i := range max(len(real.members), len(fake.members)) {
			p := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case i >= len(real.members):
				*diffs = append(*diffs, Diff{p, "(absent)", fake.members[i].render()})
			case i >= len(fake.members):
				*diffs = append(*diffs, Diff{p, real.members[i].render(), "(absent)"})
			default:
				diffTrees(p, real.members[i], fake.members[i], diffs)
			}
		}
	case '{':
		if !slices.Equal(real.keys, fake.keys) {
			rk, fk := set(real.keys), set(fake.keys)
			if slices.Equal(sorted(real.keys), sorted(fake.keys)) {
				*diffs = append(*diffs, Diff{path + " key order", strings.Join(real.keys, ","), strings.Join(fake.keys, ",")})
			}
			for i, k := range real.keys {
				if !fk[k] {
					*diffs = append(*diffs, Diff{path + "." + k, real.members[i].render(), "(absent)"})
				}
			}
			for i, k := range fake.keys {
				if !rk[k] {
					*diffs = append(*diffs, Diff{path + "." + k, "(absent)", fake.members[i].render()})
				}
			}
		}
		for i, k := range real.keys {
			if j := slices.Index(fake.keys, k); j >= 0 {
				diffTrees(path+"."+k, real.members[i], fake.members[j], diffs)
			}
		}
	}
}

func set(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func sorted(keys []string) []string { return slices.Sorted(slices.Values(keys)) }

// timeLayouts are the ways Quay writes a time: RFC 2822 with -0000 (most
// views), HTTP-date (jsonify), RFC 3339 (mirror health), and Python's
// str(datetime) (build-log data).
var timeLayouts = []string{
	"Mon, 02 Jan 2006 15:04:05 -0000", time.RFC1123, time.RFC3339Nano, "2006-01-02 15:04:05.999999",
}

// timeTolerance is how far apart the two servers may stamp one request:
// each is asked within a few seconds of the other, and reads of a loaded
// Quay take up to a few seconds more.
const timeTolerance = 2 * time.Minute

// sameMoment reports whether two JSON strings are times written the same
// way and at most timeTolerance apart: a time the servers stamped during
// the run (a row created, "now" in a default window).
func sameMoment(a, b string) bool {
	var sa, sb string
	if json.Unmarshal([]byte(a), &sa) != nil || json.Unmarshal([]byte(b), &sb) != nil {
		return false
	}
	if shape(sa) != shape(sb) {
		return false // written differently: a difference, however close
	}
	for _, layout := range timeLayouts {
		ta, errA := time.Parse(layout, sa)
		tb, errB := time.Parse(layout, sb)
		if errA == nil && errB == nil {
			return ta.Sub(tb).Abs() <= timeTolerance
		}
	}
	return false
}

// sameEpoch reports whether two numbers under a member named like a date
// ("created_date", "expiration_date" in audit-log metadata: Unix seconds;
// "last_ran" and change_tag_expiration's "old_expiration_date", which is
// set_tag_end_ms's lifetime_end_ms: Unix milliseconds; a tag's "start_ts"
// and "end_ts": Unix seconds) are moments at most timeTolerance apart.
func sameEpoch(path, a, b string) bool {
	key := path[strings.LastIndexByte(path, '.')+1:]
	if !strings.HasSuffix(key, "_date") && key != "last_ran" && key != "start_ts" && key != "end_ts" {
		return false
	}
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA != nil || errB != nil {
		return false
	}
	unit := time.Second
	if key == "last_ran" || key == "old_expiration_date" {
		unit = time.Millisecond
	}
	return time.Duration(max(x-y, y-x))*unit <= timeTolerance
}

// shape is s with every letter and digit replaced by 'x': two times of one
// format have the same shape.
func shape(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b[i] = 'x'
		}
	}
	return string(b)
}

// skeleton is a JSON document with every string and number taken out: what
// is left is its formatting (separators, spaces, nesting), which Quay's
// json.dumps and jsonify write differently.
func skeleton(b []byte) []byte {
	out := make([]byte, 0, len(b)/4)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			out = append(out, '"', '"')
		case c == '-' || (c >= '0' && c <= '9'):
			for i+1 < len(b) && strings.IndexByte("0123456789.eE+-", b[i+1]) >= 0 {
				i++
			}
			out = append(out, '0')
		default:
			out = append(out, c)
		}
	}
	return out
}
