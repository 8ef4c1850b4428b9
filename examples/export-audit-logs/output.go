package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// output is where the export goes: stdout, or a file that appears only
// when the export is complete, so that a failed or interrupted run never
// leaves a partial file that looks like a full one.
type output struct {
	w    *bufio.Writer // entries are small; write them in blocks
	tmp  *os.File      // nil for stdout
	path string
}

// openOutput returns an output to path, or to stdout when path is empty or
// "-". The file is written next to path under a temporary name, readable
// only by its owner (0600): audit logs name users and their IP addresses.
func openOutput(path string, stdout io.Writer) (*output, error) {
	if path == "" || path == "-" {
		return &output{w: bufio.NewWriter(stdout)}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &output{w: bufio.NewWriter(tmp), tmp: tmp, path: path}, nil
}

// commit writes out what is buffered and makes a file output visible under
// its name.
func (o *output) commit() error {
	if o.tmp == nil {
		return o.w.Flush()
	}
	name := o.tmp.Name()
	if err := errors.Join(o.w.Flush(), o.tmp.Sync(), o.tmp.Close()); err != nil {
		os.Remove(name)
		return err
	}
	o.tmp = nil
	if err := os.Rename(name, o.path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}

// discard removes an uncommitted file output. On stdout, where nothing
// can be taken back, it writes out the entries read before the failure.
func (o *output) discard() {
	if o.tmp == nil {
		o.w.Flush()
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
	o.tmp = nil
}
