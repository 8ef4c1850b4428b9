package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Table and index names of the content tables (issue 12).
const (
	tableManifests = "manifests"
	tableTags      = "tags"
	tableLabels    = "labels"

	indexDigest   = "digest"   // manifests: (namespace, repository, digest), unique
	indexBlob     = "blob"     // manifests: (namespace, blob digest, repository id, manifest id), one per blob
	indexTagName  = "tag_name" // tags: (namespace, repository, name, id)
	indexManifest = "manifest" // labels: (namespace, repository, manifest, id)
)

// Sequences of the content tables.
const (
	seqManifest = "manifest" // Manifest
	seqTag      = "tag"      // Tag
	seqLabel    = "label"    // Label
)

// BlobRef is a blob a manifest references: its digest and stored size.
type BlobRef struct {
	Digest string
	Size   int64
}

// Manifest is a row of Quay's Manifest table: a manifest stored in one
// repository, as pushed.
type Manifest struct {
	ID           int64
	NamespaceID  int64
	RepositoryID int64
	Digest       string
	MediaType    string
	// ConfigMediaType is the config's media type; "" (Quay's NULL) for a
	// manifest list.
	ConfigMediaType string
	Bytes           []byte
	// LayersSize is Quay's layers_compressed_size, the sum of the layer
	// sizes the manifest states; nil (NULL) for a manifest list.
	LayersSize *int64
	// Blobs are the blobs Quay's quota counts for the manifest
	// (local_blob_digests): the layers, then the config. None for a list.
	Blobs []BlobRef
	// Children are a manifest list's entries' digests, in list order.
	Children []string
	// Layers are the manifest's layers as getRepoManifest shows them
	// (nil for a list).
	Layers []ManifestLayer
	// Security is the manifest's ManifestSecurityStatus row with the
	// scanner's report; nil when the scanner has not seen it.
	Security *SecurityScan
}

// SecurityScan is what Quay knows of a manifest's security scan: its
// ManifestSecurityStatus index_status, said as getRepoManifestSecurity's
// status, and, once scanned, the packages the scanner (Clair v4) reported.
type SecurityScan struct {
	Status   string // scanned, queued, failed, unsupported, manifest_layer_too_large
	Features []SecurityFeature
}

// SecurityFeature is one package of a scan report, as features_for turns
// it into Quay's Feature.
type SecurityFeature struct {
	Name            string
	AddedBy         string
	Version         string
	Vulnerabilities []Vulnerability
}

// Vulnerability is one vulnerability of a package, as features_for turns
// it into Quay's Vulnerability; nil pointers are Quay's None.
type Vulnerability struct {
	Severity      string
	NamespaceName string
	Link          string
	FixedBy       string
	Description   string
	Name          string
	RepoName      *string
	RepoLink      *string
	DistroName    *string
	DistroVersion *string
	// CVSSVectors and CVSSScore are the enrichment's CVSS v3 data; nil
	// when the report has none (Quay's "").
	CVSSVectors *string
	CVSSScore   *float64
}

// ManifestLayer is one layer of a manifest with what Quay reads about it
// from the config (for schema 1, the v1Compatibility entries).
type ManifestLayer struct {
	Digest   string
	Size     int64
	IsRemote bool
	URLs     []string   // nil: null
	Command  []string   // nil: null
	Comment  *string    // nil: null
	Author   *string    // nil: null
	Created  *time.Time // nil: null
}

// IsList reports whether the manifest is a manifest list (or OCI index).
func (m *Manifest) IsList() bool { return len(m.Children) > 0 || m.LayersSize == nil }

