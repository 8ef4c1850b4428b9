package py

import (
	"strings"
	"unicode/utf8"
)

// PFormat is Python's pprint.pformat(v, indent=1, width=width) with
// sort_dicts=True for decoded values: a value whose one-line repr (dict keys
// sorted) fits in the remaining width prints on one line; otherwise a dict
// puts one key per line, a list one element per line, and a str is cut into
// adjacent literals at line ends and after runs of whitespace. jsonschema
// builds its error text from pformat(schema, width=72) and
// pformat(instance, width=72) (reference §1.6). Python rejects width 0 with
// ValueError; here it just breaks every container.
func PFormat(v any, width int) string {
	p := printer{width: width}
	p.format(v, 0, 0, 0)
	return p.out.String()
}

// printer holds the state of one PFormat call; its methods follow the
// structure of CPython's PrettyPrinter so that every width decision matches.
type printer struct {
	width int
	out   strings.Builder
}

// format writes v at the current column indent, keeping allowance columns
// free for the closing characters that follow it.
//
// Like CPython it first tries the one-line repr (dict keys sorted), but it
// builds only as much of it as can decide whether it fits: a repr of more
// than 4*maxWidth bytes has more than maxWidth code points. That keeps deep
// nesting linear in depth instead of quadratic.
func (p *printer) format(v any, indent, allowance, level int) {
	v = canonical(v)
	maxWidth := p.width - indent - allowance
	limit := 4*max(maxWidth, 0) + utf8.UTFMax
	rep := appendRepr(nil, v, true, limit)
	if len(rep) > limit || utf8.RuneCount(rep) > maxWidth {
		switch v := v.(type) {
		case *Object:
			p.formatDict(v, indent, allowance, level+1)
			return
		case []any:
			p.formatList(v, indent, allowance, level+1)
			return
		case string:
			p.formatStr(v, indent, allowance, level+1)
			return
		}
		if len(rep) > limit {
			rep = appendRepr(nil, v, true, noLimit)
		}
	}
	p.out.Write(rep)
}

func (p *printer) formatDict(o *Object, indent, allowance, level int) {
	p.out.WriteByte('{')
	indent++
	allowance++
	order := o.order(true)
	for n, i := range order {
		last := n == len(order)-1
		key := appendStrRepr(nil, o.keys[i])
		p.out.Write(key)
		p.out.WriteString(": ")
		p.format(o.values[i], indent+utf8.RuneCount(key)+2, itemAllowance(last, allowance), level)
		if !last {
			p.newItemLine(indent)
		}
	}
	p.out.WriteByte('}')
}

func (p *printer) formatList(list []any, indent, allowance, level int) {
	p.out.WriteByte('[')
	indent++
	allowance++
	for n, e := range list {
		if n > 0 {
			p.newItemLine(indent)
		}
		p.format(e, indent, itemAllowance(n == len(list)-1, allowance), level)
	}
	p.out.WriteByte(']')
}

// itemAllowance is the room an item must leave: the closers after the last
// item, or just the separating comma.
func itemAllowance(last bool, allowance int) int {
	if last {
		return allowance
	}
	return 1
}

func (p *printer) newItemLine(indent int) {
	p.out.WriteString(",\n")
	p.out.WriteString(strings.Repeat(" ", indent))
}

// formatStr is pprint's _pprint_str: each line of s becomes one literal if
// its repr fits, otherwise it is cut after runs of whitespace into the
// longest pieces whose reprs fit. At the top level the pieces are wrapped in
// parentheses.
func (p *printer) formatStr(s string, indent, allowance, level int) {
	if s == "" {
		p.out.WriteString("''")
		return
	}
	if level == 1 {
		indent++
		allowance++
	}
	maxWidth := p.width - indent
	lines := splitLinesKeepEnds(s)
	var chunks []string
	for i, line := range lines {
		lastLine := i == len(lines)-1
		lineWidth := maxWidth
		if lastLine {
			lineWidth -= allowance
		}
		if reprLen(line) <= lineWidth {
			chunks = append(chunks, line)
			continue
		}
		parts := whitespaceParts(line)
		var current reprStats
		start, end := 0, 0 // current piece is line[start:end]
		for j, part := range parts {
			partWidth := maxWidth
			if lastLine && j == len(parts)-1 {
				partWidth -= allowance
			}
			candidate := current.plus(statsOf(part))
			if candidate.width() > partWidth {
				if end > start {
					chunks = append(chunks, line[start:end])
				}
				start = end
				current = statsOf(part)
			} else {
				current = candidate
			}
			end += len(part)
		}
		if end > start {
			chunks = append(chunks, line[start:end])
		}
	}
	if len(chunks) == 1 {
		p.out.Write(appendStrRepr(nil, s))
		return
	}
	if level == 1 {
		p.out.WriteByte('(')
	}
	for i, c := range chunks {
		if i > 0 {
			p.out.WriteByte('\n')
			p.out.WriteString(strings.Repeat(" ", indent))
		}
		p.out.Write(appendStrRepr(nil, c))
	}
	if level == 1 {
		p.out.WriteByte(')')
	}
}

// reprStats lets the width of repr(a+b) be computed from a's and b's: repr
// escapes each code point independently, except that the choice of quote
// depends on whether the whole text holds ' and ".
type reprStats struct {
	body          int // repr width of the code points, counting ' as 1
	single, doubl int // number of ' and "
}

func statsOf(s string) reprStats {
	var st reprStats
	for i := 0; i < len(s); {
		switch s[i] {
		case '\'':
			st.single++
			st.body++
			i++
			continue
		case '"':
			st.doubl++
		}
		r, size := decodeRune(s[i:])
		st.body += codePointReprWidth(r)
		i += size
	}
	return st
}

func (a reprStats) plus(b reprStats) reprStats {
	return reprStats{body: a.body + b.body, single: a.single + b.single, doubl: a.doubl + b.doubl}
}

// width is len(repr(text)) for the text the stats describe.
func (a reprStats) width() int {
	w := a.body + 2
	if quotedWithDouble := a.single > 0 && a.doubl == 0; !quotedWithDouble {
		w += a.single // every ' inside '...' is escaped
	}
	return w
}

func reprLen(s string) int { return statsOf(s).width() }

// codePointReprWidth is the width repr gives one code point other than ',
// matching appendStrRepr.
func codePointReprWidth(r rune) int {
	switch {
	case r == '\\' || r == '\t' || r == '\n' || r == '\r':
		return 2
	case r < ' ' || r == 0x7F:
		return 4
	case r < utf8.RuneSelf || isPrintable(r):
		return 1
	case r <= 0xFF:
		return 4
	case r <= 0xFFFF:
		return 6
	}
	return 10
}

// splitLinesKeepEnds is Python's str.splitlines(True): lines end after \n,
// \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028 or U+2029, and keep their
// ending.
func splitLinesKeepEnds(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, size := decodeRune(s[i:])
		i += size
		switch r {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case '\n', '\v', '\f', 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		lines = append(lines, s[start:i])
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// whitespaceParts is re.findall(r'\S*\s*', line) without its final empty
// match: the line cut after each run of whitespace.
func whitespaceParts(line string) []string {
	var parts []string
	for i := 0; i < len(line); {
		j := i
		for inSpace := false; j < len(line); {
			r, size := decodeRune(line[j:])
			if isSpace(r) {
				inSpace = true
			} else if inSpace {
				break
			}
			j += size
		}
		parts = append(parts, line[i:j])
		i = j
	}
	return parts
}
