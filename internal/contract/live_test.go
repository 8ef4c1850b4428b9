package contract

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay"
)

// TestLiveTargetReadsTheRegistrysSettings runs LiveTarget against fakequay
// servers whose configuration it must read, or assume, as it would a real
// Quay's.
func TestLiveTargetReadsTheRegistrysSettings(t *testing.T) {
	t.Parallel()
	const token = "live-admin"
	seed := func() fakequay.Option {
		return fakequay.WithSeed(fakequay.Seed{Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: token}}},
		}})
	}
	dumpReadable := func(c *fakequay.Config) {
		c.SuperUsers = []string{"admin"}
		c.FeatureSuperuserConfigDump = true
		c.FeatureMailing = false
		c.FeatureQuotaManagement = true
		c.FeatureRepoMirror = true
		c.FeatureSecurityScanner = true
		c.AppSpecificTokenExpiration = new("52w")
		c.SetupComplete = false
	}
	dumpRefused := func(c *fakequay.Config) {
		dumpReadable(c)
		c.FeatureSuperuserConfigDump = false
	}
	tests := []struct {
		name        string
		config      func(*fakequay.Config)
		env         map[string]string
		want        Target
		wantSources map[string]string
	}{
		{
			name:   "the config dump decides, and a key it lacks is unset",
			config: dumpReadable,
			want: Target{Mailing: false, QuotaManagement: true, ConfigDump: true, AppTokenExpiration: 52 * 7 * 24 * time.Hour,
				RepoMirror: MirrorEnabled, SetupComplete: false, SecurityScanner: true},
			wantSources: map[string]string{
				"FEATURE_MAILING":                "false (from the config dump)",
				"FEATURE_QUOTA_MANAGEMENT":       "true (from the config dump)",
				"FEATURE_EDIT_QUOTA":             "true (from the config dump)",
				"FEATURE_SUPERUSER_CONFIGDUMP":   "true (from the config dump)",
				"FEATURE_SUPERUSERS_FULL_ACCESS": "false (from the config dump)",
				"SETUP_COMPLETE":                 "false (from the config dump)",
				"APP_SPECIFIC_TOKEN_EXPIRATION":  "8736h0m0s (from the config dump)",
				"FEATURE_REPO_MIRROR":            "true (from the config dump)",
				"FEATURE_SECURITY_SCANNER":       "true (from the config dump)",
			},
		},
		{
			name:   "variables win over the dump",
			config: dumpReadable,
			env: map[string]string{"QUAY_MAILING": "true", "QUAY_SETUP_COMPLETE": "true", "QUAY_REPO_MIRROR": "healthy",
				"QUAY_SECURITY_SCANNER": "false"},
			want: Target{Mailing: true, QuotaManagement: true, ConfigDump: true, AppTokenExpiration: 52 * 7 * 24 * time.Hour,
				RepoMirror: MirrorHealthy, SetupComplete: true},
			wantSources: map[string]string{
				"FEATURE_MAILING":                "true (from QUAY_MAILING)",
				"FEATURE_QUOTA_MANAGEMENT":       "true (from the config dump)",
				"FEATURE_EDIT_QUOTA":             "true (from the config dump)",
				"FEATURE_SUPERUSER_CONFIGDUMP":   "true (from the config dump)",
				"FEATURE_SUPERUSERS_FULL_ACCESS": "false (from the config dump)",
				"SETUP_COMPLETE":                 "true (from QUAY_SETUP_COMPLETE)",
				"APP_SPECIFIC_TOKEN_EXPIRATION":  "8736h0m0s (from the config dump)",
				"FEATURE_REPO_MIRROR":            "healthy mirroring (from QUAY_REPO_MIRROR)",
				"FEATURE_SECURITY_SCANNER":       "false (from QUAY_SECURITY_SCANNER)",
			},
		},
		{
			name:   "without a readable dump, Quay's defaults and a finished setup are assumed",
			config: dumpRefused,
			want:   Target{Mailing: true, SetupComplete: true},
			wantSources: func() map[string]string {
				why := "the config dump answered 403"
				return map[string]string{
					"FEATURE_MAILING":                "true (assumed: QUAY_MAILING unset and " + why + ")",
					"FEATURE_QUOTA_MANAGEMENT":       "false (assumed: QUAY_QUOTA_MANAGEMENT unset and " + why + ")",
					"FEATURE_SUPERUSER_CONFIGDUMP":   "false (assumed: QUAY_CONFIGDUMP unset and " + why + ")",
					"FEATURE_SUPERUSERS_FULL_ACCESS": "false (assumed: QUAY_SUPERUSERS_FULL_ACCESS unset and " + why + ")",
					"SETUP_COMPLETE":                 "true (assumed: QUAY_SETUP_COMPLETE unset and " + why + ")",
					"APP_SPECIFIC_TOKEN_EXPIRATION":  "0s (assumed: QUAY_APP_TOKEN_EXPIRATION unset and " + why + ")",
					"FEATURE_REPO_MIRROR":            "false (assumed: QUAY_REPO_MIRROR unset and " + why + ")",
					"FEATURE_SECURITY_SCANNER":       "false (assumed: QUAY_SECURITY_SCANNER unset and " + why + ")",
				}
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, seed(), fakequay.WithConfig(tt.config))
			env := map[string]string{"QUAY_URL": srv.URL(), "QUAY_TOKEN": token, "QUAY_CONTRACT_ORGS": "acme,initech",
				"QUAY_CONTRACT_LOG_DAY": "2026-11-20"}
			for k, v := range tt.env {
				env[k] = v
			}
			got, sources, err := LiveTarget(t.Context(), func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			tt.want.URL = srv.URL()
			tt.want.Tokens = map[Role]string{Superuser: token, SuperuserNoScope: "", ReadOnlySuperuser: "", NormalUser: ""}
			tt.want.Fixtures = Fixtures{Organizations: []string{"acme", "initech"}, LogDay: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("target (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSources, sources); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
		})
	}
}