// The manifests table is keyed by (namespace, repository, id) so that a
// repository's manifests are one prefix walk; the digest index finds one
// by its digest; the blob index answers update_sizes' question, does any
// manifest of the namespace reference this blob, with one lookup, where a
// walk of the namespace's manifests made a push cost O(namespace) (issue
// 12: 53 ms a push into a namespace of 10,000 images).
func manifestsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableManifests,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Manifest]{
				key: func(m *Manifest) (rowKey, bool) {
					return keyOf().id(m.NamespaceID).id(m.RepositoryID).id(m.ID), true
				}}},
			indexDigest: {Name: indexDigest, Unique: true, Indexer: keyIndex[*Manifest]{
				key: func(m *Manifest) (rowKey, bool) {
					return keyOf().id(m.NamespaceID).id(m.RepositoryID).name(m.Digest), true
				}}},
			indexBlob: {Name: indexBlob, AllowMissing: true, Indexer: keysIndex[*Manifest]{
				keys: func(m *Manifest) []rowKey {
					keys := make([]rowKey, 0, len(m.Blobs))
					for i, b := range m.Blobs {
						if !slices.ContainsFunc(m.Blobs[:i], func(o BlobRef) bool { return o.Digest == b.Digest }) {
							keys = append(keys, keyOf().id(m.NamespaceID).name(b.Digest).id(m.RepositoryID).id(m.ID))
						}
					}
					return keys
				}}},
		},
	}
}

// Label is a row of Quay's Label table joined with its ManifestLabel: a
// key/value pair on one manifest.
type Label struct {
	ID           int64
	UUID         string
	NamespaceID  int64
	RepositoryID int64
	ManifestID   int64
	Key          string
	Value        string
	MediaType    string // "text/plain" or "application/json"
	SourceType   string // "manifest", "api" or "internal"
}

func labelsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableLabels,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Label]{
				key: func(l *Label) (rowKey, bool) {
					return keyOf().id(l.NamespaceID).id(l.RepositoryID).id(l.ManifestID).id(l.ID), true
				}}},
			indexUUID: {Name: indexUUID, Unique: true, Indexer: stringIndex[*Label]{
				key: func(l *Label) (string, bool) { return l.UUID, true }}},
		},
	}
}

// --- reads -----------------------------------------------------------------

// Manifest returns the manifest of the repository with the given digest.
func (r Reader) Manifest(repo *Repository, digest string) (*Manifest, bool) {
	return manifestByDigestTxn(r.txn, repo, digest)
}

// ManifestByID returns the manifest of the repository with the given id.
func (r Reader) ManifestByID(repo *Repository, id int64) (*Manifest, bool) {
	return first[*Manifest](r.txn, tableManifests, indexID, keyOf().id(repo.NamespaceID).id(repo.ID).id(id))
}

// Manifests calls fn for each manifest of the repository in id order
// until fn returns false.
func (r Reader) Manifests(repo *Repository, fn func(*Manifest) bool) {
	walkPrefix(r.txn, tableManifests, indexID, keyOf().id(repo.NamespaceID).id(repo.ID), fn)
}

// NamespaceManifests calls fn for each manifest of every repository of the
// namespace, by repository then id, until fn returns false.
func (r Reader) NamespaceManifests(namespaceID int64, fn func(*Manifest) bool) {
	walkPrefix(r.txn, tableManifests, indexID, keyOf().id(namespaceID), fn)
}

// Labels calls fn for each label of the manifest in creation order until
// fn returns false.
func (r Reader) Labels(m *Manifest, fn func(*Label) bool) {
	walkPrefix(r.txn, tableLabels, indexID, keyOf().id(m.NamespaceID).id(m.RepositoryID).id(m.ID), fn)
}

// Label returns the label of the manifest with the given uuid.
func (r Reader) Label(m *Manifest, uuid string) (*Label, bool) {
	l, ok := first[*Label](r.txn, tableLabels, indexUUID, uuid)
	if !ok || l.ManifestID != m.ID || l.RepositoryID != m.RepositoryID || l.NamespaceID != m.NamespaceID {
		return nil, false
	}
	return l, true
}

func manifestByDigestTxn(txn *memdb.Txn, repo *Repository, digest string) (*Manifest, bool) {
	if strings.IndexByte(digest, 0) >= 0 {
		return nil, false
	}
	return first[*Manifest](txn, tableManifests, indexDigest, keyOf().id(repo.NamespaceID).id(repo.ID).name(digest))
}

