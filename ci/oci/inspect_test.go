package oci

import (
	"archive/tar"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"

	"dagger/echo-server/checklist"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func TestInspect(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	dir, _ := assembled(t, ref)
	want := checklist.Image{
		User:        "8080:8080",
		Entrypoint:  []string{"/usr/local/bin/echo-server"},
		Healthcheck: &checklist.Healthcheck{Args: []string{"/usr/local/bin/echo-server", "healthcheck"}},
		Labels:      map[string]string{"base.only": "kept", "org.opencontainers.image.vendor": "echo-server maintainers", "org.opencontainers.image.version": "1.2.3"},
		Binary:      &checklist.File{Path: "/usr/local/bin/echo-server", UID: 0, GID: 0, Mode: 0o755},
	}
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		got, err := Inspect(dir, p, "/usr/local/bin/echo-server")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Inspect(%s) = %+v (binary %+v), %v\nwant %+v (binary %+v)", p, got, got.Binary, err, want, want.Binary)
		}
		if violations := checklist.Check(got, []string{"org.opencontainers.image.version"}); violations != nil {
			t.Errorf("%s: the release fails the checklist: %q", p, violations)
		}
	}
	// A file of the base is found through its layers; a missing one is nil.
	for _, tt := range []struct {
		path string
		want *checklist.File
	}{
		{"/bin/busybox", &checklist.File{Path: "/bin/busybox", Mode: 0o644}},
		{"bin/busybox", &checklist.File{Path: "bin/busybox", Mode: 0o644}},
		{"/bin/sh", nil},   // a symlink: not a regular file
		{"/etc/motd", nil}, // whited out
		{"/nowhere", nil},
	} {
		got, err := Inspect(dir, "linux/amd64", tt.path)
		if err != nil || !reflect.DeepEqual(got.Binary, tt.want) {
			t.Errorf("Inspect(%s).Binary = %+v, %v; want %+v", tt.path, got.Binary, err, tt.want)
		}
	}
	if _, err := Inspect(dir, "linux/s390x", "/x"); errText(err) != `platform "linux/s390x" is not in the release in `+dir+`, it has: linux/amd64, linux/arm64/v8` {
		t.Errorf("Inspect of a platform not there: %v", err)
	}
}

// TestInspectHealthcheckAndModes reads the healthcheck forms and the
// special mode bits from a release whose base sets them.
func TestInspectHealthcheckAndModes(t *testing.T) {
	l := gzLayer(t, types.OCILayer,
		tentry{name: "bin/su", typeflag: tar.TypeReg, mode: 0o4755}, tentry{name: "bin/sg", typeflag: tar.TypeReg, mode: 0o2750},
		tentry{name: "tmp/x", typeflag: tar.TypeReg, mode: 0o1777})
	d, err := l.DiffID()
	if err != nil {
		t.Fatal(err)
	}
	img, err := partial.CompressedToImage(&rawImage{manifestType: types.OCIManifestSchema1, configType: types.OCIConfigJSON,
		config: []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["` + d.String() + `"]}}`), layers: []v1.Layer{l}})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := img.Digest()
	base := Base{Image: img, Digest: h, Platform: amd64}
	for _, tt := range []struct {
		name string
		test []string
		want *checklist.Healthcheck
	}{
		{"exec form", []string{"CMD", "/probe", "-x"}, &checklist.Healthcheck{Args: []string{"/probe", "-x"}}},
		{"shell form", []string{"CMD-SHELL", "curl -f localhost"}, &checklist.Healthcheck{Args: []string{"curl -f localhost"}, Shell: true}},
		{"disabled", []string{"NONE"}, nil},
		{"inherited", nil, nil},
	} {
		cfg := testConfig()
		cfg.Healthcheck.Test = tt.test
		dir := filepath.Join(t.TempDir(), "r")
		if _, err := Assemble(dir, []PlatformImage{{Platform: "linux/amd64", Base: base, Files: addedFiles("bin")}}, cfg); err != nil {
			t.Fatal(err)
		}
		got, err := Inspect(dir, "linux/amd64", "/bin/su")
		if err != nil || !reflect.DeepEqual(got.Healthcheck, tt.want) {
			t.Errorf("%s: healthcheck %+v, %v; want %+v", tt.name, got.Healthcheck, err, tt.want)
		}
		for path, mode := range map[string]fs.FileMode{"/bin/su": 0o755 | fs.ModeSetuid, "/bin/sg": 0o750 | fs.ModeSetgid, "/tmp/x": 0o777 | fs.ModeSticky} {
			got, err := Inspect(dir, "linux/amd64", path)
			if err != nil || got.Binary == nil || got.Binary.Mode != mode {
				t.Errorf("%s: %s: %+v, %v; want mode %v", tt.name, path, got.Binary, err, mode)
			}
		}
	}
}
