package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// LiveTarget describes a real Quay from the environment: QUAY_URL and
// QUAY_TOKEN (required), the other roles' tokens, the fixtures the
// QUAY_CONTRACT_* variables name, and the registry's settings.
//
// Each setting comes from the first of: its variable (QUAY_MAILING=true,
// ...), the registry's own configuration as its config dump shows it (when
// FEATURE_SUPERUSER_CONFIGDUMP lets the superuser token read it; a key it
// lacks is unset), and an assumption: Quay's default, or for SETUP_COMPLETE
// what every deployed registry has. Sources says where each one came from,
// so a run shows what it assumed.
//
// The variables: QUAY_URL, QUAY_TOKEN; QUAY_NOSCOPE_TOKEN,
// QUAY_READONLY_TOKEN, QUAY_USER_TOKEN; QUAY_MAILING,
// QUAY_QUOTA_MANAGEMENT, QUAY_CONFIGDUMP, QUAY_SUPERUSERS_FULL_ACCESS,
// QUAY_SETUP_COMPLETE (true or false), QUAY_APP_TOKEN_EXPIRATION (Quay's
// form, e.g. 52w), QUAY_REPO_MIRROR (off, healthy, degraded or enabled);
// QUAY_CONTRACT_ORGS (comma-separated, two or more),
// QUAY_CONTRACT_UNAPPROVED_KEY, QUAY_CONTRACT_BUILD (a finished build),
// QUAY_CONTRACT_ARCHIVED_BUILD, QUAY_CONTRACT_LIVE_BUILD (a build whose log
// of two or more entries is not archived) and QUAY_CONTRACT_LOG_DAY
// (YYYY-MM-DD, a past day with over 20 audit-log entries) and
// QUAY_CONTRACT_REPOSITORY (namespace/name, administered by the normal
// user), with QUAY_CONTRACT_SCANNED_MANIFEST and
// QUAY_CONTRACT_UNSCANNED_MANIFEST (digests in it: one the security
// scanner reported on, one it has not indexed); QUAY_REGISTRY_USER and
// QUAY_REGISTRY_PASSWORD, the QUAY_TOKEN user's registry login, with which
// the tag and label cases push images into that user's namespace (they
// skip without); QUAY_PASSWORD_USER and QUAY_PASSWORD, a user who signs in
// with that password (the sign-in cases, which sign that user out of every
// session at the end).
func LiveTarget(ctx context.Context, getenv func(string) string) (tgt Target, sources map[string]string, err error) {
	url, token := getenv("QUAY_URL"), getenv("QUAY_TOKEN")
	if url == "" || token == "" {
		return Target{}, nil, fmt.Errorf("QUAY_URL and QUAY_TOKEN must both be set")
	}
	tgt = Target{URL: url, Tokens: map[Role]string{
		Superuser:         token,
		SuperuserNoScope:  getenv("QUAY_NOSCOPE_TOKEN"),
		ReadOnlySuperuser: getenv("QUAY_READONLY_TOKEN"),
		NormalUser:        getenv("QUAY_USER_TOKEN"),
	}}
	if err := liveFixtures(&tgt.Fixtures, getenv); err != nil {
		return Target{}, nil, err
	}
	dump, dumpErr := readConfigDump(ctx, url, token)
	set := settings{getenv: getenv, dump: dump, sources: map[string]string{}}
	if dumpErr != nil {
		set.dumpMissing = dumpErr.Error()
	}
	tgt.Mailing = set.flag("QUAY_MAILING", "FEATURE_MAILING", true)
	// Quay shows quotas in views and serves the quota routes only with both.
	tgt.QuotaManagement = set.flag("QUAY_QUOTA_MANAGEMENT", "FEATURE_QUOTA_MANAGEMENT", false) &&
		set.flag("QUAY_QUOTA_MANAGEMENT", "FEATURE_EDIT_QUOTA", true)
	tgt.ConfigDump = set.flag("QUAY_CONFIGDUMP", "FEATURE_SUPERUSER_CONFIGDUMP", false)
	tgt.SuperusersFullAccess = set.flag("QUAY_SUPERUSERS_FULL_ACCESS", "FEATURE_SUPERUSERS_FULL_ACCESS", false)
	tgt.SecurityScanner = set.flag("QUAY_SECURITY_SCANNER", "FEATURE_SECURITY_SCANNER", false)
	// Without a readable dump, assume what every deployed registry has.
	tgt.SetupComplete = set.flag("QUAY_SETUP_COMPLETE", "SETUP_COMPLETE", true)
	if tgt.AppTokenExpiration, err = set.duration("QUAY_APP_TOKEN_EXPIRATION", "APP_SPECIFIC_TOKEN_EXPIRATION"); err != nil {
		return Target{}, nil, err
	}
	if tgt.RepoMirror, err = set.mirror(); err != nil {
		return Target{}, nil, err
	}
	if user, password := getenv("QUAY_REGISTRY_USER"), getenv("QUAY_REGISTRY_PASSWORD"); user != "" && password != "" {
		if tgt.Push, err = registryPusher(url, user, password); err != nil {
			return Target{}, nil, err
		}
	}
	return tgt, set.sources, nil
}

