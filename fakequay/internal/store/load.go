package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Loader adds rows directly, bypassing Quay's API-level rules but keeping
// the store's invariants (unique names, unique user e-mails, one quota per
// namespace, unique token values). It backs seed files and the fake's Go
// seeding API. All rows of one Load land in one transaction.
type Loader struct{ txn *memdb.Txn }

// Load runs fn with a Loader; if fn fails nothing it added is kept.
func (s *Store) Load(fn func(*Loader) error) error {
	return s.write(func(txn *memdb.Txn) error { return fn(&Loader{txn: txn}) })
}

// Read returns a view of the rows loaded so far.
func (l *Loader) Read() Reader { return Reader{txn: l.txn} }

// AddNamespace stores a user or organization with the next id.
func (l *Loader) AddNamespace(n Namespace) (*Namespace, error) {
	if n.Kind != KindUser && n.Kind != KindOrg {
		return nil, fmt.Errorf("namespace %q: unknown kind %v", n.Name, n.Kind)
	}
	if issue := usernameIssue(n.Name); issue != "" {
		return nil, fmt.Errorf("name %q: %s", n.Name, issue)
	}
	if _, taken := namespaceByNameTxn(l.txn, n.Name); taken {
		return nil, fmt.Errorf("name %q is already taken", n.Name)
	}
	if n.IsUser() && userEmailTakenTxn(l.txn, n.Email, 0) {
		return nil, fmt.Errorf("e-mail %q is already used by another user", n.Email)
	}
	row := n
	row.ID = nextIDTxn(l.txn, seqNamespace)
	putNamespaceTxn(l.txn, nil, &row)
	return &row, nil
}

// AddNamespaces stores rows as AddNamespace would, one after the other, and
// returns them. On the first row AddNamespace would refuse it stops and
// returns the rows stored before, that row's index and the error.
//
// It is what a seed of many users costs to load (issue 14, goal 4): when
// the namespaces table is empty, as in a new server, and no row would be
// refused, the rows are stored as one batch (addBatch); otherwise it is
// AddNamespace row by row, which finds the first refusal.
func (l *Loader) AddNamespaces(rows []Namespace) ([]*Namespace, int, error) {
	if len(rows) > 0 && l.namespacesEmpty() && batchAcceptable(rows) {
		return l.addBatch(rows), -1, nil
	}
	out := make([]*Namespace, 0, len(rows))
	for i, n := range rows {
		row, err := l.AddNamespace(n)
		if err != nil {
			return out, i, err
		}
		out = append(out, row)
	}
	return out, -1, nil
}

// batchAcceptable reports whether AddNamespace would take every row into an
// empty table: valid kinds and names, no name twice, no user e-mail twice.
// Repeats are found by the keys' hashes (a collision, about once in 10^10
// seeds of a million users, only sends the rows the slow way).
func batchAcceptable(rows []Namespace) bool {
	names := make([]uint64, 0, len(rows))
	emails := make([]uint64, 0, len(rows))
	for i := range rows {
		n := &rows[i]
		if (n.Kind != KindUser && n.Kind != KindOrg) || usernameIssue(n.Name) != "" {
			return false
		}
		names = append(names, hashKey(n.Name))
		if n.IsUser() {
			emails = append(emails, hashKey(n.Email))
		}
	}
	return !hashesRepeat(names) && !hashesRepeat(emails)
}

// addBatch stores rows, which batchAcceptable accepted, into an empty
// table: consecutive ids, each chunk built by appending, and the hash
// indexes filled a bucket at a time rather than a put per row (a quarter
// of the load).
func (l *Loader) addBatch(rows []Namespace) []*Namespace {
	first := nextIDsTxn(l.txn, seqNamespace, int64(len(rows)))
	stored := make([]Namespace, len(rows)) // one allocation for every row
	out := make([]*Namespace, len(rows))
	bulks := make([]*bulkIndex, len(hashIndexes))
	for i, ix := range hashIndexes {
		bulks[i] = ix.bulk(len(rows))
	}
	for i, n := range rows {
		row := &stored[i]
		*row = n
		row.ID = first + int64(i)
		storeInChunk(l.txn, row)
		for _, b := range bulks {
			b.add(row)
		}
		out[i] = row
	}
	for _, b := range bulks {
		b.store(l.txn)
	}
	return out
}

// namespacesEmpty reports whether the transaction holds no namespace.
func (l *Loader) namespacesEmpty() bool { return namespacesEmptyTxn(l.txn) }

