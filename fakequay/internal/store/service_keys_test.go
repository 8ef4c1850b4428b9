package store

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

var skNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// newKeyStore returns a store with users admin (id 1) and alice (id 2) and
// the given keys loaded.
func newKeyStore(t *testing.T, keys ...ServiceKey) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, name := range []string{"admin", "alice"} {
			if _, err := l.AddNamespace(Namespace{Name: name, Kind: KindUser, Email: name + "@example.com", Enabled: true}); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if _, err := l.AddServiceKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return s
}

func timePtr(t time.Time) *time.Time { return &t }

func approvedBy(id int64) *Approval {
	return &Approval{ApproverID: id, Type: ApprovalSuperuser, Date: skNow.Add(-48 * time.Hour)}
}

// key returns an approved key of service svc created two days before skNow.
func key(kid, svc string, expiration *time.Time) ServiceKey {
	return ServiceKey{Kid: kid, Service: svc, JWK: JWK{Kty: "RSA", E: "AQAB", N: "n-" + kid, Kid: kid},
		Metadata: json.RawMessage(`{}`), Created: skNow.Add(-48 * time.Hour), Expiration: expiration, Approval: approvedBy(1)}
}

func kids(keys []*ServiceKey) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, k.Kid)
	}
	return out
}

func allKids(r Reader) []string {
	out := []string{}
	r.AllServiceKeys(func(k *ServiceKey) bool {
		out = append(out, k.Kid)
		return true
	})
	return out
}

type logSummary struct {
	Kind      string
	AccountID int64
	Metadata  string
}

func logSummaries(r Reader) []logSummary {
	out := []logSummary{}
	r.AllLogs(func(e *LogEntry) bool {
		out = append(out, logSummary{Kind: e.Kind, AccountID: e.AccountID, Metadata: string(e.Metadata)})
		return true
	})
	return out
}

func serviceAction(kind, meta string) Action {
	return Action{Kind: kind, ServiceAccount: true, PerformerID: 1, Time: skNow, Metadata: json.RawMessage(meta)}
}

// §2.8, §2.10: keys expired at least 7 days ago are hidden; the boundary is
// inclusive, as Quay's "expiration_date <= utcnow() - ttl".
func TestServiceKeyVisibility(t *testing.T) {
	t.Parallel()
	week := ExpiredServiceKeyTTL
	s := newKeyStore(t,
		key("never", "svc", nil),
		key("future", "svc", timePtr(skNow.Add(time.Hour))),
		key("expired-recently", "svc", timePtr(skNow.Add(-time.Hour))),
		key("just-inside", "svc", timePtr(skNow.Add(-week+time.Microsecond))),
		key("exactly-a-week", "svc", timePtr(skNow.Add(-week))),
		key("long-gone", "other", timePtr(skNow.Add(-30*24*time.Hour))),
	)
	r := s.Read()
	if diff := cmp.Diff([]string{"never", "future", "expired-recently", "just-inside"}, kids(r.ListServiceKeys(skNow))); diff != "" {
		t.Errorf("ListServiceKeys (-want +got):\n%s", diff)
	}
	tests := []struct {
		kid             string
		visible, stored bool
	}{
		{"never", true, true},
		{"just-inside", true, true},
		{"exactly-a-week", false, true},
		{"long-gone", false, true},
		{"missing", false, false},
	}
	for _, tc := range tests {
		_, visible := r.VisibleServiceKey(tc.kid, skNow)
		_, stored := r.ServiceKey(tc.kid)
		if visible != tc.visible || stored != tc.stored {
			t.Errorf("%s: visible %v stored %v, want %v %v", tc.kid, visible, stored, tc.visible, tc.stored)
		}
	}
}

