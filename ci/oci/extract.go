package oci

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// blobPrefix is the directory of sha256 blobs in an OCI layout.
const blobPrefix = "blobs/sha256/"

// extract writes the entries of the tar r below dir. Only directories and
// regular files are accepted, each at a relative path that stays inside dir
// ("./" prefixes are fine); links, special and sparse files are rejected, so
// nothing can point outside dir and nothing expands beyond the archive. The content of each blobs/sha256/<hex> file must
// have that digest.
func extract(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read OCI archive: %w", err)
		}
		name, err := entryName(hdr.Name)
		if err != nil {
			return err
		}
		if name == "." {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("OCI archive entry %q: %w", hdr.Name, err)
			}
		case tar.TypeReg:
			if sparse(hdr) {
				return fmt.Errorf("OCI archive entry %q is a sparse file, want only regular files and directories", hdr.Name)
			}
			if err := extractFile(tr, name, target); err != nil {
				return fmt.Errorf("OCI archive entry %q: %w", hdr.Name, err)
			}
		default:
			return fmt.Errorf("OCI archive entry %q has tar type %q, want only regular files and directories", hdr.Name, hdr.Typeflag)
		}
	}
}

// sparse reports whether hdr is a GNU sparse file in PAX format, whose holes
// the tar reader would expand: a small archive could fill the disk.
func sparse(hdr *tar.Header) bool {
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// entryName returns the clean slash-separated path of a tar entry, "." for
// the archive root, or an error when the path is absolute or leaves the
// archive.
func entryName(name string) (string, error) {
	clean := path.Clean(name)
	if clean == "." {
		return clean, nil
	}
	if !filepath.IsLocal(clean) {
		return "", fmt.Errorf("OCI archive entry %q is outside the archive, want relative paths such as %s<hex>", name, blobPrefix)
	}
	return clean, nil
}

// extractFile writes the current entry of tr to target; an entry named
// blobs/sha256/<hex> must have that digest.
func extractFile(tr io.Reader, name, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	var w io.Writer = f
	var h hash.Hash
	want, isBlob := strings.CutPrefix(name, blobPrefix)
	if isBlob {
		h = sha256.New()
		w = io.MultiWriter(f, h)
	}
	if _, err := io.Copy(w, tr); err != nil {
		return err
	}
	if isBlob {
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			return fmt.Errorf("content has digest sha256:%s, not the one its name says", got)
		}
	}
	return f.Close()
}