// --- writes ----------------------------------------------------------------

// NewManifest is a manifest a push stores: its bytes and what Quay
// derives from them.
type NewManifest struct {
	Digest          string
	MediaType       string
	ConfigMediaType string
	Bytes           []byte
	LayersSize      *int64
	Blobs           []BlobRef
	Children        []string
	Layers          []ManifestLayer
	// Labels are created with the manifest (the config's labels, source
	// "manifest"), in order; ignored when the manifest already exists.
	Labels []NewLabel
}

// NewLabel is a label to create.
type NewLabel struct {
	Key, Value, MediaType, SourceType string
	UUID                              string
}

// Push is a registry push into one repository: manifests stored in order
// (a list's children before it), then the tag pointed at the last.
type Push struct {
	Namespace  string
	Repository string
	// Manifests are stored in order; one already in the repository is
	// kept as it is.
	Manifests []NewManifest
	// Tag names the tag to point at the last manifest; "" pushes by digest.
	Tag string
	// CreateRepository creates a missing repository (private, no log), as
	// a push into a namespace the pusher may create in does.
	CreateRepository bool
	// CreatorID is the pusher, who gets admin on a created repository.
	CreatorID int64
	Now       time.Time
	// CountSize adds each new manifest's blobs to the namespace's size as
	// Quay's quota does at manifest creation (update_sizes): a blob counts
	// once per namespace, whichever repository holds it. A snapshot's
	// manifests, whose namespace sizes the seed gives, are not counted.
	CountSize bool
	// NewUUID makes each new label's uuid when its UUID is empty.
	NewUUID func() string
	// Audit, when its Kind is set, is written with the push (push_repo).
	Audit Action
}

// ErrNoRepository is a push into a repository that does not exist without
// CreateRepository.
var ErrNoRepository = errors.New("store: the repository does not exist")

// Push stores a push: the repository if missing and asked for, each
// manifest not yet in the repository with its labels, and the tag
// (retarget_tag: the alive tag of that name ends now and a new row starts).
// It returns the last manifest.
func (s *Store) Push(in Push) (*Manifest, error) {
	if len(in.Manifests) == 0 {
		return nil, errors.New("store: a push needs a manifest")
	}
	var last *Manifest
	err := s.write(func(txn *memdb.Txn) error {
		var err error
		last, err = pushTxn(txn, in)
		return err
	})
	return last, err
}

// Push stores a push as Store.Push does, in the load's transaction.
func (l *Loader) Push(in Push) (*Manifest, error) {
	if len(in.Manifests) == 0 {
		return nil, errors.New("store: a push needs a manifest")
	}
	return pushTxn(l.txn, in)
}

func pushTxn(txn *memdb.Txn, in Push) (*Manifest, error) {
	var last *Manifest
	ns, ok := namespaceByNameTxn(txn, in.Namespace)
	if !ok || ns.Deleted {
		return nil, fmt.Errorf("store: namespace %q does not exist", in.Namespace)
	}
	repo, ok := repositoryTxn(txn, ns.ID, in.Repository)
	if !ok {
		if !in.CreateRepository {
			return nil, ErrNoRepository
		}
		repo = &Repository{ID: nextIDTxn(txn, seqRepository), NamespaceID: ns.ID, Name: in.Repository, Kind: KindImage}
		putRepositoryTxn(txn, nil, repo)
		if creator, ok := namespaceByIDTxn(txn, in.CreatorID); ok && creator.IsUser() {
			putPermissionTxn(txn, repo, UserEntity(creator.ID), RoleAdmin)
			if creator.Name != ns.Name {
				applyDefaultPermissionsTxn(txn, repo, creator)
			}
		}
	}
	for _, nm := range in.Manifests {
		_, existed := manifestByDigestTxn(txn, repo, nm.Digest)
		if !existed && in.CountSize {
			countSizeTxn(txn, ns.ID, repo, nm.Blobs)
			repo, _ = repositoryByIDTxn(txn, repo.NamespaceID, repo.ID)
		}
		last = putManifestTxn(txn, repo, nm, in.NewUUID)
	}
	if in.Tag != "" {
		if err := retargetTagTxn(txn, repo, in.Tag, last.ID, false, in.Now); err != nil {
			return nil, err
		}
	}
	if in.Audit.Kind != "" {
		if err := logActionTxn(txn, in.Audit); err != nil {
			return nil, err
		}
	}
	return last, nil
}

