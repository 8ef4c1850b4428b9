package jsonschema

// Quay's request schemas, transcribed from endpoints/api/superuser.py,
// globalmessages.py, organization.py and team.py (Quay commit ffba0c70) with the same key
// order, since order decides which error jsonschema reports and how oneOf
// messages print them. Python raw-string patterns keep their exact text: the
// JSON "\\d" below is the Python r"\d". TestQuaySchemasMatchSource compares
// each against Python's repr of the original.

// quotaLimitPattern is the pattern of a human-readable quota size (reference
// §1.10), shared by NewNamespaceQuota and UpdateNamespaceQuota.
const quotaLimitPattern = `^(\\d+\\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$`

// NewNamespaceQuota is the body of createUserQuotaSuperUser and
// createOrganizationQuotaSuperUser (POST .../quota, reference §2.14).
var NewNamespaceQuota = Deferred(`{
	"type": "object",
	"description": "Description of a new organization quota",
	"oneOf": [
		{
			"required": ["limit_bytes"],
			"properties": {
				"limit_bytes": {
					"type": "integer",
					"description": "Number of bytes the organization is allowed"
				}
			}
		},
		{
			"required": ["limit"],
			"properties": {
				"limit": {
					"type": "string",
					"description": "Human readable storage capacity of the organization",
					"pattern": "` + quotaLimitPattern + `"
				}
			}
		}
	]
}`)

// UpdateNamespaceQuota is the body of changeUserQuotaSuperUser and
// changeOrganizationQuotaSuperUser (PUT .../quota/{quota_id}, reference
// §2.14); unlike every other schema here it forbids extra keys.
var UpdateNamespaceQuota = Deferred(`{
	"type": "object",
	"description": "Description of a new organization quota",
	"oneOf": [
		{
			"properties": {
				"limit_bytes": {
					"type": "integer",
					"description": "Number of bytes the organization is allowed"
				}
			},
			"required": ["limit_bytes"],
			"additionalProperties": false
		},
		{
			"properties": {
				"limit": {
					"type": "string",
					"description": "Human readable storage capacity of the organization",
					"pattern": "` + quotaLimitPattern + `"
				}
			},
			"required": ["limit"],
			"additionalProperties": false
		},
		{
			"properties": {
				"limit_bytes": {"not": {}},
				"limit": {"not": {}}
			},
			"additionalProperties": false
		}
	]
}`)

// CreateInstallUser is the body of createInstallUser (POST /superuser/users/,
// reference §2.2). It has no "type", so arrays and strings pass.
var CreateInstallUser = Deferred(`{
	"id": "CreateInstallUser",
	"description": "Data for creating a user",
	"required": ["username"],
	"properties": {
		"username": {
			"type": "string",
			"description": "The username of the user being created"
		},
		"email": {
			"type": "string",
			"description": "The email address of the user being created"
		}
	}
}`)

// UpdateUser is the body of changeInstallUser (PUT /superuser/users/{username},
// reference §3).
var UpdateUser = Deferred(`{
	"id": "UpdateUser",
	"type": "object",
	"description": "Description of updates for a user",
	"properties": {
		"password": {
			"type": "string",
			"description": "The new password for the user"
		},
		"email": {
			"type": "string",
			"description": "The new e-mail address for the user"
		},
		"enabled": {"type": "boolean", "description": "Whether the user is enabled"}
	}
}`)

// UpdateOrg is the body of changeOrganization (PUT
// /superuser/organizations/{name}, reference §2.6).
var UpdateOrg = Deferred(`{
	"id": "UpdateOrg",
	"type": "object",
	"description": "Description of updates for an organization",
	"properties": {
		"name": {
			"type": "string",
			"description": "The new name for the organization"
		}
	}
}`)

// CreateServiceKey is the body of createServiceKey (POST /superuser/keys,
// reference §2.9).
var CreateServiceKey = Deferred(`{
	"id": "CreateServiceKey",
	"type": "object",
	"description": "Description of creation of a service key",
	"required": ["service", "expiration"],
	"properties": {
		"service": {
			"type": "string",
			"description": "The service authenticating with this key"
		},
		"name": {
			"type": "string",
			"description": "The friendly name of a service key"
		},
		"metadata": {
			"type": "object",
			"description": "The key/value pairs of this key's metadata"
		},
		"notes": {
			"type": "string",
			"description": "If specified, the extra notes for the key"
		},
		"expiration": {
			"description": "The expiration date as a unix timestamp",
			"anyOf": [{"type": "number"}, {"type": "null"}]
		}
	}
}`)

