package fakequay

import (
	"encoding/json"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/fernet"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Page tokens are what Quay makes them (reference §1.8): the JSON plaintext
// of the position, Fernet-encrypted under Quay's default PAGE_TOKEN_KEY, so
// they are opaque, tamper-evident and expire after two days of fake time.
var pageTokens = func() *fernet.Fernet {
	f, err := fernet.New(fernet.QuayPageTokenKey)
	if err != nil {
		panic("fakequay: page token key: " + err.Error())
	}
	return f
}()

func (s *Server) encryptPageToken(plain []byte, now time.Time) string {
	var iv [16]byte
	_, _ = s.rand.Read(iv[:])
	return pageTokens.Encrypt(plain, now, iv)
}

// decryptPageToken returns the plaintext of tok, or nil for a token Quay
// would ignore: garbage, tampered, made with another key, or expired.
func (s *Server) decryptPageToken(tok string, now time.Time) []byte {
	plain, err := pageTokens.Decrypt(tok, now, fernet.QuayPageTokenTTL)
	if err != nil {
		return nil
	}
	return plain
}

// idPageToken is the plaintext of a users/organizations page token, with
// the keys and order of Quay's modelutil.paginate.
type idPageToken struct {
	StartIndex int64 `json:"start_index"`
	PageNumber int64 `json:"page_number"`
	IsDatetime bool  `json:"is_datetime"`
	OffsetVal  int64 `json:"offset_val"`
}

// idPage is Quay's page_support + modelutil.paginate over ascending ids
// (reference §1.8). Without limit every row is returned and any token is
// ignored. With one, the walk starts at the token's id (a missing, expired
// or tampered token restarts at the first row) and fetches limit+1 rows:
// the extra row's id starts the next page. limit 0 reproduces Quay's
// endless loop (an empty page pointing at the first row); a negative limit
// crashes Quay (IndexError at -1, Postgres rejecting LIMIT below that).
func (c *call) idPage(walk func(from int64, fn func(*store.Namespace) bool)) ([]*store.Namespace, string, error) {
	limit, paged := c.intQuery("limit")
	if paged && limit > 100 {
		return nil, "", invalidRequest("Page limit cannot be above 100")
	}
	var rows []*store.Namespace
	if !paged {
		walk(0, func(n *store.Namespace) bool { rows = append(rows, n); return true })
		return rows, "", nil
	}
	if limit < 0 {
		return nil, "", &crashError{reason: "negative page limit"}
	}
	var tok idPageToken
	if c.page != nil && json.Unmarshal(c.page, &tok) != nil {
		tok = idPageToken{}
	}
	rows = make([]*store.Namespace, 0, limit+1)
	walk(tok.StartIndex, func(n *store.Namespace) bool {
		rows = append(rows, n)
		return int64(len(rows)) <= limit
	})
	if int64(len(rows)) <= limit {
		return rows, "", nil
	}
	next := idPageToken{StartIndex: rows[limit].ID, PageNumber: tok.PageNumber + 1}
	return rows[:limit], c.s.encryptPageToken(pyDumps(next), c.now), nil
}
