package conformance

import (
	"slices"
	"strconv"
	"strings"

	"github.com/quaykit/go-quay/fakequay"
)

// Fixture names what the plan reads in the state under test. It comes
// from the seed both servers hold, so a plan fits any Quay, not only the
// realquay harness's fixture.
type Fixture struct {
	Superuser string // the first of SUPER_USERS that exists
	User      string // an enabled user who is no superuser of either kind
	UserEmail string
	Org       string // an organization
	// QuotaUser and QuotaOrg have a quota (QuotaUserID, QuotaOrgID); "" when
	// no user or organization has one.
	QuotaUser, QuotaUserID string
	QuotaOrg, QuotaOrgID   string
	// QuotaOrgLimitID is the id of QuotaOrg's first quota limit; "" when
	// it has none.
	QuotaOrgLimitID string
	// Kids are the service keys' kids; Approved and Unapproved one of each
	// ("" when there is none).
	Kids                 []string
	Approved, Unapproved string
	Builds               []string
	Message              string // a global message's uuid
	// OrgRobot is the short name of a robot of Org; MirrorRobot that of a
	// robot of Superuser's that a repository mirror pulls with.
	OrgRobot, MirrorRobot string
	// MirrorRepo ("namespace/name") is the first repository whose mirror
	// configuration the seed holds; "" when none.
	MirrorRepo string
	// OrgTeam is a team of Org other than owners with a user member,
	// OrgTeamMember that user.
	OrgTeam, OrgTeamMember string
	// Invitee is the user InviteOrg's invites are for, the account of the
	// User caller (prepareInvites invites it); DeclineCode and AcceptCode
	// are the codes of its invites to InviteDeclineTeam and
	// InviteAcceptTeam ("" unless the seed knows them).
	Invitee, DeclineCode, AcceptCode string
	// ContentRepo ("namespace/name") is the repository of Superuser's
	// with the most tag rows in the seed's manifests section, ContentTag
	// one of its alive tags; "" when the seed has no content there.
	ContentRepo, ContentTag string
	// ContentDigest is the manifest ContentTag points at.
	ContentDigest string
	// NotificationRepo ("namespace/name") and NotificationUUID name the
	// seed's first notification of a repository of Superuser's; "" when
	// there is none.
	NotificationRepo, NotificationUUID string
	// LabelRepo, LabelDigest and LabelID name a label of a manifest of
	// Superuser's that an alive tag keeps ("" when there is none).
	LabelRepo, LabelDigest, LabelID string
	// Password is the seeded users' known password (every user of the
	// realquay harness has "password"), "" when the seed gives none: the
	// session steps then sign nobody in. DisabledUser is a disabled user
	// ("" when none is).
	Password, DisabledUser string
	// ReadOnlyUser is a global read-only superuser ("" when none is).
	ReadOnlyUser string
	Mailing      bool // FEATURE_MAILING
	RepoMirror   bool // FEATURE_REPO_MIRROR
	// Harness is set for the realquay harness (werkzeug, SQLite), whose
	// answers to a few requests would change its state where Quay on
	// Postgres refuses them; the plan leaves those out.
	Harness bool
}

