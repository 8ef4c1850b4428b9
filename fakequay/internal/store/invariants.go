package store

import (
	"errors"
	"fmt"
)

// CheckInvariants walks every namespace, token, quota, log and service key
// and returns the rules of Quay's schema that the state breaks, joined, or
// nil. The write methods keep these rules; fuzz and stress tests call this
// after every input to prove it, and persistence can after a replay.
//
// The rules, each checked from the rows themselves rather than trusted to an
// index:
//   - each chunk of the namespaces table is non-empty, in id order, and
//     holds only namespaces of its own listing and block;
//   - namespace names are unique, and so are the original names of
//     namespaces pending deletion; user e-mails are unique among users (Quay's
//     partial unique index user_email_unique_non_org);
//   - a namespace has at most one quota, and a quota's namespace exists;
//   - a log's account and performer are absent (0), an existing namespace,
//     or one the namespace GC purged (an id the sequence handed out);
//   - a token acts for an existing namespace that is not pending deletion
//     (deletion drops the tokens; a user converted into an organization
//     keeps them, as Quay's convert_user_to_organization does);
//   - a service key's approver is absent or an existing namespace;
//   - the provisioning tables hang together (checkProvisioning);
//   - the content tables hang together (checkContent);
//   - every id is positive and no larger than its sequence's last value.
func (r Reader) CheckInvariants() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	r.checkChunks(fail)
	lastNamespace := r.lastID(seqNamespace)
	names := map[string]int64{}
	pending := map[string]int64{}
	emails := map[string]int64{}
	namespaces := map[int64]*Namespace{}
	r.AllNamespaces(func(n *Namespace) bool {
		namespaces[n.ID] = n
		if n.ID <= 0 || n.ID > lastNamespace {
			fail("namespace %q: id %d outside the sequence (last %d)", n.Name, n.ID, lastNamespace)
		}
		if other, dup := names[n.Name]; dup {
			fail("namespaces %d and %d share the name %q", other, n.ID, n.Name)
		}
		names[n.Name] = n.ID
		if n.Deleted {
			if other, dup := pending[n.OriginalName]; dup {
				fail("namespaces %d and %d are both pending deletion under %q", other, n.ID, n.OriginalName)
			}
			pending[n.OriginalName] = n.ID
		}
		if n.IsUser() {
			if other, dup := emails[n.Email]; dup {
				fail("users %d and %d share the e-mail %q", other, n.ID, n.Email)
			}
			emails[n.Email] = n.ID
		}
		return true
	})

	lastToken := r.lastID(seqToken)
	iterate(mustIter(r.txn.Get(tableTokens, indexID)), func(t *Token) bool {
		if t.ID <= 0 || t.ID > lastToken {
			fail("token %d: id outside the sequence (last %d)", t.ID, lastToken)
		}
		switch owner, ok := namespaces[t.UserID]; {
		case !ok:
			fail("token %d acts for namespace %d, which does not exist", t.ID, t.UserID)
		case owner.Deleted:
			fail("token %d acts for namespace %d, which is pending deletion", t.ID, t.UserID)
		}
		return true
	})

	lastQuota := r.lastID(seqQuota)
	quotaOf := map[int64]int64{}
	iterate(mustIter(r.txn.Get(tableQuotas, indexID)), func(q *Quota) bool {
		if q.ID <= 0 || q.ID > lastQuota {
			fail("quota %d: id outside the sequence (last %d)", q.ID, lastQuota)
		}
		if other, dup := quotaOf[q.NamespaceID]; dup {
			fail("namespace %d has two quotas, %d and %d", q.NamespaceID, other, q.ID)
		}
		quotaOf[q.NamespaceID] = q.ID
		if _, ok := namespaces[q.NamespaceID]; !ok {
			fail("quota %d belongs to namespace %d, which does not exist", q.ID, q.NamespaceID)
		}
		return true
	})

	// A namespace id that does not resolve is fine only if the sequence
	// handed it out: the GC purged that namespace and its logs stayed.
	resolvesOrPurged := func(id int64) bool {
		_, ok := namespaces[id]
		return id == 0 || ok || (id > 0 && id <= lastNamespace)
	}
	lastLog := r.lastID(seqLog)
	r.AllLogs(func(e *LogEntry) bool {
		if e.ID <= 0 || e.ID > lastLog {
			fail("log %d: id outside the sequence (last %d)", e.ID, lastLog)
		}
		if !resolvesOrPurged(e.AccountID) {
			fail("log %d: account %d never existed", e.ID, e.AccountID)
		}
		if !resolvesOrPurged(e.PerformerID) {
			fail("log %d: performer %d never existed", e.ID, e.PerformerID)
		}
		return true
	})

	r.checkProvisioning(namespaces, fail)

	r.AllServiceKeys(func(k *ServiceKey) bool {
		if a := k.Approval; a != nil && a.ApproverID != 0 {
			if _, ok := namespaces[a.ApproverID]; !ok {
				fail("service key %s: approver %d does not exist", k.Kid, a.ApproverID)
			}
		}
		return true
	})
	return errors.Join(errs...)
}

