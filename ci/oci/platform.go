package oci

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// ExtractPlatform writes to out (created if missing, must be empty) a layout
// holding only the image of the given platform of the release layout in dir:
// index.json lists that image manifest directly, with the descriptor it has
// in the release index (platform set), for SBOM scanners that read one image
// (syft `oci-dir:`).
func ExtractPlatform(dir, platform, out string) (Image, error) {
	idx, desc, err := platformImage(dir, platform)
	if err != nil {
		return Image{}, err
	}
	img, err := idx.Image(desc.Digest)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", desc.Digest, err)
	}
	if err := emptyDir(out); err != nil {
		return Image{}, err
	}
	lp, err := layout.Write(out, empty.Index)
	if err != nil {
		return Image{}, fmt.Errorf("write layout %s: %w", out, err)
	}
	if err := lp.WriteImage(img); err != nil {
		return Image{}, fmt.Errorf("write layout %s: %w", out, err)
	}
	if err := lp.AppendDescriptor(desc); err != nil {
		return Image{}, fmt.Errorf("write layout %s: %w", out, err)
	}
	if err := readable(out); err != nil {
		return Image{}, err
	}
	return Image{Platform: platform, Digest: desc.Digest.String()}, nil
}

// platformImage returns the release index of the layout in dir and the
// descriptor of its image for platform (os/arch[/variant], e.g.
// "linux/arm64"): the first whose platform satisfies it, as registries and
// crane --platform choose (a variant asked for must match; none asked for
// matches any). An unknown platform is an error that lists those there are.
func platformImage(dir, platform string) (v1.ImageIndex, v1.Descriptor, error) {
	want, err := v1.ParsePlatform(platform)
	if err != nil || want.OS == "" || want.Architecture == "" {
		return nil, v1.Descriptor{}, fmt.Errorf("platform %q: want os/arch[/variant], e.g. linux/arm64", platform)
	}
	idx, err := releaseIndex(dir)
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("release index in %s: %w", dir, err)
	}
	var have []string
	for _, desc := range im.Manifests {
		if desc.Platform == nil {
			continue
		}
		if desc.Platform.Satisfies(*want) {
			return idx, desc, nil
		}
		have = append(have, desc.Platform.String())
	}
	return nil, v1.Descriptor{}, fmt.Errorf("platform %q is not in the release in %s, it has: %s", platform, dir, strings.Join(have, ", "))
}

// releaseIndex returns the one image index that index.json of the layout in
// dir lists, as Assemble writes it.
func releaseIndex(dir string) (v1.ImageIndex, error) {
	ii, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("release layout %s: %w", dir, err)
	}
	im, err := ii.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("release layout %s: index.json: %w", dir, err)
	}
	if len(im.Manifests) != 1 || !im.Manifests[0].MediaType.IsIndex() {
		return nil, fmt.Errorf("release layout %s: index.json must list exactly one image index, as Assemble writes", dir)
	}
	idx, err := ii.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		return nil, fmt.Errorf("release layout %s: %w", dir, err)
	}
	return idx, nil
}
