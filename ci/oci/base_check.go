package oci

import (
	"bytes"
	"encoding/json"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Pulled is an image's manifest and config as a registry serves them.
type Pulled struct {
	Manifest, Config []byte
}

// SameBase checks that the image released for platform is its base image
// plus one layer, as the two registries serve them: the release manifest
// lists the base manifest's layers first, in the same order with the same
// digests, sizes and media types, then exactly one more; the release
// config's rootfs.diff_ids start with the base config's, then exactly one
// more. Each config must be the one its manifest names. A mismatch is one
// line that names the platform, the layer index and both digests.
func SameBase(platform string, release, base Pulled) error {
	rm, rc, err := parsePulled(release)
	if err != nil {
		return fmt.Errorf("%s: the release image: %w", platform, err)
	}
	bm, bc, err := parsePulled(base)
	if err != nil {
		return fmt.Errorf("%s: the base image: %w", platform, err)
	}
	n := len(bm.Layers)
	if len(rm.Layers) != n+1 {
		return fmt.Errorf("%s: the release image has %d layers, want the base image's %d and one more", platform, len(rm.Layers), n)
	}
	for i, want := range bm.Layers {
		got := rm.Layers[i]
		if got.Digest != want.Digest || got.Size != want.Size || got.MediaType != want.MediaType {
			return fmt.Errorf("%s: layer %d of the release is %s (%d bytes, %s), the base image's is %s (%d bytes, %s)",
				platform, i, got.Digest, got.Size, got.MediaType, want.Digest, want.Size, want.MediaType)
		}
	}
	if len(bc.RootFS.DiffIDs) != n || len(rc.RootFS.DiffIDs) != n+1 {
		return fmt.Errorf("%s: the release config lists %d diff_ids and the base config %d for %d base layers, want %d and %d",
			platform, len(rc.RootFS.DiffIDs), len(bc.RootFS.DiffIDs), n, n+1, n)
	}
	for i, want := range bc.RootFS.DiffIDs {
		if got := rc.RootFS.DiffIDs[i]; got != want {
			return fmt.Errorf("%s: diff_id %d of the release is %s, the base image's is %s", platform, i, got, want)
		}
	}
	return nil
}

// parsePulled parses a pulled manifest and config, checking that the config
// is the one the manifest names.
func parsePulled(p Pulled) (*v1.Manifest, *v1.ConfigFile, error) {
	m, err := v1.ParseManifest(bytes.NewReader(p.Manifest))
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	h, _, err := v1.SHA256(bytes.NewReader(p.Config))
	if err != nil {
		return nil, nil, err
	}
	if h != m.Config.Digest {
		return nil, nil, fmt.Errorf("config has digest %s, the manifest names %s", h, m.Config.Digest)
	}
	var c v1.ConfigFile
	if err := json.Unmarshal(p.Config, &c); err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	return m, &c, nil
}

// ConfigDigest returns the digest of the config a manifest names, to fetch
// the config by.
func ConfigDigest(manifest []byte) (string, error) {
	m, err := v1.ParseManifest(bytes.NewReader(manifest))
	if err != nil {
		return "", fmt.Errorf("manifest: %w", err)
	}
	if m.Config.Digest.Algorithm != "sha256" {
		return "", fmt.Errorf("manifest names config %q, want a sha256 digest", m.Config.Digest)
	}
	return m.Config.Digest.String(), nil
}
