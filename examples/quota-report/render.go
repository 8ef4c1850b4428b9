package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// writeTable writes the report as columns aligned with spaces.
func writeTable(w io.Writer, rows []usage) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAMESPACE\tKIND\tLIMIT\tUSED\tPERCENT\tWARNING\tREJECT\tSTATUS")
	for _, u := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Namespace, u.Kind,
			limitText(u), usedText(u), percentText(u.Percent),
			thresholdsText(u.WarningPercents), thresholdsText(u.RejectPercents), u.Status)
	}
	return tw.Flush()
}

// writeJSON writes the report as an indented JSON array.
func writeJSON(w io.Writer, rows []usage) error {
	if rows == nil {
		rows = []usage{} // [] rather than null
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func limitText(u usage) string {
	switch {
	case u.LimitBytes == nil:
		return "-"
	case u.LimitSource == sourceDefault:
		return humanBytes(*u.LimitBytes) + " (default)"
	}
	return humanBytes(*u.LimitBytes)
}

func usedText(u usage) string {
	if u.UsedBytes != nil {
		return humanBytes(*u.UsedBytes)
	}
	if u.UsageCounted == "" {
		return "-"
	}
	return "(" + u.UsageCounted + ")" // Quay's quota worker has not counted it yet
}

func percentText(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func thresholdsText(percents []int) string {
	if len(percents) == 0 {
		return "-"
	}
	parts := make([]string, len(percents))
	for i, p := range percents {
		parts[i] = fmt.Sprintf("%d%%", p)
	}
	return strings.Join(parts, ",")
}

// humanBytes writes n in binary units with one decimal, as Quay writes a
// quota's "limit" (e.g. "10.0 GiB"), and small sizes in bytes.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	value, exp := float64(n)/unit, 0
	for value >= unit && exp < 5 {
		value /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", value, "KMGTPE"[exp])
}
