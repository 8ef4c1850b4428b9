package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// readConfig fills the seed's config with the keys fakequay models, from
// four sources, later ones winning: Quay's public /config (every feature
// flag, AUTHENTICATION_TYPE, SERVER_HOSTNAME, the registry state), the
// users' superuser flags, the registry status (SETUP_COMPLETE), and the
// config dump when FEATURE_SUPERUSER_CONFIGDUMP lets it answer. Then
// Options.Config. Keys none of them shows keep Quay's defaults.
func readConfig(ctx context.Context, r *reader) error {
	known := configKeys()
	values := map[string]json.RawMessage{}
	set := func(key string, v any) {
		if known[key] {
			b, _ := json.Marshal(v)
			values[key] = b
		}
	}

	public, err := r.publicConfig(ctx)
	if err != nil {
		return err
	}
	if public != nil {
		for flag, on := range public.Features {
			set("FEATURE_"+flag, on)
		}
		for _, key := range []string{"AUTHENTICATION_TYPE", "SERVER_HOSTNAME"} {
			if v, ok := public.Config[key]; ok {
				values[key] = v
			}
		}
		if public.RegistryState != "" {
			set("REGISTRY_STATE", public.RegistryState)
		}
	}

	supers, readonly := []string{}, []string{}
	for _, ns := range r.views {
		if ns.org {
			continue
		}
		if ns.SuperUser {
			supers = append(supers, ns.Name)
		}
		if ns.GlobalReadonlySuperUser {
			readonly = append(readonly, ns.Name)
		}
	}
	set("SUPER_USERS", supers)
	set("GLOBAL_READONLY_SUPER_USERS", readonly)

	var status struct {
		Status string `json:"status"`
	}
	ok, err := r.getIfReadable(ctx, "superuser/registrystatus", "SETUP_COMPLETE", &status)
	if err != nil {
		return err
	}
	switch {
	case !ok:
	case status.Status == "ready":
		set("SETUP_COMPLETE", true)
	case status.Status == "setup-incomplete":
		set("SETUP_COMPLETE", false)
	default:
		r.warnf("SETUP_COMPLETE: registry status %q says neither; left unset", status.Status)
	}

	var dump struct {
		Config  map[string]json.RawMessage `json:"config"`
		Warning map[string]json.RawMessage `json:"warning"`
	}
	ok, err = r.getIfReadable(ctx, "superuser/config",
		"the config keys /config does not show (APP_SPECIFIC_TOKEN_EXPIRATION, DEFAULT_SYSTEM_REJECT_QUOTA_BYTES, "+
			"BROWSER_API_CALLS_XHR_ONLY, REPO_MIRROR_WORKER_REPLICAS; Options.Config can set them)", &dump)
	if err != nil {
		return err
	}
	if ok {
		for _, section := range []map[string]json.RawMessage{dump.Warning, dump.Config} {
			for key, v := range section {
				if known[key] {
					values[key] = v
				}
			}
		}
	}

	if len(r.opts.Config) > 0 {
		// ParseSeed checks the keys and their types strictly, with paths.
		if _, err := fakequay.ParseSeed([]byte(`{"config": ` + string(r.opts.Config) + `}`)); err != nil {
			return fmt.Errorf("Options.Config: %w", err)
		}
		var extra map[string]json.RawMessage
		if err := json.Unmarshal(r.opts.Config, &extra); err != nil {
			return fmt.Errorf("Options.Config: %w", err)
		}
		for key, v := range extra {
			values[key] = v
		}
	}

	cfg := fakequay.DefaultConfig()
	merged, err := json.Marshal(values)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(merged, &cfg); err != nil {
		return fmt.Errorf("a config value has a type fakequay does not take: %w", err)
	}
	r.seed.Config = &cfg
	return nil
}

// publicConfig is Quay's GET /config (endpoints/web.py), outside the API:
// the configuration a browser may see. nil when the server has none.
type publicConfigView struct {
	Config        map[string]json.RawMessage `json:"config"`
	Features      map[string]bool            `json:"features"`
	RegistryState string                     `json:"registry_state"`
}

func (r *reader) publicConfig(ctx context.Context) (*publicConfigView, error) {
	u := r.c.BaseURL().JoinPath("config")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	var v publicConfigView
	_, err = r.c.Do(req, &v)
	var qe *quay.Error
	switch {
	case errors.As(err, &qe):
		r.warnf("feature flags: GET /config answered %d; they come from the config dump or keep Quay's defaults", qe.StatusCode)
		return nil, nil
	case err != nil:
		return nil, err
	case v.Features == nil:
		r.warnf("feature flags: GET /config shows none; they come from the config dump or keep Quay's defaults")
		return nil, nil
	}
	return &v, nil
}

// configKeys are the seed config keys: fakequay.Config's JSON names.
func configKeys() map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[fakequay.Config]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}
