package oci

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

var (
	// built and rebuilt are the engine's snapshot times of two cold builds.
	built   = time.Date(2026, 11, 30, 10, 11, 12, 123456789, time.UTC)
	rebuilt = time.Date(2026, 12, 1, 1, 2, 3, 987654321, time.FixedZone("CET", 3600))
	// commit is the commit time given to Normalise, in a zone that is not UTC.
	commit = time.Date(2026, 11, 29, 3, 47, 52, 0, time.FixedZone("CET", 3600))
)

// stamp is commit as Normalise writes it.
const stamp = "2026-11-29T02:47:52Z"

func TestNormalise(t *testing.T) {
	f := newFixture(t)
	configType := string(types.OCIConfigJSON)
	tests := []struct {
		name      string
		src       string // source layout
		prefix    string // of the archive entries
		platforms []platformSpec
		rootAnns  map[string]string // of the index.json entry
		indexAnns map[string]string // of the release index
		descAnns  func(p platformSpec) map[string]string
	}{
		{
			name:      "multi-platform",
			src:       f.multiLayout(t, built, amd64, arm64),
			platforms: []platformSpec{amd64, arm64},
			rootAnns:  map[string]string{createdAnnotation: stamp, "vnd.example.root": "kept"},
			indexAnns: map[string]string{createdAnnotation: stamp, "vnd.example.index": "kept"},
			descAnns: func(p platformSpec) map[string]string {
				return map[string]string{createdAnnotation: stamp, "vnd.example.platform": p.String()}
			},
		},
		{
			name:      "multi-platform, ./ entries, other order",
			src:       f.multiLayout(t, built, arm64, amd64),
			prefix:    "./",
			platforms: []platformSpec{arm64, amd64},
			rootAnns:  map[string]string{createdAnnotation: stamp, "vnd.example.root": "kept"},
			indexAnns: map[string]string{createdAnnotation: stamp, "vnd.example.index": "kept"},
			descAnns: func(p platformSpec) map[string]string {
				return map[string]string{createdAnnotation: stamp, "vnd.example.platform": p.String()}
			},
		},
		{
			name:      "one platform in an index",
			src:       f.multiLayout(t, built, amd64),
			platforms: []platformSpec{amd64},
			rootAnns:  map[string]string{createdAnnotation: stamp, "vnd.example.root": "kept"},
			indexAnns: map[string]string{createdAnnotation: stamp, "vnd.example.index": "kept"},
			descAnns: func(p platformSpec) map[string]string {
				return map[string]string{createdAnnotation: stamp, "vnd.example.platform": p.String()}
			},
		},
		{
			name:      "single-platform arm64/v8",
			src:       f.singleLayout(t, built, arm64),
			platforms: []platformSpec{arm64},
			descAnns: func(platformSpec) map[string]string {
				return map[string]string{createdAnnotation: stamp, "vnd.example.root": "kept"}
			},
		},
		{
			name:      "single-platform amd64",
			src:       f.singleLayout(t, built, amd64),
			prefix:    "./",
			platforms: []platformSpec{amd64},
			descAnns: func(platformSpec) map[string]string {
				return map[string]string{createdAnnotation: stamp, "vnd.example.root": "kept"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "release")
			rel, err := Normalise(bytes.NewReader(tarDir(t, tt.src, tt.prefix)), out, commit)
			if err != nil {
				t.Fatal(err)
			}
			checkBlobs(t, out)

			// crane pushes the one entry of index.json: the release index.
			pushed, err := craneLoad(out)
			if err != nil {
				t.Fatal(err)
			}
			if pushed.String() != rel.Digest {
				t.Errorf("crane pushes %s, Release.Digest is %s", pushed, rel.Digest)
			}
			root := readIndexJSON(t, out)
			if len(root.Manifests) != 1 {
				t.Fatalf("index.json lists %d entries, want 1", len(root.Manifests))
			}
			if got := root.Manifests[0]; got.MediaType != types.OCIImageIndex || got.Digest.String() != rel.Digest ||
				!reflect.DeepEqual(got.Annotations, tt.rootAnns) || got.Platform != nil || got.ArtifactType != "" {
				t.Errorf("index.json entry = %+v, want the release index %s with annotations %v", got, rel.Digest, tt.rootAnns)
			}

			idx := parseIndex(t, readBlob(t, out, root.Manifests[0].Digest))
			if idx.MediaType != types.OCIImageIndex || idx.SchemaVersion != 2 || !reflect.DeepEqual(idx.Annotations, tt.indexAnns) {
				t.Errorf("release index = %+v, want an OCI image index with annotations %v", idx, tt.indexAnns)
			}
			if len(idx.Manifests) != len(tt.platforms) || len(rel.Images) != len(tt.platforms) {
				t.Fatalf("release index lists %d images, Release %d, want %d", len(idx.Manifests), len(rel.Images), len(tt.platforms))
			}
			for i, p := range tt.platforms {
				desc := idx.Manifests[i]
				want := Image{Platform: p.String(), Digest: desc.Digest.String()}
				if rel.Images[i] != want {
					t.Errorf("Release.Images[%d] = %+v, want %+v", i, rel.Images[i], want)
				}
				wantPlatform := v1.Platform{OS: p.os, Architecture: p.arch, Variant: p.variant}
				if desc.Platform == nil || !reflect.DeepEqual(*desc.Platform, wantPlatform) {
					t.Errorf("image %d platform = %v, want %v", i, desc.Platform, wantPlatform)
				}
				if desc.MediaType != types.OCIManifestSchema1 || desc.ArtifactType != configType ||
					!reflect.DeepEqual(desc.Annotations, tt.descAnns(p)) || desc.Data != nil || desc.URLs != nil {
					t.Errorf("image %d descriptor = %+v, want media type, artifact type and annotations %v of the source", i, desc, tt.descAnns(p))
				}
				checkImage(t, tt.src, out, p, desc)
			}
		})
	}
}