// putManifestTxn stores nm in repo unless a manifest with its digest is
// there already, and returns the stored row.
func putManifestTxn(txn *memdb.Txn, repo *Repository, nm NewManifest, newUUID func() string) *Manifest {
	if m, ok := manifestByDigestTxn(txn, repo, nm.Digest); ok {
		return m
	}
	m := &Manifest{ID: nextIDTxn(txn, seqManifest), NamespaceID: repo.NamespaceID, RepositoryID: repo.ID,
		Digest: nm.Digest, MediaType: nm.MediaType, ConfigMediaType: nm.ConfigMediaType,
		Bytes: append([]byte(nil), nm.Bytes...), LayersSize: nm.LayersSize,
		Blobs: append([]BlobRef(nil), nm.Blobs...), Children: append([]string(nil), nm.Children...), Layers: nm.Layers}
	insert(txn, tableManifests, m)
	for _, l := range nm.Labels {
		insertLabelTxn(txn, m, l, newUUID)
	}
	return m
}

func insertLabelTxn(txn *memdb.Txn, m *Manifest, l NewLabel, newUUID func() string) *Label {
	row := &Label{ID: nextIDTxn(txn, seqLabel), UUID: l.UUID, NamespaceID: m.NamespaceID, RepositoryID: m.RepositoryID,
		ManifestID: m.ID, Key: l.Key, Value: l.Value, MediaType: l.MediaType, SourceType: l.SourceType}
	if row.UUID == "" {
		row.UUID = newUUID()
	}
	insert(txn, tableLabels, row)
	return row
}