// §2.9: a bad service name is family B with an empty message, checked
// before anything is collected or written.
func TestCreateServiceKeyServiceName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		service  string
		wantErr  error
		wantKids []string
	}{
		{"my_service", nil, []string{"new"}},              // the stale key of the service is collected
		{"svc\n", nil, []string{"stale", "new"}},          // Python's "$" matches before a final newline
		{"", &ModelError{Message: ""}, []string{"stale"}}, // nothing collected or stored
		{"My_Service", &ModelError{Message: ""}, []string{"stale"}},
		{"svc\n\n", &ModelError{Message: ""}, []string{"stale"}},
		{"my-service", &ModelError{Message: ""}, []string{"stale"}},
	}
	for _, tc := range tests {
		t.Run(tc.service, func(t *testing.T) {
			t.Parallel()
			s := newKeyStore(t, key("stale", "my_service", timePtr(skNow.Add(-30*24*time.Hour))))
			k := key("new", tc.service, nil)
			k.Created = skNow
			_, err := s.CreateServiceKey(NewServiceKey{Key: k, Approval: *approvedBy(1),
				Audit: []Action{serviceAction("service_key_create", `{"kid":"new"}`)}})
			if diff := cmp.Diff(tc.wantErr, err); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantKids, allKids(s.Read())); diff != "" {
				t.Errorf("stored keys (-want +got):\n%s", diff)
			}
			wantLogs := 1
			if tc.wantErr != nil {
				wantLogs = 0
			}
			if got := len(logSummaries(s.Read())); got != wantLogs {
				t.Errorf("%d logs, want %d", got, wantLogs)
			}
		})
	}
}

