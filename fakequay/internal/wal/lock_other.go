//go:build !unix

package wal

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// LockDir creates dir's LOCK file exclusively, so that two processes never
// share a data directory. Without flock the file outlives a crash: the
// error says to remove it then.
func LockDir(dir string) (unlock func() error, err error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, &LockedError{Dir: dir, Owner: "another fakequay (or one that crashed: then remove " + path + ")"}
	}
	if err != nil {
		return nil, err
	}
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return func() error {
		f.Close()
		return os.Remove(path)
	}, nil
}

// SyncDir is a no-op where directories cannot be fsynced.
func SyncDir(string) error { return nil }
