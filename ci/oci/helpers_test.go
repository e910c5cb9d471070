package oci

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// platformSpec is the platform of one test image.
type platformSpec struct{ os, arch, variant string }

func (p platformSpec) String() string {
	s := p.os + "/" + p.arch
	if p.variant != "" {
		s += "/" + p.variant
	}
	return s
}

var (
	amd64 = platformSpec{"linux", "amd64", ""}
	arm64 = platformSpec{"linux", "arm64", "v8"}
)

// rawImage is a test image made from a raw config and layers, so that the
// config can hold fields go-containerregistry does not model.
type rawImage struct {
	config      []byte
	layers      []v1.Layer
	annotations map[string]string
}

func (r *rawImage) RawConfigFile() ([]byte, error)      { return r.config, nil }
func (r *rawImage) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

func (r *rawImage) RawManifest() ([]byte, error) {
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, Annotations: r.annotations}
	m.Config.MediaType = types.OCIConfigJSON
	var err error
	if m.Config.Digest, m.Config.Size, err = v1.SHA256(bytes.NewReader(r.config)); err != nil {
		return nil, err
	}
	for _, l := range r.layers {
		d, err := partial.Descriptor(l)
		if err != nil {
			return nil, err
		}
		m.Layers = append(m.Layers, *d)
	}
	return json.Marshal(m)
}

func (r *rawImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	for _, l := range r.layers {
		if d, _ := l.Digest(); d == h {
			return l, nil
		}
	}
	return nil, fmt.Errorf("no layer %s", h)
}

// fixture holds the layers all test archives share: the same inputs except
// for the times, as two cold builds of one commit give.
type fixture struct {
	base  v1.Layer
	added map[platformSpec]v1.Layer
}

// newFixture makes random gzip layers, fixed as bytes.
func newFixture(t testing.TB) fixture {
	t.Helper()
	f := fixture{base: randomLayer(t), added: map[platformSpec]v1.Layer{}}
	for _, p := range []platformSpec{amd64, arm64} {
		f.added[p] = randomLayer(t)
	}
	return f
}

func randomLayer(t testing.TB) v1.Layer {
	t.Helper()
	l, err := random.Layer(512, types.OCILayer)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return static.NewLayer(b, types.OCILayer)
}

// configTemplate is an image config as the pipeline builds it: user,
// entrypoint, exposed port, labels, env, and a Docker healthcheck whose
// StartInterval go-containerregistry's v1.HealthConfig lacks. %[1]s is the
// time of the build, %[2]s the platform fields, %[3]s the diff IDs.
const configTemplate = `{
  "created": "%[1]s",
  %[2]s,
  "config": {
    "User": "65532:65532",
    "Entrypoint": ["/usr/local/bin/echo-server"],
    "ExposedPorts": {"8080/tcp": {}},
    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "Labels": {
      "org.opencontainers.image.created": "2026-11-29T02:47:52Z",
      "org.opencontainers.image.title": "echo-server",
      "org.opencontainers.image.description": "echoes <requests> & more"
    },
    "Healthcheck": {
      "Test": ["CMD", "/usr/local/bin/echo-server", "-healthcheck"],
      "Interval": 30000000000,
      "Timeout": 3000000000,
      "StartPeriod": 5000000000,
      "StartInterval": 1000000000,
      "Retries": 3
    },
    "WorkingDir": "/"
  },
  "rootfs": {"type": "layers", "diff_ids": [%[3]s]},
  "history": [
    {"created": "%[1]s", "created_by": "/bin/sh -c #(nop) ADD file:abc in / ", "comment": "buildkit.dockerfile.v0"},
    {"created": "%[1]s", "created_by": "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "empty_layer": true},
    {"created": "%[1]s", "created_by": "withDirectory /", "comment": "dagger"}
  ],
  "moby.buildkit.buildinfo.v1": {"frontend": "dagger", "weight": 2.50}
}`

