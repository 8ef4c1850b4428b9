package wal

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// footerMagic starts a snapshot's footer, which follows its last record:
// the magic and the uint32 little-endian number of records. A footer is as
// long as a record header, and a record there would have to be empty,
// which no record is, so the two cannot be confused.
const footerMagic = "END\x00"

// WriteSnapshot replaces the snapshot at path atomically with the records
// that write emits (see the package comment). On error the old snapshot,
// if any, is left as it was.
func WriteSnapshot(path string, format Format, write func(emit func(payload []byte) error) error) error {
	return writeAtomically(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if _, err := bw.Write(format.header()); err != nil {
			return err
		}
		var count uint32
		var frame []byte
		err := write(func(payload []byte) error {
			if len(payload) == 0 || len(payload) > MaxRecord {
				return fmt.Errorf("a record payload must have 1 to %d bytes, not %d", MaxRecord, len(payload))
			}
			frame = appendFrame(frame[:0], payload)
			count++
			_, err := bw.Write(frame)
			return err
		})
		if err != nil {
			return err
		}
		footer := binary.LittleEndian.AppendUint32([]byte(footerMagic), count)
		if _, err := bw.Write(footer); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// ReadSnapshot calls fn with every record's payload of the snapshot at
// path, in order. Any damage, a missing footer included, is a
// [*CorruptError]; an error from fn is returned as one too. A missing file
// is the error os.Open returns (fs.ErrNotExist).
func ReadSnapshot(path string, format Format, fn func(payload []byte) error) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	off, err := parseHeader(path, data, format)
	if err != nil {
		return err
	}
	var count uint32
	for {
		if len(data)-off == frameHeader && string(data[off:off+4]) == footerMagic {
			if got := binary.LittleEndian.Uint32(data[off+4:]); got != count {
				return &CorruptError{Path: path, Offset: int64(off), Reason: fmt.Sprintf("footer counts %d records, the file holds %d", got, count)}
			}
			return nil
		}
		if off == len(data) {
			return &CorruptError{Path: path, Offset: int64(off), Reason: "no footer: the snapshot is truncated"}
		}
		fr := readFrame(data, off)
		if fr.problem != "" {
			return &CorruptError{Path: path, Offset: int64(off), Reason: fr.problem}
		}
		if err := fn(fr.payload); err != nil {
			return &CorruptError{Path: path, Offset: int64(off), Reason: err.Error(), Err: err}
		}
		count++
		off = fr.next
	}
}