// PutServiceKey is the body of updateServiceKey (PUT /superuser/keys/{kid},
// reference §2.11).
var PutServiceKey = Deferred(`{
	"id": "PutServiceKey",
	"type": "object",
	"description": "Description of updates for a service key",
	"properties": {
		"name": {
			"type": "string",
			"description": "The friendly name of a service key"
		},
		"metadata": {
			"type": "object",
			"description": "The key/value pairs of this key's metadata"
		},
		"expiration": {
			"description": "The expiration date as a unix timestamp",
			"anyOf": [{"type": "number"}, {"type": "null"}]
		}
	}
}`)

// ApproveServiceKey is the body of approveServiceKey (POST
// /superuser/approvedkeys/{kid}, reference §2.13).
var ApproveServiceKey = Deferred(`{
	"id": "ApproveServiceKey",
	"type": "object",
	"description": "Information for approving service keys",
	"properties": {
		"notes": {
			"type": "string",
			"description": "Optional approval notes"
		}
	}
}`)

// CreateMessage is the body of createGlobalMessage (POST /messages,
// reference §3).
var CreateMessage = Deferred(`{
	"id": "CreateMessage",
	"type": "object",
	"description": "Create a new message",
	"properties": {
		"message": {
			"type": "object",
			"description": "A single message",
			"required": [
				"content",
				"media_type",
				"severity"
			],
			"properties": {
				"content": {
					"type": "string",
					"description": "The actual message"
				},
				"media_type": {
					"type": "string",
					"description": "The media type of the message",
					"enum": ["text/plain", "text/markdown"]
				},
				"severity": {
					"type": "string",
					"description": "The severity of the message",
					"enum": ["info", "warning", "error"]
				}
			}
		}
	}
}`)

// NewOrg is the body of createOrganization (POST /organization/,
// endpoints/api/organization.py OrganizationList).
var NewOrg = Deferred(`{
	"type": "object",
	"description": "Description of a new organization.",
	"required": ["name"],
	"properties": {
		"name": {
			"type": "string",
			"description": "Organization username"
		},
		"email": {
			"type": "string",
			"description": "Organization contact email"
		},
		"contact_email": {
			"type": "string",
			"description": "Optional contact email for organization recovery and notifications"
		},
		"recaptcha_response": {
			"type": "string",
			"description": "The (may be disabled) recaptcha response code for verification"
		}
	}
}`)

// UpdateOrgDetails is the body of changeOrganizationDetails (PUT
// /organization/{orgname}); Quay calls it UpdateOrg, like the superuser
// schema of the same name.
var UpdateOrgDetails = Deferred(`{
	"type": "object",
	"description": "Description of updates for an existing organization",
	"properties": {
		"email": {
			"type": "string",
			"description": "Organization contact email"
		},
		"contact_email": {
			"type": ["string", "null"],
			"description": "Organization contact email"
		},
		"invoice_email": {
			"type": "boolean",
			"description": "Whether the organization desires to receive emails for invoices"
		},
		"invoice_email_address": {
			"type": ["string", "null"],
			"description": "The email address at which to receive invoices"
		},
		"tag_expiration_s": {
			"type": "integer",
			"minimum": 0,
			"description": "The number of seconds for tag expiration"
		}
	}
}`)

// TeamDescription is the body of updateOrganizationTeam (PUT
// /organization/{orgname}/team/{teamname}, endpoints/api/team.py).
var TeamDescription = Deferred(`{
	"type": "object",
	"description": "Description of a team",
	"required": ["role"],
	"properties": {
		"role": {
			"type": "string",
			"description": "Org wide permissions that should apply to the team",
			"enum": ["member", "creator", "admin"]
		},
		"description": {
			"type": "string",
			"description": "Markdown description for the team"
		}
	}
}`)

// CreateRobot is the optional body of createUserRobot and createOrgRobot
// (PUT /user/robots/{robot_shortname} and
// /organization/{orgname}/robots/{robot_shortname},
// endpoints/api/robot.py CREATE_ROBOT_SCHEMA).
var CreateRobot = Deferred(`{
	"type": "object",
	"description": "Optional data for creating a robot",
	"properties": {
		"description": {
			"type": "string",
			"description": "Optional text description for the robot",
			"maxLength": 255
		},
		"unstructured_metadata": {
			"type": "object",
			"description": "Optional unstructured metadata for the robot"
		}
	}
}`)

