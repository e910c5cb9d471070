package oci

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

func TestExtractPlatform(t *testing.T) {
	dir, rel := release(t)
	idx, err := v1.ParseIndexManifest(bytes.NewReader(readBlob(t, dir, readIndexJSON(t, dir).Manifests[0].Digest)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		platform string
		index    int    // of the image in the release
		config   string // the platform of its config
	}{
		{"linux/amd64", 0, "linux/amd64"},
		{"linux/arm64", 1, "linux/arm64/v8"},    // no variant asked for: any
		{"linux/arm64/v8", 1, "linux/arm64/v8"}, // the variant the image has
	} {
		t.Run(tt.platform, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "image")
			got, err := ExtractPlatform(dir, tt.platform, out)
			if err != nil {
				t.Fatal(err)
			}
			if want := (Image{Platform: tt.platform, Digest: rel.Images[tt.index].Digest}); got != want {
				t.Errorf("ExtractPlatform = %+v, want %+v", got, want)
			}
			checkBlobs(t, out)
			checkReadable(t, out)
			root := readIndexJSON(t, out)
			if len(root.Manifests) != 1 || !reflect.DeepEqual(root.Manifests[0], idx.Manifests[tt.index]) {
				t.Fatalf("index.json lists %+v, want only %+v", root.Manifests, idx.Manifests[tt.index])
			}
			if p := root.Manifests[0].Platform; p == nil || p.String() != tt.config {
				t.Errorf("descriptor platform = %v, want %s", p, tt.config)
			}
			// A reader of one image (syft oci-dir:) finds the image and all its blobs.
			lp, err := layout.FromPath(out)
			if err != nil {
				t.Fatal(err)
			}
			img, err := lp.Image(v1.Hash{})
			if err != nil {
				t.Fatal(err)
			}
			if h, err := img.Digest(); err != nil || h.String() != got.Digest {
				t.Errorf("image digest = %v, %v; want %s", h, err, got.Digest)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cf.Platform().String() != tt.config || cf.Created.UTC().Format("2006-01-02T15:04:05Z07:00") != stamp {
				t.Errorf("config platform %s, created %s; want %s, %s", cf.Platform(), cf.Created, tt.config, stamp)
			}
			layers, err := img.Layers()
			if err != nil {
				t.Fatal(err)
			}
			blobs, err := os.ReadDir(filepath.Join(out, "blobs", "sha256"))
			if err != nil {
				t.Fatal(err)
			}
			if len(layers) != 3 || len(blobs) != 5 { // two base layers and one added, config, manifest
				t.Errorf("image has %d layers, layout %d blobs; want 3 and 5", len(layers), len(blobs))
			}
			for _, l := range layers {
				h, err := l.Digest()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(readBlob(t, out, h), readBlob(t, dir, h)) {
					t.Errorf("layer %s differs from the release", h)
				}
			}
		})
	}
}

func TestExtractPlatformRejects(t *testing.T) {
	_, ref := publishBase(t, "application/vnd.oci.image.manifest.v1+json")
	dir, _ := assembled(t, ref)
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	mkdir(t, filepath.Join(full, "x"))
	notRelease := cranePull(t, ref, amd64)
	twoEntries := copyDir(t, dir)
	root := readIndexJSON(t, dir).Manifests[0]
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "{\n         \"mediaType\"")
	j := strings.LastIndex(s, "}\n   ]")
	writeFile(t, filepath.Join(twoEntries, "index.json"), s[:j+1]+",\n"+s[i:])
	brokenIndex := copyDir(t, dir)
	writeFile(t, filepath.Join(brokenIndex, "index.json"), "{")
	missingIndex := copyDir(t, dir)
	remove(t, filepath.Join(missingIndex, "blobs", "sha256", root.Digest.Hex))
	badIndex := copyDir(t, dir)
	remove(t, filepath.Join(badIndex, "blobs", "sha256", root.Digest.Hex))
	writeFile(t, filepath.Join(badIndex, "blobs", "sha256", root.Digest.Hex), "[")

	tests := []struct {
		name, dir, platform, out, wantErr string
	}{
		{
			name: "unknown platform", dir: dir, platform: "linux/s390x", out: filepath.Join(tmp, "a"),
			wantErr: `platform "linux/s390x" is not in the release in ` + dir + `, it has: linux/amd64, linux/arm64/v8`,
		},
		{
			name: "other variant", dir: dir, platform: "linux/arm64/v9", out: filepath.Join(tmp, "b"),
			wantErr: `platform "linux/arm64/v9" is not in the release in ` + dir + `, it has: linux/amd64, linux/arm64/v8`,
		},
		{
			name: "no architecture", dir: dir, platform: "linux", out: filepath.Join(tmp, "i"),
			wantErr: `platform "linux": want os/arch[/variant], e.g. linux/arm64`,
		},
		{
			name: "too many parts", dir: dir, platform: "linux/arm64/v8/x", out: filepath.Join(tmp, "j"),
			wantErr: `platform "linux/arm64/v8/x": want os/arch[/variant], e.g. linux/arm64`,
		},
		{
			name: "output not empty", dir: dir, platform: "linux/amd64", out: full,
			wantErr: "output directory " + full + " is not empty (holds x), want a new or empty directory",
		},
		{
			name: "not a release", dir: notRelease, platform: "linux/amd64", out: filepath.Join(tmp, "c"),
			wantErr: "release layout " + notRelease + ": index.json must list exactly one image index, as Assemble writes",
		},
		{
			name: "two entries", dir: twoEntries, platform: "linux/amd64", out: filepath.Join(tmp, "d"),
			wantErr: "release layout " + twoEntries + ": index.json must list exactly one image index, as Assemble writes",
		},
		{
			name: "index.json not JSON", dir: brokenIndex, platform: "linux/amd64", out: filepath.Join(tmp, "e"),
			wantErr: "release layout " + brokenIndex + ": index.json: unexpected end of JSON input",
		},
		{
			name: "no layout", dir: filepath.Join(tmp, "none"), platform: "linux/amd64", out: filepath.Join(tmp, "f"),
			wantErr: "release layout " + filepath.Join(tmp, "none") + ": stat " + filepath.Join(tmp, "none", "index.json") + ": no such file or directory",
		},
		{
			name: "release index missing", dir: missingIndex, platform: "linux/amd64", out: filepath.Join(tmp, "g"),
			wantErr: "release layout " + missingIndex + ": lstat " + filepath.Join(missingIndex, "blobs", "sha256", root.Digest.Hex) + ": no such file or directory",
		},
		{
			name: "release index not JSON", dir: badIndex, platform: "linux/amd64", out: filepath.Join(tmp, "h"),
			wantErr: "release index in " + badIndex + ": unexpected end of JSON input",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExtractPlatform(tt.dir, tt.platform, tt.out)
			if errText(err) != tt.wantErr || got != (Image{}) {
				t.Errorf("ExtractPlatform = %+v, %q\nwant error %q", got, errText(err), tt.wantErr)
			}
		})
	}
}
