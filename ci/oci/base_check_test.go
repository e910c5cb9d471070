package oci

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// editManifest returns p with its manifest changed by edit.
func editManifest(t *testing.T, p Pulled, edit func(m *v1.Manifest)) Pulled {
	t.Helper()
	m := manifestOf(t, p.Manifest)
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return Pulled{Manifest: b, Config: p.Config}
}

// editConfig returns p with its config changed by edit and the manifest
// naming the new config.
func editConfig(t *testing.T, p Pulled, edit func(c *v1.ConfigFile)) Pulled {
	t.Helper()
	var c v1.ConfigFile
	if err := json.Unmarshal(p.Config, &c); err != nil {
		t.Fatal(err)
	}
	edit(&c)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	h, size, err := v1.SHA256(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out := editManifest(t, p, func(m *v1.Manifest) { m.Config.Digest, m.Config.Size = h, size })
	out.Config = b
	return out
}

func TestSameBase(t *testing.T) {
	host, ref := publishBase(t, types.OCIManifestSchema1)
	dir, rel := assembled(t, ref)
	cranePush(t, dir, host+"/echo-server:1.2.3")
	img := rel.Images[1]
	release := pulled(t, host+"/echo-server@"+img.Digest)
	base := pulled(t, host+"/library/alpine@"+img.Base)
	bm, rm := manifestOf(t, base.Manifest), manifestOf(t, release.Manifest)
	var bc v1.ConfigFile
	if err := json.Unmarshal(base.Config, &bc); err != nil {
		t.Fatal(err)
	}
	other := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("e", 64)}
	added := rm.Layers[2]

	tests := []struct {
		name          string
		release, base Pulled
		wantErr       string
	}{
		{"the release", release, base, ""},
		{"no added layer", editManifest(t, release, func(m *v1.Manifest) { m.Layers = m.Layers[:2] }), base,
			"linux/arm64: the release image has 2 layers, want the base image's 2 and one more"},
		{"two added layers", editManifest(t, release, func(m *v1.Manifest) { m.Layers = append(m.Layers, added) }), base,
			"linux/arm64: the release image has 4 layers, want the base image's 2 and one more"},
		{"the base's layers only", base, base, "linux/arm64: the release image has 2 layers, want the base image's 2 and one more"},
		{"layer 0 another blob", editManifest(t, release, func(m *v1.Manifest) { m.Layers[0].Digest = other }), base,
			"linux/arm64: layer 0 of the release is " + other.String() + " (" + itoa(bm.Layers[0].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip), the base image's is " + bm.Layers[0].Digest.String() + " (" + itoa(bm.Layers[0].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip)"},
		{"layer 1 another blob", editManifest(t, release, func(m *v1.Manifest) { m.Layers[1].Digest = other }), base,
			"linux/arm64: layer 1 of the release is " + other.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip), the base image's is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip)"},
		{"layers swapped", editManifest(t, release, func(m *v1.Manifest) { m.Layers[0], m.Layers[1] = m.Layers[1], m.Layers[0] }), base,
			"linux/arm64: layer 0 of the release is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip), the base image's is " + bm.Layers[0].Digest.String() + " (" + itoa(bm.Layers[0].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip)"},
		{"layer 1 another size", editManifest(t, release, func(m *v1.Manifest) { m.Layers[1].Size++ }), base,
			"linux/arm64: layer 1 of the release is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size+1) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip), the base image's is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip)"},
		{"layer 1 another media type", editManifest(t, release, func(m *v1.Manifest) { m.Layers[1].MediaType = types.DockerLayer }), base,
			"linux/arm64: layer 1 of the release is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.docker.image.rootfs.diff.tar.gzip), the base image's is " + bm.Layers[1].Digest.String() + " (" + itoa(bm.Layers[1].Size) + " bytes, application/vnd.oci.image.layer.v1.tar+gzip)"},
		{"diff_id 0 another", editConfig(t, release, func(c *v1.ConfigFile) { c.RootFS.DiffIDs[0] = other }), base,
			"linux/arm64: diff_id 0 of the release is " + other.String() + ", the base image's is " + bc.RootFS.DiffIDs[0].String()},
		{"diff_id 1 another", editConfig(t, release, func(c *v1.ConfigFile) { c.RootFS.DiffIDs[1] = other }), base,
			"linux/arm64: diff_id 1 of the release is " + other.String() + ", the base image's is " + bc.RootFS.DiffIDs[1].String()},
		{"a diff_id too many", editConfig(t, release, func(c *v1.ConfigFile) { c.RootFS.DiffIDs = append(c.RootFS.DiffIDs, other) }), base,
			"linux/arm64: the release config lists 4 diff_ids and the base config 2 for 2 base layers, want 3 and 2"},
		{"a diff_id short", editConfig(t, release, func(c *v1.ConfigFile) { c.RootFS.DiffIDs = c.RootFS.DiffIDs[:2] }), base,
			"linux/arm64: the release config lists 2 diff_ids and the base config 2 for 2 base layers, want 3 and 2"},
		{"base config a diff_id short", release, editConfig(t, base, func(c *v1.ConfigFile) { c.RootFS.DiffIDs = c.RootFS.DiffIDs[:1] }),
			"linux/arm64: the release config lists 3 diff_ids and the base config 1 for 2 base layers, want 3 and 2"},
		{"release config not its manifest's", Pulled{Manifest: release.Manifest, Config: base.Config}, base,
			"linux/arm64: the release image: config has digest " + bm.Config.Digest.String() + ", the manifest names " + rm.Config.Digest.String()},
		{"base config not its manifest's", release, Pulled{Manifest: base.Manifest, Config: release.Config},
			"linux/arm64: the base image: config has digest " + rm.Config.Digest.String() + ", the manifest names " + bm.Config.Digest.String()},
		{"release manifest not JSON", Pulled{Manifest: []byte("{"), Config: release.Config}, base,
			"linux/arm64: the release image: manifest: unexpected EOF"},
		{"base config not JSON", release, editManifest(t, Pulled{Manifest: base.Manifest, Config: []byte("[")}, func(m *v1.Manifest) {
			m.Config.Digest, _, _ = v1.SHA256(strings.NewReader("["))
		}), "linux/arm64: the base image: config: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := SameBase(img.Platform, tt.release, tt.base); errText(err) != tt.wantErr {
				t.Errorf("SameBase:\n got %q\nwant %q", errText(err), tt.wantErr)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
