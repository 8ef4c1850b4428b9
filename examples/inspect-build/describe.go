package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/quaykit/go-quay/examples/internal/cli"

	"github.com/quaykit/go-quay/superuser"
)

// writeBuild writes what a build is and where it stands, one field a line.
func writeBuild(w io.Writer, b superuser.Build) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	field := func(name, value string) { fmt.Fprintf(tw, "%s:\t%s\n", name, value) }
	field("build", b.ID)
	field("repository", b.Repository.Namespace+"/"+b.Repository.Name)
	field("phase", b.Phase)
	started := "not yet"
	if b.Started != nil {
		started = b.Started.UTC().Format(time.RFC3339)
	}
	field("started", started)
	if b.DisplayName != "" {
		field("name", b.DisplayName)
	}
	// Quay's superuser build views never fill in the job's tags, manual
	// user, subdirectory or context (superuser.Build says why), so only a
	// trigger can tell who started the build.
	if b.Trigger != nil {
		field("started by", "trigger "+b.Trigger.ID+" ("+b.Trigger.Service+")")
	}
	if len(b.Status) > 0 { // the build manager's live status, for running phases
		status, err := json.Marshal(b.Status)
		if err != nil {
			return err
		}
		field("status", string(status))
	}
	if b.Error != nil {
		field("error", *b.Error)
	}
	return tw.Flush()
}

// writeLogs writes a build's log entries, one a line, each after the time
// the build manager stamped it with (when it did) and its type:
//
//	2026-11-27 10:00:01.000000 [phase] building
//	2026-11-27 10:00:02.000000 [command] Step 1/3 : FROM alpine
//	2026-11-27 10:00:03.000000 Pulling from library/alpine
func writeLogs(w io.Writer, logs superuser.BuildLogs) {
	total := cli.Count(logs.Total, "entry", "entries")
	if logs.Start > 0 {
		fmt.Fprintf(w, "\nlog (%s, from entry %d on):\n", total, logs.Start)
	} else {
		fmt.Fprintf(w, "\nlog (%s):\n", total)
	}
	for _, e := range logs.Logs {
		var prefix string
		if at, ok := e.Data["datetime"].(string); ok && at != "" {
			prefix = at + " " // Python's str(datetime) in the builder's local time
		}
		if e.Type != "" {
			prefix += "[" + e.Type + "] "
		}
		fmt.Fprintf(w, "%s%s\n", prefix, e.Message)
	}
}
