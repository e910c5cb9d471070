package oci

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// TestAssembleKeepsTheRegistrysBase is the release's invariant, end to end
// against a registry: for every platform, the pushed image's layers are the
// base image's layers as its registry serves them (same blobs, digests,
// sizes, media types, diff_ids, order), followed by one layer; the registry
// serves the release under the digest Assemble computed.
func TestAssembleKeepsTheRegistrysBase(t *testing.T) {
	for _, mt := range []types.MediaType{types.OCIManifestSchema1, types.DockerManifestSchema2} {
		t.Run(string(mt), func(t *testing.T) {
			host, ref := publishBase(t, mt)
			dir, rel := assembled(t, ref)
			checkBlobs(t, dir)
			checkReadable(t, dir)
			if served := cranePush(t, dir, host+"/echo-server:1.2.3"); served.String() != rel.Digest {
				t.Fatalf("the registry serves %s, Assemble computed %s", served, rel.Digest)
			}
			baseIdx := remoteIndex(t, ref)
			for i, img := range rel.Images {
				want := baseIdx.Manifests[i] // amd64, then arm64/v8
				if img.Base != want.Digest.String() {
					t.Errorf("%s: base %s, want the base index's %s manifest %s", img.Platform, img.Base, want.Platform, want.Digest)
				}
				release := pulled(t, host+"/echo-server@"+img.Digest)
				base := pulled(t, host+"/library/alpine@"+img.Base)
				if err := SameBase(img.Platform, release, base); err != nil {
					t.Errorf("SameBase: %v", err)
				}
				rm, bm := manifestOf(t, release.Manifest), manifestOf(t, base.Manifest)
				if len(rm.Layers) != len(bm.Layers)+1 || !reflect.DeepEqual(rm.Layers[:len(bm.Layers)], bm.Layers) {
					t.Fatalf("%s: release layers %+v, want the base's %+v and one more", img.Platform, rm.Layers, bm.Layers)
				}
				for _, l := range bm.Layers {
					if !bytes.Equal(readBlob(t, dir, l.Digest), remoteBlob(t, host+"/library/alpine@"+l.Digest.String())) {
						t.Errorf("%s: base layer %s in the release differs from the registry's blob", img.Platform, l.Digest)
					}
				}
				if added := rm.Layers[len(bm.Layers)]; added.MediaType != bm.Layers[0].MediaType || rm.MediaType != mt || rm.Config.MediaType != bm.Config.MediaType {
					t.Errorf("%s: manifest %s, config %s, added layer %s; want the base's %s, %s, %s",
						img.Platform, rm.MediaType, rm.Config.MediaType, added.MediaType, mt, bm.Config.MediaType, bm.Layers[0].MediaType)
				}
			}
		})
	}
}

