package quay

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// MaxLimit is the largest page size Quay accepts; it answers 400 above it.
const MaxLimit = 100

// ErrInvalidLimit is returned, before anything is sent, for a page size
// outside 1..MaxLimit. Quay answers 400 above 100, and a limit of 0 makes it
// hand out a token that points back at the first page for ever.
var ErrInvalidLimit = errors.New("quay: page limit must be between 1 and 100")

// ErrRepeatedPageToken stops a walk when the server hands out a page token
// it has already handed out in the same walk, which would loop for ever.
var ErrRepeatedPageToken = errors.New("quay: server repeated a page token")

// CheckLimit validates a page size from an options struct, where 0 means
// "not set" (Quay then returns the whole list in one answer).
func CheckLimit(limit int) error {
	if limit < 0 || limit > MaxLimit {
		return fmt.Errorf("%w (got %d)", ErrInvalidLimit, limit)
	}
	return nil
}

// PageError stops a walk by [All]. NextPage is the token of the page that
// could not be read ("" for the first page): pass it as the list call's
// NextPage option to resume exactly there.
type PageError struct {
	NextPage string
	Err      error
}

// Error says why the walk stopped; it leaves the (long, opaque) token out.
func (e *PageError) Error() string {
	return "quay: listing stopped (resume from PageError.NextPage): " + e.Err.Error()
}

// Unwrap returns the cause, so errors.Is(err, ErrNotFound) and
// errors.As(err, &quayErr) see through a PageError.
func (e *PageError) Unwrap() error { return e.Err }

// PageFunc fetches the page that token points at ("" for the first page). It
// returns the page's items and the answer, whose NextPage points at the next
// page ("" after the last one).
type PageFunc[T any] func(ctx context.Context, token string) ([]T, *Response, error)

// All walks the pages that fetch returns, starting at token start ("" for
// the first page), and yields every item. It follows NextPage across empty
// pages, and stops at the first error, which it yields as a *PageError that
// carries the token to resume from; it also stops, with ErrRepeatedPageToken,
// when the server hands out a token twice. Breaking out of the loop stops the
// walk without fetching another page.
func All[T any](ctx context.Context, start string, fetch PageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		token := start
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, &PageError{NextPage: token, Err: err})
				return
			}
			items, resp, err := fetch(ctx, token)
			if err != nil {
				yield(zero, &PageError{NextPage: token, Err: err})
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if resp == nil || resp.NextPage == "" {
				return
			}
			if seen[resp.NextPage] || resp.NextPage == start {
				yield(zero, &PageError{NextPage: resp.NextPage, Err: ErrRepeatedPageToken})
				return
			}
			seen[resp.NextPage] = true
			token = resp.NextPage
		}
	}
}
