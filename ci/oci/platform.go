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
// (syft `oci-dir:`). The platform is matched exactly against os/arch[/variant], e.g.
// "linux/arm64"; an unknown one is an error that lists the platforms there are.
func ExtractPlatform(dir, platform, out string) (Image, error) {
	idx, err := releaseIndex(dir)
	if err != nil {
		return Image{}, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return Image{}, fmt.Errorf("release index in %s: %w", dir, err)
	}
	var have []string
	for _, desc := range im.Manifests {
		if desc.Platform == nil {
			continue
		}
		if desc.Platform.String() == platform {
			return extractImage(idx, desc, out)
		}
		have = append(have, desc.Platform.String())
	}
	return Image{}, fmt.Errorf("platform %q is not in the release in %s, it has: %s", platform, dir, strings.Join(have, ", "))
}

// releaseIndex returns the one image index that index.json of the layout in
// dir lists, as Normalise writes it.
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
		return nil, fmt.Errorf("release layout %s: index.json must list exactly one image index, as Normalise writes", dir)
	}
	idx, err := ii.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		return nil, fmt.Errorf("release layout %s: %w", dir, err)
	}
	return idx, nil
}

// extractImage writes the image desc names to a new layout in out whose
// index.json lists desc.
func extractImage(idx v1.ImageIndex, desc v1.Descriptor, out string) (Image, error) {
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
	return Image{Platform: desc.Platform.String(), Digest: desc.Digest.String()}, nil
}