// §2.9 step 3: creating a key collects the same service's keys expired at
// least 7 days ago and unapproved keys at least 1 day old; nothing else.
func TestCreateServiceKeyCollectsStaleKeys(t *testing.T) {
	t.Parallel()
	unapproved := func(kid, svc string, age time.Duration) ServiceKey {
		k := key(kid, svc, nil)
		k.Created, k.Approval = skNow.Add(-age), nil
		return k
	}
	s := newKeyStore(t,
		key("svc-expired-8d", "svc", timePtr(skNow.Add(-8*24*time.Hour))),
		key("svc-expired-7d", "svc", timePtr(skNow.Add(-ExpiredServiceKeyTTL))),
		key("svc-expired-6d", "svc", timePtr(skNow.Add(-6*24*time.Hour))),
		unapproved("svc-unapproved-1d", "svc", UnapprovedServiceKeyTTL),
		unapproved("svc-unapproved-23h", "svc", 23*time.Hour),
		key("svc-approved-old", "svc", nil),
		key("other-expired-8d", "other", timePtr(skNow.Add(-8*24*time.Hour))),
		unapproved("other-unapproved-2d", "other", 48*time.Hour),
	)
	k := key("new", "svc", timePtr(skNow.Add(time.Hour)))
	k.Created = skNow
	created, err := s.CreateServiceKey(NewServiceKey{Key: k, Approval: Approval{ApproverID: 1, Type: ApprovalSuperuser, Date: skNow, Notes: "n"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"svc-expired-6d", "svc-unapproved-23h", "svc-approved-old", "other-expired-8d", "other-unapproved-2d", "new"}
	if diff := cmp.Diff(want, allKids(s.Read())); diff != "" {
		t.Errorf("stored keys (-want +got):\n%s", diff)
	}
	stored, _ := s.Read().ServiceKey("new")
	if diff := cmp.Diff(created, stored); diff != "" {
		t.Errorf("returned vs stored (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&Approval{ApproverID: 1, Type: ApprovalSuperuser, Date: skNow, Notes: "n"}, stored.Approval); diff != "" {
		t.Errorf("approval (-want +got):\n%s", diff)
	}
}

// §1.11: both create logs land on the service log account (the lowest
// user id), in order, in the key's transaction.
func TestCreateServiceKeyLogs(t *testing.T) {
	t.Parallel()
	s := newKeyStore(t)
	k := key("new", "svc", nil)
	_, err := s.CreateServiceKey(NewServiceKey{Key: k, Approval: *approvedBy(2), Audit: []Action{
		serviceAction("service_key_create", `{"kid":"new"}`),
		serviceAction("service_key_approve", `{"kid":"new"}`),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []logSummary{
		{Kind: "service_key_create", AccountID: 1, Metadata: `{"kid":"new"}`},
		{Kind: "service_key_approve", AccountID: 1, Metadata: `{"kid":"new"}`},
	}
	if diff := cmp.Diff(want, logSummaries(s.Read())); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func TestCreateServiceKeyDuplicateKidCrashes(t *testing.T) {
	t.Parallel()
	s := newKeyStore(t, key("dup", "svc", nil))
	_, err := s.CreateServiceKey(NewServiceKey{Key: key("dup", "svc", nil), Approval: *approvedBy(1)})
	var ce *CrashError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a CrashError", err)
	}
	if diff := cmp.Diff([]string{"dup"}, allKids(s.Read())); diff != "" {
		t.Errorf("stored keys (-want +got):\n%s", diff)
	}
}

// §2.11: the expiration step, then the modify step; each logs.
func TestUpdateServiceKey(t *testing.T) {
	t.Parallel()
	newExp := skNow.Add(30 * 24 * time.Hour)
	name := "renamed"
	logFrom := func(kind string) func(*ServiceKey) Action {
		return func(k *ServiceKey) Action { return serviceAction(kind, `{"name":"`+k.Name+`"}`) }
	}
	base := key("k", "svc", timePtr(skNow.Add(time.Hour)))
	base.Name = "orig"
	base.Metadata = json.RawMessage(`{"a": "1", "b": "2"}`)
	tests := []struct {
		name     string
		upd      ServiceKeyUpdate
		wantErr  error
		wantKey  func(*ServiceKey)
		wantLogs []logSummary
	}{
		{name: "§2.11 empty update changes nothing", wantLogs: []logSummary{}},
		{name: "§2.11 expiration only",
			upd:      ServiceKeyUpdate{SetExpiration: true, Expiration: &newExp, ExtendLog: logFrom("service_key_extend")},
			wantKey:  func(k *ServiceKey) { k.Expiration = &newExp },
			wantLogs: []logSummary{{Kind: "service_key_extend", AccountID: 1, Metadata: `{"name":"orig"}`}}},
		{name: "§2.11 null expiration clears it",
			upd:      ServiceKeyUpdate{SetExpiration: true, ExtendLog: logFrom("service_key_extend")},
			wantKey:  func(k *ServiceKey) { k.Expiration = nil },
			wantLogs: []logSummary{{Kind: "service_key_extend", AccountID: 1, Metadata: `{"name":"orig"}`}}},
		{name: "§2.11 metadata is merged, name nil keeps",
			upd: ServiceKeyUpdate{Modify: true, Metadata: pyObject(t, `{"b": "3", "c": "4"}`), ModifyLog: logFrom("service_key_modify")},
			wantKey: func(k *ServiceKey) {
				k.Metadata = json.RawMessage(`{"a": "1", "b": "3", "c": "4"}`)
			},
			wantLogs: []logSummary{{Kind: "service_key_modify", AccountID: 1, Metadata: `{"name":"orig"}`}}},
		{name: "§2.11 both steps; logs built from the key as loaded",
			upd: ServiceKeyUpdate{SetExpiration: true, Expiration: &newExp, ExtendLog: logFrom("service_key_extend"),
				Modify: true, Name: &name, ModifyLog: logFrom("service_key_modify")},
			wantKey: func(k *ServiceKey) { k.Expiration, k.Name = &newExp, name },
			wantLogs: []logSummary{
				{Kind: "service_key_extend", AccountID: 1, Metadata: `{"name":"orig"}`},
				{Kind: "service_key_modify", AccountID: 1, Metadata: `{"name":"orig"}`},
			}},
		{name: "§2.11 a modify failure keeps the new expiration",
			upd: ServiceKeyUpdate{SetExpiration: true, Expiration: &newExp, ExtendLog: logFrom("service_key_extend"),
				Modify: true, Name: &name, ModifyLog: logFrom("service_key_modify"), ModifyErr: errBoom},
			wantErr:  errBoom,
			wantKey:  func(k *ServiceKey) { k.Expiration = &newExp },
			wantLogs: []logSummary{{Kind: "service_key_extend", AccountID: 1, Metadata: `{"name":"orig"}`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newKeyStore(t, base)
			before, _ := s.Read().ServiceKey("k")
			tc.upd.Now = skNow
			got, err := s.UpdateServiceKey("k", tc.upd)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			want := before.clone()
			if tc.wantKey != nil {
				tc.wantKey(want)
			}
			stored, _ := s.Read().ServiceKey("k")
			if diff := cmp.Diff(want, stored); diff != "" {
				t.Errorf("stored key (-want +got):\n%s", diff)
			}
			if tc.wantErr == nil {
				if diff := cmp.Diff(stored, got); diff != "" {
					t.Errorf("returned key (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tc.wantLogs, logSummaries(s.Read())); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(`{"a": "1", "b": "2"}`, string(before.Metadata)); diff != "" {
				t.Errorf("the earlier row was modified in place (-want +got):\n%s", diff)
			}
		})
	}
}

var errBoom = errors.New("boom")

// §2.11: the lookup uses the 7-day visibility rule.
func TestUpdateServiceKeyHidden(t *testing.T) {
	t.Parallel()
	s := newKeyStore(t, key("gone", "svc", timePtr(skNow.Add(-8*24*time.Hour))))
	_, err := s.UpdateServiceKey("gone", ServiceKeyUpdate{Now: skNow, Modify: true,
		ModifyLog: func(*ServiceKey) Action { return serviceAction("service_key_modify", `{}`) }})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("hidden key: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateServiceKey("missing", ServiceKeyUpdate{Now: skNow}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing key: %v, want ErrNotFound", err)
	}
	if n := len(logSummaries(s.Read())); n != 0 {
		t.Errorf("%d logs written", n)
	}
}

// §2.12: delete finds hidden keys, then collects the service's stale keys.
func TestDeleteServiceKey(t *testing.T) {
	t.Parallel()
	s := newKeyStore(t,
		key("hidden", "svc", timePtr(skNow.Add(-10*24*time.Hour))),
		key("svc-stale", "svc", timePtr(skNow.Add(-8*24*time.Hour))),
		key("svc-live", "svc", nil),
		key("other-stale", "other", timePtr(skNow.Add(-8*24*time.Hour))),
	)
	deleted, err := s.DeleteServiceKey("hidden", skNow, func(k *ServiceKey) Action {
		return serviceAction("service_key_delete", `{"kid":"`+k.Kid+`"}`)
	})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.Kid != "hidden" {
		t.Errorf("deleted %q", deleted.Kid)
	}
	if diff := cmp.Diff([]string{"svc-live", "other-stale"}, allKids(s.Read())); diff != "" {
		t.Errorf("stored keys (-want +got):\n%s", diff)
	}
	want := []logSummary{{Kind: "service_key_delete", AccountID: 1, Metadata: `{"kid":"hidden"}`}}
	if diff := cmp.Diff(want, logSummaries(s.Read())); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
	if _, err := s.DeleteServiceKey("hidden", skNow, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}

// §2.13: approval ignores staleness; a second approval changes nothing.
func TestApproveServiceKey(t *testing.T) {
	t.Parallel()
	k := key("k", "svc", timePtr(skNow.Add(-10*24*time.Hour)))
	k.Approval = nil
	s := newKeyStore(t, k)
	audit := func(k *ServiceKey) Action { return serviceAction("service_key_approve", `{"kid":"`+k.Kid+`"}`) }
	first := Approval{ApproverID: 2, Type: ApprovalSuperuser, Date: skNow, Notes: "first"}
	if err := s.ApproveServiceKey("k", first, audit); err != nil {
		t.Fatal(err)
	}
	second := Approval{ApproverID: 1, Type: ApprovalSuperuser, Date: skNow, Notes: "second"}
	if err := s.ApproveServiceKey("k", second, audit); !errors.Is(err, ErrServiceKeyAlreadyApproved) {
		t.Fatalf("second approval: %v, want ErrServiceKeyAlreadyApproved", err)
	}
	if err := s.ApproveServiceKey("missing", second, audit); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing key: %v, want ErrNotFound", err)
	}
	stored, _ := s.Read().ServiceKey("k")
	if diff := cmp.Diff(&first, stored.Approval); diff != "" {
		t.Errorf("approval (-want +got):\n%s", diff)
	}
	want := []logSummary{{Kind: "service_key_approve", AccountID: 1, Metadata: `{"kid":"k"}`}}
	if diff := cmp.Diff(want, logSummaries(s.Read())); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// §1.9: deleting the approver nulls it in the same transaction (Quay's
// _delete_user_linked_data); other approvals stay.
func TestDeletingApproverClearsIt(t *testing.T) {
	t.Parallel()
	byAlice := key("by-alice", "svc", nil)
	byAlice.Approval = approvedBy(2)
	s := newKeyStore(t, byAlice, key("by-admin", "svc", nil))
	before := s.Read()
	if err := s.DeleteUser("alice", Action{Kind: "user_delete", Account: "alice", Time: skNow}, Tombstone{Name: "tomb", Email: "tomb"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	s.Read().AllServiceKeys(func(k *ServiceKey) bool {
		got[k.Kid] = k.Approval.ApproverID
		return true
	})
	if diff := cmp.Diff(map[string]int64{"by-alice": 0, "by-admin": 1}, got); diff != "" {
		t.Errorf("approvers (-want +got):\n%s", diff)
	}
	old, _ := before.ServiceKey("by-alice")
	if old.Approval.ApproverID != 2 {
		t.Errorf("an earlier reader's row changed: approver %d", old.Approval.ApproverID)
	}
}

func TestLoaderAddServiceKeyRejects(t *testing.T) {
	t.Parallel()
	bad := func(edit func(*ServiceKey)) ServiceKey {
		k := key("k", "svc", nil)
		edit(&k)
		return k
	}
	tests := []struct {
		name string
		key  ServiceKey
		want string
	}{
		{"empty kid", bad(func(k *ServiceKey) { k.Kid = "" }), "kid is empty"},
		{"bad service", bad(func(k *ServiceKey) { k.Service = "Bad" }), `service "Bad" does not match ^[a-z0-9_]+$`},
		{"bad approval type", bad(func(k *ServiceKey) { k.Approval.Type = "Super User API" }),
			`approval type "Super User API" is not one of "ServiceKeyApprovalType.SUPERUSER", "ServiceKeyApprovalType.KEY_ROTATION", "ServiceKeyApprovalType.AUTOMATIC"`},
		{"unknown approver", bad(func(k *ServiceKey) { k.Approval.ApproverID = 99 }), "approver 99 is not a user"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newKeyStore(t)
			err := s.Load(func(l *Loader) error {
				_, err := l.AddServiceKey(tc.key)
				return err
			})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if diff := cmp.Diff([]string{}, allKids(s.Read())); diff != "" {
				t.Errorf("stored keys (-want +got):\n%s", diff)
			}
		})
	}
	s := newKeyStore(t, key("dup", "svc", nil))
	err := s.Load(func(l *Loader) error {
		_, err := l.AddServiceKey(key("dup", "svc", nil))
		return err
	})
	if err == nil || err.Error() != `kid "dup" is already used by another service key` {
		t.Errorf("duplicate kid: %v", err)
	}
}

// pyObject decodes a JSON object as a request body would be decoded.
func pyObject(t *testing.T, doc string) *py.Object {
	t.Helper()
	v, err := py.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*py.Object)
}
