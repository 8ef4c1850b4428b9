package store

import "reflect"

// rowTypes gives the Go type of each table's rows, which the row codec
// (codec.go) needs to persist and restore them. Every table in tableSchemas
// needs its line here: TestEveryTableHasARowType fails until it has one.
var rowTypes = map[string]reflect.Type{
	tableSequences: reflect.TypeFor[*sequence](),
	// The namespaces table stores chunks of namespaces
	// (namespace_chunks.go), but persistence stores the namespaces.
	tableNamespaces: reflect.TypeFor[*Namespace](),
	// The hash indexes of the namespaces are derived: EncodeRows and
	// EncodeChanges leave them out and a Rebuild recomputes them.
	tableNamespaceNames: reflect.TypeFor[*bucketPage](),
	tableUserEmails:     reflect.TypeFor[*bucketPage](),
	tableDeletedNames:   reflect.TypeFor[*bucketPage](),
	tableTokens:         reflect.TypeFor[*Token](),
	tableQuotas:         reflect.TypeFor[*Quota](),
	tableLogs:           reflect.TypeFor[*LogEntry](),
	tableMails:          reflect.TypeFor[*Mail](),
	tableRegistrySize:   reflect.TypeFor[*RegistrySize](),
	tableServiceKeys:    reflect.TypeFor[*ServiceKey](),
	tableBuilds:         reflect.TypeFor[*Build](),

	tableAppTokens:     reflect.TypeFor[*AppToken](),
	tableMessages:      reflect.TypeFor[*Message](),
	tableRepoMirrors:   reflect.TypeFor[*RepoMirror](),
	tableMirrorWorkers: reflect.TypeFor[*mirrorWorkers](),

	tableRobots:          reflect.TypeFor[*Robot](),
	tableRepositories:    reflect.TypeFor[*Repository](),
	tableRepositoryNames: reflect.TypeFor[*bucketPage](), // derived, like the namespaces' hash indexes
	tableRepoPermissions: reflect.TypeFor[*RepoPermission](),
	tableTeams:           reflect.TypeFor[*Team](),
	tableTeamMembers:     reflect.TypeFor[*TeamMembership](),
	tableTeamInvites:     reflect.TypeFor[*TeamInvite](),
	tablePrototypes:      reflect.TypeFor[*Prototype](),

	tableManifests:         reflect.TypeFor[*Manifest](),
	tableTags:              reflect.TypeFor[*Tag](),
	tableTagHistory:        reflect.TypeFor[*tagHistory](), // derived from the tags
	tableLabels:            reflect.TypeFor[*Label](),
	tableRepoNotifications: reflect.TypeFor[*RepoNotification](),
	tableCredentials:       reflect.TypeFor[*Credential](),
}