// FixtureFrom picks the fixture out of a seed.
func FixtureFrom(seed fakequay.Seed) Fixture {
	var fx Fixture
	cfg := fakequay.DefaultConfig()
	if seed.Config != nil {
		cfg = *seed.Config
	}
	fx.Mailing, fx.RepoMirror = cfg.FeatureMailing, cfg.FeatureRepoMirror
	for _, u := range seed.Users {
		super := slices.Contains(cfg.SuperUsers, u.Username)
		if super && fx.Superuser == "" {
			fx.Superuser = u.Username
		}
		if u.Enabled != nil && !*u.Enabled && fx.DisabledUser == "" {
			fx.DisabledUser = u.Username
		}
		if slices.Contains(cfg.GlobalReadonlySuperUsers, u.Username) && fx.ReadOnlyUser == "" {
			fx.ReadOnlyUser = u.Username
		}
		if u.Username == fx.Superuser && u.Password != "" {
			fx.Password = u.Password
		}
		if !super && !slices.Contains(cfg.GlobalReadonlySuperUsers, u.Username) && (u.Enabled == nil || *u.Enabled) && fx.User == "" {
			fx.User, fx.UserEmail = u.Username, u.Email
		}
	}
	if len(seed.Organizations) > 0 {
		fx.Org = seed.Organizations[0].Name
	}
	isOrg := func(name string) bool {
		return slices.ContainsFunc(seed.Organizations, func(o fakequay.SeedOrganization) bool { return o.Name == name })
	}
	// A snapshot lists quotas in id order, which a fakequay numbers 1, 2, 3...,
	// and their limits likewise.
	limits := 0
	for i, q := range seed.Quotas {
		id := strconv.Itoa(i + 1)
		firstLimit := limits + 1
		limits += len(q.Limits)
		switch {
		case isOrg(q.Namespace) && fx.QuotaOrg == "":
			fx.QuotaOrg, fx.QuotaOrgID = q.Namespace, id
			if len(q.Limits) > 0 {
				fx.QuotaOrgLimitID = strconv.Itoa(firstLimit)
			}
		case !isOrg(q.Namespace) && fx.QuotaUser == "":
			fx.QuotaUser, fx.QuotaUserID = q.Namespace, id
		}
	}
	for _, k := range seed.ServiceKeys {
		fx.Kids = append(fx.Kids, k.Kid)
		approved := k.ApprovedBy != "" || k.ApprovalType != ""
		if approved && fx.Approved == "" {
			fx.Approved = k.Kid
		}
		if !approved && fx.Unapproved == "" {
			fx.Unapproved = k.Kid
		}
	}
	for _, b := range seed.Builds {
		fx.Builds = append(fx.Builds, b.UUID)
	}
	if len(seed.Messages) > 0 {
		fx.Message = seed.Messages[0].UUID
	}
	for _, rb := range seed.Robots {
		if ns, short, _ := strings.Cut(rb.Name, "+"); ns == fx.Org && fx.OrgRobot == "" {
			fx.OrgRobot = short
		}
	}
	fx.teams(seed)
	fx.content(seed)
	fx.notifications(seed)
	if seed.RepoMirror != nil {
		for _, m := range seed.RepoMirror.Repositories {
			if ns, short, _ := strings.Cut(m.InternalRobot, "+"); ns == fx.Superuser && fx.MirrorRobot == "" {
				fx.MirrorRobot = short
			}
			if m.ExternalReference != "" && fx.MirrorRepo == "" {
				fx.MirrorRepo = m.Namespace + "/" + m.Repository
			}
		}
	}
	return fx
}

// teams picks OrgTeam, OrgTeamMember and the invite codes out of the
// seed's organizations.
func (fx *Fixture) teams(seed fakequay.Seed) {
	isUser := func(name string) bool {
		return slices.ContainsFunc(seed.Users, func(u fakequay.SeedUser) bool { return u.Username == name })
	}
	for _, o := range seed.Organizations {
		for _, t := range o.Teams {
			if o.Name == fx.Org && t.Name != "owners" && fx.OrgTeam == "" {
				if i := slices.IndexFunc(t.Members, isUser); i >= 0 {
					fx.OrgTeam, fx.OrgTeamMember = t.Name, t.Members[i]
				}
			}
			if o.Name != InviteOrg {
				continue
			}
			for _, inv := range t.Invites {
				if inv.User == "" || inv.Code == "" || (fx.Invitee != "" && inv.User != fx.Invitee) {
					continue
				}
				switch t.Name {
				case InviteDeclineTeam:
					fx.Invitee, fx.DeclineCode = inv.User, inv.Code
				case InviteAcceptTeam:
					fx.Invitee, fx.AcceptCode = inv.User, inv.Code
				}
			}
		}
	}
}

// notifications picks the notification the notification reads use.
func (fx *Fixture) notifications(seed fakequay.Seed) {
	for _, n := range seed.Notifications {
		if n.Namespace == fx.Superuser && n.UUID != "" {
			fx.NotificationRepo, fx.NotificationUUID = n.Namespace+"/"+n.Repository, n.UUID
			return
		}
	}
}

// content picks the repository, tag and label the content reads use.
func (fx *Fixture) content(seed fakequay.Seed) {
	rows := map[string]int{}
	for _, m := range seed.Manifests {
		if m.Namespace != fx.Superuser {
			continue
		}
		repo := m.Namespace + "/" + m.Repository
		rows[repo] += len(m.Tags)
		if rows[repo] > rows[fx.ContentRepo] || fx.ContentRepo == "" {
			fx.ContentRepo = repo
		}
	}
	for _, m := range seed.Manifests {
		for _, t := range m.Tags {
			if m.Namespace+"/"+m.Repository == fx.ContentRepo && t.EndTS == nil && fx.ContentTag == "" {
				fx.ContentTag, fx.ContentDigest = t.Name, m.Digest
			}
		}
	}
	for _, m := range seed.Manifests {
		alive := slices.ContainsFunc(m.Tags, func(t fakequay.SeedTag) bool { return t.EndTS == nil })
		if m.Namespace == fx.Superuser && alive && len(m.Labels) > 0 && m.Labels[0].ID != "" && fx.LabelID == "" {
			fx.LabelRepo, fx.LabelDigest, fx.LabelID = m.Namespace+"/"+m.Repository, m.Digest, m.Labels[0].ID
		}
	}
}
