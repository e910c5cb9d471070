// Package platform parses and describes the target platforms of the
// echo-server image. Platform strings are read by containerd's parser
// (github.com/containerd/platforms), the one the Dagger engine reads its
// platform arguments with; which platforms are built is this package's
// policy: those the runtime base ships.
package platform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/containerd/platforms"
)

// Platform is an OS/architecture[/variant] triple such as linux/arm/v7.
type Platform struct{ OS, Arch, Variant string }

// supported lists the platforms the runtime base image (alpine) ships, in the
// order they are shown to the user, as containerd normalises them.
var supported = []Platform{
	{OS: "linux", Arch: "amd64"},
	{OS: "linux", Arch: "arm64"},
	{OS: "linux", Arch: "arm", Variant: "v6"},
	{OS: "linux", Arch: "arm", Variant: "v7"},
	{OS: "linux", Arch: "386"},
	{OS: "linux", Arch: "ppc64le"},
	{OS: "linux", Arch: "s390x"},
	{OS: "linux", Arch: "riscv64"},
}

// String returns the platform in OS/ARCH[/VARIANT] form, e.g. "linux/arm64"
// or "linux/arm/v7".
func (p Platform) String() string {
	s := p.OS + "/" + p.Arch
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Parse reads s with containerd's platforms.Parse and normalises it with
// platforms.Normalize, then accepts the platforms the runtime base (alpine)
// ships: linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7, linux/386,
// linux/ppc64le, linux/s390x and linux/riscv64. Normalising lowercases,
// maps aliases (x86_64 and x86-64 to amd64, aarch64 to arm64, i386 to 386,
// armhf to arm/v7, armel to arm/v6), drops arm64's v8 and amd64's v1, and
// gives a bare arm the variant v7. A single name is completed with the
// machine's: linux is linux/<its architecture>, amd64 is <its OS>/amd64.
// Surrounding white space is ignored.
func Parse(s string) (Platform, error) {
	spec, err := platforms.Parse(strings.TrimSpace(s))
	if err != nil {
		return Platform{}, fmt.Errorf("unknown platform %q: %w; want one of %s", s, err, supportedList())
	}
	spec = platforms.Normalize(spec)
	p := Platform{OS: spec.OS, Arch: spec.Architecture, Variant: spec.Variant}
	if spec.OSVersion != "" || !slices.Contains(supported, p) {
		return Platform{}, fmt.Errorf("unknown platform %q: want one of %s", s, supportedList())
	}
	return p, nil
}

// ParseList parses every entry of list, where an entry may itself hold
// several comma-separated platforms. Blank entries are skipped, duplicates
// are dropped keeping the first-seen order, and an empty result is an error.
func ParseList(list []string) ([]Platform, error) {
	var out []Platform
	for _, entry := range list {
		for _, s := range strings.Split(entry, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			p, err := Parse(s)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no platforms given: want one or more of %s", supportedList())
	}
	return out, nil
}

// GoEnv returns the environment variables that make the Go toolchain
// cross-compile for p, in a fixed order: GOOS, GOARCH and, for arm, GOARM
// taken from the variant (6 or 7). GO386 is left at the toolchain default.
func (p Platform) GoEnv() [][2]string {
	env := [][2]string{{"GOOS", p.OS}, {"GOARCH", p.Arch}}
	if p.Arch == "arm" && p.Variant != "" {
		env = append(env, [2]string{"GOARM", strings.TrimPrefix(p.Variant, "v")})
	}
	return env
}

// Default returns the platforms built when none are given: linux/amd64 and
// linux/arm64.
func Default() []Platform {
	return []Platform{supported[0], supported[1]}
}

// supportedList returns the accepted platforms as a comma-separated list.
func supportedList() string {
	names := make([]string, len(supported))
	for i, p := range supported {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}