// AddToken stores an OAuth access token for an existing user.
func (l *Loader) AddToken(t Token) (*Token, error) {
	if t.Secret == "" {
		return nil, fmt.Errorf("token value is empty")
	}
	if _, taken := first[*Token](l.txn, tableTokens, indexSecret, t.Secret); taken {
		return nil, fmt.Errorf("token value is already used by another token")
	}
	if u, ok := namespaceByIDTxn(l.txn, t.UserID); !ok || !u.IsUser() {
		return nil, fmt.Errorf("token owner %d is not a user", t.UserID)
	}
	row := t
	row.ID = nextIDTxn(l.txn, seqToken)
	insert(l.txn, tableTokens, &row)
	return &row, nil
}

// SetQuota stores a namespace's quota, assigning ids to it and its limits.
// The namespace must not have one yet. Errors start with the offending
// field's path relative to the quota ("limits[1].type: ...").
func (l *Loader) SetQuota(q Quota) (*Quota, error) {
	if _, taken := first[*Quota](l.txn, tableQuotas, indexNamespace, q.NamespaceID); taken {
		return nil, fmt.Errorf("namespace: already has a quota")
	}
	return l.putQuota(q)
}

// ReplaceQuota stores a namespace's quota like SetQuota, replacing the one
// it has, if any: the quota keeps its id and its limits get new ones.
func (l *Loader) ReplaceQuota(q Quota) (*Quota, error) {
	return l.putQuota(q)
}

func (l *Loader) putQuota(q Quota) (*Quota, error) {
	if _, ok := namespaceByIDTxn(l.txn, q.NamespaceID); !ok {
		return nil, fmt.Errorf("namespace: id %d does not exist", q.NamespaceID)
	}
	if q.LimitBytes <= 0 {
		return nil, fmt.Errorf("limit_bytes: must be positive, got %d", q.LimitBytes)
	}
	for i, lim := range q.Limits {
		// The rules of Quay's createOrganizationQuotaLimit.
		if lim.Type != "Warning" && lim.Type != "Reject" {
			return nil, fmt.Errorf("limits[%d].type: %q is not \"Warning\" or \"Reject\"", i, lim.Type)
		}
		if lim.Percent < 1 || lim.Percent > 100 {
			return nil, fmt.Errorf("limits[%d].limit_percent: %d is not between 1 and 100", i, lim.Percent)
		}
		for j, prev := range q.Limits[:i] {
			if prev.Type == lim.Type && prev.Percent == lim.Percent {
				return nil, fmt.Errorf("limits[%d]: same type and limit_percent as limits[%d]", i, j)
			}
		}
	}
	row := q
	if old, ok := first[*Quota](l.txn, tableQuotas, indexNamespace, q.NamespaceID); ok {
		row.ID = old.ID
		remove(l.txn, tableQuotas, old)
	} else {
		row.ID = nextIDTxn(l.txn, seqQuota)
	}
	row.Limits = make([]QuotaLimit, len(q.Limits))
	for i, lim := range q.Limits {
		lim.ID = nextIDTxn(l.txn, seqQuotaLimit)
		row.Limits[i] = lim
	}
	insert(l.txn, tableQuotas, &row)
	return &row, nil
}

// SetNamespaceSize records a namespace's consumed storage.
func (l *Loader) SetNamespaceSize(namespaceID int64, size NamespaceSize) error {
	n, ok := namespaceByIDTxn(l.txn, namespaceID)
	if !ok {
		return fmt.Errorf("namespace %d does not exist", namespaceID)
	}
	if size.Bytes < 0 {
		return fmt.Errorf("size must not be negative, got %d", size.Bytes)
	}
	c := n.clone()
	c.Size = &size
	putNamespaceTxn(l.txn, n, c)
	return nil
}

// AddLog stores an audit-log row with the next id.
func (l *Loader) AddLog(e LogEntry) *LogEntry {
	row := e
	insertLogTxn(l.txn, &row)
	return &row
}

// AddServiceKey stores a service key with the next id. The kid must be
// unused and the service a name Quay's model accepts; an approval needs one
// of Quay's approval types and, when it names an approver, an existing user.
func (l *Loader) AddServiceKey(k ServiceKey) (*ServiceKey, error) {
	if k.Kid == "" {
		return nil, fmt.Errorf("kid is empty")
	}
	if _, taken := first[*ServiceKey](l.txn, tableServiceKeys, indexKid, k.Kid); taken {
		return nil, fmt.Errorf("kid %q is already used by another service key", k.Kid)
	}
	if !ValidServiceName(k.Service) {
		return nil, fmt.Errorf("service %q does not match ^[a-z0-9_]+$", k.Service)
	}
	if a := k.Approval; a != nil {
		if !ValidApprovalType(a.Type) {
			return nil, fmt.Errorf("approval type %q is not one of %q, %q, %q",
				a.Type, ApprovalSuperuser, ApprovalKeyRotation, ApprovalAutomatic)
		}
		if a.ApproverID != 0 {
			if u, ok := namespaceByIDTxn(l.txn, a.ApproverID); !ok || !u.IsUser() {
				return nil, fmt.Errorf("approver %d is not a user", a.ApproverID)
			}
		}
	}
	return insertServiceKeyTxn(l.txn, k)
}

