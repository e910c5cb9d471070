package oci

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
)

const shape = "want an image index of image manifests or one image manifest, as Container.AsTarball writes"

// imageWithConfig returns an image of the fixture's amd64 layers and config.
func imageWithConfig(t *testing.T, f fixture, config string) v1.Image {
	t.Helper()
	img, err := partial.CompressedToImage(&rawImage{config: []byte(config), layers: []v1.Layer{f.base}})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// indexArchive returns the archive of a layout whose index.json lists an
// image index of img with platform p (nil: no platform).
func indexArchive(t *testing.T, img v1.Image, p *v1.Platform) []byte {
	t.Helper()
	idx := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: p}})
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	return tarDir(t, dir, "")
}

// imageArchive returns the archive of a layout whose index.json lists img.
func imageArchive(t *testing.T, img v1.Image) []byte {
	t.Helper()
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return tarDir(t, dir, "")
}

func digestOf(t *testing.T, d partial.WithRawManifest) string {
	t.Helper()
	h, err := partial.Digest(d)
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestNormaliseRejects(t *testing.T) {
	f := newFixture(t)
	linux := &v1.Platform{OS: "linux", Architecture: "amd64"}

	emptyIndex, emptyIndexDigest := blob(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`)
	nested, nestedDigest := blob(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[` +
		`{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"` + emptyIndexDigest + `","size":90}]}`)
	rootOf := func(mediaType, digest string) entry {
		return entryFile("index.json", `{"schemaVersion":2,"manifests":[{"mediaType":"`+mediaType+`","digest":"`+digest+`","size":90}]}`)
	}
	const indexType, imageType = "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json"
	zeros := "sha256:" + strings.Repeat("0", 64)

	noPlatform := imageWithConfig(t, f, `{"rootfs":{"type":"layers","diff_ids":[]}}`)
	osOnly := imageWithConfig(t, f, `{"os":"linux"}`)
	notObject := imageWithConfig(t, f, `[]`)
	badHistory := imageWithConfig(t, f, `{"history":[{},null]}`)
	amd := f.image(t, amd64, built)

	tests := []struct {
		name    string
		archive []byte
		wantErr string
	}{
		{name: "not a tar", archive: []byte("not a tar archive"), wantErr: "read OCI archive: unexpected EOF"},
		{name: "garbage", archive: bytes.Repeat([]byte("x"), 1024), wantErr: "read OCI archive: archive/tar: invalid tar header"},
		{name: "empty", archive: nil, wantErr: "OCI archive has no index.json, " + shape},
		{name: "docker archive", archive: rawTar(t, entryFile("manifest.json", "[]")), wantErr: "OCI archive has no index.json, " + shape},
		{
			name:    "parent path",
			archive: rawTar(t, entryFile("../evil", "x")),
			wantErr: `OCI archive entry "../evil" is outside the archive, want relative paths such as blobs/sha256/<hex>`,
		},
		{
			name:    "parent path inside",
			archive: rawTar(t, entryFile("blobs/../../evil", "x")),
			wantErr: `OCI archive entry "blobs/../../evil" is outside the archive, want relative paths such as blobs/sha256/<hex>`,
		},
		{
			name:    "absolute path",
			archive: rawTar(t, entryFile("/etc/passwd", "x")),
			wantErr: `OCI archive entry "/etc/passwd" is outside the archive, want relative paths such as blobs/sha256/<hex>`,
		},
		{
			name:    "symbolic link",
			archive: rawTar(t, entry{name: "blobs", typeflag: tar.TypeSymlink, link: "/etc"}),
			wantErr: `OCI archive entry "blobs" has tar type '2', want only regular files and directories`,
		},
		{
			name:    "hard link",
			archive: rawTar(t, entry{name: "index.json", typeflag: tar.TypeLink, link: "../../etc/passwd"}),
			wantErr: `OCI archive entry "index.json" has tar type '1', want only regular files and directories`,
		},
		{
			name:    "fifo",
			archive: rawTar(t, entry{name: "index.json", typeflag: tar.TypeFifo}),
			wantErr: `OCI archive entry "index.json" has tar type '6', want only regular files and directories`,
		},
		{
			name:    "sparse file",
			archive: sparseTar(t, "blobs/sha256/"+strings.Repeat("0", 64), 1<<20),
			wantErr: `OCI archive entry "blobs/sha256/` + strings.Repeat("0", 64) + `" is a sparse file, want only regular files and directories`,
		},
		{
			name:    "blob not matching its name",
			archive: rawTar(t, entryFile("blobs/sha256/"+strings.Repeat("0", 64), "x")),
			wantErr: `OCI archive entry "blobs/sha256/` + strings.Repeat("0", 64) + `": content has digest sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881, not the one its name says`,
		},
		{
			name:    "index.json not JSON",
			archive: rawTar(t, entryFile("index.json", "{")),
			wantErr: "OCI archive index.json: unexpected end of JSON input",
		},
		{
			name:    "no entries",
			archive: rawTar(t, entryFile("index.json", `{"schemaVersion":2,"manifests":[]}`)),
			wantErr: "OCI archive index.json lists 0 entries, " + shape,
		},
		{
			name:    "two entries",
			archive: rawTar(t, emptyIndex, entryFile("index.json", `{"schemaVersion":2,"manifests":[{"mediaType":"`+indexType+`","digest":"`+emptyIndexDigest+`"},{"mediaType":"`+indexType+`","digest":"`+emptyIndexDigest+`"}]}`)),
			wantErr: "OCI archive index.json lists 2 entries, " + shape,
		},
		{
			name:    "layer at the root",
			archive: rawTar(t, rootOf("application/vnd.oci.image.layer.v1.tar+gzip", zeros)),
			wantErr: `OCI archive index.json entry has media type "application/vnd.oci.image.layer.v1.tar+gzip", ` + shape,
		},
		{
			name:    "empty image index",
			archive: rawTar(t, emptyIndex, rootOf(indexType, emptyIndexDigest)),
			wantErr: "image index " + emptyIndexDigest + " lists no images, " + shape,
		},
		{
			name:    "nested image index",
			archive: rawTar(t, emptyIndex, nested, rootOf(indexType, nestedDigest)),
			wantErr: "image index " + nestedDigest + " lists " + emptyIndexDigest + ` of media type "` + indexType + `", ` + shape,
		},
		{
			name:    "image index not JSON",
			archive: rawTar(t, entryFile("blobs/sha256/2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", "x"), rootOf(indexType, "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")),
			wantErr: "image index sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881: invalid character 'x' looking for beginning of value",
		},
		{
			name:    "image manifest not JSON",
			archive: rawTar(t, entryFile("blobs/sha256/2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", "x"), rootOf(imageType, "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")),
			wantErr: "image sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881: read config: invalid character 'x' looking for beginning of value",
		},
		{
			name:    "same platform twice",
			archive: tarDir(t, f.multiLayout(t, built, amd64, amd64), ""),
			wantErr: "the image index lists platform linux/amd64 twice, want one image per platform",
		},
		{
			name:    "single image without platform",
			archive: imageArchive(t, noPlatform),
			wantErr: "image " + digestOf(t, noPlatform) + ": no platform: the descriptor has none and the config names no os and architecture",
		},
		{
			name:    "single image without architecture",
			archive: imageArchive(t, osOnly),
			wantErr: "image " + digestOf(t, osOnly) + ": no platform: the descriptor has none and the config names no os and architecture",
		},
		{
			name:    "index entry without platform",
			archive: indexArchive(t, noPlatform, nil),
			wantErr: "image " + digestOf(t, noPlatform) + ": no platform: the descriptor has none and the config names no os and architecture",
		},
		{
			name:    "config not an object",
			archive: indexArchive(t, notObject, linux),
			wantErr: "image " + digestOf(t, notObject) + ": config is not a JSON object",
		},
		{
			name:    "history entry not an object",
			archive: imageArchive(t, badHistory),
			wantErr: "image " + digestOf(t, badHistory) + ": config history entry 1 is not an object",
		},
		{
			name:    "config not JSON, no platform",
			archive: indexArchive(t, imageWithConfig(t, f, `{`), nil),
			wantErr: "image " + digestOf(t, imageWithConfig(t, f, `{`)) + ": config is not a JSON object",
		},
		{
			name:    "image of index without config blob",
			archive: withoutBlob(t, indexArchive(t, amd, linux), amd),
			wantErr: "image " + digestOf(t, amd) + ": read config: lstat ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "release")
			rel, err := Normalise(bytes.NewReader(tt.archive), out, commit)
			got := errText(err)
			if got != tt.wantErr && !(strings.HasSuffix(tt.wantErr, "lstat ") && strings.HasPrefix(got, tt.wantErr)) {
				t.Errorf("error = %q\nwant    %q", got, tt.wantErr)
			}
			if rel.Digest != "" || rel.Images != nil {
				t.Errorf("release = %+v, want none", rel)
			}
		})
	}
}

