package fakequay

import (
	"strconv"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Hand-written Flask-RESTful encodings (py.RestfulAppender) of the views
// fakequay writes most: a page of users or organizations is a hundred of
// them, and encoding them field by field with reflection was a third of
// the cost of serving the page (issue 5, goals 2 and 3). Each must append
// exactly what py's reflective encoding of the struct would;
// TestViewAppendersMatchReflection compares them over random values of
// every field, so a field added to a view and not here fails it.

// Each encoder writes the quotes of a string with the text around it, and
// a string it has written already (a user's name three times, its kind
// and its backfill state twice) is copied from the buffer rather than
// escaped again: a page is 48 KB of these.

// AppendRestful implements py.RestfulAppender.
func (v *userView) AppendRestful(b []byte) []byte {
	var kind, name written
	b = kind.body(append(b, `{"kind": "`...), v.Kind)
	b = name.body(append(b, `", "name": "`...), v.Name)
	b = name.body(append(b, `", "username": "`...), v.Username)
	b = py.AppendStringBody(append(b, `", "email": "`...), v.Email)
	b = appendBool(append(b, `", "verified": `...), v.Verified)
	b = appendAvatar(append(b, `, "avatar": `...), &v.Avatar, &name, &kind)
	b = appendBool(append(b, `, "super_user": `...), v.SuperUser)
	b = appendBool(append(b, `, "global_readonly_super_user": `...), v.GlobalReadonlySuperUser)
	b = appendBool(append(b, `, "enabled": `...), v.Enabled)
	b = appendQuotaFields(b, v.Quotas, v.QuotaReport)
	if v.EncryptedPassword != "" {
		b = append(py.AppendStringBody(append(b, `, "encrypted_password": "`...), v.EncryptedPassword), '"')
	}
	return append(b, '}')
}

// AppendRestful implements py.RestfulAppender.
func (v *orgView) AppendRestful(b []byte) []byte {
	var name, kind written
	b = name.body(append(b, `{"name": "`...), v.Name)
	b = py.AppendStringBody(append(b, `", "email": "`...), v.Email)
	b = appendAvatar(append(b, `", "avatar": `...), &v.Avatar, &name, &kind)
	b = appendQuotaFields(b, v.Quotas, v.QuotaReport)
	return append(b, '}')
}

// written is a string an encoder has already written into the buffer (its
// escaped text, between quotes), and where.
type written struct {
	s          string
	start, end int
}

// body appends the escaped text of s, copied from w when w holds an
// equal string, and remembers s otherwise.
func (w *written) body(b []byte, s string) []byte {
	if w.end > 0 && s == w.s {
		return append(b, b[w.start:w.end]...)
	}
	start := len(b)
	b = py.AppendStringBody(b, s)
	*w = written{s: s, start: start, end: len(b)}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// userPageView is listAllUsers' answer, userListView, built and encoded a
// user at a time rather than from a slice of views.
type userPageView struct {
	views pageViews
	rows  []*store.Namespace
	next  string
}

// AppendRestful implements py.RestfulAppender.
func (p *userPageView) AppendRestful(b []byte) []byte {
	b = append(b, `{"users": [`...)
	memo := p.views.s.viewMemo()
	var v userView
	for i, u := range p.rows {
		if i > 0 {
			b = append(b, ", "...)
		}
		q := p.views.quota(u)
		if view, ok := memo.get(u, q); ok {
			b = append(b, view...)
			continue
		}
		start := len(b)
		p.views.user(&v, u, q)
		b = v.AppendRestful(b)
		memo.put(u, q, b[start:])
	}
	return appendNextPage(append(b, ']'), p.next)
}

// orgPageView is listAllOrganizations' answer, orgListView, built and
// encoded an organization at a time.
type orgPageView struct {
	views pageViews
	rows  []*store.Namespace
	next  string
}

// AppendRestful implements py.RestfulAppender.
func (p *orgPageView) AppendRestful(b []byte) []byte {
	b = append(b, `{"organizations": [`...)
	memo := p.views.s.viewMemo()
	var v orgView
	for i, o := range p.rows {
		if i > 0 {
			b = append(b, ", "...)
		}
		q := p.views.quota(o)
		if view, ok := memo.get(o, q); ok {
			b = append(b, view...)
			continue
		}
		start := len(b)
		p.views.org(&v, o, q)
		b = v.AppendRestful(b)
		memo.put(o, q, b[start:])
	}
	return appendNextPage(append(b, ']'), p.next)
}

// appendNextPage appends the next_page member (omitted when empty) and
// closes the object.
func appendNextPage(b []byte, next string) []byte {
	if next != "" {
		b = append(py.AppendStringBody(append(b, `, "next_page": "`...), next), '"')
	}
	return append(b, '}')
}

// appendAvatar appends a; name and kind are what its view wrote already.
func appendAvatar(b []byte, a *avatar.Avatar, name, kind *written) []byte {
	b = name.body(append(b, `{"name": "`...), a.Name)
	b = py.AppendStringBody(append(b, `", "hash": "`...), a.Hash)
	b = py.AppendStringBody(append(b, `", "color": "`...), a.Color)
	b = kind.body(append(b, `", "kind": "`...), a.Kind)
	return append(b, `"}`...)
}

// appendQuotaFields appends the quotas and quota_report members, each
// left out when nil (omitempty).
func appendQuotaFields(b []byte, quotas *[]shortQuotaView, report *quotaReportView) []byte {
	if quotas != nil {
		b = append(b, `, "quotas": `...)
		if *quotas == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for i := range *quotas {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = appendShortQuota(b, &(*quotas)[i])
			}
			b = append(b, ']')
		}
	}
	if report != nil {
		b = strconv.AppendInt(append(b, `, "quota_report": {"quota_bytes": `...), report.QuotaBytes, 10)
		b = append(b, `, "configured_quota": `...)
		if report.ConfiguredQuota == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, *report.ConfiguredQuota, 10)
		}
		var state written
		b = state.body(append(b, `, "running_backfill": "`...), report.RunningBackfill)
		b = state.body(append(b, `", "backfill_status": "`...), report.BackfillStatus)
		b = append(b, `"}`...)
	}
	return b
}

func appendShortQuota(b []byte, q *shortQuotaView) []byte {
	b = strconv.AppendInt(append(b, `{"id": `...), q.ID, 10)
	b = strconv.AppendInt(append(b, `, "limit_bytes": `...), q.LimitBytes, 10)
	b = append(b, `, "limits": `...)
	if q.Limits == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range q.Limits {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = strconv.AppendInt(append(b, `{"id": `...), l.ID, 10)
			b = py.AppendStringBody(append(b, `, "type": "`...), l.Type)
			b = strconv.AppendInt(append(b, `", "limit_percent": `...), l.LimitPercent, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