// CreateRobotFederation is the body of createUserRobotFederation and
// createOrgRobotFederation (POST .../robots/{robot_shortname}/federation,
// endpoints/api/robot.py CREATE_ROBOT_FEDERATION_SCHEMA).
var CreateRobotFederation = Deferred(`{
	"type": "array",
	"description": "Federation configuration for the robot",
	"items": {
		"type": "object",
		"properties": {
			"issuer": {
				"type": "string",
				"description": "The issuer of the token"
			},
			"subject": {
				"type": "string",
				"description": "The subject of the token"
			}
		},
		"required": ["issuer", "subject"]
	}
}`)

// NewOrgQuotaLimit is the body of createOrganizationQuotaLimit (POST
// /organization/{orgname}/quota/{quota_id}/limit,
// endpoints/api/namespacequota.py).
var NewOrgQuotaLimit = Deferred(`{
	"type": "object",
	"description": "Description of a new organization quota limit",
	"required": ["type", "threshold_percent"],
	"properties": {
		"type": {
			"type": "string",
			"description": "Type of quota limit: \"Warning\" or \"Reject\""
		},
		"threshold_percent": {
			"type": "integer",
			"description": "Quota threshold, in percent of quota"
		}
	}
}`)

// UpdateOrgQuotaLimit is the body of changeOrganizationQuotaLimit (PUT
// /organization/{orgname}/quota/{quota_id}/limit/{limit_id},
// endpoints/api/namespacequota.py).
var UpdateOrgQuotaLimit = Deferred(`{
	"type": "object",
	"description": "Description of changing organization quota limit",
	"properties": {
		"type": {
			"type": "string",
			"description": "Type of quota limit: \"Warning\" or \"Reject\""
		},
		"threshold_percent": {
			"type": "integer",
			"description": "Quota threshold, in percent of quota"
		}
	}
}`)

// NewRepo is the body of createRepo (POST /repository,
// endpoints/api/repository.py RepositoryList.schemas).
var NewRepo = Deferred(`{
	"type": "object",
	"description": "Description of a new repository",
	"required": ["repository", "visibility", "description"],
	"properties": {
		"repository": {"type": "string", "description": "Repository name"},
		"visibility": {
			"type": "string",
			"description": "Visibility which the repository will start with",
			"enum": ["public", "private"]
		},
		"namespace": {
			"type": "string",
			"description": "Namespace in which the repository should be created. If omitted, the username of the caller is used"
		},
		"description": {"type": "string", "description": "Markdown encoded description for the repository"},
		"repo_kind": {"type": ["string", "null"], "description": "The kind of repository", "enum": ["image", null]}
	}
}`)

// RepoUpdate is the body of updateRepo (PUT /repository/{repository},
// endpoints/api/repository.py Repository.schemas).
var RepoUpdate = Deferred(`{
	"type": "object",
	"description": "Fields which can be updated in a repository.",
	"required": ["description"],
	"properties": {
		"description": {"type": "string", "description": "Markdown encoded description for the repository"}
	}
}`)

// ChangeVisibility is the body of changeRepoVisibility (POST
// /repository/{repository}/changevisibility, endpoints/api/repository.py).
var ChangeVisibility = Deferred(`{
	"type": "object",
	"description": "Change the visibility for the repository.",
	"required": ["visibility"],
	"properties": {
		"visibility": {
			"type": "string",
			"description": "Visibility which the repository will start with",
			"enum": ["public", "private"]
		}
	}
}`)

// ChangeRepoState is the body of changeRepoState (PUT
// /repository/{repository}/changestate, endpoints/api/repository.py).
var ChangeRepoState = Deferred(`{
	"type": "object",
	"description": "Change the state of the repository.",
	"required": ["state"],
	"properties": {
		"state": {
			"type": "string",
			"description": "Determines whether pushes are allowed.",
			"enum": ["NORMAL", "READ_ONLY", "MIRROR"]
		}
	}
}`)

// RepoRole is the body of changeUserPermissions and changeTeamPermissions
// (endpoints/api/permission.py UserPermission and TeamPermission, which
// differ only in their descriptions, given here for users).
func repoRole(who string) *Schema {
	return Deferred(`{
	"type": "object",
	"description": "Description of a ` + who + ` permission.",
	"required": ["role"],
	"properties": {
		"role": {
			"type": "string",
			"description": "Role to use for the ` + who + `",
			"enum": ["read", "write", "admin"]
		}
	}
}`)
}

// UserPermission is the body of changeUserPermissions.
var UserPermission = repoRole("user")

// TeamPermission is the body of changeTeamPermissions.
var TeamPermission = repoRole("team")

