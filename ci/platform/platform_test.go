package platform

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"
)

const wantList = "linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7, linux/386, linux/ppc64le, linux/s390x, linux/riscv64"

func TestString(t *testing.T) {
	tests := []struct {
		p    Platform
		want string
	}{
		{Platform{OS: "linux", Arch: "amd64"}, "linux/amd64"},
		{Platform{OS: "linux", Arch: "arm64"}, "linux/arm64"},
		{Platform{OS: "linux", Arch: "arm", Variant: "v7"}, "linux/arm/v7"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// outcome formats what a call returned, for comparison with a table entry:
// the value printed with fmt, or "error: " and the error text.
func outcome(v any, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprint(v)
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		// every supported platform, as written and in another case
		{"linux/amd64", "linux/amd64"},
		{"linux/arm64", "linux/arm64"},
		{"linux/arm/v6", "linux/arm/v6"},
		{"linux/arm/v7", "linux/arm/v7"},
		{"linux/386", "linux/386"},
		{"linux/ppc64le", "linux/ppc64le"},
		{"linux/s390x", "linux/s390x"},
		{"linux/riscv64", "linux/riscv64"},
		{"LINUX/ARM/V6", "linux/arm/v6"},
		{"  Linux/AMD64\n", "linux/amd64"},
		// containerd's normalisation
		{"linux/arm64/v8", "linux/arm64"},
		{"LINUX/ARM64/V8", "linux/arm64"},
		{"linux/arm64/8", "linux/arm64"},
		{"linux/aarch64", "linux/arm64"},
		{"linux/amd64/v1", "linux/amd64"},
		{"linux/x86_64", "linux/amd64"},
		{"linux/x86-64", "linux/amd64"},
		{"linux/i386", "linux/386"},
		{"linux/arm", "linux/arm/v7"},
		{"linux/arm/7", "linux/arm/v7"},
		{"linux/arm/6", "linux/arm/v6"},
		{"linux/armhf", "linux/arm/v7"},
		{"linux/armel", "linux/arm/v6"},
		// parsed, normalised, not shipped by the base
		{"windows/amd64", `error: unknown platform "windows/amd64": want one of ` + wantList},
		{"darwin/arm64", `error: unknown platform "darwin/arm64": want one of ` + wantList},
		{"macos/arm64", `error: unknown platform "macos/arm64": want one of ` + wantList},
		{"linux/arm/v5", `error: unknown platform "linux/arm/v5": want one of ` + wantList},
		{"linux/arm/v8", `error: unknown platform "linux/arm/v8": want one of ` + wantList},
		{"linux/arm64/v9", `error: unknown platform "linux/arm64/v9": want one of ` + wantList},
		{"linux/amd64/v3", `error: unknown platform "linux/amd64/v3": want one of ` + wantList},
		{"linux/386/v1", `error: unknown platform "linux/386/v1": want one of ` + wantList},
		{"linux/mips", `error: unknown platform "linux/mips": want one of ` + wantList},
		{"linux/ppc64", `error: unknown platform "linux/ppc64": want one of ` + wantList},
		{"linux/s390", `error: unknown platform "linux/s390": want one of ` + wantList},
		{"linux/riscv", `error: unknown platform "linux/riscv": want one of ` + wantList},
		{"linux(5.1)/amd64", `error: unknown platform "linux(5.1)/amd64": want one of ` + wantList},
		// what containerd cannot parse, with its reason
		{"foo", `error: unknown platform "foo": "foo": unknown operating system or architecture: invalid argument; want one of ` + wantList},
		{"linux/*", `error: unknown platform "linux/*": "linux/*": wildcards not yet supported: invalid argument; want one of ` + wantList},
		{"a/b/c/d", `error: unknown platform "a/b/c/d": "a/b/c/d": cannot parse platform specifier: invalid argument; want one of ` + wantList},
		{"linux//amd64", `error: unknown platform "linux//amd64": "" is an invalid component of "linux//amd64": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument; want one of ` + wantList},
		{"linux/amd64,linux/arm64", `error: unknown platform "linux/amd64,linux/arm64": "amd64,linux" is an invalid component of "linux/amd64,linux/arm64": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument; want one of ` + wantList},
		{"", `error: unknown platform "": "" is an invalid OS component of "": OSAndVersion specifier component must match "^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?$": invalid argument; want one of ` + wantList},
	}
	for _, tt := range tests {
		if got := outcome(Parse(tt.in)); got != tt.want {
			t.Errorf("Parse(%q) = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestParseOneName: containerd completes a single OS or architecture with
// the machine's (the Dagger module runs on the engine's).
func TestParseOneName(t *testing.T) {
	for _, tt := range []struct{ in, os, arch, variant string }{
		{"linux", "linux", runtime.GOARCH, ""},
		{"amd64", runtime.GOOS, "amd64", ""},
		{"x86_64", runtime.GOOS, "amd64", ""},
		{"aarch64", runtime.GOOS, "arm64", ""},
		{"armhf", runtime.GOOS, "arm", "v7"},
		{"armel", runtime.GOOS, "arm", "v6"},
		{"i386", runtime.GOOS, "386", ""},
	} {
		want := Platform{OS: tt.os, Arch: tt.arch, Variant: tt.variant}
		wantOut := want.String()
		if !slices.Contains(supported, want) {
			wantOut = fmt.Sprintf("error: unknown platform %q: want one of %s", tt.in, wantList)
		}
		if got := outcome(Parse(tt.in)); got != wantOut {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, wantOut)
		}
	}
}

func TestParseList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"linux/amd64"}, "[linux/amd64]"},
		{[]string{"linux/arm/v7", "linux/amd64"}, "[linux/arm/v7 linux/amd64]"},
		{[]string{"linux/amd64, linux/arm64"}, "[linux/amd64 linux/arm64]"},
		{[]string{"linux/amd64,linux/arm/v7", "linux/arm64"}, "[linux/amd64 linux/arm/v7 linux/arm64]"},
		{[]string{"linux/arm64", "linux/amd64", "LINUX/ARM64", "linux/arm64/v8"}, "[linux/arm64 linux/amd64]"},
		{[]string{"linux/amd64,,", " "}, "[linux/amd64]"},
		// A blank between two platforms skips itself only.
		{[]string{"linux/amd64, ,linux/arm64"}, "[linux/amd64 linux/arm64]"},
		{[]string{",linux/s390x"}, "[linux/s390x]"},
		{nil, "error: no platforms given: want one or more of " + wantList},
		{[]string{"", " , "}, "error: no platforms given: want one or more of " + wantList},
		{[]string{"linux/amd64", "linux/mips"}, `error: unknown platform "linux/mips": want one of ` + wantList},
		{[]string{"linux/amd64,darwin/arm64"}, `error: unknown platform "darwin/arm64": want one of ` + wantList},
		{[]string{"linux/arm", "linux/arm/v7", "linux/armhf"}, "[linux/arm/v7]"},
		{[]string{"linux/x86_64", "linux/amd64"}, "[linux/amd64]"},
	}
	for _, tt := range tests {
		if got := outcome(ParseList(tt.in)); got != tt.want {
			t.Errorf("ParseList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGoEnv(t *testing.T) {
	tests := []struct {
		in   string
		want [][2]string
	}{
		{"linux/amd64", [][2]string{{"GOOS", "linux"}, {"GOARCH", "amd64"}}},
		{"linux/arm64", [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm64"}}},
		{"linux/arm/v6", [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm"}, {"GOARM", "6"}}},
		{"linux/arm/v7", [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm"}, {"GOARM", "7"}}},
		{"linux/386", [][2]string{{"GOOS", "linux"}, {"GOARCH", "386"}}},
		{"linux/ppc64le", [][2]string{{"GOOS", "linux"}, {"GOARCH", "ppc64le"}}},
		{"linux/s390x", [][2]string{{"GOOS", "linux"}, {"GOARCH", "s390x"}}},
		{"linux/riscv64", [][2]string{{"GOOS", "linux"}, {"GOARCH", "riscv64"}}},
	}
	for _, tt := range tests {
		p, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := p.GoEnv(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s GoEnv() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDefault(t *testing.T) {
	want := []Platform{{"linux", "amd64", ""}, {"linux", "arm64", ""}}
	got := Default()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Default() = %v, want %v", got, want)
	}
	got[0].Arch = "changed"
	if Default()[0].Arch != "amd64" {
		t.Error("Default() shares its backing array between calls")
	}
}

func TestSupportedRoundTrip(t *testing.T) {
	for _, p := range supported {
		got, err := Parse(p.String())
		if err != nil || got != p {
			t.Errorf("Parse(%q) = %v, %v; want %v", p, got, err, p)
		}
	}
}