// sparseTar returns a tar holding one GNU sparse file (PAX format 0.1) of
// size bytes, all of them a hole: go's tar writer cannot write one, so the
// PAX header block is patched in by hand.
func sparseTar(t *testing.T, name string, size int) []byte {
	t.Helper()
	var records string
	for _, kv := range [][2]string{
		{"GNU.sparse.major", "0"}, {"GNU.sparse.minor", "1"}, {"GNU.sparse.size", strconv.Itoa(size)},
		{"GNU.sparse.numblocks", "1"}, {"GNU.sparse.map", "0,0"},
	} {
		rec := " " + kv[0] + "=" + kv[1] + "\n"
		n := len(rec) + 2 // the length of the length, which is two digits here
		records += strconv.Itoa(n) + rec
	}
	b := rawTar(t, entryFile("PaxHeaders/x", records), entryFile(name, ""))
	hdr := b[:512]
	hdr[156] = tar.TypeXHeader
	copy(hdr[148:156], "        ")
	sum := 0
	for _, c := range hdr {
		sum += int(c)
	}
	copy(hdr[148:156], fmt.Sprintf("%06o\x00 ", sum))
	tr := tar.NewReader(bytes.NewReader(b))
	if h, err := tr.Next(); err != nil || h.Size != int64(size) || h.Name != name {
		t.Fatalf("sparse tar reads as %+v, %v", h, err)
	}
	return b
}

