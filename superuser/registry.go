package superuser

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/quaykit/go-quay/quay"
)

// RegistryService reads the registry's size and setup status.
type RegistryService service

// RegistrySize is the registry's total storage use as last calculated.
type RegistrySize struct {
	SizeBytes int64
	// LastRan is when the last calculation finished; nil if none has.
	LastRan *time.Time
	// Queued and Running report a calculation waiting for, or in, Quay's
	// size worker. Without FEATURE_QUOTA_MANAGEMENT the worker never runs,
	// so a queued calculation stays queued.
	Queued  bool
	Running bool
}

// registrySizeWire is getRegistrySize's body: last_ran is epoch milliseconds or null.
type registrySizeWire struct {
	SizeBytes int64  `json:"size_bytes"`
	LastRan   *int64 `json:"last_ran"`
	Queued    bool   `json:"queued"`
	Running   bool   `json:"running"`
}

// UnmarshalJSON reads Quay's answer, whose last_ran is epoch milliseconds or null.
func (r *RegistrySize) UnmarshalJSON(b []byte) error {
	var wire registrySizeWire
	if err := json.Unmarshal(b, &wire); err != nil {
		return err
	}
	*r = RegistrySize{SizeBytes: wire.SizeBytes, Queued: wire.Queued, Running: wire.Running}
	if wire.LastRan != nil {
		r.LastRan = new(time.UnixMilli(*wire.LastRan).UTC())
	}
	return nil
}

// MarshalJSON writes the size in Quay's form, so that it round-trips.
func (r RegistrySize) MarshalJSON() ([]byte, error) {
	wire := registrySizeWire{SizeBytes: r.SizeBytes, Queued: r.Queued, Running: r.Running}
	if r.LastRan != nil {
		wire.LastRan = new(r.LastRan.UnixMilli())
	}
	return json.Marshal(wire)
}

// RegistryStatus is the registry's setup state.
type RegistryStatus struct {
	// Status is "ready" once setup is complete, else "setup-incomplete".
	Status string `json:"status"`
	// ProviderID names the config provider; set only when Status is "ready".
	ProviderID string `json:"provider_id,omitempty"`
}

// Size returns the registry's total storage use as last calculated.
//
// Quay operation: getRegistrySize (GET /api/v1/superuser/registrysize/)
func (s *RegistryService) Size(ctx context.Context) (RegistrySize, *quay.Response, error) {
	var size RegistrySize
	resp, err := send(ctx, s.client, http.MethodGet, "superuser/registrysize/", nil, &size)
	return size, resp, err
}

// QueueSizeCalculation asks Quay to recalculate the registry's size and reports whether this call queued it.
//
// Quay answers 201 when it queued a calculation (queued is true) and 202 when
// one was already queued or running (queued is false); both bodies are the
// JSON string "". Size reports the result once the worker has run.
//
// Quay operation: queueRegistrySizeCalculation (POST /api/v1/superuser/registrysize/)
func (s *RegistryService) QueueSizeCalculation(ctx context.Context) (bool, *quay.Response, error) {
	resp, err := send(ctx, s.client, http.MethodPost, "superuser/registrysize/", nil, nil)
	if err != nil {
		return false, resp, err
	}
	return resp.StatusCode == http.StatusCreated, resp, nil
}

// Status returns whether the registry's setup is complete. Quay answers it without authentication.
//
// Quay operation: scRegistryStatus (GET /api/v1/superuser/registrystatus)
func (s *RegistryService) Status(ctx context.Context) (RegistryStatus, *quay.Response, error) {
	var st RegistryStatus
	resp, err := send(ctx, s.client, http.MethodGet, "superuser/registrystatus", nil, &st)
	return st, resp, err
}