// AddLabel is Quay's create_manifest_label (through the API): a label on
// the manifest, with the audit row.
func (s *Store) AddLabel(m *Manifest, l NewLabel, newUUID func() string, audit Action) (*Label, error) {
	var created *Label
	err := s.write(func(txn *memdb.Txn) error {
		cur, ok := first[*Manifest](txn, tableManifests, indexID, keyOf().id(m.NamespaceID).id(m.RepositoryID).id(m.ID))
		if !ok {
			return ErrNoManifest
		}
		created = insertLabelTxn(txn, cur, l, newUUID)
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
	return created, err
}

// DeleteLabel is Quay's delete_manifest_label: the label goes, with the
// audit row. A label that is gone is ErrNoLabel.
func (s *Store) DeleteLabel(m *Manifest, uuid string, audit Action) (*Label, error) {
	var deleted *Label
	err := s.write(func(txn *memdb.Txn) error {
		l, ok := Reader{txn: txn}.Label(m, uuid)
		if !ok {
			return ErrNoLabel
		}
		remove(txn, tableLabels, l)
		deleted = l
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
	return deleted, err
}

// Content errors.
var (
	ErrNoManifest = errors.New("store: the manifest does not exist")
	ErrNoLabel    = errors.New("store: the label does not exist")
	ErrNoTag      = errors.New("store: the tag does not exist")
)

// deleteRepositoryContentTxn removes a repository's tags, manifests and
// labels (purge_repository's content).
func deleteRepositoryContentTxn(txn *memdb.Txn, repo *Repository) {
	prefix := keyOf().id(repo.NamespaceID).id(repo.ID)
	for _, table := range []string{tableTags, tableLabels, tableManifests} {
		var doomed []any
		walkPrefix(txn, table, indexID, prefix, func(row any) bool {
			doomed = append(doomed, row)
			return true
		})
		for _, row := range doomed {
			remove(txn, table, row)
		}
	}
	deleteTagHistoryTxn(txn, repo)
}

// AddTag stores a tag row as a seed gives it (a snapshot's history): the
// manifest must be in the repository.
func (l *Loader) AddTag(repo *Repository, t Tag) (*Tag, error) {
	if _, ok := first[*Manifest](l.txn, tableManifests, indexID, keyOf().id(repo.NamespaceID).id(repo.ID).id(t.ManifestID)); !ok {
		return nil, ErrNoManifest
	}
	if t.Name == "" || strings.IndexByte(t.Name, 0) >= 0 {
		return nil, fmt.Errorf("name %q is not a tag name", t.Name)
	}
	row := t.clone()
	row.ID = nextIDTxn(l.txn, seqTag)
	row.NamespaceID, row.RepositoryID = repo.NamespaceID, repo.ID
	putTagTxn(l.txn, row)
	return row, nil
}

// SetSecurityScan records a manifest's security scan as a seed gives it
// (what Quay's security worker and Clair would have stored).
func (l *Loader) SetSecurityScan(m *Manifest, scan SecurityScan) *Manifest {
	row := *m
	row.Security = &scan
	insert(l.txn, tableManifests, &row)
	return &row
}

// AddLabel stores a label on a manifest as a seed gives it.
func (l *Loader) AddLabel(m *Manifest, in NewLabel, newUUID func() string) *Label {
	return insertLabelTxn(l.txn, m, in, newUUID)
}

// countSizeTxn is update_sizes for a manifest about to be created in
// repo: each of its blobs no manifest of the namespace references yet adds
// its size to the namespace, and each no manifest of the repository
// references adds it to the repository (blob_exists_in_namespace,
// blob_exists_in_repository). The namespace's and the repository's size
// rows are made on their first manifest (backfill_start_ms 0,
// backfill_complete); a repository that has manifests with blobs but no
// row waits for the backfill worker, and keeps none (write_repository_total).
// The blob index answers each question with one seek, so a push costs
// O(its blobs), not O(the namespace's manifests).
func countSizeTxn(txn *memdb.Txn, namespaceID int64, repo *Repository, blobs []BlobRef) {
	if len(blobs) == 0 {
		return // a manifest list: update_sizes skips it
	}
	referenced := func(k rowKey) bool {
		_, ok := first[*Manifest](txn, tableManifests, indexBlob+"_prefix", k)
		return ok
	}
	seen := map[string]bool{}
	var added, repoAdded int64
	for _, b := range blobs {
		if seen[b.Digest] {
			continue
		}
		seen[b.Digest] = true
		inNamespace := keyOf().id(namespaceID).name(b.Digest)
		switch {
		case !referenced(inNamespace):
			added += b.Size
			repoAdded += b.Size
		case !referenced(inNamespace.id(repo.ID)):
			repoAdded += b.Size
		}
	}
	if repo.SizeBytes != nil || !repositoryHasBlobsTxn(txn, repo) {
		c := *repo
		total := repoAdded
		if repo.SizeBytes != nil {
			total += *repo.SizeBytes
		}
		c.SizeBytes = &total
		putRepositoryTxn(txn, repo, &c)
	}
	n, ok := namespaceByIDTxn(txn, namespaceID)
	if !ok {
		return
	}
	c := n.clone()
	size := NamespaceSize{BackfillStarted: true, BackfillComplete: true}
	if n.Size != nil {
		size.Bytes = n.Size.Bytes
	}
	size.Bytes += added
	c.Size = &size
	putNamespaceTxn(txn, n, c)
}

// repositoryHasBlobsTxn reports whether a manifest of repo references a
// blob (a manifest list references none).
func repositoryHasBlobsTxn(txn *memdb.Txn, repo *Repository) bool {
	found := false
	walkPrefix(txn, tableManifests, indexID, keyOf().id(repo.NamespaceID).id(repo.ID), func(m *Manifest) bool {
		found = len(m.Blobs) > 0
		return !found
	})
	return found
}
