package fakequay

// The bad-input corpus of the repository API (endpoints/api/repository.py).
// The corpus fixture (matrixOrg) has acme/web, private, with tess's write
// and devs' read permissions; acme's admin is owen.
func repositoryBadInputs() []badInput {
	const (
		list = "/api/v1/repository"
		web  = "/api/v1/repository/acme/web"
	)
	b := func(name, method, path, token, body string, want shape) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want}
	}
	return []badInput{
		b("§repository.py createRepo: a missing description", "POST", list, "owen-token",
			`{"namespace": "acme", "repository": "x", "visibility": "private"}`, invalid("'description' is a required property")),
		b("§repository.py createRepo: REPOSITORY_NAME_EXTENDED_REGEX", "POST", list, "owen-token",
			`{"namespace": "acme", "repository": "Bad", "visibility": "private", "description": ""}`, invalid("Invalid repository name")),
		b("§repository.py createRepo: CreateRepositoryPermission", "POST", list, tokAlice,
			`{"namespace": "acme", "repository": "x", "visibility": "private", "description": ""}`, shForbidden),
		b("§repository.py listRepos: no namespace, starred or public", "GET",
			list+"?namespace=&starred=false&public=false&last_modified=true&popularity=true&repo_kind=image&next_page=garbage", "owen-token",
			``, invalid("namespace, starred or public are required for this API call")),
		b("§repository.py getRepo: require_repo_read after the query", "GET", web+"?includeStats=true&includeTags=false", tokAlice,
			``, shForbidden),
		b("§repository.py updateRepo: description a number", "PUT", web, "owen-token", `{"description": 5}`,
			invalid("5 is not of type 'string'")),
		b("§repository.py deleteRepository: require_repo_admin", "DELETE", web, tokAlice, ``, shForbidden),
		b("§repository.py changeRepoVisibility: an unknown visibility", "POST", web+"/changevisibility", "owen-token",
			`{"visibility": "internal"}`, invalid("'internal' is not one of ['public', 'private']")),
		// Without FEATURE_REPO_MIRROR (the corpus's configuration) there is
		// no changestate rule: apirepopath takes "web/changestate" as the
		// repository of updateRepo's rule, whose schema then refuses.
		b("§repository.py changeRepoState: without FEATURE_REPO_MIRROR the path is updateRepo's", "PUT", web+"/changestate", "owen-token",
			`{"state": "MARKED_FOR_DELETION"}`, invalid("'description' is a required property")),
		// permission.py: the schema inside require_repo_admin, then the
		// model's DataModelException as a request error.
		b("§permission.py changeUserPermissions: an unknown role", "PUT", web+"/permissions/user/alice", "owen-token",
			`{"role": "owner"}`, invalid("'owner' is not one of ['read', 'write', 'admin']")),
		b("§permission.py changeUserPermissions: the namespace's own name", "PUT", web+"/permissions/user/acme", "owen-token",
			`{"role": "read"}`, invalid("Namespace owner must always be admin.")),
		b("§permission.py deleteUserPermissions: no permission to delete", "DELETE", web+"/permissions/user/alice", "owen-token",
			``, invalid("User does not have permission for repo.")),
		b("§permission.py changeTeamPermissions: a team the organization lacks", "PUT", web+"/permissions/team/nosuch", "owen-token",
			`{"role": "read"}`, invalid("No team nosuch in organization acme")),
		b("§permission.py deleteTeamPermissions: no permission to delete", "DELETE", web+"/permissions/team/owners", "owen-token",
			``, invalid("Team does not have permission for repo.")),

		// prototype.py: the schema, the permission, get_organization, then
		// the delegate.
		b("§prototype.py createOrganizationPrototypePermission: a delegate kind the schema lacks", "POST",
			"/api/v1/organization/acme/prototypes", "owen-token", `{"role": "read", "delegate": {"kind": "robot", "name": "x"}}`,
			invalid("'robot' is not one of ['user', 'team']")),
		b("§prototype.py createOrganizationPrototypePermission: an unknown user", "POST",
			"/api/v1/organization/acme/prototypes", "owen-token", `{"role": "read", "delegate": {"kind": "user", "name": "nosuch"}}`,
			invalid("Missing delegate user or team")),
		b("§prototype.py updateOrganizationPrototypePermission: an unknown role", "PUT",
			"/api/v1/organization/acme/prototypes/3f8a3c4e-2222-4a5b-9c6d-000000000001", "owen-token", `{"role": "owner"}`,
			invalid("'owner' is not one of ['read', 'write', 'admin']")),
		b("§prototype.py deleteOrganizationPrototypePermission: a member is no admin", "DELETE",
			"/api/v1/organization/acme/prototypes/3f8a3c4e-2222-4a5b-9c6d-000000000001", "tess-token", ``, shForbidden),
	}
}
