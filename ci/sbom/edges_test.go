package sbom

import (
	"slices"
	"testing"
)

// TestOSPackageTypes: README, "the base image's Alpine packages": an
// operating system package has a pkg:apk/, pkg:deb/ or pkg:rpm/ package
// URL, each alone; the package URL types next to them are not.
func TestOSPackageTypes(t *testing.T) {
	for _, purl := range []string{"pkg:apk/alpine/x@1", "pkg:deb/debian/x@1", "pkg:rpm/redhat/x@1"} {
		s, err := Parse(doc(pkg("x", "1", "purl", purl)))
		if err != nil || !slices.Equal(s.OSPackages, []string{"x"}) {
			t.Errorf("package URL %s: OSPackages = %q, %v; want [x]", purl, s.OSPackages, err)
		}
	}
	for _, purl := range []string{"pkg:apk", "pkg:apkx/x@1", "pkg:APK/x@1", "pkg:deb:x", "pkg:debian/x@1", "pkg:rpmx/x@1", "pkg:npm/x@1", "pkg:golang/x@1", "pkg:alpine/x@1", "apk/x@1", " pkg:apk/x@1"} {
		s, err := Parse(doc(pkg("x", "1", "purl", purl)))
		if err != nil || len(s.OSPackages) != 0 {
			t.Errorf("package URL %s: OSPackages = %q, %v; want none", purl, s.OSPackages, err)
		}
	}
	// Only external references of type purl are package URLs.
	for _, typ := range []string{"PURL", "cpe23Type", "purl ", ""} {
		s, err := Parse(doc(pkg("x", "1", typ, "pkg:apk/alpine/x@1")))
		if err != nil || len(s.OSPackages) != 0 {
			t.Errorf("reference type %q: OSPackages = %q, %v; want none", typ, s.OSPackages, err)
		}
	}
}

// TestGoStdlibPackage: README, "stdlib go1.26.8, package URL
// pkg:golang/stdlib@1.26.8": both the name and the package URL prefix.
func TestGoStdlibPackage(t *testing.T) {
	for _, tt := range []struct {
		name, purl string
		want       string
	}{
		{"stdlib", "pkg:golang/stdlib@1.26.8", "go1.26.8"},
		{"stdlib", "pkg:golang/stdlib@", "go1.26.8"},
		{"stdlib", "pkg:golang/stdlib", ""},
		{"stdlib", "pkg:golang/stdlibx@1.26.8", ""},
		{"stdlib", "pkg:golang/std@1.26.8", ""},
		{"stdlib", "pkg:Golang/stdlib@1.26.8", ""},
		{"Stdlib", "pkg:golang/stdlib@1.26.8", ""},
		{"stdlib ", "pkg:golang/stdlib@1.26.8", ""},
		{"std", "pkg:golang/stdlib@1.26.8", ""},
	} {
		s, err := Parse(doc(pkg(tt.name, "go1.26.8", "purl", tt.purl)))
		if err != nil || s.GoStdlib != tt.want {
			t.Errorf("package %q %s: GoStdlib = %q, %v; want %q", tt.name, tt.purl, s.GoStdlib, err, tt.want)
		}
	}
}

// TestVersions: only SPDX-2.3 is read; the Go version is what `go env
// GOVERSION` prints, go1.*.
func TestVersions(t *testing.T) {
	for _, v := range []string{"SPDX-2.2", "SPDX-2.3.1", "spdx-2.3", "SPDX-2.4", "SPDX-3.0", " SPDX-2.3"} {
		want := `read SBOM: spdxVersion "` + v + `", want "SPDX-2.3" (syft -o spdx-json)`
		if _, err := Parse([]byte(`{"spdxVersion":"` + v + `"}`)); err == nil || err.Error() != want {
			t.Errorf("spdxVersion %q: error = %v, want %s", v, err, want)
		}
	}
	for _, v := range []string{"go1.", "go1.26", "go1.26.8", "go1.26rc1"} {
		if err := Check(doc(pkg("stdlib", v, "purl", "pkg:golang/stdlib@x"), busybox), v); err != nil {
			t.Errorf("Go version %q: %v", v, err)
		}
	}
	for _, v := range []string{"go1", "go2.0", "Go1.26.8", "go 1.26.8", "1.26.8", "devel go1.27"} {
		want := "check SBOM: Go version \"" + v + "\": want what `go env GOVERSION` prints, e.g. go1.26.8"
		if err := Check(doc(stdlib, busybox), v); err == nil || err.Error() != want {
			t.Errorf("Go version %q: error = %v, want %s", v, err, want)
		}
	}
}
