package store

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Table names.
const (
	tableSequences  = "sequences"
	tableNamespaces = "namespaces"
	// The hash indexes of the namespaces table (hashindex.go): current
	// names, users' e-mails, and the names namespaces pending deletion had.
	tableNamespaceNames = "namespace_names"
	tableUserEmails     = "user_emails"
	tableDeletedNames   = "deleted_names"
	tableTokens         = "tokens"
	tableQuotas         = "quotas"
	tableLogs           = "logs"
	tableMails          = "mails"

	tableRegistrySize = "registry_size" // at most one row
	tableServiceKeys  = "service_keys"
	tableBuilds       = "builds"

	tableAppTokens     = "app_tokens"
	tableMessages      = "messages"
	tableRepoMirrors   = "repo_mirrors"
	tableMirrorWorkers = "mirror_workers"

	// The provisioning tables (issue 11).
	tableRobots       = "robots"
	tableRepositories = "repositories"
	// The hash index of repository names (repo_names.go).
	tableRepositoryNames = "repository_names"
	tableRepoPermissions = "repo_permissions"
	tableTeams           = "teams"
	tableTeamMembers     = "team_members"
	tableTeamInvites     = "team_invites"
	tablePrototypes      = "prototypes"

	tableRepoNotifications = "repo_notifications"

	tableCredentials = "credentials" // users' passwords and sessions
)

// Index names. Every table has indexID, as go-memdb requires.
const (
	indexID = "id"

	indexSecret = "secret" // tokens: the bearer value
	indexUser   = "user"   // tokens: owning user id

	indexNamespace = "namespace" // quotas: namespace id, unique; builds: namespace id

	indexKid      = "kid"      // service_keys: kid, unique
	indexService  = "service"  // service_keys: service name
	indexApprover = "approver" // service_keys: approver's namespace id, approved keys only

	indexExpiration = "expiration" // app_tokens: (expiration, id); never-expiring ones sort first
	indexUUID       = "uuid"       // app_tokens, messages: uuid (not unique, as in Quay)
	indexRepository = "repository" // repo_mirrors: (namespace id, repository name), unique

	// Composite-key indexes of the provisioning tables (keys.go); each
	// table's schema function says what its keys hold.
	indexOwner      = "owner"      // robots: (owner, short name)
	indexPublic     = "public"     // repositories: (id), public ones only
	indexEntity     = "entity"     // repo_permissions: (entity, namespace, repository)
	indexOrg        = "org"        // teams: (organization, name)
	indexMember     = "member"     // team_members: (member, organization, team)
	indexToken      = "token"      // team_invites: the invite code
	indexTeam       = "team"       // team_invites: (team, id)
	indexInviter    = "inviter"    // team_invites: (inviter, id)
	indexDelegate   = "delegate"   // prototypes: (delegate, id)
	indexActivating = "activating" // prototypes: (activating user, id)
)

// tableSchemas lists every table; schema() fails loudly on a duplicate.
var tableSchemas = []func() *memdb.TableSchema{
	sequencesTableSchema,
	namespacesTableSchema,
	namesIndex.schema,
	userEmailsIndex.schema,
	deletedNamesIndex.schema,
	tokensTableSchema,
	quotasTableSchema,
	logsTableSchema,
	mailsTableSchema,
	registrySizeTableSchema,
	serviceKeysTableSchema,
	buildsTableSchema,
	appTokensTableSchema,
	messagesTableSchema,
	repoMirrorsTableSchema,
	mirrorWorkersTableSchema,
	robotsTableSchema,
	repositoriesTableSchema,
	repoNamesIndex.schema,
	repoPermissionsTableSchema,
	teamsTableSchema,
	teamMembersTableSchema,
	teamInvitesTableSchema,
	prototypesTableSchema,
	manifestsTableSchema,
	tagsTableSchema,
	tagHistoryTableSchema,
	labelsTableSchema,
	repoNotificationsTableSchema,
	credentialsTableSchema,
}

func schema() *memdb.DBSchema {
	db := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{}}
	for _, fn := range tableSchemas {
		t := fn()
		if _, dup := db.Tables[t.Name]; dup {
			panic(fmt.Sprintf("store: table %q defined twice", t.Name))
		}
		db.Tables[t.Name] = t
	}
	return db
}

// sequence is an auto-increment counter, one per Quay table whose ids are
// visible in the API. Keeping counters in memdb makes them part of every
// snapshot, so Reset and persistence restore them with the rows.
type sequence struct {
	Name string
	Last int64
}

// Sequence names.
const (
	seqNamespace  = "namespace" // Quay's User table: users and orgs share ids
	seqToken      = "token"     // OAuthAccessToken
	seqQuota      = "quota"     // UserOrganizationQuota
	seqQuotaLimit = "quota_limit"
	seqLog        = "log"
	seqMail       = "mail"

	seqServiceKey = "service_key"

	seqAppToken   = "app_token"   // AppSpecificAuthToken
	seqMessage    = "message"     // Messages
	seqRepoMirror = "repo_mirror" // RepoMirrorConfig

	seqRepository     = "repository"      // Repository
	seqRepoPermission = "repo_permission" // RepositoryPermission
	seqTeam           = "team"            // Team
	seqTeamMember     = "team_member"     // TeamMember
	seqTeamInvite     = "team_invite"     // TeamMemberInvite
	seqPrototype      = "prototype"       // PermissionPrototype

	seqRepoNotification = "repo_notification" // RepositoryNotification
)

func sequencesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableSequences,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: stringIndex[*sequence]{
				key: func(s *sequence) (string, bool) { return s.Name, true }}},
		},
	}
}

// nextIDTxn returns the next id of the named sequence: ids start at 1 and
// are never reused, like a Postgres serial column. The counter lives in the
// transaction's buffer (buffer.go) until it commits.
func nextIDTxn(txn *memdb.Txn, name string) int64 { return nextIDsTxn(txn, name, 1) }

// nextIDsTxn hands out n consecutive ids of the sequence and returns the
// first.
func nextIDsTxn(txn *memdb.Txn, name string, n int64) int64 {
	buf := mustBuffer(txn)
	last, ok := buf.sequences[name]
	if !ok {
		if cur, found := first[*sequence](buf.base, tableSequences, indexID, name); found {
			last = cur.Last
		}
	}
	buf.sequences[name] = last + n
	return last + 1
}
