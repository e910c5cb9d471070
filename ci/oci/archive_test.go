package oci

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/types"
)

// release returns the directory of a release of a new test base.
func release(t *testing.T) (string, Release) {
	t.Helper()
	_, ref := publishBase(t, types.OCIManifestSchema1)
	return assembled(t, ref)
}

func TestWriteArchive(t *testing.T) {
	dir, _ := release(t)
	var b bytes.Buffer
	if err := WriteArchive(dir, &b); err != nil {
		t.Fatal(err)
	}
	blobs, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"oci-layout", "index.json", "blobs/", "blobs/sha256/"}
	for _, e := range blobs {
		wantNames = append(wantNames, "blobs/sha256/"+e.Name())
	}
	// Two manifests, configs and added layers, one index, and the base's
	// layers: one per platform and one both platforms share.
	if len(blobs) != 10 {
		t.Errorf("release holds %d blobs, want 10", len(blobs))
	}

	var names []string
	tr := tar.NewReader(&b)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		want := tar.Header{
			Name:     hdr.Name,
			Typeflag: tar.TypeReg,
			Mode:     0o644,
			ModTime:  time.Unix(0, 0),
			Format:   tar.FormatUSTAR,
			Size:     hdr.Size,
		}
		if strings.HasSuffix(hdr.Name, "/") {
			want.Typeflag, want.Mode, want.Size = tar.TypeDir, 0o755, 0
		}
		got := *hdr
		got.AccessTime, got.ChangeTime = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("header %+v\nwant   %+v", got, want)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if want.Typeflag == tar.TypeReg {
			onDisk, err := os.ReadFile(filepath.Join(dir, hdr.Name))
			if err != nil || !bytes.Equal(content, onDisk) {
				t.Errorf("%s: archive content differs from the layout (%v)", hdr.Name, err)
			}
		}
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("entries = %q\nwant      %q", names, wantNames)
	}

	// The same layout, written again and copied elsewhere, gives the same bytes.
	var again bytes.Buffer
	copied := copyDir(t, dir)
	if err := os.Chtimes(filepath.Join(copied, "index.json"), time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(copied, "oci-layout"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteArchive(copied, &again); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := WriteArchive(dir, &first); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("the same layout gives other bytes")
	}
}

// copyDir copies the regular files and directories below dir to a new
// directory.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "copy")
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(out, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, rel), b, 0o640)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteArchiveRejects(t *testing.T) {
	dir, _ := release(t)
	hex := strings.Repeat("a", 64)
	tests := []struct {
		name    string
		change  func(t *testing.T, dir string)
		wantErr string // %s is the directory
	}{
		{
			name:    "extra file",
			change:  func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "manifest.json"), "[]") },
			wantErr: "layout %[1]s holds %[1]s/manifest.json, want only oci-layout, index.json and blobs/sha256/<hex> files",
		},
		{
			name:    "other digest algorithm",
			change:  func(t *testing.T, dir string) { mkdir(t, filepath.Join(dir, "blobs", "sha512")) },
			wantErr: "layout %[1]s holds %[1]s/blobs/sha512, want only oci-layout, index.json and blobs/sha256/<hex> files",
		},
		{
			name:    "blob not named by a digest",
			change:  func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "blobs", "sha256", hex+".tmp"), "x") },
			wantErr: "layout %[1]s holds %[1]s/blobs/sha256/" + hex + ".tmp, want only oci-layout, index.json and blobs/sha256/<hex> files",
		},
		{
			name: "blob named by an upper-case digest",
			change: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "blobs", "sha256", strings.ToUpper(hex)), "x")
			},
			wantErr: "layout %[1]s holds %[1]s/blobs/sha256/" + strings.ToUpper(hex) + ", want only oci-layout, index.json and blobs/sha256/<hex> files",
		},
		{
			name:    "blob named by a short digest",
			change:  func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "blobs", "sha256", "x"+hex), "x") },
			wantErr: "layout %[1]s holds %[1]s/blobs/sha256/x" + hex + ", want only oci-layout, index.json and blobs/sha256/<hex> files",
		},
		{
			name:    "blob is a directory",
			change:  func(t *testing.T, dir string) { mkdir(t, filepath.Join(dir, "blobs", "sha256", hex)) },
			wantErr: "write archive of %[1]s: blobs/sha256/" + hex + ": not a regular file",
		},
		{
			name: "index.json is a link",
			change: func(t *testing.T, dir string) {
				remove(t, filepath.Join(dir, "index.json"))
				if err := os.Symlink("oci-layout", filepath.Join(dir, "index.json")); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: "write archive of %[1]s: index.json: not a regular file",
		},
		{
			name:    "no oci-layout",
			change:  func(t *testing.T, dir string) { remove(t, filepath.Join(dir, "oci-layout")) },
			wantErr: "write archive of %[1]s: oci-layout: lstat %[1]s/oci-layout: no such file or directory",
		},
		{
			name:    "no blobs",
			change:  func(t *testing.T, dir string) { remove(t, filepath.Join(dir, "blobs")) },
			wantErr: "read layout: open %[1]s/blobs: no such file or directory",
		},
		{
			name: "no sha256 blobs",
			change: func(t *testing.T, dir string) {
				remove(t, filepath.Join(dir, "blobs", "sha256"))
			},
			wantErr: "read layout: open %[1]s/blobs/sha256: no such file or directory",
		},
		{
			name:    "no layout",
			change:  func(t *testing.T, dir string) { remove(t, dir) },
			wantErr: "read layout: open %[1]s: no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := copyDir(t, dir)
			tt.change(t, d)
			var b bytes.Buffer
			err := WriteArchive(d, &b)
			if want := strings.ReplaceAll(tt.wantErr, "%[1]s", d); errText(err) != want {
				t.Errorf("error = %q\nwant    %q", errText(err), want)
			}
		})
	}
}

func TestWriteArchiveWriterFails(t *testing.T) {
	dir, _ := release(t)
	tests := []struct {
		limit   int
		wantErr string
	}{
		{limit: 0, wantErr: "write archive of %s: oci-layout: no space"},
		{limit: 520, wantErr: "write archive of %s: oci-layout: no space"},
		{limit: 3 * 512, wantErr: "write archive of %s: index.json: no space"},
	}
	for _, tt := range tests {
		err := WriteArchive(dir, &limitWriter{n: tt.limit})
		if want := strings.ReplaceAll(tt.wantErr, "%s", dir); errText(err) != want {
			t.Errorf("limit %d: error = %q, want %q", tt.limit, errText(err), want)
		}
	}
	// Everything but the end of the archive fits.
	var b bytes.Buffer
	if err := WriteArchive(dir, &b); err != nil {
		t.Fatal(err)
	}
	err := WriteArchive(dir, &limitWriter{n: b.Len() - 1024})
	if want := "write archive of " + dir + ": no space"; errText(err) != want {
		t.Errorf("error = %q, want %q", errText(err), want)
	}
}

// limitWriter accepts n bytes, then fails.
type limitWriter struct{ n int }

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errors.New("no space")
	}
	w.n -= len(p)
	return len(p), nil
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
}