// liveFixtures reads the QUAY_CONTRACT_* variables.
func liveFixtures(f *Fixtures, getenv func(string) string) error {
	if orgs := getenv("QUAY_CONTRACT_ORGS"); orgs != "" {
		f.Organizations = strings.Split(orgs, ",")
	}
	f.UnapprovedServiceKey = getenv("QUAY_CONTRACT_UNAPPROVED_KEY")
	f.Repository = getenv("QUAY_CONTRACT_REPOSITORY")
	f.ScannedManifest = getenv("QUAY_CONTRACT_SCANNED_MANIFEST")
	f.UnscannedManifest = getenv("QUAY_CONTRACT_UNSCANNED_MANIFEST")
	f.SignIn = SignInFixture{User: getenv("QUAY_PASSWORD_USER"), Password: getenv("QUAY_PASSWORD")}
	f.Builds = BuildFixtures{
		Finished: getenv("QUAY_CONTRACT_BUILD"),
		Archived: getenv("QUAY_CONTRACT_ARCHIVED_BUILD"),
		WithLogs: getenv("QUAY_CONTRACT_LIVE_BUILD"),
	}
	if day := getenv("QUAY_CONTRACT_LOG_DAY"); day != "" {
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return fmt.Errorf("QUAY_CONTRACT_LOG_DAY: %v", err)
		}
		f.LogDay = d
	}
	return nil
}

// readConfigDump reads the registry's configuration through the superuser
// config dump; Quay refuses it (403) without FEATURE_SUPERUSER_CONFIGDUMP.
func readConfigDump(ctx context.Context, url, token string) (map[string]json.RawMessage, error) {
	c, err := quay.NewClient(url, quay.WithToken(token))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	dump, _, err := superuser.New(c).System.Config(ctx)
	if qe, ok := asQuayError(err); ok {
		return nil, fmt.Errorf("the config dump answered %d", qe.StatusCode)
	}
	if err != nil {
		return nil, fmt.Errorf("the config dump is not readable: %v", err)
	}
	values := make(map[string]json.RawMessage, len(dump.Config)+len(dump.Warning))
	for k, v := range dump.Warning {
		values[k] = v
	}
	for k, v := range dump.Config {
		values[k] = v
	}
	return values, nil
}

// settings resolves one setting at a time and records its source.
type settings struct {
	getenv      func(string) string
	dump        map[string]json.RawMessage // nil when the dump was not readable
	dumpMissing string
	sources     map[string]string
}

// lookup returns the setting's raw value and where it came from: the
// variable (as a JSON string), else the dump. found is false when neither
// has it; a key the readable dump lacks (or holds as null) is unset in the
// registry's configuration, which Python reads as false.
func (s *settings) lookup(variable, key string) (raw json.RawMessage, fromVar, found bool) {
	if v := s.getenv(variable); v != "" {
		return json.RawMessage(strconv.Quote(v)), true, true
	}
	if s.dump == nil {
		return nil, false, false
	}
	if v, ok := s.dump[key]; ok {
		return v, false, true
	}
	return json.RawMessage("null"), false, true
}

func (s *settings) note(key string, value any, fromVar, found bool, variable string) {
	switch {
	case fromVar:
		s.sources[key] = fmt.Sprintf("%v (from %s)", value, variable)
	case found:
		s.sources[key] = fmt.Sprintf("%v (from the config dump)", value)
	default:
		s.sources[key] = fmt.Sprintf("%v (assumed: %s unset and %s)", value, variable, s.dumpMissing)
	}
}

// flag resolves a boolean setting; assumed is its value when neither the
// variable nor the dump says (Quay's default, or what a deployed registry
// has). A variable counts as true only when it is "true"; a null is false.
func (s *settings) flag(variable, key string, assumed bool) bool {
	raw, fromVar, found := s.lookup(variable, key)
	v := assumed
	if found {
		var b bool
		var str string
		switch {
		case json.Unmarshal(raw, &str) == nil:
			v = str == "true"
		default:
			v = json.Unmarshal(raw, &b) == nil && b
		}
	}
	s.note(key, v, fromVar, found, variable)
	return v
}

// duration resolves a timedelta setting in Quay's form (52w); zero when unset.
func (s *settings) duration(variable, key string) (time.Duration, error) {
	raw, fromVar, found := s.lookup(variable, key)
	var d time.Duration
	if found && string(raw) != "null" {
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return 0, fmt.Errorf("%s: %s is not a string", key, raw)
		}
		var err error
		if d, err = quayDuration(str); err != nil {
			return 0, fmt.Errorf("%s: %v", variable, err)
		}
	}
	s.note(key, d, fromVar, found, variable)
	return d, nil
}

// mirror resolves QUAY_REPO_MIRROR, or FEATURE_REPO_MIRROR from the dump
// (on: health not known in advance).
func (s *settings) mirror() (MirrorState, error) {
	states := map[string]MirrorState{"off": MirrorDisabled, "healthy": MirrorHealthy, "degraded": MirrorDegraded, "enabled": MirrorEnabled}
	if v := s.getenv("QUAY_REPO_MIRROR"); v != "" {
		state, ok := states[v]
		if !ok {
			return 0, fmt.Errorf("QUAY_REPO_MIRROR = %q, want off, healthy, degraded or enabled", v)
		}
		s.note("FEATURE_REPO_MIRROR", state, true, true, "QUAY_REPO_MIRROR")
		return state, nil
	}
	state := MirrorDisabled
	if s.flag("QUAY_REPO_MIRROR", "FEATURE_REPO_MIRROR", false) {
		state = MirrorEnabled
	}
	return state, nil
}

// quayDuration parses a duration in the form of Quay's timedelta settings:
// an integer and one of the units s, m, h, d, w or y (365 days).
func quayDuration(v string) (time.Duration, error) {
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}
	if v == "" {
		return 0, fmt.Errorf("empty duration")
	}
	unit, ok := units[v[len(v)-1]]
	n, err := strconv.Atoi(v[:len(v)-1])
	if !ok || err != nil {
		return 0, fmt.Errorf("%q is not <integer><s|m|h|d|w|y>", v)
	}
	return time.Duration(n) * unit, nil
}
