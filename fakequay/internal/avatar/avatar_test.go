package avatar

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		inName, email    string
		kind             string
		wantHash, wantCo string
	}{
		// §1.9 example.
		{"reference alice", "alice", "alice@example.com", KindUser,
			"ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "#a55194"},
		// §2.4 example (performer avatar).
		{"reference admin", "admin", "admin@example.com", KindUser,
			"258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f", "#98df8a"},
		// §2.5 example (org avatar).
		{"reference buynlarge org", "buynlarge", "buynlarge@example.com", KindOrg,
			"66da75c6cfc9424388183b1baf1dba2fec09ebc1c86cd15fb14cd8855ed3833b", "#d62728"},
		// The remaining expectations were computed with CPython 3.11 running
		// the same expression as BaseAvatar.get_data.
		{"empty email falls back to name", "admin", "", KindUser,
			"8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918", "#e377c2"},
		{"team hashes its own name", "owners", "owners", KindTeam,
			"6f0e3a8c0eb46e8834b43b03374ece43a030621d92a7437beb48f871e90f8d90", "#c7c7c7"},
		{"strip and lower", "alice", " Alice@Example.COM\n", KindUser,
			"ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "#a55194"},
		{"unicode strip and dotted capital I", "x", "\u3000İSTANBUL@example.com\u00a0", KindUser,
			"21b3d4ad954ffe193659bcdcff92053ab646244b3898969a09265d00b2af7ba4", "#aec7e8"},
		{"final sigma", "x", "ΟΔΟΣ@x.gr", KindUser,
			"e05b3807d39b5dce8afc7b806033602694c55c121af1c5a6eb4094bd641e1469", "#969696"},
		{"longer than the stack buffer", "x", strings.Repeat("a", 300), KindRobot,
			"9835fa6bf4e20a9b9ea812506302e98982721a6cf8d2cae67af57129bf21ae90", "#9ecae1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := Avatar{Name: tt.inName, Hash: tt.wantHash, Color: tt.wantCo, Kind: tt.kind}
			if diff := cmp.Diff(want, Compute(tt.inName, tt.email, tt.kind)); diff != "" {
				t.Errorf("Compute(%q, %q, %q) (-want +got):\n%s", tt.inName, tt.email, tt.kind, diff)
			}
		})
	}
}

// Every palette entry is reachable and picked by the first hash byte mod 32.
func TestCompute_ColorIsFirstByteModPaletteSize(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := range 2000 {
		name := fmt.Sprintf("user%d", i)
		got := Compute(name, "", KindUser)
		sum := sha256.Sum256([]byte(name))
		want := Avatar{Name: name, Hash: hex.EncodeToString(sum[:]), Color: Colors[sum[0]%32], Kind: KindUser}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Compute(%q) (-want +got):\n%s", name, diff)
		}
		seen[got.Color] = true
	}
	if diff := cmp.Diff(len(Colors), len(seen)); diff != "" {
		t.Errorf("distinct colours reached (-want +got):\n%s", diff)
	}
}

func TestAvatar_JSONKeyOrder(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Compute("alice", "alice@example.com", KindUser))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"alice","hash":"ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976","color":"#a55194","kind":"user"}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

// Not parallel: AllocsPerRun counts every allocation in the process. A
// source seen recently costs nothing; a new one its hash string and its
// cache entry.
func TestCompute_Allocations(t *testing.T) {
	fresh := make([]string, 201)
	for i := range fresh {
		fresh[i] = "user" + strconv.Itoa(i) + "@Example.COM"
	}
	next := 0
	got := map[string]float64{
		"repeated": testing.AllocsPerRun(200, func() { _ = Compute("alice", "Alice.Smith@Example.COM", KindUser) }),
		"new":      testing.AllocsPerRun(200, func() { _ = Compute("u", fresh[next], KindUser); next++ }),
	}
	if diff := cmp.Diff(map[string]float64{"repeated": 0, "new": 2}, got); diff != "" {
		t.Errorf("allocations per Compute (-want +got):\n%s", diff)
	}
}

// Concurrent callers, with far more sources than cache slots, all get the
// avatar of their own source.
func TestCompute_CacheUnderContention(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 3 * len(recent) {
				source := strconv.Itoa((i*7 + w) % (2 * len(recent)))
				if got, want := Compute("n", source, KindOrg), (Avatar{Name: "n", Hash: hashOf(source).hash,
					Color: hashOf(source).color, Kind: KindOrg}); got != want {
					t.Errorf("Compute(%q) = %+v, want %+v", source, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

var sink Avatar

func BenchmarkCompute(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Compute("alice", "Alice.Smith@Example.COM", KindUser)
	}
}

// BenchmarkComputeNaiveBaseline is the straightforward version (strings
// package, hex.EncodeToString) that BenchmarkCompute is measured against.
func BenchmarkComputeNaiveBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace("Alice.Smith@Example.COM"))))
		h := hex.EncodeToString(sum[:])
		sink = Avatar{Name: "alice", Hash: h, Color: Colors[sum[0]%32], Kind: KindUser}
	}
}
