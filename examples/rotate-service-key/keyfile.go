package main

import (
	"errors"
	"fmt"
	"os"
)

// keyFile is the file the new private key goes to. It is created before the
// key, so that a path that cannot be written stops the rotation before Quay
// makes a key whose private half would be lost (Quay never keeps it).
type keyFile struct {
	f       *os.File
	written bool
}

// createKeyFile creates path for writing, readable only by its owner
// (0600). It refuses to replace an existing file: that may be the key the
// service still signs with.
func createKeyFile(path string) (*keyFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	return &keyFile{f: f}, nil
}

// write stores the PEM and closes the file, syncing it first: once this
// returns, the key survives a crash.
func (k *keyFile) write(pem string) error {
	_, err := k.f.WriteString(pem)
	err = errors.Join(err, k.f.Sync(), k.f.Close())
	if err != nil {
		return fmt.Errorf("writing %s: %w", k.f.Name(), err)
	}
	k.written = true
	return nil
}

// discard removes the file unless a key was written to it.
func (k *keyFile) discard() {
	if k.written {
		return
	}
	k.f.Close()
	os.Remove(k.f.Name())
}