// AddBuild stores a build. Its uuid must be unused, its namespace must
// exist, and its phase and log entry types must be Quay's.
func (l *Loader) AddBuild(b Build) (*Build, error) {
	row := b
	if err := validateBuild(l.txn, &row); err != nil {
		return nil, err
	}
	if _, taken := first[*Build](l.txn, tableBuilds, indexID, row.UUID); taken {
		return nil, fmt.Errorf("uuid: %q is already used by another build", row.UUID)
	}
	row.Tags = slices.Clone(row.Tags)
	row.Logs = slices.Clone(row.Logs)
	insert(l.txn, tableBuilds, &row)
	return &row, nil
}

// AddRobot stores a robot of the namespace with the given id. Its short
// name must be a valid username and unused in the namespace.
func (l *Loader) AddRobot(ownerID int64, rb Robot) (*Robot, error) {
	owner, ok := namespaceByIDTxn(l.txn, ownerID)
	if !ok || owner.Deleted {
		return nil, fmt.Errorf("namespace %d does not exist", ownerID)
	}
	if issue := usernameIssue(rb.ShortName); issue != "" {
		return nil, fmt.Errorf("short name %q: %s", rb.ShortName, issue)
	}
	if _, taken := first[*Robot](l.txn, tableRobots, indexOwner, keyOf().id(ownerID).name(rb.ShortName)); taken {
		return nil, fmt.Errorf("robot %s already exists", RobotName(owner.Name, rb.ShortName))
	}
	row := insertRobotTxn(l.txn, ownerID, NewRobot{ShortName: rb.ShortName, Description: rb.Description,
		Metadata: rb.Metadata, Token: rb.Token, Email: rb.Email, Created: rb.Created}).clone()
	if !rb.LastAccessed.IsZero() {
		row.LastAccessed = rb.LastAccessed.UTC().Truncate(time.Microsecond)
	}
	row.Federation = slices.Clone(rb.Federation)
	insert(l.txn, tableRobots, row)
	return row, nil
}

