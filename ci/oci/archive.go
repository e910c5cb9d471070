package oci

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// blobPrefix is the directory of sha256 blobs in an OCI layout.
const blobPrefix = "blobs/sha256/"

// blobName matches the file name of a sha256 blob.
var blobName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// layoutNames lists what the top of a layout holds, in archive order.
var layoutNames = []string{"oci-layout", "index.json", "blobs"}

// WriteArchive writes the layout in dir as a deterministic tar: entries named
// `oci-layout`, `index.json`, `blobs/`, `blobs/sha256/`, then each
// `blobs/sha256/<hex>` in name order (no "./" prefix and no "./" entry, which
// syft rejects as path traversal), uid/gid 0 without user or group names,
// mode 0644 for files and 0755 for directories, modification time Unix 0.
// The same layout gives the same bytes. A layout holding anything else is
// rejected.
func WriteArchive(dir string, w io.Writer) error {
	blobs, err := layoutBlobs(dir)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	entries := append([]string{"oci-layout", "index.json", "blobs/", blobPrefix}, blobs...)
	for _, name := range entries {
		if err := writeEntry(tw, dir, name); err != nil {
			return fmt.Errorf("write archive of %s: %s: %w", dir, name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write archive of %s: %w", dir, err)
	}
	return nil
}

// layoutBlobs returns the names of the blobs of the layout in dir, after
// checking that it holds only oci-layout, index.json and blobs/sha256/<hex>.
func layoutBlobs(dir string) ([]string, error) {
	for _, d := range []struct {
		path string
		want []string
	}{
		{dir, layoutNames},
		{filepath.Join(dir, "blobs"), []string{"sha256"}},
	} {
		entries, err := os.ReadDir(d.path)
		if err != nil {
			return nil, fmt.Errorf("read layout: %w", err)
		}
		for _, e := range entries {
			if !slices.Contains(d.want, e.Name()) {
				return nil, unexpected(dir, filepath.Join(d.path, e.Name()))
			}
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	var blobs []string
	for _, e := range entries {
		if !blobName.MatchString(e.Name()) {
			return nil, unexpected(dir, filepath.Join(dir, "blobs", "sha256", e.Name()))
		}
		blobs = append(blobs, blobPrefix+e.Name())
	}
	return blobs, nil
}

// unexpected is the error for a path a layout must not hold.
func unexpected(dir, path string) error {
	return fmt.Errorf("layout %s holds %s, want only oci-layout, index.json and %s<hex> files", dir, path, blobPrefix)
}

// writeEntry writes the tar entry name of the layout in dir: a directory when
// name ends in "/", else a regular file and its content.
func writeEntry(tw *tar.Writer, dir, name string) error {
	hdr := &tar.Header{
		Name:    name,
		ModTime: time.Unix(0, 0),
		Format:  tar.FormatUSTAR,
	}
	if name[len(name)-1] == '/' {
		hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		return tw.WriteHeader(hdr)
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("not a regular file")
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeReg, 0o644, info.Size()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
