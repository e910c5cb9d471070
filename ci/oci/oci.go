// Package oci turns the OCI archive of a container image, as Dagger's
// Container.AsTarball writes it, into a reproducible release: an OCI image
// layout whose index.json holds one image index that lists every platform
// image. The time in every image config (created and each history entry) is
// set to a chosen time, such as the commit time, and the layers stay the very
// same blobs, so the same inputs give the same release digest on every build.
//
// The package also writes a layout as a deterministic tar (the same layout
// gives the same bytes) and extracts the layout of one platform image for
// tools that read a single image.
package oci

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// createdAnnotation is the OCI annotation that holds the creation time.
const createdAnnotation = "org.opencontainers.image.created"

// Image is one platform's image in a release.
type Image struct {
	Platform string // "linux/arm64" (os/arch[/variant])
	Digest   string // "sha256:<hex>" of its manifest
}

// Release is a normalised release layout.
type Release struct {
	Digest string  // "sha256:<hex>" of the release image index: what `crane push DIR REF` pushes and the registry serves
	Images []Image // in index order
}

// Normalise reads the OCI archive written by Dagger's Container.AsTarball and
// writes to dir (created if missing, must be empty) an OCI image layout whose
// index.json holds exactly one descriptor: the release image index (media type
// OCI image index), which lists every platform image manifest with its
// platform.
//
// In every image config `created` and every `history[].created` become
// created (in UTC, RFC 3339); the config is patched as raw JSON, so every
// other field keeps its value, including fields go-containerregistry does not
// model. Layers stay the very same blobs. Manifest, index and descriptor
// annotations and descriptor platforms are kept, except that any annotation
// org.opencontainers.image.created is set to created too. Manifest, config
// and index digests are recomputed.
//
// Accepted archives: index.json holding one descriptor of an image index that
// lists image manifests (multi-platform), or one descriptor of an image
// manifest (single-platform; a docker manifest.json beside it is ignored).
// The release of a single-platform archive is still an index, listing that
// one image with the platform of its config. Blob names are checked against
// their content; links, special and sparse files and entries outside the
// archive are rejected. On error dir may hold a partial layout.
func Normalise(archive io.Reader, dir string, created time.Time) (Release, error) {
	stamp, err := timestamp(created)
	if err != nil {
		return Release{}, err
	}
	if err := emptyDir(dir); err != nil {
		return Release{}, err
	}
	src, err := os.MkdirTemp("", "oci-archive-")
	if err != nil {
		return Release{}, fmt.Errorf("normalise OCI archive: %w", err)
	}
	defer os.RemoveAll(src)

	if err := extract(archive, src); err != nil {
		return Release{}, err
	}
	in, err := readArchive(src)
	if err != nil {
		return Release{}, err
	}
	idx, release, err := stampIndex(in, stamp)
	if err != nil {
		return Release{}, err
	}
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return Release{}, fmt.Errorf("write release layout %s: %w", dir, err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(stampAnnotations(in.rootAnnotations, stamp))); err != nil {
		return Release{}, fmt.Errorf("write release layout %s: %w", dir, err)
	}
	if err := readable(dir); err != nil {
		return Release{}, err
	}
	return release, nil
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

// timestamp returns created in UTC as RFC 3339 with nanoseconds, the form
// JSON gives a time; years outside 0-9999 cannot be written so.
func timestamp(created time.Time) (string, error) {
	b, err := created.UTC().MarshalText()
	if err != nil {
		return "", fmt.Errorf("created time %s: %w", created.UTC(), err)
	}
	return string(b), nil
}

// stampIndex returns the release index of the images in, each normalised to
// stamp, and its summary.
func stampIndex(in archive, stamp string) (v1.ImageIndex, Release, error) {
	var (
		adds      []mutate.IndexAddendum
		release   Release
		platforms = map[string]bool{}
	)
	for _, src := range in.images {
		img, desc, err := stampImage(src.img, src.desc, stamp)
		if err != nil {
			return nil, Release{}, fmt.Errorf("image %s: %w", src.desc.Digest, err)
		}
		p := desc.Platform.String()
		if platforms[p] {
			return nil, Release{}, fmt.Errorf("the image index lists platform %s twice, want one image per platform", p)
		}
		platforms[p] = true
		adds = append(adds, mutate.IndexAddendum{Add: img})
		release.Images = append(release.Images, Image{Platform: p, Digest: desc.Digest.String()})
	}
	// Without annotations (nil or empty) mutate.Annotations changes nothing.
	idx := mutate.Annotations(mutate.AppendManifests(empty.Index, adds...),
		stampAnnotations(in.indexAnnotations, stamp)).(v1.ImageIndex)
	h, err := idx.Digest()
	if err != nil {
		return nil, Release{}, fmt.Errorf("release index: %w", err)
	}
	release.Digest = h.String()
	return idx, release, nil
}

// stampAnnotations returns anns with org.opencontainers.image.created set to
// stamp when anns has it; anns itself is not changed.
func stampAnnotations(anns map[string]string, stamp string) map[string]string {
	if _, ok := anns[createdAnnotation]; !ok {
		return anns
	}
	out := maps.Clone(anns)
	out[createdAnnotation] = stamp
	return out
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

// archive is what an extracted OCI archive holds.
type archive struct {
	rootAnnotations  map[string]string // of the index.json descriptor of an image index
	indexAnnotations map[string]string // of that image index
	images           []sourceImage     // in index order
}

// sourceImage is one image of an archive and the descriptor that names it.
type sourceImage struct {
	desc v1.Descriptor
	img  v1.Image
}

// errShape tells what archives are accepted.
const errShape = "want an image index of image manifests or one image manifest, as Container.AsTarball writes"

// readArchive reads the OCI layout extracted to dir.
func readArchive(dir string) (archive, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.json")); errors.Is(err, os.ErrNotExist) {
		return archive{}, fmt.Errorf("OCI archive has no index.json, %s", errShape)
	}
	ii, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return archive{}, fmt.Errorf("OCI archive index.json: %w", err)
	}
	im, err := ii.IndexManifest()
	if err != nil {
		return archive{}, fmt.Errorf("OCI archive index.json: %w", err)
	}
	if len(im.Manifests) != 1 {
		return archive{}, fmt.Errorf("OCI archive index.json lists %d entries, %s", len(im.Manifests), errShape)
	}
	root := im.Manifests[0]
	switch {
	case root.MediaType.IsImage():
		img, err := ii.Image(root.Digest)
		if err != nil {
			return archive{}, fmt.Errorf("OCI archive index.json: %w", err)
		}
		return archive{images: []sourceImage{{desc: root, img: img}}}, nil
	case root.MediaType.IsIndex():
		return readIndex(ii, root)
	}
	return archive{}, fmt.Errorf("OCI archive index.json entry has media type %q, %s", root.MediaType, errShape)
}

