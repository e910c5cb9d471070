package oci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// PlatformImage is what one platform's image is made of.
type PlatformImage struct {
	Platform string // as asked for, e.g. "linux/arm64"
	Base     Base
	Files    []File // the one layer added to the base
}

// Config is what the release changes in each base image's config.
type Config struct {
	// Created is the config's created time, and that of every history
	// entry: the commit time, so the same commit gives the same config.
	Created time.Time
	// CreatedBy describes the added layer in its history entry.
	CreatedBy    string
	User         string
	Entrypoint   []string // replaces the base's; the base's Cmd is dropped
	ExposedPorts []string // added to the base's, e.g. "8080/tcp"
	Healthcheck  Healthcheck
	Labels       map[string]string // added to the base's, replacing same keys
}

// Healthcheck is Docker's HEALTHCHECK as an image config holds it (the
// Healthcheck field Docker and Dagger read; durations in nanoseconds).
type Healthcheck struct {
	Test          []string      `json:"Test"` // ["CMD", args…] or ["CMD-SHELL", command]
	Interval      time.Duration `json:"Interval,omitempty"`
	Timeout       time.Duration `json:"Timeout,omitempty"`
	StartPeriod   time.Duration `json:"StartPeriod,omitempty"`
	StartInterval time.Duration `json:"StartInterval,omitempty"`
	Retries       int           `json:"Retries,omitempty"`
}

// Assemble writes to dir (created if missing, must be empty) the release of
// images: an OCI layout whose index.json lists one OCI image index, which
// lists one image per platform, in the order given. Each image is its
// base's manifest layers exactly as the base lists them (same blobs, same
// digests, same order), followed by one layer of its files; its config is
// the base's with cfg applied (only the fields cfg names change, every
// other field keeps its value, including fields no Go type here models),
// and the added layer's diff_id and history entry appended. The manifest
// keeps the media types of the base's (OCI or Docker) and drops its
// annotations, which describe the base. The same inputs give the same
// bytes, so the same release digest.
func Assemble(dir string, images []PlatformImage, cfg Config) (Release, error) {
	if len(images) == 0 {
		return Release{}, fmt.Errorf("assemble a release of no platform: want at least one")
	}
	stamp, err := timestamp(cfg.Created)
	if err != nil {
		return Release{}, err
	}
	if err := emptyDir(dir); err != nil {
		return Release{}, err
	}
	var (
		adds    []mutate.IndexAddendum
		release Release
		seen    = map[string]string{}
	)
	for _, pi := range images {
		want, err := v1.ParsePlatform(pi.Platform)
		if err != nil || want.OS == "" || want.Architecture == "" {
			return Release{}, fmt.Errorf("platform %q: want os/arch[/variant], e.g. linux/arm64", pi.Platform)
		}
		if !pi.Base.Platform.Satisfies(*want) {
			return Release{}, fmt.Errorf("the base image %s is %s, not %s: want a base that has %s", pi.Base.Digest, pi.Base.Platform.String(), pi.Platform, pi.Platform)
		}
		if other, dup := seen[pi.Base.Digest.String()]; dup {
			return Release{}, fmt.Errorf("platforms %s and %s are the same base image %s: want each platform once", other, pi.Platform, pi.Base.Digest)
		}
		seen[pi.Base.Digest.String()] = pi.Platform
		img, err := assembleImage(pi, cfg, stamp)
		if err != nil {
			return Release{}, fmt.Errorf("assemble the %s image: %w", pi.Platform, err)
		}
		h, err := img.Digest()
		if err != nil {
			return Release{}, fmt.Errorf("assemble the %s image: %w", pi.Platform, err)
		}
		adds = append(adds, mutate.IndexAddendum{Add: img})
		release.Images = append(release.Images, Image{Platform: pi.Platform, Digest: h.String(), Base: pi.Base.Digest.String()})
	}
	idx := mutate.AppendManifests(empty.Index, adds...)
	h, err := idx.Digest()
	if err != nil {
		return Release{}, fmt.Errorf("release index: %w", err)
	}
	release.Digest = h.String()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return Release{}, fmt.Errorf("write release layout %s: %w", dir, err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		return Release{}, fmt.Errorf("write release layout %s: %w", dir, err)
	}
	if err := readable(dir); err != nil {
		return Release{}, err
	}
	return release, nil
}

