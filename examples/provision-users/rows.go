package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// row is one user line of the CSV file.
type row struct {
	line     int // line number in the file, from 1
	username string
	email    string // "" sends no e-mail (accepted only when Quay runs without FEATURE_MAILING)
	// enabled is the wanted state; nil when the column is absent or empty,
	// which leaves new users enabled and existing ones as they are.
	enabled *bool
	// problem says why the row cannot be used as written; "" for a valid row.
	problem string
}

// readRows reads every row of a username,email[,enabled] CSV file. Blank
// lines and lines starting with # are skipped, and so is a first row whose
// first field is "username" (a header). Rows that are invalid on their own
// (wrong field count, empty username, unreadable enabled, a username seen
// before) come back with a problem, so that they are reported in line order
// with the others; only a file that is not CSV at all is an error.
func readRows(r io.Reader) ([]row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked per row, to report the line instead of stopping
	cr.Comment = '#'
	cr.TrimLeadingSpace = true

	var rows []row
	firstLine := map[string]int{} // username -> line it first appeared on
	for first := true; ; first = false {
		fields, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a valid CSV file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if first && strings.EqualFold(fields[0], "username") {
			continue // header
		}
		rw := parseRow(line, fields)
		if rw.problem == "" {
			if first, seen := firstLine[rw.username]; seen {
				rw.problem = fmt.Sprintf("username %s is already on line %d", rw.username, first)
			} else {
				firstLine[rw.username] = line
			}
		}
		rows = append(rows, rw)
	}
}

// parseRow turns the trimmed fields of one line into a row.
func parseRow(line int, fields []string) row {
	rw := row{line: line, username: fields[0]}
	if len(fields) < 2 || len(fields) > 3 {
		rw.problem = fmt.Sprintf("want 2 or 3 fields (username,email[,enabled]), got %d", len(fields))
		return rw
	}
	rw.email = fields[1]
	if rw.username == "" {
		rw.problem = "username is empty"
		return rw
	}
	if len(fields) == 3 && fields[2] != "" {
		enabled, err := strconv.ParseBool(fields[2])
		if err != nil {
			rw.problem = fmt.Sprintf("enabled is %q, want true or false", fields[2])
			return rw
		}
		rw.enabled = &enabled
	}
	return rw
}
