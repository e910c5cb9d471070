// Package oci assembles the release the way ko, crane append and apko do:
// the runtime base image exactly as its registry serves it (read from the
// OCI layout `crane pull --format=oci` writes), plus ONE layer the pipeline
// writes itself as a deterministic tar, with the base's config changed to
// run the service. Nothing is re-made by a container engine, so the release
// has the same digest whatever state an engine's cache is in: the base
// blobs are the registry's, byte for byte, and the added layer, config,
// manifests and index are a function of their inputs.
//
// The release is an OCI image layout whose index.json holds one image
// index that lists one image manifest per platform. The package also writes
// a layout as a deterministic tar, extracts the layout of one platform for
// tools that read a single image, reads back what the production checklist
// inspects, and compares a pushed image's layers with its base's.
package oci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Image is one platform's image in a release.
type Image struct {
	// Platform is the platform the pipeline asked for, e.g. "linux/arm64";
	// the index lists the image with the platform of its config, which may
	// add a variant ("linux/arm64/v8").
	Platform string
	// Digest is "sha256:<hex>" of its manifest.
	Digest string
	// Base is "sha256:<hex>" of the base image's manifest it was made from.
	Base string
}

// Release is a release layout.
type Release struct {
	Digest string  // "sha256:<hex>" of the release image index: what `crane push DIR REF` pushes and the registry serves
	Images []Image // in index order
}

// readable makes every file of the layout in dir world-readable (0644) and
// every directory 0755. go-containerregistry writes layer blobs through
// os.CreateTemp, mode 0600, and the tools that read a layout (crane, syft)
// may run as another user than the one that wrote it.
func readable(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(path, mode)
	})
	if err != nil {
		return fmt.Errorf("make layout %s readable: %w", dir, err)
	}
	return nil
}

// timestamp returns t in UTC as RFC 3339 with nanoseconds, the form JSON
// gives a time; years outside 0-9999 cannot be written so.
func timestamp(t time.Time) (string, error) {
	b, err := t.UTC().MarshalText()
	if err != nil {
		return "", fmt.Errorf("created time %s: %w", t.UTC(), err)
	}
	return string(b), nil
}

// emptyDir creates dir if it is missing and fails unless it is empty.
func emptyDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("output directory %s is not empty (holds %s), want a new or empty directory", dir, entries[0].Name())
	}
	return nil
}

// marshal returns v as compact JSON without escaping <, > and &, which JSON
// does not require.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