// assembleImage returns the image of pi: its base plus one layer of its
// files, with cfg applied to the base's config.
func assembleImage(pi PlatformImage, cfg Config, stamp string) (v1.Image, error) {
	bm, err := pi.Base.Image.Manifest()
	if err != nil {
		return nil, fmt.Errorf("base manifest: %w", err)
	}
	layerType := types.OCILayer
	if bm.MediaType == types.DockerManifestSchema2 {
		layerType = types.DockerLayer
	} else if bm.MediaType != types.OCIManifestSchema1 {
		return nil, fmt.Errorf("base manifest %s has media type %q, want %s or %s", pi.Base.Digest, bm.MediaType, types.OCIManifestSchema1, types.DockerManifestSchema2)
	}
	added, err := newLayer(pi.Files, cfg.Created, layerType)
	if err != nil {
		return nil, err
	}
	ld, err := partial.Descriptor(added)
	if err != nil {
		return nil, fmt.Errorf("added layer: %w", err)
	}
	diffID, err := added.DiffID()
	if err != nil {
		return nil, fmt.Errorf("added layer: %w", err)
	}
	raw, err := pi.Base.Image.RawConfigFile()
	if err != nil {
		return nil, fmt.Errorf("base config: %w", err)
	}
	config, err := configJSON(raw, cfg, stamp, len(bm.Layers), diffID)
	if err != nil {
		return nil, err
	}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     bm.MediaType,
		Config:        v1.Descriptor{MediaType: bm.Config.MediaType},
		Layers:        append(slices.Clone(bm.Layers), v1.Descriptor{MediaType: layerType, Size: ld.Size, Digest: ld.Digest}),
	}
	if m.Config.Digest, m.Config.Size, err = v1.SHA256(bytes.NewReader(config)); err != nil {
		return nil, err
	}
	manifest, err := marshal(m)
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	desc := v1.Descriptor{MediaType: bm.MediaType, Platform: &pi.Base.Platform}
	if desc.Digest, desc.Size, err = v1.SHA256(bytes.NewReader(manifest)); err != nil {
		return nil, err
	}
	return partial.CompressedToImage(&image{base: pi.Base.Image, added: added, addedDigest: ld.Digest, config: config, manifest: manifest, desc: desc})
}

// configJSON returns the base's raw config with cfg applied: created and
// every history entry's created set to stamp, a history entry for the added
// layer, its diff_id appended to rootfs.diff_ids (which must list the base's
// layers, baseLayers of them), and in config: User, Entrypoint, Healthcheck
// set, Cmd dropped, ExposedPorts and Labels added to. The JSON is decoded
// only down to the fields it changes; every other value is written back as
// read (keys sorted, insignificant space dropped).
func configJSON(raw []byte, cfg Config, stamp string, baseLayers int, diffID v1.Hash) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		return nil, fmt.Errorf("base config is not a JSON object")
	}
	var rootfs v1.RootFS
	if err := json.Unmarshal(top["rootfs"], &rootfs); err != nil || len(rootfs.DiffIDs) != baseLayers {
		return nil, fmt.Errorf("base config rootfs lists %d diff_ids for %d layers, want one per layer", len(rootfs.DiffIDs), baseLayers)
	}
	rootfs.DiffIDs = append(rootfs.DiffIDs, diffID)

	var history []map[string]json.RawMessage
	if h, ok := top["history"]; ok {
		if err := json.Unmarshal(h, &history); err != nil {
			return nil, fmt.Errorf("base config history is not a list of objects")
		}
	}
	created, _ := marshal(stamp) // a string always marshals
	for i, entry := range history {
		if entry == nil {
			return nil, fmt.Errorf("base config history entry %d is not an object", i)
		}
		entry["created"] = created
	}
	createdBy, _ := marshal(cfg.CreatedBy)
	history = append(history, map[string]json.RawMessage{"created": created, "created_by": createdBy})

	var c map[string]json.RawMessage
	if b, ok := top["config"]; ok && string(b) != "null" {
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("base config's config is not a JSON object")
		}
	}
	if c == nil {
		c = map[string]json.RawMessage{}
	}
	ports := map[string]struct{}{}
	labels := map[string]string{}
	for key, into := range map[string]any{"ExposedPorts": &ports, "Labels": &labels} {
		if b, ok := c[key]; ok && string(b) != "null" {
			if err := json.Unmarshal(b, into); err != nil {
				return nil, fmt.Errorf("base config's %s: %w", key, err)
			}
		}
	}
	for _, p := range cfg.ExposedPorts {
		ports[p] = struct{}{}
	}
	maps.Copy(labels, cfg.Labels)
	delete(c, "Cmd")
	var err error
	for key, v := range map[string]any{
		"User":         cfg.User,
		"Entrypoint":   cfg.Entrypoint,
		"Healthcheck":  cfg.Healthcheck,
		"ExposedPorts": ports,
		"Labels":       labels,
	} {
		if c[key], err = marshal(v); err != nil {
			return nil, fmt.Errorf("write config %s: %w", key, err)
		}
	}
	for key, v := range map[string]any{"created": stamp, "history": history, "rootfs": rootfs, "config": c} {
		if top[key], err = marshal(v); err != nil {
			return nil, fmt.Errorf("write config %s: %w", key, err)
		}
	}
	return marshal(top)
}

// image is an assembled image: the base's layers plus one, with a config
// and manifest of its own. partial.CompressedToImage completes it into a
// v1.Image, deriving digests and sizes from the raw manifest and config.
type image struct {
	base        v1.Image
	added       v1.Layer
	addedDigest v1.Hash
	config      []byte
	manifest    []byte
	desc        v1.Descriptor
}

var _ partial.CompressedImageCore = (*image)(nil)

// RawConfigFile returns the config.
func (i *image) RawConfigFile() ([]byte, error) { return i.config, nil }

// MediaType returns the media type of the manifest.
func (i *image) MediaType() (types.MediaType, error) { return i.desc.MediaType, nil }

// RawManifest returns the manifest.
func (i *image) RawManifest() ([]byte, error) { return i.manifest, nil }

// Descriptor returns the descriptor an index lists the image with: its
// media type, digest, size and the platform of its config.
func (i *image) Descriptor() (*v1.Descriptor, error) {
	d := i.desc
	return &d, nil
}

// LayerByDigest returns the added layer, or the base's very blob.
func (i *image) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if h == i.addedDigest {
		return i.added, nil
	}
	return i.base.LayerByDigest(h)
}
