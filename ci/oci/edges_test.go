package oci

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dagger/echo-server/checklist"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The tests of this file pin the package's rules at their edges: the
// formats it writes byte for byte, the limits of what it accepts, every
// member of its lists.

// TestLayerTarBytes pins the added layer's tar byte for byte (README,
// "Reproducible releases": "a deterministic tar (sorted entries, root owner,
// fixed modes, every timestamp the commit time"): the same files and time
// give these bytes on every machine, so a change here changes every
// release digest. Every header is a POSIX ustar one, magic "ustar\0" and
// version "00", never GNU's.
func TestLayerTarBytes(t *testing.T) {
	raw, err := layerTar(addedFiles("the binary"), commit)
	if err != nil {
		t.Fatal(err)
	}
	const want = "bf853654de984aaafb3c32d2151e6287ea25e4720c22304808cd4fcae0760f8b"
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != want || len(raw) != 6144 {
		t.Errorf("layer tar: sha256 %x, %d bytes; want %s, 6144 bytes", sum, len(raw), want)
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	offset := int64(0)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		block := raw[offset : offset+512]
		if magic := string(block[257:265]); magic != "ustar\x0000" {
			t.Errorf("%s: header magic and version %q, want %q (POSIX)", hdr.Name, magic, "ustar\x0000")
		}
		offset += 512 + (hdr.Size+511)/512*512
	}
}

// TestLayerTarLongPath: a path longer than a ustar header holds (100
// characters of name, 155 of prefix) is written whole, as PAX does.
func TestLayerTarLongPath(t *testing.T) {
	long := "/" + strings.Repeat("d", 200) + "/" + strings.Repeat("f", 120)
	raw, err := layerTar([]File{{Path: long, Mode: 0o644, Data: []byte("x")}}, commit)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	var names []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
	}
	if want := []string{strings.Repeat("d", 200) + "/", long[1:]}; !reflect.DeepEqual(names, want) {
		t.Errorf("entries %q, want %q", names, want)
	}
}