// image returns the test image of platform p built at when.
func (f fixture) image(t testing.TB, p platformSpec, when time.Time) v1.Image {
	t.Helper()
	layers := []v1.Layer{f.base, f.added[p]}
	var diffIDs []string
	for _, l := range layers {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		diffIDs = append(diffIDs, `"`+d.String()+`"`)
	}
	plat := fmt.Sprintf(`"os": %q, "architecture": %q`, p.os, p.arch)
	if p.variant != "" {
		plat += fmt.Sprintf(`, "variant": %q`, p.variant)
	}
	config := fmt.Sprintf(configTemplate, when.Format(time.RFC3339Nano), plat, strings.Join(diffIDs, ", "))
	img, err := partial.CompressedToImage(&rawImage{
		config:      []byte(config),
		layers:      layers,
		annotations: map[string]string{createdAnnotation: when.Format(time.RFC3339), "org.opencontainers.image.title": "echo-server"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// multiLayout writes, as Dagger does for several platforms, a layout whose
// index.json lists one image index of the platform images.
func (f fixture) multiLayout(t testing.TB, when time.Time, platforms ...platformSpec) string {
	t.Helper()
	var adds []mutate.IndexAddendum
	for _, p := range platforms {
		adds = append(adds, mutate.IndexAddendum{
			Add: f.image(t, p, when),
			Descriptor: v1.Descriptor{
				Platform:    &v1.Platform{OS: p.os, Architecture: p.arch, Variant: p.variant},
				Annotations: map[string]string{createdAnnotation: when.Format(time.RFC3339), "vnd.example.platform": p.String()},
			},
		})
	}
	idx := mutate.Annotations(mutate.AppendManifests(empty.Index, adds...),
		map[string]string{createdAnnotation: when.Format(time.RFC3339), "vnd.example.index": "kept"}).(v1.ImageIndex)
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{
		createdAnnotation: when.Format(time.RFC3339), "vnd.example.root": "kept",
	})); err != nil {
		t.Fatal(err)
	}
	return dir
}

// singleLayout writes, as Dagger does for one platform, a layout whose
// index.json lists the image manifest, and a docker manifest.json.
func (f fixture) singleLayout(t testing.TB, when time.Time, p platformSpec) string {
	t.Helper()
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(f.image(t, p, when), layout.WithAnnotations(map[string]string{
		createdAnnotation: when.Format(time.RFC3339), "vnd.example.root": "kept",
	})); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "manifest.json"), `[{"Config":"blobs/sha256/x","RepoTags":null,"Layers":[]}]`)
	return dir
}

// tarDir returns the tar of dir as an OCI archive writer would: directory
// entries, names with prefix (e.g. "./"), a root entry when prefix is "./".
func tarDir(t testing.TB, dir, prefix string) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if prefix == "./" {
		if err := tw.WriteHeader(&tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := prefix + filepath.ToSlash(rel)
		if d.IsDir() {
			return tw.WriteHeader(&tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: time.Now()})
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o444, Size: int64(len(content)), ModTime: time.Now()}); err != nil {
			return err
		}
		_, err = tw.Write(content)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// entry is one tar entry for rawTar.
type entry struct {
	name     string
	typeflag byte
	body     string
	link     string
}

// rawTar returns a tar of the given entries.
func rawTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typeflag, Mode: 0o644, Size: int64(len(e.body)), Linkname: e.link}
		if e.typeflag != tar.TypeReg {
			hdr.Size = 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); e.typeflag == tar.TypeReg && err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// blob returns the tar entry of content under its digest, and the digest.
func blob(content string) (entry, string) {
	sum := sha256.Sum256([]byte(content))
	h := hex.EncodeToString(sum[:])
	return entry{name: "blobs/sha256/" + h, typeflag: tar.TypeReg, body: content}, "sha256:" + h
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readBlob returns the blob of digest h in the layout in dir.
func readBlob(t testing.TB, dir string, h v1.Hash) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "blobs", h.Algorithm, h.Hex))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonMap decodes a JSON object.
func jsonMap(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}

// craneLoad loads the layout in dir as crane v0.22.1 `push DIR REF` does
// without --index (cmd/crane/cmd/push.go loadImage) and returns the digest
// crane pushes.
func craneLoad(dir string) (v1.Hash, error) {
	l, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("loading %s as OCI layout: %w", dir, err)
	}
	m, err := l.IndexManifest()
	if err != nil {
		return v1.Hash{}, err
	}
	if len(m.Manifests) != 1 {
		return v1.Hash{}, fmt.Errorf("layout contains %d entries, consider --index", len(m.Manifests))
	}
	desc := m.Manifests[0]
	if desc.MediaType.IsImage() {
		img, err := l.Image(desc.Digest)
		if err != nil {
			return v1.Hash{}, err
		}
		return img.Digest()
	} else if desc.MediaType.IsIndex() {
		idx, err := l.ImageIndex(desc.Digest)
		if err != nil {
			return v1.Hash{}, err
		}
		return idx.Digest()
	}
	return v1.Hash{}, fmt.Errorf("layout contains non-image (mediaType: %q), consider --index", desc.MediaType)
}

// checkBlobs fails unless every blob in the layout in dir is named by the
// sha256 of its content.
func checkBlobs(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, "blobs", "sha256", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != e.Name() {
			t.Errorf("blob %s has digest %x", e.Name(), sum)
		}
	}
}

// checkReadable fails unless every file of the layout in dir is 0644 and
// every directory 0755: crane and syft read it as another user.
func checkReadable(t testing.TB, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", path, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