// lastID is the last id the named sequence handed out (0 before the first).
func (r Reader) lastID(name string) int64 {
	if cur, ok := first[*sequence](r.txn, tableSequences, indexID, name); ok {
		return cur.Last
	}
	return 0
}

// checkProvisioning checks the rules of the provisioning tables:
//   - a robot belongs to an existing namespace not pending deletion (marking
//     a namespace deletes its robots);
//   - a team belongs to an organization not pending deletion, and its name
//     is unique there;
//   - a membership names an existing team, with that team's organization,
//     and an existing user (not pending deletion) or robot;
//   - a repository's namespace exists (pending deletion is fine: the purge
//     takes its repositories);
//   - a permission names an existing repository and an existing user (even
//     pending deletion: the purge takes its permissions), robot, or a team
//     of the repository's organization;
//   - an invite names an existing team (with that team's organization) and
//     existing users;
//   - a prototype's organization exists, its delegate exists (a team of
//     that organization) and so does its activating user;
//   - a mirror's robot is a robot of the mirror's namespace;
//   - ids are positive and within their sequences.
func (r Reader) checkProvisioning(namespaces map[int64]*Namespace, fail func(string, ...any)) {
	inSeq := func(what string, id int64, seq string) {
		if last := r.lastID(seq); id <= 0 || id > last {
			fail("%s %d: id outside the sequence (last %d)", what, id, last)
		}
	}
	robots := map[int64]*Robot{}
	iterate(mustIter(r.txn.Get(tableRobots, indexID)), func(rb *Robot) bool {
		robots[rb.ID] = rb
		inSeq("robot", rb.ID, seqNamespace)
		if _, clash := namespaces[rb.ID]; clash {
			fail("robot %d shares its id with a namespace", rb.ID)
		}
		if owner, ok := namespaces[rb.OwnerID]; !ok || owner.Deleted {
			fail("robot %d belongs to namespace %d, which does not exist or is pending deletion", rb.ID, rb.OwnerID)
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tableRepoMirrors, indexID)), func(m *RepoMirror) bool {
		if rb, ok := robots[m.InternalRobotID]; m.InternalRobotID != 0 && (!ok || rb.OwnerID != m.NamespaceID) {
			fail("mirror %d pulls with robot %d, which is no robot of its namespace", m.ID, m.InternalRobotID)
		}
		return true
	})
	userLike := func(e Entity, pendingOK bool) bool {
		switch e.Kind {
		case EntityUser:
			n, ok := namespaces[e.ID]
			return ok && (pendingOK || !n.Deleted)
		case EntityRobot:
			_, ok := robots[e.ID]
			return ok
		}
		return false
	}
	teams := map[int64]*Team{}
	iterate(mustIter(r.txn.Get(tableTeams, indexID)), func(t *Team) bool {
		teams[t.ID] = t
		inSeq("team", t.ID, seqTeam)
		if org, ok := namespaces[t.OrgID]; !ok || !org.IsOrg() || org.Deleted {
			fail("team %d (%s) belongs to %d, which is no organization or is pending deletion", t.ID, t.Name, t.OrgID)
		}
		if t.Role < TeamMember || t.Role > TeamAdmin {
			fail("team %d has role %v", t.ID, t.Role)
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tableTeamMembers, indexID)), func(m *TeamMembership) bool {
		inSeq("team member", m.ID, seqTeamMember)
		t, ok := teams[m.TeamID]
		switch {
		case !ok:
			fail("membership %d: team %d does not exist", m.ID, m.TeamID)
		case t.OrgID != m.OrgID:
			fail("membership %d: organization %d, but its team's is %d", m.ID, m.OrgID, t.OrgID)
		}
		if !userLike(m.Member, false) {
			fail("membership %d: member %v %d does not exist", m.ID, m.Member.Kind, m.Member.ID)
		}
		return true
	})
	repos := map[[2]int64]*Repository{}
	iterate(mustIter(r.txn.Get(tableRepositories, indexID)), func(repo *Repository) bool {
		repos[[2]int64{repo.NamespaceID, repo.ID}] = repo
		inSeq("repository", repo.ID, seqRepository)
		if _, ok := namespaces[repo.NamespaceID]; !ok {
			fail("repository %d (%s) belongs to namespace %d, which does not exist", repo.ID, repo.Name, repo.NamespaceID)
		}
		return true
	})
	r.checkRepositoryNames(fail)
	r.checkTagHistories(fail)
	r.checkContent(repos, fail)
	iterate(mustIter(r.txn.Get(tableRepoPermissions, indexID)), func(p *RepoPermission) bool {
		inSeq("permission", p.ID, seqRepoPermission)
		if _, ok := repos[[2]int64{p.NamespaceID, p.RepoID}]; !ok {
			fail("permission %d: repository %d/%d does not exist", p.ID, p.NamespaceID, p.RepoID)
		}
		if p.Entity.Kind == EntityTeam {
			if t, ok := teams[p.Entity.ID]; !ok || t.OrgID != p.NamespaceID {
				fail("permission %d: team %d is no team of namespace %d", p.ID, p.Entity.ID, p.NamespaceID)
			}
		} else if !userLike(p.Entity, true) {
			fail("permission %d: %v %d does not exist", p.ID, p.Entity.Kind, p.Entity.ID)
		}
		if p.Role < RoleRead || p.Role > RoleAdmin {
			fail("permission %d has role %v", p.ID, p.Role)
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tableTeamInvites, indexID)), func(inv *TeamInvite) bool {
		inSeq("invite", inv.ID, seqTeamInvite)
		if t, ok := teams[inv.TeamID]; !ok || t.OrgID != inv.OrgID {
			fail("invite %d: team %d does not exist in organization %d", inv.ID, inv.TeamID, inv.OrgID)
		}
		for _, id := range []int64{inv.UserID, inv.InviterID} {
			if _, ok := namespaces[id]; id != 0 && !ok {
				fail("invite %d: user %d does not exist", inv.ID, id)
			}
		}
		if (inv.UserID == 0) == (inv.Email == "") {
			fail("invite %d: neither or both of a user and an address", inv.ID)
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tablePrototypes, indexID)), func(p *Prototype) bool {
		inSeq("prototype", p.ID, seqPrototype)
		if org, ok := namespaces[p.OrgID]; !ok || !org.IsOrg() {
			fail("prototype %d: organization %d does not exist", p.ID, p.OrgID)
		}
		if p.Delegate.Kind == EntityTeam {
			if t, ok := teams[p.Delegate.ID]; !ok || t.OrgID != p.OrgID {
				fail("prototype %d: team %d is no team of organization %d", p.ID, p.Delegate.ID, p.OrgID)
			}
		} else if !userLike(p.Delegate, true) {
			fail("prototype %d: delegate %v %d does not exist", p.ID, p.Delegate.Kind, p.Delegate.ID)
		}
		if a := p.ActivatingUserID; a != 0 && !userLike(UserEntity(a), true) && !userLike(RobotEntity(a), true) {
			fail("prototype %d: activating user %d does not exist", p.ID, a)
		}
		return true
	})
}