// NewPrototype is the body of createOrganizationPrototypePermission (POST
// /organization/{orgname}/prototypes, endpoints/api/prototype.py).
var NewPrototype = Deferred(`{
	"type": "object",
	"description": "Description of a new prototype",
	"required": ["role", "delegate"],
	"properties": {
		"role": {
			"type": "string",
			"description": "Role that should be applied to the delegate",
			"enum": ["read", "write", "admin"]
		},
		"activating_user": {
			"type": "object",
			"description": "Repository creating user to whom the rule should apply",
			"required": ["name"],
			"properties": {
				"name": {"type": "string", "description": "The username for the activating_user"}
			}
		},
		"delegate": {
			"type": "object",
			"description": "Information about the user or team to which the rule grants access",
			"required": ["name", "kind"],
			"properties": {
				"name": {"type": "string", "description": "The name for the delegate team or user"},
				"kind": {"type": "string", "description": "Whether the delegate is a user or a team", "enum": ["user", "team"]}
			}
		}
	}
}`)

// PrototypeUpdate is the body of updateOrganizationPrototypePermission
// (PUT /organization/{orgname}/prototypes/{prototypeid}).
var PrototypeUpdate = Deferred(`{
	"type": "object",
	"description": "Description of a the new prototype role",
	"required": ["role"],
	"properties": {
		"role": {
			"type": "string",
			"description": "Role that should be applied to the permission",
			"enum": ["read", "write", "admin"]
		}
	}
}`)

// NotificationCreateRequest is the body of createRepoNotification (POST
// /repository/{repository}/notification/,
// endpoints/api/repositorynotification.py).
var NotificationCreateRequest = Deferred(`{
	"type": "object",
	"description": "Information for creating a notification on a repository",
	"required": ["event", "method", "config", "eventConfig"],
	"properties": {
		"event": {
			"type": "string",
			"description": "The event on which the notification will respond"
		},
		"method": {
			"type": "string",
			"description": "The method of notification (such as email or web callback)"
		},
		"config": {
			"type": "object",
			"description": "JSON config information for the specific method of notification"
		},
		"eventConfig": {
			"type": "object",
			"description": "JSON config information for the specific event of notification"
		},
		"title": {
			"type": "string",
			"description": "The human-readable title of the notification"
		}
	}
}`)

// ChangeTag is the body of changeTag (PUT
// /repository/{repository}/tag/{tag}, endpoints/api/tag.py
// RepositoryTag.schemas).
var ChangeTag = Deferred(`{
	"type": "object",
	"description": "Makes changes to a specific tag",
	"properties": {
		"manifest_digest": {"type": ["string", "null"], "description": "(If specified) The manifest digest to which the tag should point"},
		"expiration": {"type": ["number", "null"], "description": "(If specified) The expiration for the image"},
		"immutable": {"type": "boolean", "description": "(If specified) Whether the tag should be immutable. Write permission required to set, admin permission required to unset."}
	}
}`)

// RestoreTag is the body of restoreTag (POST
// /repository/{repository}/tag/{tag}/restore, endpoints/api/tag.py
// RestoreTag.schemas).
var RestoreTag = Deferred(`{
	"type": "object",
	"description": "Restores a tag to a specific image",
	"properties": {
		"manifest_digest": {"type": "string", "description": "If specified, the manifest digest that should be used"}
	}
}`)

// AddLabel is the body of addManifestLabel (POST
// /repository/{repository}/manifest/{manifestref}/labels,
// endpoints/api/manifest.py RepositoryManifestLabels.schemas).
var AddLabel = Deferred(`{
	"type": "object",
	"description": "Adds a label to a manifest",
	"required": ["key", "value", "media_type"],
	"properties": {
		"key": {"type": "string", "description": "The key for the label"},
		"value": {"type": "string", "description": "The value for the label"},
		"media_type": {"type": ["string", "null"], "description": "The media type for this label", "enum": ["text/plain", "application/json", null]}
	}
}`)

// ExpireTag is the body of removeTagFromTimemachine (POST
// /repository/{repository}/tag/{tag}/expire, endpoints/api/tag.py
// TagTimeMachineDelete.schemas).
var ExpireTag = Deferred(`{
	"type": "object",
	"description": "Removes tag from the time machine window",
	"properties": {
		"manifest_digest": {"type": "string", "description": "Required if is_alive set to false. If specified, the manifest digest that should be used. Ignored when setting alive to true."},
		"include_submanifests": {"type": "boolean", "description": "If set to true, expire the sub-manifests as well"},
		"is_alive": {"type": "boolean", "description": "If true, set the expiry of the matching alive tag outside the time machine window. If false set the expiry of any expired tags with the same tag and manifest outside the time machine window."}
	}
}`)