// readIndex reads the image index that root names.
func readIndex(ii v1.ImageIndex, root v1.Descriptor) (archive, error) {
	idx, err := ii.ImageIndex(root.Digest)
	if err != nil {
		return archive{}, fmt.Errorf("image index %s: %w", root.Digest, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return archive{}, fmt.Errorf("image index %s: %w", root.Digest, err)
	}
	if len(im.Manifests) == 0 {
		return archive{}, fmt.Errorf("image index %s lists no images, %s", root.Digest, errShape)
	}
	in := archive{rootAnnotations: root.Annotations, indexAnnotations: im.Annotations}
	for _, desc := range im.Manifests {
		if !desc.MediaType.IsImage() {
			return archive{}, fmt.Errorf("image index %s lists %s of media type %q, %s", root.Digest, desc.Digest, desc.MediaType, errShape)
		}
		img, err := idx.Image(desc.Digest)
		if err != nil {
			return archive{}, fmt.Errorf("image index %s: %w", root.Digest, err)
		}
		in.images = append(in.images, sourceImage{desc: desc, img: img})
	}
	return in, nil
}

// stampJSON returns stamp as a JSON string.
func stampJSON(stamp string) json.RawMessage {
	b, _ := json.Marshal(stamp) // a string always marshals
	return b
}
