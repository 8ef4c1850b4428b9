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

// AppendRestful implements py.RestfulAppender.
func (v *userView) AppendRestful(b []byte) []byte {
	b = appendStringField(b, `{"kind": `, v.Kind)
	b = appendStringField(b, `, "name": `, v.Name)
	b = appendStringField(b, `, "username": `, v.Username)
	b = appendStringField(b, `, "email": `, v.Email)
	b = strconv.AppendBool(append(b, `, "verified": `...), v.Verified)
	b = appendAvatar(append(b, `, "avatar": `...), &v.Avatar)
	b = strconv.AppendBool(append(b, `, "super_user": `...), v.SuperUser)
	b = strconv.AppendBool(append(b, `, "global_readonly_super_user": `...), v.GlobalReadonlySuperUser)
	b = strconv.AppendBool(append(b, `, "enabled": `...), v.Enabled)
	b = appendQuotaFields(b, v.Quotas, v.QuotaReport)
	if v.EncryptedPassword != "" {
		b = appendStringField(b, `, "encrypted_password": `, v.EncryptedPassword)
	}
	return append(b, '}')
}

// AppendRestful implements py.RestfulAppender.
func (v *orgView) AppendRestful(b []byte) []byte {
	b = appendStringField(b, `{"name": `, v.Name)
	b = appendStringField(b, `, "email": `, v.Email)
	b = appendAvatar(append(b, `, "avatar": `...), &v.Avatar)
	b = appendQuotaFields(b, v.Quotas, v.QuotaReport)
	return append(b, '}')
}

// userPageView is listAllUsers' answer, userListView, built and encoded a
// user at a time rather than from a slice of views.
type userPageView struct {
	views *pageViews
	rows  []*store.Namespace
	next  string
}

// AppendRestful implements py.RestfulAppender.
func (p *userPageView) AppendRestful(b []byte) []byte {
	b = append(b, `{"users": [`...)
	var v userView
	for i, u := range p.rows {
		if i > 0 {
			b = append(b, ", "...)
		}
		p.views.user(&v, u)
		b = v.AppendRestful(b)
	}
	return appendNextPage(append(b, ']'), p.next)
}

// orgPageView is listAllOrganizations' answer, orgListView, built and
// encoded an organization at a time.
type orgPageView struct {
	views *pageViews
	rows  []*store.Namespace
	next  string
}

// AppendRestful implements py.RestfulAppender.
func (p *orgPageView) AppendRestful(b []byte) []byte {
	b = append(b, `{"organizations": [`...)
	var v orgView
	for i, o := range p.rows {
		if i > 0 {
			b = append(b, ", "...)
		}
		p.views.org(&v, o)
		b = v.AppendRestful(b)
	}
	return appendNextPage(append(b, ']'), p.next)
}

// appendNextPage appends the next_page member (omitted when empty) and
// closes the object.
func appendNextPage(b []byte, next string) []byte {
	if next != "" {
		b = appendStringField(b, `, "next_page": `, next)
	}
	return append(b, '}')
}

// appendStringField appends a key (with its separators) and a string.
func appendStringField(b []byte, key, s string) []byte {
	return py.AppendString(append(b, key...), s)
}

func appendAvatar(b []byte, a *avatar.Avatar) []byte {
	b = appendStringField(b, `{"name": `, a.Name)
	b = appendStringField(b, `, "hash": `, a.Hash)
	b = appendStringField(b, `, "color": `, a.Color)
	b = appendStringField(b, `, "kind": `, a.Kind)
	return append(b, '}')
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
		b = appendStringField(b, `, "running_backfill": `, report.RunningBackfill)
		b = appendStringField(b, `, "backfill_status": `, report.BackfillStatus)
		b = append(b, '}')
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
			b = appendStringField(b, `, "type": `, l.Type)
			b = strconv.AppendInt(append(b, `, "limit_percent": `...), l.LimitPercent, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
