package quay_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// pager serves pages from a table keyed by token: page[token] = items, next token.
type pager struct {
	pages  map[string]pageAnswer
	tokens []string // tokens fetched, in order
}

type pageAnswer struct {
	items []int
	next  string
	err   error
}

func (p *pager) fetch(_ context.Context, token string) ([]int, *quay.Response, error) {
	p.tokens = append(p.tokens, token)
	a, ok := p.pages[token]
	if !ok {
		return nil, nil, errors.New("unknown token " + token)
	}
	if a.err != nil {
		return nil, nil, a.err
	}
	return a.items, &quay.Response{Response: &http.Response{StatusCode: 200}, NextPage: a.next}, nil
}

// collect runs the iterator to the end and returns the items and the error it yielded.
func collect(seq func(func(int, error) bool)) ([]int, error) {
	var items []int
	for v, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, v)
	}
	return items, nil
}

func TestAllWalksEveryPage(t *testing.T) {
	t.Parallel()
	p := &pager{pages: map[string]pageAnswer{
		"":   {items: []int{1, 2}, next: "t1"},
		"t1": {items: nil, next: "t2"}, // an empty page that still has a next one
		"t2": {items: []int{3}, next: "t3"},
		"t3": {items: []int{}}, // Quay's empty last page of the logs
	}}
	items, err := collect(quay.All(t.Context(), "", p.fetch))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "t1", "t2", "t3"}, p.tokens); diff != "" {
		t.Errorf("tokens fetched (-want +got):\n%s", diff)
	}
}

func TestAllStartsAtToken(t *testing.T) {
	t.Parallel()
	p := &pager{pages: map[string]pageAnswer{"t2": {items: []int{3}}}}
	items, err := collect(quay.All(t.Context(), "t2", p.fetch))
	if err != nil || !cmp.Equal([]int{3}, items) {
		t.Errorf("All from t2 = %v, %v; want [3], nil", items, err)
	}
}

func TestAllErrorCarriesResumeToken(t *testing.T) {
	t.Parallel()
	boom := &quay.Error{StatusCode: 503}
	p := &pager{pages: map[string]pageAnswer{
		"":   {items: []int{1}, next: "t1"},
		"t1": {err: boom},
	}}
	items, err := collect(quay.All(t.Context(), "", p.fetch))
	var pe *quay.PageError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *quay.PageError", err)
	}
	if diff := cmp.Diff(&quay.PageError{NextPage: "t1", Err: boom}, pe); diff != "" {
		t.Errorf("PageError (-want +got):\n%s", diff)
	}
	if !errors.Is(err, quay.ErrServer) {
		t.Error("PageError does not unwrap to the cause")
	}
	if !cmp.Equal([]int{1}, items) {
		t.Errorf("items before the error = %v, want [1]", items)
	}
}

func TestAllRefusesRepeatedToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		start string
		pages map[string]pageAnswer
	}{
		{"same token twice in a row", "", map[string]pageAnswer{
			"": {items: []int{1}, next: "t1"}, "t1": {items: []int{2}, next: "t1"},
		}},
		{"back to an earlier token", "", map[string]pageAnswer{
			"": {items: []int{1}, next: "t1"}, "t1": {items: []int{2}, next: "t2"}, "t2": {next: "t1"},
		}},
		{"back to the start token", "t0", map[string]pageAnswer{
			"t0": {items: []int{1}, next: "t0"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &pager{pages: tt.pages}
			_, err := collect(quay.All(t.Context(), tt.start, p.fetch))
			if !errors.Is(err, quay.ErrRepeatedPageToken) {
				t.Errorf("error = %v, want ErrRepeatedPageToken", err)
			}
			if len(p.tokens) > len(tt.pages)+1 {
				t.Errorf("fetched %d pages for %d distinct ones", len(p.tokens), len(tt.pages))
			}
		})
	}
}

func TestAllStopsWhenLoopBreaks(t *testing.T) {
	t.Parallel()
	p := &pager{pages: map[string]pageAnswer{
		"": {items: []int{1, 2}, next: "t1"}, "t1": {items: []int{3}},
	}}
	for v, err := range quay.All(t.Context(), "", p.fetch) {
		if err != nil || v != 1 {
			t.Fatalf("first item = %d, %v", v, err)
		}
		break
	}
	if diff := cmp.Diff([]string{""}, p.tokens); diff != "" {
		t.Errorf("tokens fetched after break (-want +got):\n%s", diff)
	}
}

func TestAllStopsOnCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	p := &pager{pages: map[string]pageAnswer{
		"": {items: []int{1}, next: "t1"}, "t1": {items: []int{2}},
	}}
	var err error
	for _, err = range quay.All(ctx, "", p.fetch) {
		cancel()
	}
	var pe *quay.PageError
	if !errors.As(err, &pe) || pe.NextPage != "t1" || !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want a PageError at t1 wrapping context.Canceled", err)
	}
	if len(p.tokens) != 1 {
		t.Errorf("fetched %v after cancel, want only the first page", p.tokens)
	}
}

func TestCheckLimit(t *testing.T) {
	t.Parallel()
	for limit, wantErr := range map[int]bool{-1: true, 0: false, 1: false, 50: false, 100: false, 101: true} {
		if err := quay.CheckLimit(limit); (err != nil) != wantErr || (err != nil && !errors.Is(err, quay.ErrInvalidLimit)) {
			t.Errorf("CheckLimit(%d) = %v, want error: %v", limit, err, wantErr)
		}
	}
}