// TestTimestamp pins the created time of the release's config: RFC 3339 in
// UTC with the nanoseconds the time has, years 0 to 9999.
func TestTimestamp(t *testing.T) {
	for _, tt := range []struct {
		in   time.Time
		want string
	}{
		{commit, "2026-11-30T12:34:56Z"},
		{commit.In(time.FixedZone("CET", 3600)), "2026-11-30T12:34:56Z"},
		{commit.In(time.FixedZone("PST", -8*3600)), "2026-11-30T12:34:56Z"},
		{commit.Add(5), "2026-11-30T12:34:56.000000005Z"},
		{commit.Add(500 * time.Millisecond), "2026-11-30T12:34:56.5Z"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "9999-12-31T23:59:59Z"},
		{time.Unix(0, 0), "1970-01-01T00:00:00Z"},
	} {
		if got, err := timestamp(tt.in); err != nil || got != tt.want {
			t.Errorf("timestamp(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "created time 10000-01-01 00:00:00 +0000 UTC: Time.MarshalText: year outside of range [0,9999]"},
		{time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), "created time -0001-12-31 23:59:59 +0000 UTC: Time.MarshalText: year outside of range [0,9999]"},
	} {
		if got, err := timestamp(tt.in); got != "" || errText(err) != tt.want {
			t.Errorf("timestamp(%v) = %q, %q; want error %q", tt.in, got, errText(err), tt.want)
		}
	}
}

// TestConfigJSONBytes pins the config the release writes byte for byte:
// compact JSON, object keys sorted, '&', '<' and '>' as themselves, no final
// newline, a healthcheck's unset durations and retries left out, the base's
// command dropped and every other base field kept.
func TestConfigJSONBytes(t *testing.T) {
	cfg := Config{
		Created: commit, CreatedBy: "COPY a && b <c>", User: "8080:8080", Entrypoint: []string{"/e"},
		ExposedPorts: []string{"8080/tcp"},
		Healthcheck:  Healthcheck{Test: []string{"CMD", "/e", "healthcheck"}},
		Labels:       map[string]string{"a&b": "<x>"},
	}
	added := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("b", 64)}
	base := `{ "z": 1, "os": "linux", "architecture" : "amd64",
	  "config": {"Cmd": ["/bin/sh"], "Env": ["A=1"]},
	  "rootfs": {"type": "layers", "diff_ids": []} }`
	got, err := configJSON([]byte(base), cfg, stamp, 0, added)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"architecture":"amd64",` +
		`"config":{"Entrypoint":["/e"],"Env":["A=1"],"ExposedPorts":{"8080/tcp":{}},"Healthcheck":{"Test":["CMD","/e","healthcheck"]},"Labels":{"a&b":"<x>"},"User":"8080:8080"},` +
		`"created":"2026-11-30T12:34:56Z",` +
		`"history":[{"created":"2026-11-30T12:34:56Z","created_by":"COPY a && b <c>"}],` +
		`"os":"linux",` +
		`"rootfs":{"type":"layers","diff_ids":["sha256:` + added.Hex + `"]},` +
		`"z":1}`
	if string(got) != want {
		t.Errorf("configJSON =\n%s\nwant\n%s", got, want)
	}
}

// TestPlatformNeedsOSAndArchitecture: a platform names both, in Assemble
// and in the functions that read a release.
func TestPlatformNeedsOSAndArchitecture(t *testing.T) {
	dir, _ := release(t)
	_, ref := publishBase(t, types.OCIManifestSchema1)
	amd := readBase(t, ref, amd64)
	for _, p := range []string{"/amd64", "linux/", "/", "linux", ""} {
		want := `platform "` + p + `": want os/arch[/variant], e.g. linux/arm64`
		rel, err := Assemble(filepath.Join(t.TempDir(), "r"), []PlatformImage{{Platform: p, Base: amd, Files: addedFiles("bin")}}, testConfig())
		if errText(err) != want || !reflect.DeepEqual(rel, Release{}) {
			t.Errorf("Assemble(%q) = %+v, %q; want error %q", p, rel, errText(err), want)
		}
		if _, err := ExtractPlatform(dir, p, filepath.Join(t.TempDir(), "out")); errText(err) != want {
			t.Errorf("ExtractPlatform(%q) error %q, want %q", p, errText(err), want)
		}
		if _, err := Inspect(dir, p, "/x"); errText(err) != want {
			t.Errorf("Inspect(%q) error %q, want %q", p, errText(err), want)
		}
	}
}

// TestReadBaseNeedsOneImage: index.json must list exactly one image
// manifest: none and two are refused as an index is.
func TestReadBaseNeedsOneImage(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	two := cranePull(t, ref, amd64)
	lp, err := layout.FromPath(two)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(baseImage(t, arm64, types.OCIManifestSchema1)); err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(t.TempDir(), "none")
	if _, err := layout.Write(none, empty.Index); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{two, none} {
		want := "base image layout " + dir + ": index.json must list exactly one image manifest, as crane pull --format=oci --platform writes"
		if got, err := ReadBase(dir); errText(err) != want || got.Image != nil {
			t.Errorf("ReadBase = %+v, %q\nwant error %q", got, errText(err), want)
		}
	}
}

// TestReleaseIndexEntryWithoutPlatform: an image the index lists without a
// platform is never chosen, nor named among the platforms there are.
func TestReleaseIndexEntryWithoutPlatform(t *testing.T) {
	dir, rel := release(t)
	idx, err := releaseIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	amdDesc := im.Manifests[0]
	amd, err := idx.Image(amdDesc.Digest)
	if err != nil {
		t.Fatal(err)
	}
	anonymous, err := random.Image(16, 1)
	if err != nil {
		t.Fatal(err)
	}
	mixed := filepath.Join(t.TempDir(), "mixed")
	lp, err := layout.Write(mixed, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: anonymous},
		mutate.IndexAddendum{Add: amd, Descriptor: amdDesc})); err != nil {
		t.Fatal(err)
	}
	got, err := ExtractPlatform(mixed, "linux/amd64", filepath.Join(t.TempDir(), "out"))
	if err != nil || got.Digest != rel.Images[0].Digest {
		t.Errorf("ExtractPlatform(linux/amd64) = %+v, %v; want the image %s", got, err, rel.Images[0].Digest)
	}
	want := `platform "linux/arm64" is not in the release in ` + mixed + `, it has: linux/amd64`
	if _, err := ExtractPlatform(mixed, "linux/arm64", filepath.Join(t.TempDir(), "out")); errText(err) != want {
		t.Errorf("ExtractPlatform(linux/arm64) error %q, want %q", errText(err), want)
	}
}

// TestWriteArchiveBlobNames pins the name of a blob file, ^[0-9a-f]{64}$:
// each bound of the class, the characters next to them, one character short
// or over.
func TestWriteArchiveBlobNames(t *testing.T) {
	layoutWith := func(t *testing.T, blob string) string {
		t.Helper()
		dir := t.TempDir()
		mkdir(t, filepath.Join(dir, "blobs", "sha256"))
		writeFile(t, filepath.Join(dir, "oci-layout"), `{"imageLayoutVersion":"1.0.0"}`)
		writeFile(t, filepath.Join(dir, "index.json"), `{}`)
		writeFile(t, filepath.Join(dir, "blobs", "sha256", blob), "x")
		return dir
	}
	for _, c := range []string{"0", "9", "a", "f"} {
		name := strings.Repeat("1", 63) + c
		dir := layoutWith(t, name)
		var b bytes.Buffer
		if err := WriteArchive(dir, &b); err != nil || !bytes.Contains(b.Bytes(), []byte("blobs/sha256/"+name)) {
			t.Errorf("blob %s: %v; want it archived", name, err)
		}
	}
	var bad []string
	for _, c := range []string{":", "`", "g", "A", "F", "-", "_", "."} {
		bad = append(bad, strings.Repeat("1", 63)+c, c+strings.Repeat("1", 63))
	}
	bad = append(bad, strings.Repeat("1", 63), strings.Repeat("1", 65))
	for _, name := range bad {
		dir := layoutWith(t, name)
		want := "layout " + dir + " holds " + filepath.Join(dir, "blobs", "sha256", name) + ", want only oci-layout, index.json and blobs/sha256/<hex> files"
		if err := WriteArchive(dir, io.Discard); errText(err) != want {
			t.Errorf("blob %q: error %q\nwant %q", name, errText(err), want)
		}
	}
	// Each name the top of a layout may hold, alone, is archived; another is not.
	for _, extra := range []string{"oci-layout.tmp", "index.json~", "blob", "sha256"} {
		dir := layoutWith(t, strings.Repeat("1", 64))
		writeFile(t, filepath.Join(dir, extra), "")
		want := "layout " + dir + " holds " + filepath.Join(dir, extra) + ", want only oci-layout, index.json and blobs/sha256/<hex> files"
		if err := WriteArchive(dir, io.Discard); errText(err) != want {
			t.Errorf("extra %q: error %q\nwant %q", extra, errText(err), want)
		}
	}
}