// withoutBlob returns archive without the config blob of img.
func withoutBlob(t *testing.T, archive []byte, img v1.Image) []byte {
	t.Helper()
	h, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	tr, tw := tar.NewReader(bytes.NewReader(archive)), tar.NewWriter(&b)
	for {
		hdr, err := tr.Next()
		if err != nil {
			break
		}
		if hdr.Name == "blobs/sha256/"+h.Hex {
			continue
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(tw, tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNormaliseOutput(t *testing.T) {
	f := newFixture(t)
	archive := tarDir(t, f.multiLayout(t, built, amd64), "")
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	if err := os.MkdirAll(filepath.Join(full, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "file")
	writeFile(t, file, "x")
	emptyDir := filepath.Join(tmp, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		created time.Time
		wantErr string
	}{
		{name: "new nested directory", dir: filepath.Join(tmp, "a", "b"), created: commit},
		{name: "empty directory", dir: emptyDir, created: commit},
		{name: "not empty", dir: full, created: commit, wantErr: "output directory " + full + " is not empty (holds old), want a new or empty directory"},
		{name: "a file", dir: file, created: commit, wantErr: "output directory: mkdir " + file + ": not a directory"},
		{name: "below a file", dir: filepath.Join(file, "x"), created: commit, wantErr: "output directory: mkdir " + file + ": not a directory"},
		{
			name: "year 10000", dir: filepath.Join(tmp, "late"), created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
			wantErr: "created time 10000-01-01 00:00:00 +0000 UTC: Time.MarshalText: year outside of range [0,9999]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Normalise(bytes.NewReader(archive), tt.dir, tt.created)
			if errText(err) != tt.wantErr {
				t.Fatalf("error = %q, want %q", errText(err), tt.wantErr)
			}
			if err == nil {
				if _, err := craneLoad(tt.dir); err != nil {
					t.Error(err)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(tmp, "late")); !os.IsNotExist(err) {
		t.Errorf("a bad created time made the output directory: %v", err)
	}
}

func TestEntryName(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{in: "index.json", want: "index.json"},
		{in: "./index.json", want: "index.json"},
		{in: "blobs/sha256/", want: "blobs/sha256"},
		{in: "./", want: "."},
		{in: ".", want: "."},
		{in: "blobs/./sha256//x", want: "blobs/sha256/x"},
		{in: "blobs/../index.json", want: "index.json"},
		{in: "..", wantErr: `OCI archive entry ".." is outside the archive, want relative paths such as blobs/sha256/<hex>`},
		{in: "./../x", wantErr: `OCI archive entry "./../x" is outside the archive, want relative paths such as blobs/sha256/<hex>`},
		{in: "/", wantErr: `OCI archive entry "/" is outside the archive, want relative paths such as blobs/sha256/<hex>`},
		{in: "/index.json", wantErr: `OCI archive entry "/index.json" is outside the archive, want relative paths such as blobs/sha256/<hex>`},
	}
	for _, tt := range tests {
		got, err := entryName(tt.in)
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("entryName(%q) = %q, %q; want %q, %q", tt.in, got, errText(err), tt.want, tt.wantErr)
		}
	}
}

func TestExtract(t *testing.T) {
	blobEntry, _ := blob("content")
	dir := t.TempDir()
	err := extract(bytes.NewReader(rawTar(t,
		entry{name: "./", typeflag: tar.TypeDir},
		entry{name: "blobs/", typeflag: tar.TypeDir},
		blobEntry,
		entryFile("./deep/er/file", "text"),
		entryFile("index.json", "one"),
		entryFile("index.json", "two"),
	)), dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		blobEntry.name: "content",
		"deep/er/file": "text",
		"index.json":   "two",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
	// A file where a directory should go.
	err = extract(bytes.NewReader(rawTar(t, entryFile("blobs", "x"), entry{name: "blobs/sha256/", typeflag: tar.TypeDir})), t.TempDir())
	if got := errText(err); !strings.HasPrefix(got, `OCI archive entry "blobs/sha256/": mkdir `) || !strings.HasSuffix(got, ": not a directory") {
		t.Errorf("error = %q, want a failed mkdir", got)
	}
	err = extract(bytes.NewReader(rawTar(t, entryFile("blobs", "x"), entryFile("blobs/sha256/x", "y"))), t.TempDir())
	if got := errText(err); !strings.HasPrefix(got, `OCI archive entry "blobs/sha256/x": mkdir `) || !strings.HasSuffix(got, ": not a directory") {
		t.Errorf("error = %q, want a failed mkdir", got)
	}
	err = extract(bytes.NewReader(rawTar(t, entry{name: "index.json", typeflag: tar.TypeDir}, entryFile("index.json", "y"))), t.TempDir())
	if got := errText(err); !strings.HasPrefix(got, `OCI archive entry "index.json": open `) || !strings.HasSuffix(got, ": is a directory") {
		t.Errorf("error = %q, want a failed open", got)
	}
}