// AddTeam stores a team of the organization with the given id; its name
// must follow Quay's team-name rule and be unused in the organization.
func (l *Loader) AddTeam(orgID int64, name string, role TeamRole, description string) (*Team, error) {
	org, ok := namespaceByIDTxn(l.txn, orgID)
	if !ok || !org.IsOrg() || org.Deleted {
		return nil, fmt.Errorf("organization %d does not exist", orgID)
	}
	if role < TeamMember || role > TeamAdmin {
		return nil, fmt.Errorf("role: %v is not a team role", role)
	}
	if _, taken := teamByNameTxn(l.txn, orgID, name); taken {
		return nil, fmt.Errorf("team %q already exists", name)
	}
	t, err := createTeamTxn(l.txn, name, org, role, description)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// AddTeamMember puts a user or robot in a team. A robot must belong to the
// team's organization (Quay lets no other robot in when invites are on).
func (l *Loader) AddTeamMember(teamID int64, member Entity) error {
	t, ok := teamByIDTxn(l.txn, teamID)
	if !ok {
		return fmt.Errorf("team %d does not exist", teamID)
	}
	acct, ok := accountOfTxn(l.txn, member)
	if !ok || !member.IsUserLike() {
		return fmt.Errorf("member %v is not a user or robot", member)
	}
	if member.Kind == EntityUser {
		if n, _ := namespaceByIDTxn(l.txn, member.ID); !n.IsUser() || n.Deleted {
			return fmt.Errorf("member %q is not a user", acct.Name)
		}
	}
	return addToTeamTxn(l.txn, acct, t)
}

// AddTeamInvite stores an invite to a team: to a user (UserID) or an
// address (Email), from an inviting user, with a token unused so far.
func (l *Loader) AddTeamInvite(inv TeamInvite) (*TeamInvite, error) {
	t, ok := teamByIDTxn(l.txn, inv.TeamID)
	if !ok {
		return nil, fmt.Errorf("team %d does not exist", inv.TeamID)
	}
	if (inv.UserID == 0) == (inv.Email == "") {
		return nil, fmt.Errorf("an invite is for a user or for an e-mail address, not both or neither")
	}
	for _, id := range []int64{inv.UserID, inv.InviterID} {
		if n, ok := namespaceByIDTxn(l.txn, id); id != 0 && (!ok || !n.IsUser()) {
			return nil, fmt.Errorf("user %d does not exist", id)
		}
	}
	if inv.InviterID == 0 {
		return nil, fmt.Errorf("inviter: required")
	}
	if inv.Token == "" {
		return nil, fmt.Errorf("token: required")
	}
	if _, taken := first[*TeamInvite](l.txn, tableTeamInvites, indexToken, inv.Token); taken {
		return nil, fmt.Errorf("token %q is already used by another invite", inv.Token)
	}
	row := inv
	row.ID = nextIDTxn(l.txn, seqTeamInvite)
	row.OrgID = t.OrgID
	insert(l.txn, tableTeamInvites, &row)
	return &row, nil
}

// AddRepository stores a repository of the namespace with the given id; its
// name must be unused there.
func (l *Loader) AddRepository(repo Repository) (*Repository, error) {
	if n, ok := namespaceByIDTxn(l.txn, repo.NamespaceID); !ok || n.Deleted {
		return nil, fmt.Errorf("namespace %d does not exist", repo.NamespaceID)
	}
	if repo.Name == "" || strings.IndexByte(repo.Name, 0) >= 0 {
		return nil, fmt.Errorf("name %q is not a repository name", repo.Name)
	}
	if _, taken := repositoryTxn(l.txn, repo.NamespaceID, repo.Name); taken {
		return nil, fmt.Errorf("repository %q already exists", repo.Name)
	}
	row := repo
	row.ID = nextIDTxn(l.txn, seqRepository)
	putRepositoryTxn(l.txn, nil, &row)
	return &row, nil
}

// SetPermission grants an entity a role on a repository: a user, a robot
// of the repository's namespace, or a team of its organization.
func (l *Loader) SetPermission(repo *Repository, e Entity, role Role) (*RepoPermission, error) {
	if role < RoleRead || role > RoleAdmin {
		return nil, fmt.Errorf("role: %v is not a repository role", role)
	}
	switch e.Kind {
	case EntityTeam:
		t, ok := teamByIDTxn(l.txn, e.ID)
		if !ok || t.OrgID != repo.NamespaceID {
			return nil, fmt.Errorf("team %d is not a team of the repository's organization", e.ID)
		}
	case EntityRobot:
		rb, ok := first[*Robot](l.txn, tableRobots, indexID, keyOf().id(e.ID))
		if !ok || rb.OwnerID != repo.NamespaceID {
			return nil, fmt.Errorf("robot %d is not a robot of the repository's namespace", e.ID)
		}
	case EntityUser:
		if n, ok := namespaceByIDTxn(l.txn, e.ID); !ok || !n.IsUser() || n.Deleted {
			return nil, fmt.Errorf("user %d does not exist", e.ID)
		}
	default:
		return nil, fmt.Errorf("entity kind %v", e.Kind)
	}
	if _, dup := permissionTxn(l.txn, repo, e); dup {
		return nil, fmt.Errorf("%v %d already has a permission on the repository", e.Kind, e.ID)
	}
	return putPermissionTxn(l.txn, repo, e, role), nil
}

// AddPrototype stores a default permission of the organization with the
// given id: its delegate a user, a robot of the organization or one of its
// teams, its activating user (if any) a user or robot.
func (l *Loader) AddPrototype(p Prototype) (*Prototype, error) {
	org, ok := namespaceByIDTxn(l.txn, p.OrgID)
	if !ok || !org.IsOrg() || org.Deleted {
		return nil, fmt.Errorf("organization %d does not exist", p.OrgID)
	}
	if p.Role < RoleRead || p.Role > RoleAdmin {
		return nil, fmt.Errorf("role: %v is not a repository role", p.Role)
	}
	if p.Delegate.Kind == EntityTeam {
		if t, ok := teamByIDTxn(l.txn, p.Delegate.ID); !ok || t.OrgID != p.OrgID {
			return nil, fmt.Errorf("team %d is not a team of the organization", p.Delegate.ID)
		}
	} else if _, ok := accountOfTxn(l.txn, p.Delegate); !ok {
		return nil, fmt.Errorf("delegate %v %d does not exist", p.Delegate.Kind, p.Delegate.ID)
	}
	if p.UUID == "" {
		return nil, fmt.Errorf("uuid: required")
	}
	row := p
	row.ID = nextIDTxn(l.txn, seqPrototype)
	insert(l.txn, tablePrototypes, &row)
	return &row, nil
}
