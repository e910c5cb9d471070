package oci

import (
	"bytes"
	"encoding/json"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// stampedImage is an image with a rewritten config and manifest whose layers
// are those of the image it was made from. It is completed into a v1.Image by
// partial.CompressedToImage, which derives digests and sizes from the raw
// manifest and config.
type stampedImage struct {
	base     v1.Image
	desc     v1.Descriptor
	config   []byte
	manifest []byte
}

var _ partial.CompressedImageCore = (*stampedImage)(nil)

// RawConfigFile returns the rewritten config.
func (s *stampedImage) RawConfigFile() ([]byte, error) { return s.config, nil }

// MediaType returns the media type of the manifest.
func (s *stampedImage) MediaType() (types.MediaType, error) { return s.desc.MediaType, nil }

// RawManifest returns the rewritten manifest.
func (s *stampedImage) RawManifest() ([]byte, error) { return s.manifest, nil }

// Descriptor returns the descriptor an index lists the image with: the media
// type, artifact type, platform and annotations of its source descriptor,
// its new digest and size (the source's data and URLs describe the old
// manifest and are dropped). Without it go-containerregistry would compute
// one and add an artifactType the source did not have.
func (s *stampedImage) Descriptor() (*v1.Descriptor, error) {
	d := s.desc
	return &d, nil
}

// LayerByDigest returns the layer of the source image: the very same blob.
func (s *stampedImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	return s.base.LayerByDigest(h)
}

// stampImage returns img with created and every history[].created of its
// config set to stamp, any org.opencontainers.image.created annotation of its
// manifest and of src set to stamp, and the descriptor to list it with. The
// platform is that of src, else that of the config.
func stampImage(img v1.Image, src v1.Descriptor, stamp string) (v1.Image, v1.Descriptor, error) {
	raw, err := img.RawConfigFile()
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("read config: %w", err)
	}
	config, err := stampConfig(raw, stamp)
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	platform := src.Platform
	if platform == nil {
		if platform, err = configPlatform(img); err != nil {
			return nil, v1.Descriptor{}, err
		}
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("read manifest: %w", err)
	}
	m.Config.Digest, m.Config.Size, err = v1.SHA256(bytes.NewReader(config))
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("config digest: %w", err)
	}
	m.Annotations = stampAnnotations(m.Annotations, stamp)
	manifest, err := json.Marshal(m)
	if err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("write manifest: %w", err)
	}
	desc := v1.Descriptor{
		MediaType:    src.MediaType,
		Platform:     platform,
		Annotations:  stampAnnotations(src.Annotations, stamp),
		ArtifactType: src.ArtifactType,
	}
	if desc.Digest, desc.Size, err = v1.SHA256(bytes.NewReader(manifest)); err != nil {
		return nil, v1.Descriptor{}, fmt.Errorf("manifest digest: %w", err)
	}
	out, err := partial.CompressedToImage(&stampedImage{base: img, desc: desc, config: config, manifest: manifest})
	if err != nil {
		return nil, v1.Descriptor{}, err
	}
	return out, desc, nil
}

// configPlatform returns the platform the config of img names.
func configPlatform(img v1.Image) (*v1.Platform, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	p := cf.Platform()
	if p == nil || p.OS == "" || p.Architecture == "" {
		return nil, fmt.Errorf("no platform: the descriptor has none and the config names no os and architecture")
	}
	return p, nil
}

// stampConfig returns the raw config with created and every history[].created
// set to stamp. The JSON is decoded only down to those fields, so every other
// value is written back as it was read (keys sorted, insignificant space
// dropped), including fields no Go type here models.
func stampConfig(raw []byte, stamp string) ([]byte, error) {
	var config map[string]json.RawMessage
	if err := json.Unmarshal(raw, &config); err != nil || config == nil {
		return nil, fmt.Errorf("config is not a JSON object")
	}
	created := stampJSON(stamp)
	config["created"] = created
	if h, ok := config["history"]; ok {
		var history []map[string]json.RawMessage
		if err := json.Unmarshal(h, &history); err != nil {
			return nil, fmt.Errorf("config history is not a list of objects")
		}
		for i, entry := range history {
			if entry == nil {
				return nil, fmt.Errorf("config history entry %d is not an object", i)
			}
			entry["created"] = created
		}
		b, err := marshal(history)
		if err != nil {
			return nil, fmt.Errorf("write config history: %w", err)
		}
		config["history"] = b
	}
	b, err := marshal(config)
	if err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	return b, nil
}

// marshal returns v as compact JSON without escaping <, > and &, which JSON
// does not require and the source did not do.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
