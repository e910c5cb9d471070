// Package sbom builds syft's command line and reads the SPDX document it
// writes: the software bill of materials of one platform's image.
//
// syft runs from its own image, which has no shell: the arguments of Scan
// go to its entrypoint, with the environment of Env. The document is SPDX
// 2.3 JSON on stdout; syft's logs go to stderr.
package sbom

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SPDXVersion is the only SPDX version Parse reads: what syft writes by
// default for -o spdx-json.
const SPDXVersion = "SPDX-2.3"

// Env is the environment syft always runs with:
// SYFT_CHECK_FOR_APP_UPDATE=false, so a scan never asks the internet
// whether a newer syft exists.
func Env() [][2]string {
	return [][2]string{{"SYFT_CHECK_FOR_APP_UPDATE", "false"}}
}

// Scan returns the arguments of syft's entrypoint that scan source (for
// example "oci-dir:/image", "oci-archive:/image.tar" or "dir:/rootfs") and
// print its SPDX JSON document on stdout.
func Scan(source string) []string {
	return []string{"scan", source, "-o", "spdx-json"}
}

// Summary is what the pipeline checks in an SPDX document.
type Summary struct {
	// GoStdlib is the version of the Go standard library compiled into
	// the image's Go binary, as the go command names it: "go1.26.8".
	GoStdlib string
	// OSPackages are the names of the operating system's packages (apk,
	// deb or rpm), sorted and without duplicates: "alpine-baselayout",
	// "busybox", ...
	OSPackages []string
	// Packages is the number of packages the document lists.
	Packages int
}

// document is the part of an SPDX 2.3 JSON document that Parse reads.
type document struct {
	SPDXVersion string    `json:"spdxVersion"`
	Packages    []pkgInfo `json:"packages"`
}

type pkgInfo struct {
	Name         string        `json:"name"`
	VersionInfo  string        `json:"versionInfo"`
	ExternalRefs []externalRef `json:"externalRefs"`
}

type externalRef struct {
	ReferenceType    string `json:"referenceType"`
	ReferenceLocator string `json:"referenceLocator"`
}

// osPURLTypes are the package URL types of operating system packages.
var osPURLTypes = []string{"pkg:apk/", "pkg:deb/", "pkg:rpm/"}

// Parse reads an SPDX 2.3 JSON document as syft writes it. syft names the
// Go standard library of a binary "stdlib", with the go command's version
// ("go1.26.8") and the package URL pkg:golang/stdlib@1.26.8; an operating
// system package has a pkg:apk/, pkg:deb/ or pkg:rpm/ package URL.
func Parse(doc []byte) (Summary, error) {
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return Summary{}, fmt.Errorf("read SBOM: want SPDX JSON (syft -o spdx-json): %w", err)
	}
	if d.SPDXVersion != SPDXVersion {
		return Summary{}, fmt.Errorf("read SBOM: spdxVersion %q, want %q (syft -o spdx-json)", d.SPDXVersion, SPDXVersion)
	}
	s := Summary{Packages: len(d.Packages)}
	for _, p := range d.Packages {
		for _, purl := range p.purls() {
			switch {
			case isGoStdlib(p.Name, purl):
				if s.GoStdlib != "" && s.GoStdlib != p.VersionInfo {
					return Summary{}, fmt.Errorf("read SBOM: two Go stdlib versions, %s and %s: want one Go binary in the image", s.GoStdlib, p.VersionInfo)
				}
				s.GoStdlib = p.VersionInfo
			case isOSPackage(purl):
				s.OSPackages = append(s.OSPackages, p.Name)
			}
		}
	}
	slices.Sort(s.OSPackages)
	s.OSPackages = slices.Compact(s.OSPackages)
	return s, nil
}

func (p pkgInfo) purls() []string {
	var out []string
	for _, r := range p.ExternalRefs {
		if r.ReferenceType == "purl" {
			out = append(out, r.ReferenceLocator)
		}
	}
	return out
}

// isGoStdlib tells the package syft makes of a Go binary's standard
// library: named stdlib, with package URL pkg:golang/stdlib@VERSION.
func isGoStdlib(name, purl string) bool {
	return name == "stdlib" && strings.HasPrefix(purl, "pkg:golang/stdlib@")
}

func isOSPackage(purl string) bool {
	for _, prefix := range osPURLTypes {
		if strings.HasPrefix(purl, prefix) {
			return true
		}
	}
	return false
}

// Check fails, in one line that says what is missing, unless the document
// lists the Go standard library goVersion (as `go env GOVERSION` prints it
// in the builder image: "go1.26.8") and at least one package of the base
// image's operating system.
func Check(doc []byte, goVersion string) error {
	if !strings.HasPrefix(goVersion, "go1.") {
		return fmt.Errorf("check SBOM: Go version %q: want what `go env GOVERSION` prints, e.g. go1.26.8", goVersion)
	}
	s, err := Parse(doc)
	if err != nil {
		return err
	}
	var missing []string
	switch s.GoStdlib {
	case goVersion:
	case "":
		missing = append(missing, "the Go stdlib "+goVersion+" (no Go binary found)")
	default:
		missing = append(missing, "the Go stdlib "+goVersion+" (it lists "+s.GoStdlib+")")
	}
	if len(s.OSPackages) == 0 {
		missing = append(missing, "any package of the base image (no apk, deb or rpm package)")
	}
	if len(missing) > 0 {
		return errors.New("check SBOM: it lacks " + strings.Join(missing, " and ") + fmt.Sprintf("; %d packages listed", s.Packages))
	}
	return nil
}
