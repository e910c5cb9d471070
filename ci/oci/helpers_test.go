package oci

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The commit time of the tests' releases, and its JSON form.
var (
	commit = time.Date(2026, 11, 30, 12, 34, 56, 0, time.UTC)
	stamp  = "2026-11-30T12:34:56Z"
)

// tentry is one entry of a test tar.
type tentry struct {
	name     string
	typeflag byte
	mode     int64
	body     string
	link     string
}

func file(name, body string) tentry {
	return tentry{name: name, typeflag: tar.TypeReg, mode: 0o644, body: body}
}
func dir(name string) tentry { return tentry{name: name, typeflag: tar.TypeDir, mode: 0o755} }

// tarOf returns a tar of entries, in order.
func tarOf(t testing.TB, entries ...tentry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typeflag, Mode: e.mode, Linkname: e.link, ModTime: time.Unix(1700000000, 0)}
		if e.typeflag == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gzLayer returns a gzip layer of entries with media type mt. The gzip
// stream is made here, once, and served as is, as a registry serves a blob.
func gzLayer(t testing.TB, mt types.MediaType, entries ...tentry) v1.Layer {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(tarOf(t, entries...)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gz := b.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz)), nil }, tarball.WithMediaType(mt))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// rawImage is a test image made from a raw config and layers, so that the
// config can hold fields go-containerregistry does not model.
type rawImage struct {
	manifestType, configType types.MediaType
	config                   []byte
	layers                   []v1.Layer
	annotations              map[string]string
}

func (r *rawImage) RawConfigFile() ([]byte, error)      { return r.config, nil }
func (r *rawImage) MediaType() (types.MediaType, error) { return r.manifestType, nil }

