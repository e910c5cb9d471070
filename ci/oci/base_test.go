package oci

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func TestReadBase(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	idx := remoteIndex(t, ref)
	for i, tt := range []struct {
		asked, want v1.Platform
	}{
		{amd64, amd64},
		{v1.Platform{OS: "linux", Architecture: "arm64"}, arm64},
		{arm64, arm64},
	} {
		b := readBase(t, ref, tt.asked)
		wantDigest := idx.Manifests[min(i, 1)].Digest
		if b.Digest != wantDigest || !b.Platform.Equals(tt.want) {
			t.Errorf("%s: base %s of platform %s, want %s of %s", tt.asked, b.Digest, b.Platform, wantDigest, tt.want)
		}
		if h, err := b.Image.Digest(); err != nil || h != b.Digest {
			t.Errorf("%s: image digest %s, %v; want %s", tt.asked, h, err, b.Digest)
		}
	}
}

func TestReadBaseRejects(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	good := cranePull(t, ref, amd64)
	b, err := ReadBase(good)
	if err != nil {
		t.Fatal(err)
	}
	m, err := b.Image.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	layer, config := m.Layers[1].Digest, m.Config.Digest

	tamperedLayer := copyDir(t, good)
	writeFile(t, filepath.Join(tamperedLayer, "blobs", "sha256", layer.Hex), "not the registry's blob")
	missingLayer := copyDir(t, good)
	remove(t, filepath.Join(missingLayer, "blobs", "sha256", layer.Hex))
	tamperedConfig := copyDir(t, good)
	writeFile(t, filepath.Join(tamperedConfig, "blobs", "sha256", config.Hex), `{"architecture":"amd64","os":"linux"}`)
	tamperedManifest := copyDir(t, good)
	raw, err := os.ReadFile(filepath.Join(good, "blobs", "sha256", b.Digest.Hex))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tamperedManifest, "blobs", "sha256", b.Digest.Hex), string(raw)+" ")
	whole := filepath.Join(t.TempDir(), "index") // crane pull without --platform: the index
	copyIndexLayout(t, ref, whole)
	none := filepath.Join(t.TempDir(), "none")

	tests := []struct {
		name, dir, wantErr string
	}{
		{"a layer not the registry's", tamperedLayer, "base image layout " + tamperedLayer + ": layer blob " + layer.String() + " holds content of digest sha256:" + sha256Hex("not the registry's blob")},
		{"a layer missing", missingLayer, "base image layout " + missingLayer + ": layer " + layer.String() + ": open " + filepath.Join(missingLayer, "blobs", "sha256", layer.Hex) + ": no such file or directory"},
		{"config not the registry's", tamperedConfig, "base image layout " + tamperedConfig + ": config blob " + config.String() + " holds content of digest sha256:" + sha256Hex(`{"architecture":"amd64","os":"linux"}`)},
		{"manifest not the registry's", tamperedManifest, "base image layout " + tamperedManifest + ": manifest blob " + b.Digest.String() + " holds content of digest sha256:" + sha256Hex(string(raw)+" ")},
		{"an index, not an image", whole, "base image layout " + whole + ": index.json must list exactly one image manifest, as crane pull --format=oci --platform writes"},
		{"no layout", none, "base image layout " + none + ": stat " + filepath.Join(none, "index.json") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadBase(tt.dir)
			if errText(err) != tt.wantErr || got.Image != nil {
				t.Errorf("ReadBase = %+v, %q\nwant error %q", got, errText(err), tt.wantErr)
			}
		})
	}
}

// TestReadBaseNeedsAPlatform: a base whose config names no os or
// architecture cannot be matched to a platform.
func TestReadBaseNeedsAPlatform(t *testing.T) {
	for _, config := range []string{
		`{"architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]}}`,
		`{"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`,
	} {
		img, err := partial.CompressedToImage(&rawImage{manifestType: types.OCIManifestSchema1, configType: types.OCIConfigJSON, config: []byte(config)})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "base")
		lp, err := layout.Write(dir, empty.Index)
		if err != nil {
			t.Fatal(err)
		}
		if err := lp.AppendImage(img); err != nil {
			t.Fatal(err)
		}
		_, err = ReadBase(dir)
		if want := "base image layout " + dir + ": its config names no os and architecture"; errText(err) != want {
			t.Errorf("%s: error %q, want %q", config, errText(err), want)
		}
	}
}

// copyIndexLayout writes what `crane pull --format=oci REF DIR` writes for
// an index without --platform: the whole index.
func copyIndexLayout(t *testing.T, ref, dir string) {
	t.Helper()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(fetchIndex(t, ref)); err != nil {
		t.Fatal(err)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestBaseReadFile reads the base's filesystem as its layers leave it: an
// upper layer's file replaces a lower one's, a whiteout removes one.
func TestBaseReadFile(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	b := readBase(t, ref, amd64)
	for _, tt := range []struct{ path, want, wantErr string }{
		{"/etc/passwd", basePasswd, ""},
		{"etc/passwd", basePasswd, ""},
		{"/etc/group", baseGroup, ""}, // the upper layer's
		{"/etc/motd", "", "read /etc/motd of the base image " + b.Digest.String() + ": no such file"},
		{"/etc/shadow", "", "read /etc/shadow of the base image " + b.Digest.String() + ": no such file"},
		{"/bin/sh", "", "read /bin/sh of the base image " + b.Digest.String() + `: not a regular file (tar type '2')`},
		{"/etc", "", "read /etc of the base image " + b.Digest.String() + `: not a regular file (tar type '5')`},
	} {
		got, err := b.ReadFile(tt.path)
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("ReadFile(%s) = %q, %q; want %q, %q", tt.path, got, errText(err), tt.want, tt.wantErr)
		}
	}
}
