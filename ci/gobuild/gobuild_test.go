package gobuild

import (
	"reflect"
	"slices"
	"testing"
)

func TestVetAndTest(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"vet no flags", Vet(nil), []string{"go", "vet", "./..."}},
		{"vet flags", Vet([]string{"-x"}), []string{"go", "vet", "-x", "./..."}},
		{"test flags", Test([]string{"-race", "-count=1"}), []string{"go", "test", "-race", "-count=1", "./..."}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestLDFlags(t *testing.T) {
	stamp := Stamp{Version: "1.2.3", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-11-29T03:47:52Z"}
	tests := []struct {
		name    string
		stamp   Stamp
		extra   string
		want    string
		wantErr string
	}{
		{
			name:  "stamped",
			stamp: stamp,
			want:  "-s -w -X main.version=1.2.3 -X main.commit=0123456789abcdef0123456789abcdef01234567 -X main.date=2026-11-29T03:47:52Z",
		},
		{
			name:  "extra flags appended",
			stamp: stamp,
			extra: "  -linkmode internal ",
			want:  "-s -w -X main.version=1.2.3 -X main.commit=0123456789abcdef0123456789abcdef01234567 -X main.date=2026-11-29T03:47:52Z -linkmode internal",
		},
		{
			name:    "space in version",
			stamp:   Stamp{Version: "1 2", Commit: "c", Date: "d"},
			wantErr: `stamp main.version="1 2": want a non-empty value without spaces or quotes`,
		},
		{
			name:    "empty commit",
			stamp:   Stamp{Version: "1", Date: "d"},
			wantErr: `stamp main.commit="": want a non-empty value without spaces or quotes`,
		},
		{
			name:    "quote in date",
			stamp:   Stamp{Version: "1", Commit: "c", Date: `d"`},
			wantErr: `stamp main.date="d\"": want a non-empty value without spaces or quotes`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LDFlags(tt.stamp, tt.extra)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	stamp := Stamp{Version: "0.0.0-20261129034752-0123456789ab", Commit: "0123456789ab", Date: "2026-11-29T03:47:52Z"}
	got, err := Build(stamp, "", []string{"-v"}, "/out/echo-server")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"go", "build", "-trimpath",
		"-ldflags", "-s -w -X main.version=0.0.0-20261129034752-0123456789ab -X main.commit=0123456789ab -X main.date=2026-11-29T03:47:52Z",
		"-v", "-o", "/out/echo-server", ".",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	wantErr := `stamp main.version="": want a non-empty value without spaces or quotes`
	if _, err := Build(Stamp{}, "", nil, "x"); err == nil || err.Error() != wantErr {
		t.Errorf("empty stamp: error = %v, want %q", err, wantErr)
	}
}

func TestEnv(t *testing.T) {
	want := [][2]string{
		{"CGO_ENABLED", "0"},                     // a static binary
		{"GOTOOLCHAIN", "local"},                 // the image's toolchain, no download
		{"GOFLAGS", "-buildvcs=false -trimpath"}, // every command: one compile of each package for all
	}
	if got := Env(); !reflect.DeepEqual(got, want) {
		t.Errorf("Env = %q\nwant %q", got, want)
	}
}

// TestPrepare pins the compile ahead: every package of the module, its
// tests and dependencies (-deps -test), compiled for export data into the
// build cache (-export), never failing on the module's own errors (-e).
func TestPrepare(t *testing.T) {
	want := []string{"go", "list", "-e", "-deps", "-test", "-export", "-f", "{{.ImportPath}}", "./..."}
	if got := Prepare(); !slices.Equal(got, want) {
		t.Errorf("Prepare = %q\nwant %q", got, want)
	}
}

func TestFreshEnv(t *testing.T) {
	got := FreshEnv("n0nce")
	want := [][2]string{{"GOCACHE", "/tmp/go-build-fresh"}, {"ECHO_SERVER_REBUILD", "n0nce"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FreshEnv = %q, want %q", got, want)
	}
	// The fresh build must not inherit the cached one's settings.
	for _, kv := range Env() {
		for _, f := range got {
			if kv[0] == f[0] {
				t.Errorf("FreshEnv overrides %s of Env", f[0])
			}
		}
	}
}