// CreateMirrorConfig and UpdateMirrorConfig are the bodies of
// createRepoMirrorConfig (POST /repository/{repository}/mirror) and
// changeRepoMirrorConfig (PUT), endpoints/api/mirror.py
// RepoMirrorResource.schemas, both over the module's common_properties.
// (Not in the golden file, which needs jsonschema 3.2.0's source to
// regenerate; transcribed with json.dumps of ast.literal_eval of the
// source.)
var CreateMirrorConfig = Deferred(`{
	"description": "Create the repository mirroring configuration.",
	"type": "object",
	"required": [
		"external_reference",
		"sync_interval",
		"sync_start_date",
		"root_rule",
		"skopeo_timeout_interval"
	],
	"properties": ` + mirrorCommonProperties + `
}`)

// UpdateMirrorConfig: see CreateMirrorConfig.
var UpdateMirrorConfig = Deferred(`{
	"description": "Update the repository mirroring configuration.",
	"type": "object",
	"properties": ` + mirrorCommonProperties + `
}`)

// mirrorCommonProperties is mirror.py's common_properties, the properties
// of both mirror schemas.
const mirrorCommonProperties = `{
		"is_enabled": {
			"type": "boolean",
			"description": "Used to enable or disable synchronizations."
		},
		"external_reference": {
			"type": "string",
			"description": "Location of the external repository."
		},
		"external_registry_username": {
			"type": [
				"string",
				"null"
			],
			"description": "Username used to authenticate with external registry."
		},
		"external_registry_password": {
			"type": [
				"string",
				"null"
			],
			"description": "Password used to authenticate with external registry."
		},
		"sync_start_date": {
			"type": "string",
			"description": "Determines the next time this repository is ready for synchronization."
		},
		"sync_interval": {
			"type": "integer",
			"minimum": 0,
			"description": "Number of seconds after next_start_date to begin synchronizing."
		},
		"robot_username": {
			"type": "string",
			"description": "Username of robot which will be used for image pushes."
		},
		"root_rule": {
			"type": "object",
			"required": [
				"rule_kind",
				"rule_value"
			],
			"properties": {
				"rule_kind": {
					"type": "string",
					"description": "The kind of rule type",
					"enum": [
						"tag_glob_csv"
					]
				},
				"rule_value": {
					"type": "array",
					"description": "Array of tag patterns",
					"items": {
						"type": "string"
					}
				}
			},
			"description": "A list of glob-patterns used to determine which tags should be synchronized."
		},
		"external_registry_config": {
			"type": "object",
			"properties": {
				"verify_tls": {
					"type": "boolean",
					"description": "Determines whether HTTPs is required and the certificate is verified when communicating with the external repository."
				},
				"unsigned_images": {
					"type": "boolean",
					"description": "Determines whether the image signature will be verified when pulling from the external repository."
				},
				"proxy": {
					"type": "object",
					"description": "Proxy configuration for use during synchronization.",
					"properties": {
						"https_proxy": {
							"type": [
								"string",
								"null"
							],
							"description": "Value for HTTPS_PROXY environment variable during sync."
						},
						"http_proxy": {
							"type": [
								"string",
								"null"
							],
							"description": "Value for HTTP_PROXY environment variable during sync."
						},
						"no_proxy": {
							"type": [
								"string",
								"null"
							],
							"description": "Value for NO_PROXY environment variable during sync."
						}
					}
				}
			}
		},
		"skopeo_timeout_interval": {
			"type": "integer",
			"minimum": 300,
			"description": "Number of seconds mirroring job will run before timing out."
		},
		"architecture_filter": {
			"type": [
				"array",
				"null"
			],
			"items": {
				"type": "string"
			},
			"description": "List of architectures to mirror from multi-arch images. Empty array or null means mirror all architectures. Valid values: amd64, arm64, ppc64le, s390x."
		}
	}`

// SigninUser is the body of signinUser (POST /signin, endpoints/api/user.py
// Signin.schemas).
var SigninUser = Deferred(`{
	"type": "object",
	"description": "Information required to sign in a user.",
	"required": [
		"username",
		"password"
	],
	"properties": {
		"username": {
			"type": "string",
			"description": "The user's username"
		},
		"password": {
			"type": "string",
			"description": "The user's password"
		},
		"invite_code": {"type": "string", "description": "The optional invite code"}
	}
}`)

// VerifyUser is the body of verifyUser (POST /signin/verify,
// endpoints/api/user.py VerifyUser.schemas).
var VerifyUser = Deferred(`{
	"id": "VerifyUser",
	"type": "object",
	"description": "Information required to verify the signed in user.",
	"required": [
		"password"
	],
	"properties": {
		"password": {
			"type": "string",
			"description": "The user's password"
		}
	}
}`)
