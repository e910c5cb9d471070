package oci

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Base is one platform's image of the runtime base as its registry serves
// it.
type Base struct {
	Image    v1.Image
	Digest   v1.Hash     // of its manifest, as the registry names it
	Platform v1.Platform // of its config
}

// ReadBase reads the base image in the OCI layout dir, as
// `crane pull --format=oci --platform P REF DIR` writes it: index.json lists
// one image manifest. Every blob of the image (manifest, config, layers) is
// checked against its digest, so what the release is made of is what the
// registry served, whatever happened to the files since.
func ReadBase(dir string) (Base, error) {
	ii, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return Base{}, fmt.Errorf("base image layout %s: %w", dir, err)
	}
	im, err := ii.IndexManifest()
	if err != nil {
		return Base{}, fmt.Errorf("base image layout %s: index.json: %w", dir, err)
	}
	if len(im.Manifests) != 1 || !im.Manifests[0].MediaType.IsImage() {
		return Base{}, fmt.Errorf("base image layout %s: index.json must list exactly one image manifest, as crane pull --format=oci --platform writes", dir)
	}
	desc := im.Manifests[0]
	img, err := ii.Image(desc.Digest)
	if err != nil {
		return Base{}, fmt.Errorf("base image layout %s: %w", dir, err)
	}
	if err := verify(dir, img, desc.Digest); err != nil {
		return Base{}, fmt.Errorf("base image layout %s: %w", dir, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return Base{}, fmt.Errorf("base image layout %s: config: %w", dir, err)
	}
	p := cf.Platform()
	if p == nil || p.OS == "" || p.Architecture == "" {
		return Base{}, fmt.Errorf("base image layout %s: its config names no os and architecture", dir)
	}
	return Base{Image: img, Digest: desc.Digest, Platform: *p}, nil
}

// verify checks the manifest, config and layer blobs of img, read from the
// layout in dir, against their digests.
func verify(dir string, img v1.Image, digest v1.Hash) error {
	raw, err := img.RawManifest()
	if err != nil {
		return fmt.Errorf("manifest %s: %w", digest, err)
	}
	if err := same(raw, digest, "manifest"); err != nil {
		return err
	}
	m, err := img.Manifest()
	if err != nil {
		return fmt.Errorf("manifest %s: %w", digest, err)
	}
	config, err := img.RawConfigFile()
	if err != nil {
		return fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	if err := same(config, m.Config.Digest, "config"); err != nil {
		return err
	}
	for _, l := range m.Layers {
		if err := verifyBlob(dir, l.Digest); err != nil {
			return err
		}
	}
	return nil
}

// same checks that b has digest want.
func same(b []byte, want v1.Hash, what string) error {
	got, _, err := v1.SHA256(bytes.NewReader(b))
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s blob %s holds content of digest %s", what, want, got)
	}
	return nil
}

// verifyBlob checks that the blob file of h in the layout dir has digest h.
func verifyBlob(dir string, h v1.Hash) error {
	f, err := os.Open(filepath.Join(dir, "blobs", "sha256", h.Hex))
	if err != nil {
		return fmt.Errorf("layer %s: %w", h, err)
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return fmt.Errorf("layer %s: %w", h, err)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != h.Hex {
		return fmt.Errorf("layer blob %s holds content of digest sha256:%s", h, got)
	}
	return nil
}

// ReadFile returns the content of the regular file at the absolute path name
// in the base image's filesystem (its layers applied in order, whiteouts
// honoured), e.g. /etc/passwd.
func (b Base) ReadFile(name string) (string, error) {
	want := strings.TrimPrefix(name, "/")
	rc := mutate.Extract(b.Image)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read %s of the base image %s: no such file", name, b.Digest)
		}
		if err != nil {
			return "", fmt.Errorf("read %s of the base image %s: %w", name, b.Digest, err)
		}
		if strings.TrimPrefix(hdr.Name, "/") != want {
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return "", fmt.Errorf("read %s of the base image %s: not a regular file (tar type %q)", name, b.Digest, hdr.Typeflag)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			return "", fmt.Errorf("read %s of the base image %s: %w", name, b.Digest, err)
		}
		return string(content), nil
	}
}