func (r *rawImage) RawManifest() ([]byte, error) {
	m := v1.Manifest{SchemaVersion: 2, MediaType: r.manifestType, Annotations: r.annotations}
	m.Config.MediaType = r.configType
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

// baseConfig is the raw config of a test base image of platform p whose
// layers have diffIDs: alpine's fields, plus values the assembly must keep
// (a label, a port, a stop signal, a field no Go type models) or drop (Cmd).
func baseConfig(p v1.Platform, diffIDs []v1.Hash) string {
	ids := make([]string, len(diffIDs))
	for i, h := range diffIDs {
		ids[i] = `"` + h.String() + `"`
	}
	variant := ""
	if p.Variant != "" {
		variant = `"variant":"` + p.Variant + `",`
	}
	return `{"architecture":"` + p.Architecture + `","os":"` + p.OS + `",` + variant +
		`"created":"2025-10-08T11:04:47Z",` +
		`"config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"],` +
		`"WorkingDir":"/","StopSignal":"SIGTERM","ExposedPorts":{"9090/udp":{}},` +
		`"Labels":{"base.only":"kept","org.opencontainers.image.vendor":"the base's"}},` +
		`"history":[{"created":"2025-10-08T11:04:46Z","created_by":"ADD alpine-minirootfs.tar.gz / # buildkit"},` +
		`{"created":"2025-10-08T11:04:46Z","created_by":"RUN patch # buildkit"},` +
		`{"created":"2025-10-08T11:04:47Z","created_by":"CMD [\"/bin/sh\"]","empty_layer":true}],` +
		`"moby.buildkit.buildinfo.v1":"e30=",` +
		`"rootfs":{"type":"layers","diff_ids":[` + strings.Join(ids, ",") + `]}}`
}

// baseImage returns a two-layer base image of platform p with manifest
// media type mt (OCI or Docker): the first layer an alpine-like root with
// /etc/passwd, /etc/group and /etc/motd, the second replacing /etc/group
// and whiting out /etc/motd.
func baseImage(t testing.TB, p v1.Platform, manifestType types.MediaType) v1.Image {
	t.Helper()
	layerType, configType := types.OCILayer, types.OCIConfigJSON
	if manifestType == types.DockerManifestSchema2 {
		layerType, configType = types.DockerLayer, types.DockerConfigJSON
	}
	layers := []v1.Layer{
		gzLayer(t, layerType,
			dir("bin/"), file("bin/busybox", "busybox for "+p.String()), tentry{name: "bin/sh", typeflag: tar.TypeSymlink, mode: 0o777, link: "/bin/busybox"},
			dir("etc/"), file("etc/passwd", basePasswd), file("etc/group", "root:x:0:root\n"), file("etc/motd", "welcome\n"),
			dir("usr/"), dir("usr/local/"), dir("usr/local/bin/")),
		gzLayer(t, layerType, dir("etc/"), file("etc/group", baseGroup), file("etc/.wh.motd", "")),
	}
	var ids []v1.Hash
	for _, l := range layers {
		h, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h)
	}
	img, err := partial.CompressedToImage(&rawImage{
		manifestType: manifestType, configType: configType,
		config: []byte(baseConfig(p, ids)), layers: layers,
		annotations: map[string]string{"org.opencontainers.image.revision": "the base's commit"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// The base's account databases, as its top layers leave them.
const (
	basePasswd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
	baseGroup  = "root:x:0:root\nnobody:x:65534:\n"
)

var (
	amd64 = v1.Platform{OS: "linux", Architecture: "amd64"}
	arm64 = v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
)

// baseIndex returns a multi-platform base as Docker official images are
// published: an OCI index of linux/amd64 and linux/arm64/v8 images and an
// attestation manifest of platform unknown/unknown.
func baseIndex(t testing.TB, manifestType types.MediaType) v1.ImageIndex {
	t.Helper()
	attestation, err := mutate.AppendLayers(empty.Image, static.NewLayer([]byte(`{"_type":"https://in-toto.io/Statement/v0.1"}`), "application/vnd.in-toto+json"))
	if err != nil {
		t.Fatal(err)
	}
	return mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: baseImage(t, amd64, manifestType), Descriptor: v1.Descriptor{Platform: &amd64}},
		mutate.IndexAddendum{Add: baseImage(t, arm64, manifestType), Descriptor: v1.Descriptor{Platform: &arm64}},
		mutate.IndexAddendum{Add: mutate.MediaType(attestation, types.OCIManifestSchema1), Descriptor: v1.Descriptor{
			Platform:    &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"},
		}},
	)
}

// serve starts an in-process registry on 127.0.0.1 (spoken to over plain
// HTTP, as crane does for a loopback address) and returns its host:port.
func serve(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// publishBase pushes a base index to a new registry under
// library/alpine:3.23 and returns the registry's host and the base's
// reference by digest.
func publishBase(t testing.TB, manifestType types.MediaType) (host, ref string) {
	t.Helper()
	host = serve(t)
	idx := baseIndex(t, manifestType)
	tag, err := name.ParseReference(host + "/library/alpine:3.23")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	h, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return host, host + "/library/alpine@" + h.String()
}

// cranePull writes what `crane pull --format=oci --platform P REF DIR`
// writes, the way it writes it (cmd/crane/cmd/pull.go: remote.Get with the
// platform, Image, then layout.Write and AppendImage), and returns DIR.
func cranePull(t testing.TB, ref string, p v1.Platform) string {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(r, remote.WithPlatform(p))
	if err != nil {
		t.Fatal(err)
	}
	img, err := desc.Image()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "base")
	lp, err := layout.Write(out, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return out
}

// readBase pulls the base of platform p as crane does and reads it.
func readBase(t testing.TB, ref string, p v1.Platform) Base {
	t.Helper()
	b, err := ReadBase(cranePull(t, ref, p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The added files of the tests' releases.
func addedFiles(binary string) []File {
	return []File{
		{Path: "/usr/local/bin/echo-server", Mode: 0o755, Data: []byte(binary)},
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte(basePasswd + "docker-app:x:8080:8080::/nonexistent:/sbin/nologin\n")},
		{Path: "/etc/group", Mode: 0o644, Data: []byte(baseGroup + "docker-app:x:8080:\n")},
	}
}

// testConfig is the config change of the tests' releases.
func testConfig() Config {
	return Config{
		Created:      commit,
		CreatedBy:    "echo-server pipeline: /etc/passwd, /etc/group, /usr/local/bin/echo-server",
		User:         "8080:8080",
		Entrypoint:   []string{"/usr/local/bin/echo-server"},
		ExposedPorts: []string{"8080/tcp"},
		Healthcheck: Healthcheck{
			Test:     []string{"CMD", "/usr/local/bin/echo-server", "healthcheck"},
			Interval: 30 * time.Second, Timeout: 30 * time.Second, StartPeriod: 5 * time.Second,
			StartInterval: time.Second, Retries: 3,
		},
		Labels: map[string]string{"org.opencontainers.image.vendor": "echo-server maintainers", "org.opencontainers.image.version": "1.2.3"},
	}
}

// assembled assembles the release of the base ref for amd64 and arm64 with
// one binary per platform, into a new directory.
func assembled(t testing.TB, ref string) (string, Release) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "release")
	rel, err := Assemble(out, []PlatformImage{
		{Platform: "linux/amd64", Base: readBase(t, ref, amd64), Files: addedFiles("amd64 binary")},
		{Platform: "linux/arm64", Base: readBase(t, ref, v1.Platform{OS: "linux", Architecture: "arm64"}), Files: addedFiles("arm64 binary")},
	}, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	return out, rel
}

// cranePush pushes the layout in dir to ref as crane v0.22.1 `push DIR REF`
// does without --index (cmd/crane/cmd/push.go loadImage: the one entry of
// index.json) and returns the digest the registry serves for ref.
func cranePush(t testing.TB, dir, ref string) v1.Hash {
	t.Helper()
	l, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := l.IndexManifest()
	if err != nil || len(m.Manifests) != 1 || !m.Manifests[0].MediaType.IsIndex() {
		t.Fatalf("layout index.json %+v, %v: want one image index", m, err)
	}
	idx, err := l.ImageIndex(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	d, err := remote.Head(tag)
	if err != nil {
		t.Fatal(err)
	}
	return d.Digest
}

// fetchIndex fetches the image index ref names from its registry.
func fetchIndex(t testing.TB, ref string) v1.ImageIndex {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(r)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// pulled fetches the manifest and config of ref from its registry, as
// `crane manifest` and `crane blob` print them.
func pulled(t testing.TB, ref string) Pulled {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(r)
	if err != nil {
		t.Fatal(err)
	}
	img, err := desc.Image()
	if err != nil {
		t.Fatal(err)
	}
	config, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return Pulled{Manifest: desc.Manifest, Config: config}
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

// readIndexJSON returns the index.json of the layout in dir.
func readIndexJSON(t testing.TB, dir string) *v1.IndexManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := v1.ParseIndexManifest(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
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

// errText is err's text, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
