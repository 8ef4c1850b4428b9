package superuser

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/quaykit/go-quay/quay"
)

// AppTokensService audits the app-specific tokens of every user.
type AppTokensService service

// AppToken is an app-specific token, without its secret.
type AppToken struct {
	UUID  string `json:"uuid"`
	Title string `json:"title"`
	// LastAccessed is nil for a token never used.
	LastAccessed *quay.Timestamp `json:"last_accessed"`
	Created      quay.Timestamp  `json:"created"`
	// Expiration is nil for a token that never expires.
	Expiration *quay.Timestamp `json:"expiration"`
}

// AppTokenListOptions selects the tokens List returns.
type AppTokenListOptions struct {
	// Expiring true returns only tokens that expire soon: within 10% of
	// APP_SPECIFIC_TOKEN_EXPIRATION (default 4 weeks, so about 2.8 days) and
	// not yet expired. nil or false returns every token.
	Expiring *bool
}

// List returns the app-specific tokens of every user.
//
// Quay admits global read-only superusers, and regular superusers only with
// FEATURE_SUPERUSERS_FULL_ACCESS (403 otherwise). The route exists only with
// FEATURE_APP_SPECIFIC_TOKENS (on by default).
//
// Quay operation: listAllAppTokens (GET /api/v1/superuser/apptokens)
func (s *AppTokensService) List(ctx context.Context, opts *AppTokenListOptions) ([]AppToken, *quay.Response, error) {
	q := url.Values{}
	if opts != nil && opts.Expiring != nil {
		q.Set("expiring", strconv.FormatBool(*opts.Expiring))
	}
	var out struct {
		Tokens []AppToken `json:"tokens"`
	}
	resp, err := send(ctx, s.client, http.MethodGet, withQuery("superuser/apptokens", q), nil, &out)
	return out.Tokens, resp, err
}
