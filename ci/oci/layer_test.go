package oci

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestLayerTar pins the added layer entry by entry: every file and each of
// its parent directories once, sorted, owned by root with no names,
// modified at the commit time in whole seconds.
func TestLayerTar(t *testing.T) {
	raw, err := layerTar(addedFiles("the binary"), commit.Add(999*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		name       string
		typeflag   byte
		mode       int64
		uid, gid   int
		uname      string
		gname      string
		mtime      time.Time
		body       string
		paxRecords int
	}
	want := []got{
		{"etc/", tar.TypeDir, 0o755, 0, 0, "", "", commit, "", 0},
		{"etc/group", tar.TypeReg, 0o644, 0, 0, "", "", commit, baseGroup + "docker-app:x:8080:\n", 0},
		{"etc/passwd", tar.TypeReg, 0o644, 0, 0, "", "", commit, basePasswd + "docker-app:x:8080:8080::/nonexistent:/sbin/nologin\n", 0},
		{"usr/", tar.TypeDir, 0o755, 0, 0, "", "", commit, "", 0},
		{"usr/local/", tar.TypeDir, 0o755, 0, 0, "", "", commit, "", 0},
		{"usr/local/bin/", tar.TypeDir, 0o755, 0, 0, "", "", commit, "", 0},
		{"usr/local/bin/echo-server", tar.TypeReg, 0o755, 0, 0, "", "", commit, "the binary", 0},
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	var entries []got
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, got{hdr.Name, hdr.Typeflag, hdr.Mode, hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname, hdr.ModTime.UTC(), string(body), len(hdr.PAXRecords)})
	}
	if len(entries) != len(want) {
		t.Fatalf("layer entries:\n got %+v\nwant %+v", entries, want)
	}
	for i := range want {
		if entries[i] != want[i] {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, entries[i], want[i])
		}
	}
	// Every mode an added file may have is kept as given: the limits of the
	// permission bits.
	for _, mode := range []fs.FileMode{0, 0o400, 0o555, 0o777} {
		raw, err := layerTar([]File{{Path: "/x", Mode: mode}}, commit)
		if err != nil {
			t.Fatal(err)
		}
		hdr, err := tar.NewReader(bytes.NewReader(raw)).Next()
		if err != nil || hdr.Name != "x" || fs.FileMode(hdr.Mode) != mode {
			t.Errorf("mode %v: entry %+v, %v", mode, hdr, err)
		}
	}
}

func TestLayerTarRejects(t *testing.T) {
	for _, tt := range []struct {
		name    string
		files   []File
		wantErr string
	}{
		{"relative path", []File{{Path: "usr/x"}}, `layer file "usr/x": want an absolute, clean path to a file`},
		{"dot-dot", []File{{Path: "/usr/../x"}}, `layer file "/usr/../x": want an absolute, clean path to a file`},
		{"trailing slash", []File{{Path: "/usr/x/"}}, `layer file "/usr/x/": want an absolute, clean path to a file`},
		{"double slash", []File{{Path: "//x"}}, `layer file "//x": want an absolute, clean path to a file`},
		{"root", []File{{Path: "/"}}, `layer file "/": want an absolute, clean path to a file`},
		{"empty", []File{{Path: ""}}, `layer file "": want an absolute, clean path to a file`},
		{"setuid", []File{{Path: "/x", Mode: 0o755 | fs.ModeSetuid}}, "layer file /x: mode urwxr-xr-x: want permission bits only"},
		{"setgid", []File{{Path: "/x", Mode: 0o755 | fs.ModeSetgid}}, "layer file /x: mode grwxr-xr-x: want permission bits only"},
		{"sticky", []File{{Path: "/x", Mode: 0o755 | fs.ModeSticky}}, "layer file /x: mode trwxr-xr-x: want permission bits only"},
		{"directory", []File{{Path: "/x", Mode: fs.ModeDir | 0o755}}, "layer file /x: mode drwxr-xr-x: want permission bits only"},
		{"twice", []File{{Path: "/x"}, {Path: "/x"}}, "layer file /x is listed twice"},
		{"file is a directory", []File{{Path: "/usr/local"}, {Path: "/usr/local/bin/x"}}, "layer file /usr/local is also the directory of another file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := layerTar(tt.files, commit)
			if errText(err) != tt.wantErr || raw != nil {
				t.Errorf("layerTar = %d bytes, %q\nwant error %q", len(raw), errText(err), tt.wantErr)
			}
		})
	}
}

// TestNewLayer: the layer is the tar, gzipped at the best compression with
// a header that names no file and no time, under the media type asked for;
// the same files give the same digest.
func TestNewLayer(t *testing.T) {
	for _, mt := range []types.MediaType{types.OCILayer, types.DockerLayer} {
		l, err := newLayer(addedFiles("bin"), commit, mt)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := l.MediaType(); err != nil || got != mt {
			t.Errorf("media type %s, %v; want %s", got, err, mt)
		}
		rc, err := l.Compressed()
		if err != nil {
			t.Fatal(err)
		}
		gz, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		// RFC 1952: ID1 ID2 CM FLG MTIME(4) XFL OS; XFL 2 is "maximum compression".
		if len(gz) < 10 || gz[3] != 0 || !bytes.Equal(gz[4:8], []byte{0, 0, 0, 0}) || gz[8] != 2 {
			t.Errorf("gzip header % x: want no flags, no mtime and XFL 2 (best compression)", gz[:10])
		}
		raw, err := layerTar(addedFiles("bin"), commit)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gunzip(t, gz), raw) {
			t.Error("the layer does not decompress to its tar")
		}
		again, err := newLayer(addedFiles("bin"), commit, mt)
		if err != nil {
			t.Fatal(err)
		}
		d1, _ := l.Digest()
		d2, _ := again.Digest()
		if d1 != d2 {
			t.Errorf("two layers of the same files: %s and %s", d1, d2)
		}
	}
	if _, err := newLayer([]File{{Path: "x"}}, commit, types.OCILayer); errText(err) != `layer file "x": want an absolute, clean path to a file` {
		t.Errorf("newLayer of a bad file: %v", err)
	}
}
