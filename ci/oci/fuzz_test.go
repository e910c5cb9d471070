package oci

import (
	"bytes"
	"path/filepath"
	"testing"
)

// FuzzNormalise feeds Normalise arbitrary archives: it must not panic, and
// what it accepts must be a release crane pushes by Release.Digest that
// normalises to itself.
func FuzzNormalise(f *testing.F) {
	fx := newFixture(f)
	f.Add(tarDir(f, fx.multiLayout(f, built, amd64, arm64), ""))
	f.Add(tarDir(f, fx.singleLayout(f, built, arm64), "./"))
	f.Add(rawTar(f, entryFile("index.json", `{"schemaVersion":2,"manifests":[]}`)))
	f.Add(rawTar(f, entryFile("../x", "")))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, archive []byte) {
		out := filepath.Join(t.TempDir(), "release")
		rel, err := Normalise(bytes.NewReader(archive), out, commit)
		if err != nil {
			return
		}
		pushed, err := craneLoad(out)
		if err != nil || pushed.String() != rel.Digest {
			t.Fatalf("crane pushes %s, %v; Release.Digest is %s", pushed, err, rel.Digest)
		}
		var b bytes.Buffer
		if err := WriteArchive(out, &b); err != nil {
			t.Fatal(err)
		}
		again, err := Normalise(bytes.NewReader(b.Bytes()), filepath.Join(t.TempDir(), "again"), commit)
		if err != nil || again.Digest != rel.Digest {
			t.Fatalf("normalising the release again gives %+v, %v; want %s", again, err, rel.Digest)
		}
	})
}
