package store

import (
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/go-memdb"
)

// RegistrySize is Quay's QuotaRegistrySize row: the registry's total size
// as last computed by the quotaregistrysizeworker, and whether a
// calculation is queued or running. Quay has at most one such row.
type RegistrySize struct {
	SizeBytes int64
	Queued    bool
	Running   bool
	// CompletedMs is when the last calculation finished, in Unix
	// milliseconds (Quay's completed_ms); nil until one has.
	CompletedMs *int64
}

// registrySizeKey is the index key of the single row.
const registrySizeKey = 1

func registrySizeTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRegistrySize,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*RegistrySize]{
				key: func(*RegistrySize) (int64, bool) { return registrySizeKey, true }}},
		},
	}
}

// RegistrySize returns the registry-size row, if there is one
// (quota.get_registry_size).
func (r Reader) RegistrySize() (*RegistrySize, bool) {
	return first[*RegistrySize](r.txn, tableRegistrySize, indexID, int64(registrySizeKey))
}

// QueueRegistrySizeCalculation is quota.queue_registry_size_calculation:
// without a row it inserts one that is queued; a row that is queued or
// running is left alone and alreadyQueued is true; an idle row becomes
// queued. (Quay also reports "not queued" when its UPDATE touches no row,
// which cannot happen inside one transaction.)
func (s *Store) QueueRegistrySizeCalculation() (alreadyQueued bool, err error) {
	err = s.write(func(txn *memdb.Txn) error {
		cur, ok := first[*RegistrySize](txn, tableRegistrySize, indexID, int64(registrySizeKey))
		if ok && (cur.Queued || cur.Running) {
			alreadyQueued = true
			return nil
		}
		next := &RegistrySize{Queued: true}
		if ok {
			c := *cur
			c.Queued = true
			next = &c
		}
		insert(txn, tableRegistrySize, next)
		return nil
	})
	return alreadyQueued, err
}

// CalculateRegistrySize is one pass of Quay's quotaregistrysizeworker
// (quota.calculate_registry_size): when the row is queued and not running,
// it computes the size and records it as of now, clearing both flags, and
// reports true; otherwise it does nothing.
//
// fakequay stores no image layers, so the size comes from the
// namespaces' consumed bytes (namespaceBytesTxn), where Quay sums
// ImageStorage.image_size. A sum beyond Postgres' bigint
// fails the final UPDATE in Quay after the row was marked running, and the
// row stays that way; fakequay keeps that state and returns a *CrashError.
func (s *Store) CalculateRegistrySize(now time.Time) (bool, error) {
	ran := false
	err := s.write(func(txn *memdb.Txn) error {
		cur, ok := first[*RegistrySize](txn, tableRegistrySize, indexID, int64(registrySizeKey))
		if !ok || cur.Running || !cur.Queued {
			return nil
		}
		ran = true
		total, fits := namespaceBytesTxn(txn)
		if !fits {
			running := *cur
			running.Running, running.Queued = true, false
			insert(txn, tableRegistrySize, &running)
			return keepChanges{crash("DataError: bigint out of range")}
		}
		done := now.UnixMilli()
		insert(txn, tableRegistrySize, &RegistrySize{SizeBytes: total, CompletedMs: &done})
		return nil
	})
	return ran, err
}

// namespaceBytesTxn is sum_registry_size, SUM(ImageStorage.image_size):
// every stored blob once across the registry. fakequay keeps no storage
// rows, so it sums every namespace's consumed bytes (each blob once per
// namespace, update_sizes) and takes back the repeats of a blob that
// manifests of several counted namespaces reference (ImageStorage is
// shared: the registry stores such a blob once). fits is false when the
// sum exceeds int64.
func namespaceBytesTxn(txn *memdb.Txn) (total int64, fits bool) {
	fits = true
	blobNamespaces := map[string]int64{}
	blobSize := map[string]int64{}
	walkListings(txn, idOrder, 0, func(n *Namespace) bool {
		if n.Size == nil {
			return true
		}
		if n.Size.Bytes > math.MaxInt64-total {
			fits = false
			return false
		}
		total += n.Size.Bytes
		seen := map[string]bool{}
		walkPrefix(txn, tableManifests, indexID, keyOf().id(n.ID), func(m *Manifest) bool {
			for _, b := range m.Blobs {
				if !seen[b.Digest] {
					seen[b.Digest] = true
					blobNamespaces[b.Digest]++
					blobSize[b.Digest] = b.Size
				}
			}
			return true
		})
		return true
	})
	if !fits {
		return total, false
	}
	for d, count := range blobNamespaces {
		total -= (count - 1) * blobSize[d]
	}
	return total, true
}

// SetRegistrySize stores rs as the registry-size row, replacing any.
// Queued and Running cannot both be true: Quay clears queued when a
// calculation starts and never queues a running one.
func (l *Loader) SetRegistrySize(rs RegistrySize) error {
	if rs.SizeBytes < 0 {
		return fmt.Errorf("size_bytes: must not be negative, got %d", rs.SizeBytes)
	}
	if rs.Queued && rs.Running {
		return fmt.Errorf("running: cannot be true while queued is")
	}
	row := rs
	if rs.CompletedMs != nil {
		ms := *rs.CompletedMs
		row.CompletedMs = &ms
	}
	insert(l.txn, tableRegistrySize, &row)
	return nil
}