func remoteIndex(t *testing.T, ref string) *v1.IndexManifest {
	t.Helper()
	m, err := fetchIndex(t, ref).IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func remoteBlob(t *testing.T, ref string) []byte {
	t.Helper()
	d, err := name.NewDigest(ref)
	if err != nil {
		t.Fatal(err)
	}
	l, err := remote.Layer(d)
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
	return b
}

func manifestOf(t *testing.T, b []byte) *v1.Manifest {
	t.Helper()
	m, err := v1.ParseManifest(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAssembleIsReproducible: the same base and files give the same bytes,
// whatever the pull (two layouts crane wrote at different times) and the
// order the files are given in; a changed binary changes its platform's
// image only; another commit time changes every image.
func TestAssembleIsReproducible(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	dir1, rel1 := assembled(t, ref)
	dir2, rel2 := assembled(t, ref)
	if !reflect.DeepEqual(rel1, rel2) {
		t.Fatalf("two assemblies: %+v and %+v", rel1, rel2)
	}
	for _, f := range append(listBlobs(t, dir1), "index.json", "oci-layout") {
		a, _ := os.ReadFile(filepath.Join(dir1, f))
		b, err := os.ReadFile(filepath.Join(dir2, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two assemblies (%v)", f, err)
		}
	}

	amd, arm := readBase(t, ref, amd64), readBase(t, ref, arm64)
	assemble := func(amdFiles, armFiles []File, cfg Config) Release {
		t.Helper()
		rel, err := Assemble(filepath.Join(t.TempDir(), "r"), []PlatformImage{
			{Platform: "linux/amd64", Base: amd, Files: amdFiles},
			{Platform: "linux/arm64", Base: arm, Files: armFiles},
		}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return rel
	}
	reversed := addedFiles("amd64 binary")
	slices.Reverse(reversed)
	if got := assemble(reversed, addedFiles("arm64 binary"), testConfig()); !reflect.DeepEqual(got, rel1) {
		t.Errorf("files in another order: %+v, want %+v", got, rel1)
	}
	other := assemble(addedFiles("amd64 binary"), addedFiles("arm64 binary, rebuilt"), testConfig())
	if other.Images[0] != rel1.Images[0] || other.Images[1].Digest == rel1.Images[1].Digest || other.Digest == rel1.Digest {
		t.Errorf("another arm64 binary: %+v, want only the arm64 image and the index to differ from %+v", other, rel1)
	}
	later := testConfig()
	later.Created = commit.Add(time.Second)
	moved := assemble(addedFiles("amd64 binary"), addedFiles("arm64 binary"), later)
	if moved.Images[0].Digest == rel1.Images[0].Digest || moved.Images[1].Digest == rel1.Images[1].Digest {
		t.Errorf("another commit time: %+v, want every image to differ from %+v", moved, rel1)
	}
	// Sub-second parts of the time are dropped from the layer, not from the config.
	subsecond := testConfig()
	subsecond.Created = commit.Add(500 * time.Millisecond)
	if got := assemble(addedFiles("amd64 binary"), addedFiles("arm64 binary"), subsecond); got.Images[0].Digest == rel1.Images[0].Digest {
		t.Errorf("a created time 0.5s later gives the same image %s", got.Images[0].Digest)
	}
}

func listBlobs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, filepath.Join("blobs", "sha256", e.Name()))
	}
	return names
}

// TestAssembleConfig pins every field the release changes in the base's
// config, and that every other field keeps the base's value.
func TestAssembleConfig(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	dir, rel := assembled(t, ref)
	for i, p := range []v1.Platform{amd64, arm64} {
		t.Run(p.String(), func(t *testing.T) {
			base := readBase(t, ref, p)
			baseRaw, err := base.Image.RawConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			m := manifestOf(t, readBlob(t, dir, v1.Hash{Algorithm: "sha256", Hex: strings.TrimPrefix(rel.Images[i].Digest, "sha256:")}))
			if m.Annotations != nil || m.MediaType != types.OCIManifestSchema1 || m.Config.MediaType != types.OCIConfigJSON || len(m.Layers) != 3 {
				t.Fatalf("manifest %+v: want OCI types, no annotations (the base's describe the base), 3 layers", m)
			}
			added := m.Layers[2]
			if added.MediaType != types.OCILayer || added.Annotations != nil || added.URLs != nil {
				t.Errorf("added layer descriptor %+v, want an OCI gzip layer with nothing else", added)
			}
			got := map[string]json.RawMessage{}
			if err := json.Unmarshal(readBlob(t, dir, m.Config.Digest), &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]json.RawMessage{}
			if err := json.Unmarshal(baseRaw, &want); err != nil {
				t.Fatal(err)
			}
			diffID := addedDiffID(t, dir, added.Digest)
			var baseRootFS v1.RootFS
			if err := json.Unmarshal(want["rootfs"], &baseRootFS); err != nil {
				t.Fatal(err)
			}
			want["created"] = json.RawMessage(`"` + stamp + `"`)
			want["history"] = json.RawMessage(`[{"created":"` + stamp + `","created_by":"ADD alpine-minirootfs.tar.gz / # buildkit"},` +
				`{"created":"` + stamp + `","created_by":"RUN patch # buildkit"},` +
				`{"created":"` + stamp + `","created_by":"CMD [\"/bin/sh\"]","empty_layer":true},` +
				`{"created":"` + stamp + `","created_by":"echo-server pipeline: /etc/passwd, /etc/group, /usr/local/bin/echo-server"}]`)
			want["rootfs"] = json.RawMessage(`{"type":"layers","diff_ids":["` + baseRootFS.DiffIDs[0].String() + `","` + baseRootFS.DiffIDs[1].String() + `","` + diffID.String() + `"]}`)
			want["config"] = json.RawMessage(`{"Entrypoint":["/usr/local/bin/echo-server"],` +
				`"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],` +
				`"ExposedPorts":{"8080/tcp":{},"9090/udp":{}},` +
				`"Healthcheck":{"Test":["CMD","/usr/local/bin/echo-server","healthcheck"],"Interval":30000000000,"Timeout":30000000000,"StartPeriod":5000000000,"StartInterval":1000000000,"Retries":3},` +
				`"Labels":{"base.only":"kept","org.opencontainers.image.vendor":"echo-server maintainers","org.opencontainers.image.version":"1.2.3"},` +
				`"StopSignal":"SIGTERM","User":"8080:8080","WorkingDir":"/"}`)
			if len(got) != len(want) {
				t.Errorf("config keys %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
			for k, w := range want {
				if !jsonEqual(t, got[k], w) {
					t.Errorf("config %s:\n got %s\nwant %s", k, got[k], w)
				}
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// addedDiffID is the sha256 of the uncompressed added layer in dir.
func addedDiffID(t *testing.T, dir string, h v1.Hash) v1.Hash {
	t.Helper()
	raw := gunzip(t, readBlob(t, dir, h))
	d, _, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAssembleIndex pins the release index: OCI, one entry per platform in
// the order asked for, each with the platform of its image's config, and
// index.json listing that index alone.
func TestAssembleIndex(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	dir, rel := assembled(t, ref)
	root := readIndexJSON(t, dir)
	if len(root.Manifests) != 1 || root.Manifests[0].MediaType != types.OCIImageIndex || root.Manifests[0].Digest.String() != rel.Digest || root.Manifests[0].Annotations != nil {
		t.Fatalf("index.json lists %+v, want the release index %s alone", root.Manifests, rel.Digest)
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(readBlob(t, dir, root.Manifests[0].Digest)))
	if err != nil {
		t.Fatal(err)
	}
	if idx.MediaType != types.OCIImageIndex || idx.Annotations != nil || len(idx.Manifests) != 2 {
		t.Fatalf("release index %+v: want an OCI index of two images", idx)
	}
	for i, want := range []v1.Platform{amd64, arm64} {
		d := idx.Manifests[i]
		if d.Digest.String() != rel.Images[i].Digest || d.MediaType != types.OCIManifestSchema1 || d.Platform == nil || !d.Platform.Equals(want) || d.Annotations != nil || d.ArtifactType != "" {
			t.Errorf("entry %d: %+v, want %s of platform %s", i, d, rel.Images[i].Digest, want)
		}
	}
	if rel.Images[0].Platform != "linux/amd64" || rel.Images[1].Platform != "linux/arm64" {
		t.Errorf("Release.Images %+v: want the platforms as asked for", rel.Images)
	}
}

// badBase is a base image whose raw config is config, for the config errors.
func badBase(t *testing.T, manifestType types.MediaType, config string, layers int) Base {
	t.Helper()
	var ls []v1.Layer
	for i := range layers {
		ls = append(ls, gzLayer(t, types.OCILayer, file("f", strings.Repeat("x", i))))
	}
	img, err := partial.CompressedToImage(&rawImage{manifestType: manifestType, configType: types.OCIConfigJSON, config: []byte(config), layers: ls})
	if err != nil {
		t.Fatal(err)
	}
	h, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return Base{Image: img, Digest: h, Platform: amd64}
}

func TestAssembleRejects(t *testing.T) {
	_, ref := publishBase(t, types.OCIManifestSchema1)
	amd, arm := readBase(t, ref, amd64), readBase(t, ref, arm64)
	full := t.TempDir()
	writeFile(t, filepath.Join(full, "x"), "")
	rootfs := `"rootfs":{"type":"layers","diff_ids":["sha256:` + strings.Repeat("0", 64) + `"]}`
	one := func(p string, b Base) []PlatformImage {
		return []PlatformImage{{Platform: p, Base: b, Files: addedFiles("bin")}}
	}
	farFuture := testConfig()
	farFuture.Created = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	schema1 := badBase(t, types.DockerManifestSchema1, `{`+rootfs+`}`, 1)
	tests := []struct {
		name    string
		dir     string
		images  []PlatformImage
		cfg     Config
		wantErr string
	}{
		{"no platform", "", nil, testConfig(), "assemble a release of no platform: want at least one"},
		{"os only", "", one("linux", amd), testConfig(), `platform "linux": want os/arch[/variant], e.g. linux/arm64`},
		{"empty platform", "", one("", amd), testConfig(), `platform "": want os/arch[/variant], e.g. linux/arm64`},
		{"too many parts", "", one("linux/arm64/v8/x", arm), testConfig(), `platform "linux/arm64/v8/x": want os/arch[/variant], e.g. linux/arm64`},
		{"base of another architecture", "", one("linux/arm64", amd), testConfig(),
			"the base image " + amd.Digest.String() + " is linux/amd64, not linux/arm64: want a base that has linux/arm64"},
		{"base of another variant", "", one("linux/arm64/v7", arm), testConfig(),
			"the base image " + arm.Digest.String() + " is linux/arm64/v8, not linux/arm64/v7: want a base that has linux/arm64/v7"},
		{"same base twice", "", []PlatformImage{{Platform: "linux/arm64", Base: arm}, {Platform: "linux/arm64/v8", Base: arm}}, testConfig(),
			"platforms linux/arm64 and linux/arm64/v8 are the same base image " + arm.Digest.String() + ": want each platform once"},
		{"output not empty", full, one("linux/amd64", amd), testConfig(),
			"output directory " + full + " is not empty (holds x), want a new or empty directory"},
		{"time not writable", "", one("linux/amd64", amd), farFuture,
			"created time 10000-01-01 00:00:00 +0000 UTC: Time.MarshalText: year outside of range [0,9999]"},
		{"schema 1 base", "", one("linux/amd64", schema1), testConfig(),
			"assemble the linux/amd64 image: base manifest " + schema1.Digest.String() + ` has media type "application/vnd.docker.distribution.manifest.v1+json", want application/vnd.oci.image.manifest.v1+json or application/vnd.docker.distribution.manifest.v2+json`},
		{"config not an object", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `[]`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config is not a JSON object"},
		{"config null", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `null`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config is not a JSON object"},
		{"a diff_id short", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{`+rootfs+`}`, 2)), testConfig(),
			"assemble the linux/amd64 image: base config rootfs lists 1 diff_ids for 2 layers, want one per layer"},
		{"a diff_id too many", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{`+rootfs+`}`, 0)), testConfig(),
			"assemble the linux/amd64 image: base config rootfs lists 1 diff_ids for 0 layers, want one per layer"},
		{"no rootfs", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config rootfs lists 0 diff_ids for 1 layers, want one per layer"},
		{"history not a list", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{"history":{},`+rootfs+`}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config history is not a list of objects"},
		{"history entry not an object", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{"history":[null],`+rootfs+`}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config history entry 0 is not an object"},
		{"config.config not an object", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{"config":[],`+rootfs+`}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config's config is not a JSON object"},
		{"labels not a map", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{"config":{"Labels":[]},`+rootfs+`}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config's Labels: json: cannot unmarshal array into Go value of type map[string]string"},
		{"ports not a map", "", one("linux/amd64", badBase(t, types.OCIManifestSchema1, `{"config":{"ExposedPorts":"80"},`+rootfs+`}`, 1)), testConfig(),
			"assemble the linux/amd64 image: base config's ExposedPorts: json: cannot unmarshal string into Go value of type map[string]struct {}"},
		{"bad file", "", []PlatformImage{{Platform: "linux/amd64", Base: amd, Files: []File{{Path: "etc/passwd"}}}}, testConfig(),
			`assemble the linux/amd64 image: layer file "etc/passwd": want an absolute, clean path to a file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir
			if dir == "" {
				dir = filepath.Join(t.TempDir(), "release")
			}
			got, err := Assemble(dir, tt.images, tt.cfg)
			if errText(err) != tt.wantErr || !reflect.DeepEqual(got, Release{}) {
				t.Errorf("Assemble = %+v, %q\nwant error %q", got, errText(err), tt.wantErr)
			}
		})
	}
}

// TestAssembleBaseWithoutConfigFields: a base config without history,
// config, labels or ports gets them; null values count as absent.
func TestAssembleBaseWithoutConfigFields(t *testing.T) {
	for _, config := range []string{
		`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}`,
		`{"architecture":"amd64","os":"linux","config":null,"rootfs":{"type":"layers","diff_ids":[%s]}}`,
		`{"architecture":"amd64","os":"linux","config":{"Labels":null,"ExposedPorts":null},"rootfs":{"type":"layers","diff_ids":[%s]}}`,
	} {
		l := gzLayer(t, types.OCILayer, file("etc/passwd", "root:x:0:0::/:/bin/sh\n"))
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		img, err := partial.CompressedToImage(&rawImage{
			manifestType: types.OCIManifestSchema1, configType: types.OCIConfigJSON,
			config: []byte(strings.Replace(config, "%s", `"`+d.String()+`"`, 1)), layers: []v1.Layer{l},
		})
		if err != nil {
			t.Fatal(err)
		}
		h, _ := img.Digest()
		dir := filepath.Join(t.TempDir(), "r")
		if _, err := Assemble(dir, []PlatformImage{{Platform: "linux/amd64", Base: Base{Image: img, Digest: h, Platform: amd64}, Files: addedFiles("bin")}}, testConfig()); err != nil {
			t.Fatalf("%s: %v", config, err)
		}
		got, err := Inspect(dir, "linux/amd64", "/usr/local/bin/echo-server")
		if err != nil {
			t.Fatal(err)
		}
		if got.User != "8080:8080" || len(got.Labels) != 2 || got.Healthcheck == nil {
			t.Errorf("%s: inspected %+v, want the release's user, two labels and a healthcheck", config, got)
		}
	}
}
