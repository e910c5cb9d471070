package oci

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// File is a file the pipeline adds to the base image. Everything added is
// owned by root.
type File struct {
	Path string      // absolute, e.g. /usr/local/bin/echo-server
	Mode fs.FileMode // permission bits, e.g. 0o755
	Data []byte
}

// dirMode is the mode of every directory the layer names.
const dirMode = 0o755

// layerTar returns the layer of files as a tar: every file and each of its
// parent directories (mode 0755) once, sorted by name, owned by uid and gid
// 0 with no user or group names, modified at mtime (whole seconds). The same
// files and time give the same bytes on every machine.
func layerTar(files []File, mtime time.Time) ([]byte, error) {
	entries := map[string]*File{}
	for i, f := range files {
		clean := path.Clean(f.Path)
		if !path.IsAbs(f.Path) || clean != f.Path || clean == "/" {
			return nil, fmt.Errorf("layer file %q: want an absolute, clean path to a file", f.Path)
		}
		if f.Mode&^fs.ModePerm != 0 {
			return nil, fmt.Errorf("layer file %s: mode %s: want permission bits only", f.Path, f.Mode)
		}
		name := strings.TrimPrefix(clean, "/")
		if _, dup := entries[name]; dup {
			return nil, fmt.Errorf("layer file %s is listed twice", f.Path)
		}
		entries[name] = &files[i]
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			entries[dir+"/"] = nil
		}
	}
	for name, f := range entries {
		if _, isDir := entries[name+"/"]; f != nil && isDir {
			return nil, fmt.Errorf("layer file /%s is also the directory of another file", name)
		}
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	mtime = mtime.Truncate(time.Second)
	for _, name := range slices.Sorted(maps.Keys(entries)) {
		hdr := &tar.Header{Name: name, ModTime: mtime, Format: tar.FormatPAX}
		f := entries[name]
		if f == nil {
			hdr.Typeflag, hdr.Mode = tar.TypeDir, dirMode
		} else {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeReg, int64(f.Mode), int64(len(f.Data))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("layer entry %s: %w", name, err)
		}
		if f != nil {
			if _, err := tw.Write(f.Data); err != nil {
				return nil, fmt.Errorf("layer entry %s: %w", name, err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return b.Bytes(), nil
}

// layerCompression is the gzip level of the added layer. The same Go
// version compresses the same bytes the same way.
const layerCompression = gzip.BestCompression

// newLayer returns the layer of files, gzip-compressed, with media type mt.
func newLayer(files []File, mtime time.Time, mt types.MediaType) (v1.Layer, error) {
	raw, err := layerTar(files, mtime)
	if err != nil {
		return nil, err
	}
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	}, tarball.WithMediaType(mt), tarball.WithCompressionLevel(layerCompression))
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return l, nil
}
