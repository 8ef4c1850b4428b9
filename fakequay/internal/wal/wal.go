// Package wal keeps fakequay's data directory on disk: an append-only
// journal of records, fsynced one by one, and snapshot files replaced
// atomically. It knows nothing of what a record holds.
//
// Both kinds of file start with a header line naming the format and its
// version, "<magic> <version>\n"; a file with another magic or version is
// refused with a [*FormatError], before any record is read. Records are
// framed as
//
//	uint32 little-endian payload length | uint32 little-endian CRC-32C (Castagnoli) of the payload | payload
//
// Payloads are never empty, so a zero-filled region (what a crash can
// leave after a file grew) never reads as a record.
//
// The journal tolerates exactly one kind of damage, the one a crash during
// an append leaves: a last record that is incomplete (no valid record
// follows it), or fails its CRC with nothing but zeros after it, or a
// zero-filled tail. Appends are fsynced one at a time, so only the last
// one can have been cut short. [OpenJournal] truncates it and reports it as a
// [TornTail]. Damage anywhere else is a [*CorruptError]: the file is
// refused rather than half-read. Snapshots are written to a temporary file,
// fsynced, renamed over the old one and the directory fsynced, so a reader
// sees either the old snapshot or the new one; they end with a footer
// giving their record count, and any damage is a [*CorruptError].
package wal

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// Format names a file format: the first line of a file is
// "<Magic> <Version>\n".
type Format struct {
	Magic   string
	Version int
}

func (f Format) header() []byte { return fmt.Appendf(nil, "%s %d\n", f.Magic, f.Version) }

// maxHeader bounds the header line a reader looks at.
const maxHeader = 64

// MaxRecord is the largest payload a record may hold; a length field above
// it can only be damage.
const MaxRecord = 256 << 20

// frameHeader is the size of a record's length and CRC fields.
const frameHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendFrame appends payload framed as a record.
func appendFrame(b, payload []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(payload, castagnoli))
	return append(b, payload...)
}

// FormatError reports a file that does not start with the expected header:
// another kind of file, or another version of fakequay's format.
type FormatError struct {
	Path string
	Want Format
	// Got is the header line found (at most its first 64 bytes).
	Got string
	// GotVersion is the version found when the magic matched, else 0.
	GotVersion int
}

func (e *FormatError) Error() string {
	if e.GotVersion != 0 {
		return fmt.Sprintf("%s has format version %d, but this fakequay reads only version %d of %s files; "+
			"use the fakequay that wrote it, or move the data directory away to start empty",
			e.Path, e.GotVersion, e.Want.Version, e.Want.Magic)
	}
	return fmt.Sprintf("%s is not a %s file (version %d): it starts with %q", e.Path, e.Want.Magic, e.Want.Version, e.Got)
}

// CorruptError reports damage that is not a torn last record: the file is
// refused, not half-read.
type CorruptError struct {
	Path   string
	Offset int64 // where the bad record starts
	Reason string
	Err    error // the payload handler's error, if that is the reason
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: record at byte %d: %s; refusing to start on a damaged file (move the data directory away to start empty)",
		e.Path, e.Offset, e.Reason)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// parseHeader checks data's header line and returns its length.
func parseHeader(path string, data []byte, want Format) (int, error) {
	head := data[:min(len(data), maxHeader)]
	i := bytes.IndexByte(head, '\n')
	if i < 0 {
		return 0, &FormatError{Path: path, Want: want, Got: string(head)}
	}
	line := string(head[:i])
	magic, version, _ := strings.Cut(line, " ")
	v, err := strconv.Atoi(version)
	if magic != want.Magic || err != nil || v <= 0 {
		return 0, &FormatError{Path: path, Want: want, Got: line}
	}
	if v != want.Version {
		return 0, &FormatError{Path: path, Want: want, Got: line, GotVersion: v}
	}
	return i + 1, nil
}

// frame is one record found in a file, or why none could be read there.
type frame struct {
	payload []byte
	next    int // offset after the record
	// problem is set when no valid record starts here; torn tells whether
	// the problem is one a crash during the last append can leave.
	problem string
	torn    bool
}

// readFrame reads the record at off in data.
func readFrame(data []byte, off int) frame {
	rest := data[off:]
	if len(rest) < frameHeader {
		return frame{problem: fmt.Sprintf("incomplete record header (%d of %d bytes)", len(rest), frameHeader), torn: true}
	}
	n := binary.LittleEndian.Uint32(rest)
	sum := binary.LittleEndian.Uint32(rest[4:])
	switch {
	case n == 0 && allZero(rest):
		return frame{problem: fmt.Sprintf("zero-filled tail (%d bytes)", len(rest)), torn: true}
	case n == 0:
		return frame{problem: "zero-length record"}
	case n > MaxRecord:
		return frame{problem: fmt.Sprintf("record length %d exceeds the %d-byte maximum", n, MaxRecord)}
	case int64(n) > int64(len(rest)-frameHeader):
		problem := fmt.Sprintf("incomplete record (%d of %d payload bytes)", len(rest)-frameHeader, n)
		// A damaged length can make a record in the middle look like the
		// last one; a valid record further on gives it away.
		if next, ok := validFrameAfter(data, off); ok {
			return frame{problem: fmt.Sprintf("%s, yet a valid record starts at byte %d", problem, next)}
		}
		return frame{problem: problem, torn: true}
	}
	payload := rest[frameHeader : frameHeader+int(n)]
	if crc32.Checksum(payload, castagnoli) != sum {
		// The record is the last one if nothing but zeros (what a file
		// grown by a crashed append may hold) follows it.
		last := allZero(rest[frameHeader+int(n):])
		return frame{problem: "payload fails its CRC-32C check", torn: last}
	}
	return frame{payload: payload, next: off + frameHeader + int(n)}
}

// validFrameAfter looks for a valid record starting after off.
func validFrameAfter(data []byte, off int) (int, bool) {
	for next := off + 1; next+frameHeader < len(data); next++ {
		n := binary.LittleEndian.Uint32(data[next:])
		if n == 0 || int64(n) > int64(len(data)-next-frameHeader) {
			continue
		}
		payload := data[next+frameHeader : next+frameHeader+int(n)]
		if crc32.Checksum(payload, castagnoli) == binary.LittleEndian.Uint32(data[next+4:]) {
			return next, true
		}
	}
	return 0, false
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// LockedError reports a data directory another fakequay is using.
type LockedError struct {
	Dir   string
	Owner string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("data directory %s is in use by %s; two fakequays cannot share one", e.Dir, e.Owner)
}
