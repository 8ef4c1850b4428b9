package snapshot

import (
	"context"
	"fmt"
	"strings"
)

// addTokens gives the seed's users the known tokens of Options.Tokens.
func addTokens(_ context.Context, r *reader) error {
	for _, t := range r.opts.Tokens {
		i, ok := r.users[t.User]
		if !ok {
			return fmt.Errorf("a token for %q, who is not a user of this Quay", t.User)
		}
		r.seed.Users[i].Tokens = append(r.seed.Users[i].Tokens, t.SeedToken)
	}
	return nil
}

// ParseToken reads a token in the -add-token flag's form: comma-separated
// key=value pairs, user and token required, scopes space-separated (as
// OAuth writes them; absent: every scope), application and client_id
// optional:
//
//	user=devtable,token=abc...,scopes=repo:read user:read,application=Some Test App,client_id=deadbeef
//
// A token value cannot hold a comma.
func ParseToken(s string) (Token, error) {
	var t Token
	seen := map[string]bool{}
	for field := range strings.SplitSeq(s, ",") {
		key, value, ok := strings.Cut(field, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return Token{}, fmt.Errorf("token %q: %q is not key=value", redactToken(s), field)
		}
		if seen[key] {
			return Token{}, fmt.Errorf("token %q: %s given twice", redactToken(s), key)
		}
		seen[key] = true
		switch key {
		case "user":
			t.User = value
		case "token":
			t.Token = value
		case "scopes":
			t.Scopes = strings.Fields(value)
			if len(t.Scopes) == 0 {
				return Token{}, fmt.Errorf("token %q: scopes= names no scope (leave it out for every scope)", redactToken(s))
			}
		case "application":
			t.Application = value
		case "client_id":
			t.ClientID = value
		default:
			return Token{}, fmt.Errorf("token %q: unknown key %q (want user, token, scopes, application, client_id)", redactToken(s), key)
		}
	}
	switch {
	case t.User == "":
		return Token{}, fmt.Errorf("token %q: user= is required", redactToken(s))
	case t.Token == "":
		return Token{}, fmt.Errorf("token %q: token= is required", redactToken(s))
	}
	return t, nil
}

// redactToken hides the token= value of an -add-token argument, so that an
// error message never shows a secret.
func redactToken(s string) string {
	fields := strings.Split(s, ",")
	for i, f := range fields {
		if strings.HasPrefix(strings.TrimSpace(f), "token=") {
			fields[i] = "token=<redacted>"
		}
	}
	return strings.Join(fields, ",")
}