// checkImage compares the image of platform p in the release in out, listed
// by desc, with the source image in the layout src.
func checkImage(t *testing.T, src, out string, p platformSpec, desc v1.Descriptor) {
	t.Helper()
	srcImg := testSourceImage(t, src, p)
	srcManifest, err := srcImg.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	srcConfig, err := srcImg.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if desc.Size != int64(len(readBlob(t, out, desc.Digest))) {
		t.Errorf("descriptor size %d is not that of the manifest", desc.Size)
	}
	m := parseManifest(t, readBlob(t, out, desc.Digest))
	config := readBlob(t, out, m.Config.Digest)

	// Layers: the very same descriptors and blobs.
	if !reflect.DeepEqual(m.Layers, srcManifest.Layers) {
		t.Errorf("layers = %+v, want %+v", m.Layers, srcManifest.Layers)
	}
	for _, l := range m.Layers {
		if !bytes.Equal(readBlob(t, out, l.Digest), readBlob(t, src, l.Digest)) {
			t.Errorf("layer %s differs from the source", l.Digest)
		}
	}
	// Manifest: new config descriptor, annotations stamped, rest kept.
	wantManifest := *srcManifest
	wantManifest.Config.Digest, wantManifest.Config.Size, _ = v1.SHA256(bytes.NewReader(config))
	wantManifest.Annotations = map[string]string{createdAnnotation: stamp, "org.opencontainers.image.title": "echo-server"}
	if !reflect.DeepEqual(*m, wantManifest) {
		t.Errorf("manifest = %+v\nwant %+v", *m, wantManifest)
	}
	if m.Config.Digest == srcManifest.Config.Digest {
		t.Errorf("config digest %s was not recomputed", m.Config.Digest)
	}

	// Config: created and history times changed, every other value kept.
	got, want := jsonMap(t, config), jsonMap(t, srcConfig)
	if got["created"] != stamp {
		t.Errorf("created = %v, want %s", got["created"], stamp)
	}
	gotHistory, wantHistory := got["history"].([]any), want["history"].([]any)
	if len(gotHistory) != 3 || len(wantHistory) != 3 {
		t.Fatalf("history has %d entries, want 3", len(gotHistory))
	}
	for i := range gotHistory {
		g, w := gotHistory[i].(map[string]any), wantHistory[i].(map[string]any)
		if g["created"] != stamp {
			t.Errorf("history[%d].created = %v, want %s", i, g["created"], stamp)
		}
		delete(g, "created")
		delete(w, "created")
		if !reflect.DeepEqual(g, w) {
			t.Errorf("history[%d] = %v, want %v", i, g, w)
		}
	}
	for _, m := range []map[string]any{got, want} {
		delete(m, "created")
		delete(m, "history")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("config without created/history = %v\nwant %v", got, want)
	}
	for _, s := range []string{`"StartInterval":1000000000`, `"echoes <requests> & more"`, `"weight":2.50`} {
		if !strings.Contains(string(config), s) {
			t.Errorf("config does not hold %s as in the source: %s", s, config)
		}
	}
}

