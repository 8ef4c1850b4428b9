package fakequay

import "github.com/quaykit/go-quay/fakequay/internal/avatar"

// JSON views: fakequay's own copies of the shapes Quay's Python views emit
// (reference §1.9), written from the reference and deliberately independent
// of package superuser's models, so that one mistake cannot pass on both
// sides. Field order is Quay's key order: Flask-RESTful keeps insertion
// order, while jsonify sorts keys itself at encoding time.

// apiErrorView is ApiException.to_dict (family A).
type apiErrorView struct {
	Detail       string `json:"detail"`
	ErrorMessage string `json:"error_message"`
	ErrorType    string `json:"error_type"`
	Title        string `json:"title"`
	Type         string `json:"type"`
	Status       int    `json:"status"`
}

// errorDescriptionView is getErrorDescription's answer.
type errorDescriptionView struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type messageView struct {
	Message string `json:"message"`
}

type paramErrorView struct {
	Message map[string]string `json:"message"`
}

type errorTextView struct {
	Error string `json:"error"`
}

type readOnlyView struct {
	IsReadonly bool   `json:"is_readonly"`
	Message    string `json:"message"`
}

// userView is the superuser user view (superuser_models_interface User.to_dict).
type userView struct {
	Kind                    string            `json:"kind"`
	Name                    string            `json:"name"`
	Username                string            `json:"username"`
	Email                   string            `json:"email"`
	Verified                bool              `json:"verified"`
	Avatar                  avatar.Avatar     `json:"avatar"`
	SuperUser               bool              `json:"super_user"`
	GlobalReadonlySuperUser bool              `json:"global_readonly_super_user"`
	Enabled                 bool              `json:"enabled"`
	Quotas                  *[]shortQuotaView `json:"quotas,omitempty"`
	QuotaReport             *quotaReportView  `json:"quota_report,omitempty"`
	// EncryptedPassword is added by changeInstallUser when a password was set.
	EncryptedPassword string `json:"encrypted_password,omitempty"`
}

// orgView is the superuser organization view (Organization.to_dict).
type orgView struct {
	Name        string            `json:"name"`
	Email       string            `json:"email"`
	Avatar      avatar.Avatar     `json:"avatar"`
	Quotas      *[]shortQuotaView `json:"quotas,omitempty"`
	QuotaReport *quotaReportView  `json:"quota_report,omitempty"`
}

// shortQuotaView is the quota inside user and org views (quota_view of
// superuser_models_interface), shorter than the quota endpoints' view.
type shortQuotaView struct {
	ID         int64            `json:"id"`
	LimitBytes int64            `json:"limit_bytes"`
	Limits     []quotaLimitView `json:"limits"`
}

type quotaLimitView struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	LimitPercent int64  `json:"limit_percent"`
}

// quotaReportView is namespacequota.get_quota_for_view.
type quotaReportView struct {
	QuotaBytes      int64  `json:"quota_bytes"`
	ConfiguredQuota *int64 `json:"configured_quota"`
	RunningBackfill string `json:"running_backfill"`
	BackfillStatus  string `json:"backfill_status"`
}

type userListView struct {
	Users    []userView `json:"users"`
	NextPage string     `json:"next_page,omitempty"`
}

type orgListView struct {
	Organizations []orgView `json:"organizations"`
	NextPage      string    `json:"next_page,omitempty"`
}

// createdUserView is createInstallUser's answer. Email echoes the request,
// so it is null when none was given.
type createdUserView struct {
	Username          string  `json:"username"`
	Email             *string `json:"email"`
	Password          string  `json:"password"`
	EncryptedPassword string  `json:"encrypted_password"`
}

type emailView struct {
	Email string `json:"email"`
}

type namespaceView struct {
	Namespace string `json:"namespace"`
}