// TestConfigDigest: the digest of the config a manifest names, sha256 only.
func TestConfigDigest(t *testing.T) {
	manifest := func(config string) []byte {
		return []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"` + config + `"},"layers":[]}`)
	}
	sha256Digest := "sha256:" + strings.Repeat("0f", 32)
	sha512Digest := "sha512:" + strings.Repeat("0f", 64)
	for _, tt := range []struct {
		manifest    []byte
		want, error string
	}{
		{manifest(sha256Digest), sha256Digest, ""},
		{manifest(sha512Digest), "", `manifest names config "` + sha512Digest + `", want a sha256 digest`},
		{[]byte("{"), "", "manifest: unexpected EOF"},
		{manifest("sha256:abc"), "", "manifest: wrong number of hex digits for sha256: abc"},
	} {
		got, err := ConfigDigest(tt.manifest)
		if got != tt.want || errText(err) != tt.error {
			t.Errorf("ConfigDigest(%s) = %q, %q; want %q, %q", tt.manifest, got, errText(err), tt.want, tt.error)
		}
	}
	// What Assemble writes, ConfigDigest reads.
	dir, rel := release(t)
	m := readBlob(t, dir, v1.Hash{Algorithm: "sha256", Hex: strings.TrimPrefix(rel.Images[0].Digest, "sha256:")})
	got, err := ConfigDigest(m)
	if err != nil || got != manifestOf(t, m).Config.Digest.String() {
		t.Errorf("ConfigDigest of a release manifest = %q, %v", got, err)
	}
}

// TestSameWithoutImages: two releases of other digests differ even when
// neither lists an image.
func TestSameWithoutImages(t *testing.T) {
	a, b := "sha256:"+strings.Repeat("1", 64), "sha256:"+strings.Repeat("2", 64)
	if err := Same(Release{Digest: a}, Release{Digest: b}); errText(err) != "release "+a+", rebuilt "+b+": every image is the same, the index is not" {
		t.Errorf("Same = %v", err)
	}
	if err := Same(Release{Digest: a}, Release{Digest: a}); err != nil {
		t.Errorf("Same of one release = %v", err)
	}
}

// TestReadableModes pins the modes readable gives a layout: 0644 files, 0755
// directories, whatever they had.
func TestReadableModes(t *testing.T) {
	dir := t.TempDir()
	mkdir(t, filepath.Join(dir, "a", "b"))
	writeFile(t, filepath.Join(dir, "a", "b", "f"), "x")
	for path, mode := range map[string]os.FileMode{filepath.Join(dir, "a", "b", "f"): 0o600, filepath.Join(dir, "a", "b"): 0o700} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := readable(dir); err != nil {
		t.Fatal(err)
	}
	checkReadable(t, dir)
}

// TestAssembleNoImage: a release of no platform is refused, nil or empty.
func TestAssembleNoImage(t *testing.T) {
	for _, images := range [][]PlatformImage{nil, {}} {
		dir := filepath.Join(t.TempDir(), "r")
		if rel, err := Assemble(dir, images, testConfig()); errText(err) != "assemble a release of no platform: want at least one" || !reflect.DeepEqual(rel, Release{}) {
			t.Errorf("Assemble(%#v) = %+v, %v", images, rel, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Assemble(%#v) wrote %s: %v", images, dir, err)
		}
	}
}

// TestAssembleSchemaVersion: the manifests and the index are schema
// version 2, written compact.
func TestAssembleSchemaVersion(t *testing.T) {
	dir, rel := release(t)
	root := readIndexJSON(t, dir)
	blobs := map[string][]byte{"index": readBlob(t, dir, root.Manifests[0].Digest)}
	for _, img := range rel.Images {
		blobs[img.Platform] = readBlob(t, dir, v1.Hash{Algorithm: "sha256", Hex: strings.TrimPrefix(img.Digest, "sha256:")})
	}
	for what, b := range blobs {
		var doc struct {
			SchemaVersion int `json:"schemaVersion"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.SchemaVersion != 2 {
			t.Errorf("%s: schemaVersion %d, %v; want 2", what, doc.SchemaVersion, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, b); err != nil || !bytes.Equal(compact.Bytes(), b) {
			t.Errorf("%s is not compact JSON: %s", what, b)
		}
	}
}

// TestInspectOwner: the binary's owner is read as the layer writes it, uid
// and gid each.
func TestInspectOwner(t *testing.T) {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	if err := tw.WriteHeader(&tar.Header{Name: "bin/x", Typeflag: tar.TypeReg, Mode: 0o755, Uid: 1, Gid: 2}); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(gz.Bytes())), nil }, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		t.Fatal(err)
	}
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
	dir := filepath.Join(t.TempDir(), "r")
	if _, err := Assemble(dir, []PlatformImage{{Platform: "linux/amd64", Base: Base{Image: img, Digest: h, Platform: amd64}, Files: addedFiles("bin")}}, testConfig()); err != nil {
		t.Fatal(err)
	}
	got, err := Inspect(dir, "linux/amd64", "/bin/x")
	if want := (&checklist.File{Path: "/bin/x", UID: 1, GID: 2, Mode: 0o755}); err != nil || got.Binary == nil || *got.Binary != *want {
		t.Errorf("Inspect(/bin/x).Binary = %+v, %v; want %+v", got.Binary, err, want)
	}
}