// checkContent checks the rules of the content tables, given the
// repositories by (namespace, id):
//   - a manifest, a label and a notification belong to an existing
//     repository;
//   - a tag belongs to an existing repository and points to a manifest of
//     that repository, and no two tags of a name are open-ended (Quay's
//     retarget ends the alive row before it starts another);
//   - a label is on an existing manifest of its repository.
func (r Reader) checkContent(repos map[[2]int64]*Repository, fail func(string, ...any)) {
	manifests := map[[3]int64]bool{}
	iterate(mustIter(r.txn.Get(tableManifests, indexID)), func(m *Manifest) bool {
		manifests[[3]int64{m.NamespaceID, m.RepositoryID, m.ID}] = true
		if _, ok := repos[[2]int64{m.NamespaceID, m.RepositoryID}]; !ok {
			fail("manifest %d: repository %d/%d does not exist", m.ID, m.NamespaceID, m.RepositoryID)
		}
		return true
	})
	open := map[[2]int64]map[string]int64{}
	iterate(mustIter(r.txn.Get(tableTags, indexID)), func(t *Tag) bool {
		repo := [2]int64{t.NamespaceID, t.RepositoryID}
		if _, ok := repos[repo]; !ok {
			fail("tag %d (%s): repository %d/%d does not exist", t.ID, t.Name, t.NamespaceID, t.RepositoryID)
		}
		if !manifests[[3]int64{t.NamespaceID, t.RepositoryID, t.ManifestID}] {
			fail("tag %d (%s): manifest %d is no manifest of repository %d/%d", t.ID, t.Name, t.ManifestID, t.NamespaceID, t.RepositoryID)
		}
		if t.EndMs == nil {
			if open[repo] == nil {
				open[repo] = map[string]int64{}
			}
			if other, dup := open[repo][t.Name]; dup {
				fail("tags %d and %d: two open-ended rows of %s in repository %d/%d", other, t.ID, t.Name, t.NamespaceID, t.RepositoryID)
			}
			open[repo][t.Name] = t.ID
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tableLabels, indexID)), func(l *Label) bool {
		if !manifests[[3]int64{l.NamespaceID, l.RepositoryID, l.ManifestID}] {
			fail("label %d: manifest %d is no manifest of repository %d/%d", l.ID, l.ManifestID, l.NamespaceID, l.RepositoryID)
		}
		return true
	})
	iterate(mustIter(r.txn.Get(tableRepoNotifications, indexID)), func(n *RepoNotification) bool {
		if _, ok := repos[[2]int64{n.NamespaceID, n.RepositoryID}]; !ok {
			fail("notification %d: repository %d/%d does not exist", n.ID, n.NamespaceID, n.RepositoryID)
		}
		return true
	})
}
