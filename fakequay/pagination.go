package fakequay

import (
	"encoding/json"
	"strconv"
	"sync"
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
func (c *call) idPage(walk func(from int64, fn func(*store.Namespace) bool)) (*pageRows, string, error) {
	limit, paged := c.intQuery("limit")
	if paged && limit > 100 {
		return nil, "", invalidRequest("Page limit cannot be above 100")
	}
	p := pageRowsPool.Get().(*pageRows)
	if !paged {
		p.limit = -1
		walk(0, p.add)
		return p, "", nil
	}
	if limit < 0 {
		p.release()
		return nil, "", &crashError{reason: "negative page limit"}
	}
	var tok idPageToken
	if c.page != nil {
		tok = decodeIDPageToken(c.page)
	}
	p.limit = limit
	walk(tok.StartIndex, p.add)
	if int64(len(p.rows)) <= limit {
		return p, "", nil
	}
	next := idPageToken{StartIndex: p.rows[limit].ID, PageNumber: tok.PageNumber + 1}
	p.rows[limit] = nil
	p.rows = p.rows[:limit]
	var plain [128]byte
	return p, c.s.encryptPageToken(next.appendJSON(plain[:0]), c.now), nil
}

// decodeIDPageToken decodes a token's plaintext; one that does not decode
// restarts at the first row.
func decodeIDPageToken(plain []byte) idPageToken {
	var tok idPageToken
	if json.Unmarshal(plain, &tok) != nil {
		return idPageToken{}
	}
	return tok
}

// appendJSON appends pyDumps(t), without boxing t for reflection.
func (t idPageToken) appendJSON(b []byte) []byte {
	b = strconv.AppendInt(append(b, `{"start_index": `...), t.StartIndex, 10)
	b = strconv.AppendInt(append(b, `, "page_number": `...), t.PageNumber, 10)
	b = strconv.AppendBool(append(b, `, "is_datetime": `...), t.IsDatetime)
	b = strconv.AppendInt(append(b, `, "offset_val": `...), t.OffsetVal, 10)
	return append(b, '}')
}

// pageRows is the rows of a page idPage collects, in storage recycled
// between requests (a page of 100 is 800 B of pointers). Its owner calls
// release once the answer is written.
type pageRows struct {
	rows  []*store.Namespace
	limit int64                       // collect stops after limit+1 rows; -1 for no limit
	add   func(*store.Namespace) bool // collect, bound once rather than per request
}

var pageRowsPool = sync.Pool{New: func() any {
	p := &pageRows{}
	p.add = p.collect
	return p
}}

func (p *pageRows) collect(n *store.Namespace) bool {
	p.rows = append(p.rows, n)
	return p.limit < 0 || int64(len(p.rows)) <= p.limit
}

// release recycles p, unless an unpaged listing made it large.
func (p *pageRows) release() {
	if cap(p.rows) > 1024 {
		return
	}
	clear(p.rows[:cap(p.rows)])
	p.rows = p.rows[:0]
	pageRowsPool.Put(p)
}