// testSourceImage returns the image of platform p in the source layout dir.
func testSourceImage(t *testing.T, dir string, p platformSpec) v1.Image {
	t.Helper()
	lp, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	root := readIndexJSON(t, dir).Manifests[0]
	if root.MediaType.IsImage() {
		img, err := lp.Image(root.Digest)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	ii, err := lp.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := ii.ImageIndex(root.Digest)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		if d.Platform.String() == p.String() {
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("no source image for %s", p)
	return nil
}

func readIndexJSON(t testing.TB, dir string) *v1.IndexManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	return parseIndex(t, b)
}

func parseIndex(t testing.TB, b []byte) *v1.IndexManifest {
	t.Helper()
	m, err := v1.ParseIndexManifest(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func parseManifest(t testing.TB, b []byte) *v1.Manifest {
	t.Helper()
	m, err := v1.ParseManifest(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNormaliseReproducible: two builds that differ only in their times give
// the same release digest and the same archive bytes.
func TestNormaliseReproducible(t *testing.T) {
	f := newFixture(t)
	release := func(archive []byte, created time.Time) (Release, []byte) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "release")
		rel, err := Normalise(bytes.NewReader(archive), out, created)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteArchive(out, &b); err != nil {
			t.Fatal(err)
		}
		return rel, b.Bytes()
	}
	first, firstTar := release(tarDir(t, f.multiLayout(t, built, amd64, arm64), ""), commit)
	second, secondTar := release(tarDir(t, f.multiLayout(t, rebuilt, amd64, arm64), "./"), commit.UTC())
	if !reflect.DeepEqual(first, second) {
		t.Errorf("rebuild gives %+v, want %+v", second, first)
	}
	if !bytes.Equal(firstTar, secondTar) {
		t.Error("rebuild gives other archive bytes")
	}
	if len(first.Images) != 2 || first.Images[0].Digest == first.Images[1].Digest {
		t.Errorf("release images = %+v, want two different images", first.Images)
	}

	// Normalising a release again changes nothing.
	again, againTar := release(firstTar, commit)
	if !reflect.DeepEqual(again, first) || !bytes.Equal(againTar, firstTar) {
		t.Errorf("normalising the release again gives %+v, want %+v", again, first)
	}

	// Another commit time is another release.
	other, _ := release(tarDir(t, f.multiLayout(t, built, amd64, arm64), ""), commit.Add(time.Second))
	for i := range other.Images {
		if other.Images[i].Digest == first.Images[i].Digest {
			t.Errorf("image %d digest %s did not change with the commit time", i, other.Images[i].Digest)
		}
	}
	if other.Digest == first.Digest {
		t.Errorf("release digest %s did not change with the commit time", other.Digest)
	}

	// Without the times of the source, the single-platform release of the
	// same image is the same image.
	single, _ := release(tarDir(t, f.singleLayout(t, rebuilt, arm64), ""), commit)
	if single.Images[0].Digest != first.Images[1].Digest {
		t.Errorf("single-platform arm64 image %s, in the multi-platform release %s", single.Images[0].Digest, first.Images[1].Digest)
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		in      time.Time
		want    string
		wantErr string
	}{
		{in: commit, want: stamp},
		{in: time.Date(2026, 11, 29, 2, 47, 52, 500000000, time.UTC), want: "2026-11-29T02:47:52.5Z"},
		{in: time.Unix(0, 0), want: "1970-01-01T00:00:00Z"},
		{in: time.Time{}, want: "0001-01-01T00:00:00Z"},
		{in: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), want: "9999-12-31T23:59:59Z"},
		{in: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), wantErr: "created time 10000-01-01 00:00:00 +0000 UTC: Time.MarshalText: year outside of range [0,9999]"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			got, err := timestamp(tt.in)
			if errText(err) != tt.wantErr || got != tt.want {
				t.Errorf("timestamp(%v) = %q, %q; want %q, %q", tt.in, got, errText(err), tt.want, tt.wantErr)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestStampConfig(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{
			name: "keys sorted, values as they were",
			in:   `{"b": 1, "created": "2026-11-30T10:11:12.123Z", "a": {"y": "<&>", "x": [1, 2.50, 1e3]}, "z": null}`,
			want: `{"a":{"y":"<&>","x":[1,2.50,1e3]},"b":1,"created":"` + stamp + `","z":null}`,
		},
		{
			name: "created added",
			in:   `{"os":"linux"}`,
			want: `{"created":"` + stamp + `","os":"linux"}`,
		},
		{
			name: "every history entry stamped",
			in:   `{"history":[{"created":"x","created_by":"a"},{"empty_layer":true},{}]}`,
			want: `{"created":"` + stamp + `","history":[{"created":"` + stamp + `","created_by":"a"},{"created":"` + stamp + `","empty_layer":true},{"created":"` + stamp + `"}]}`,
		},
		{
			name: "null history kept",
			in:   `{"history":null}`,
			want: `{"created":"` + stamp + `","history":null}`,
		},
		{
			name: "empty history kept",
			in:   `{"history":[]}`,
			want: `{"created":"` + stamp + `","history":[]}`,
		},
		{name: "array", in: `[]`, wantErr: "config is not a JSON object"},
		{name: "null", in: `null`, wantErr: "config is not a JSON object"},
		{name: "not JSON", in: `{"a":`, wantErr: "config is not a JSON object"},
		{name: "history object", in: `{"history":{}}`, wantErr: "config history is not a list of objects"},
		{name: "history of strings", in: `{"history":["a"]}`, wantErr: "config history is not a list of objects"},
		{name: "history entry null", in: `{"history":[{},null]}`, wantErr: "config history entry 1 is not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stampConfig([]byte(tt.in), stamp)
			if string(got) != tt.want || errText(err) != tt.wantErr {
				t.Errorf("stampConfig(%s) = %s, %q; want %s, %q", tt.in, got, errText(err), tt.want, tt.wantErr)
			}
		})
	}
}

func TestStampAnnotations(t *testing.T) {
	in := map[string]string{createdAnnotation: "2026-11-30T10:11:12Z", "a": "b"}
	got := stampAnnotations(in, stamp)
	if want := map[string]string{createdAnnotation: stamp, "a": "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stampAnnotations = %v, want %v", got, want)
	}
	if in[createdAnnotation] != "2026-11-30T10:11:12Z" {
		t.Errorf("stampAnnotations changed its input: %v", in)
	}
	without := map[string]string{"a": "b"}
	if got := stampAnnotations(without, stamp); !reflect.DeepEqual(got, without) {
		t.Errorf("stampAnnotations without created = %v, want %v", got, without)
	}
	if got := stampAnnotations(nil, stamp); got != nil {
		t.Errorf("stampAnnotations(nil) = %v, want nil", got)
	}
}

// entryFile is a tar entry of a regular file.
func entryFile(name, body string) entry { return entry{name: name, typeflag: tar.TypeReg, body: body} }
