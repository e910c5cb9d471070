package platform

import (
	"fmt"
	"reflect"
	"strings"
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

// matches reports whether got equals want or, for errors, starts with want.
// Errors must be one line.
func matches(got, want string) bool {
	if strings.HasPrefix(want, "error: ") {
		return strings.HasPrefix(got, want) && !strings.Contains(got, "\n")
	}
	return got == want
}

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"linux/amd64", "linux/amd64"},
		{"linux/arm64", "linux/arm64"},
		{"linux/arm64/v8", "linux/arm64"},
		{"LINUX/ARM64/V8", "linux/arm64"},
		{"linux/arm/v6", "linux/arm/v6"},
		{"linux/arm/v7", "linux/arm/v7"},
		{"linux/386", "linux/386"},
		{"linux/ppc64le", "linux/ppc64le"},
		{"linux/s390x", "linux/s390x"},
		{"linux/riscv64", "linux/riscv64"},
		{"  Linux/AMD64\n", "linux/amd64"},
		{"windows/amd64", `error: unknown platform "windows/amd64": want one of ` + wantList},
		{"linux/arm", `error: unknown platform "linux/arm": want one of `},
		{"linux/arm/v8", `error: unknown platform "linux/arm/v8"`},
		{"linux/amd64/v3", `error: unknown platform "linux/amd64/v3"`},
		{"amd64", `error: unknown platform "amd64"`},
		{"linux/amd64,linux/arm64", `error: unknown platform "linux/amd64,linux/arm64"`},
		{"", `error: unknown platform ""`},
	}
	for _, tt := range tests {
		if got := outcome(Parse(tt.in)); !matches(got, tt.want) {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
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
		{nil, "error: no platforms given: want one or more of " + wantList},
		{[]string{"", " , "}, "error: no platforms given"},
		{[]string{"linux/amd64", "linux/mips"}, `error: unknown platform "linux/mips": want one of `},
		{[]string{"linux/amd64,darwin/arm64"}, `error: unknown platform "darwin/arm64"`},
	}
	for _, tt := range tests {
		if got := outcome(ParseList(tt.in)); !matches(got, tt.want) {
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
