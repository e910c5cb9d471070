package pins

import (
	"reflect"
	"strings"
	"testing"
)

const digestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func TestImageArgs(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []Arg
	}{
		{
			name: "doc comment on the lines above each parameter",
			src: `package main
// New says hello.
func New(
	// The source.
	// +defaultPath="/"
	source string,
	// The builder.
	// +optional
	// +default="golang:1.26@` + digestA + `"
	builderImage string,
	// +default="alpine:3"
	runtimeImage string,
	count int,
) {}
`,
			want: []Arg{{"builderImage", "golang:1.26@" + digestA}, {"runtimeImage", "alpine:3"}},
		},
		{
			name: "no pragma, or one another parameter owns",
			src: `package main
func New(
	// +default="first"
	aImage string,
	bImage string,
	// +default="lost"

	cImage string, // +default="trailing"
	dImage string,
) {}
`,
			want: []Arg{{"aImage", "first"}, {"bImage", ""}, {"cImage", "trailing"}, {"dImage", ""}},
		},
		{
			name: "a trailing comment is its own line's, and wins",
			src: `package main
func New(
	// +default="x"
	aImage string, // +default="a"
	bImage string,
) {}
`,
			want: []Arg{{"aImage", "a"}, {"bImage", ""}},
		},
		{
			name: "first parameter on the line after the parenthesis has no doc",
			src: `package main
// +default="func doc"
func New(
	aImage string,
) {}
`,
			want: []Arg{{"aImage", ""}},
		},
		{
			name: "a doc group that ends on the parameter's own line",
			src: `package main
func New(
	// +default="x"
	/* more */ aImage string,
) {}
`,
			want: []Arg{{"aImage", "x"}},
		},
		{
			name: "names sharing a field: the doc goes to the first",
			src: `package main
func New(
	// +default="x"
	aImage, bImage string,
) {}
`,
			want: []Arg{{"aImage", "x"}, {"bImage", ""}},
		},
		{
			name: "names sharing a field: the trailing comment goes to the last",
			src: `package main
func New(
	aImage, bImage string, // +default="t"
	cImage string,
) {}
`,
			want: []Arg{{"aImage", ""}, {"bImage", "t"}, {"cImage", ""}},
		},
		{
			name: "a method New and other functions are not the constructor",
			src: `package main
type T struct{}
func (T) New(
	// +default="method"
	aImage string,
) {}
func Other(
	// +default="other"
	bImage string,
) {}
func New(
	// +default="x"
	// +default="y"
	cImage string,
) {}
`,
			want: []Arg{{"cImage", "y"}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ImageArgs("main.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ImageArgs =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestImageArgsErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"package main\nfunc New(", "image arguments: main.go:2:10: expected ')', found 'EOF'"},
		{"package main\nfunc NewThing(aImage string) {}\n", "image arguments: main.go has no func New"},
		{"package main\nfunc New(a string) {}\n", "image arguments: func New in main.go has no parameter named *Image"},
		{"package main\nfunc New(\n\t// +default=golang:1\n\taImage string,\n) {}\n", "image argument aImage: +default=golang:1: want a quoted string"},
		{"package main\nfunc New(\n\t// +default=8080\n\taImage string,\n) {}\n", "image argument aImage: +default=8080: want a quoted string"},
	} {
		_, err := ImageArgs("main.go", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ImageArgs(%q) error = %v\nwant %s", tt.src, err, tt.want)
		}
	}
}

func TestPinnedDefaults(t *testing.T) {
	src := `package main
// +default="alpine:3@` + digestA + `"
var x = 1

func f(
	// +default="golang:1"
	a string,
	//+default="crane:v1@` + digestA + `"
	b string,
	// +default=registry:3@` + digestA + `
	c string,
	// see +default="not a pragma@sha256:"
	d string,
	/* +default="block@` + digestA + `" */
	e string,
) {}
`
	got, err := PinnedDefaults("x.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Pin{{2, "alpine:3@" + digestA}, {8, "crane:v1@" + digestA}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PinnedDefaults =\n%v\nwant\n%v", got, want)
	}
	if _, err := PinnedDefaults("x.go", []byte("package")); err == nil || err.Error() != "pinned defaults: x.go:1:8: expected 'IDENT', found 'EOF'" {
		t.Errorf("PinnedDefaults(bad Go) error = %v", err)
	}
}

func TestSplitImage(t *testing.T) {
	for _, tt := range []struct {
		ref  string
		want Image
	}{
		{"golang:1.26.8-alpine3.23@" + digestA, Image{"golang", "1.26.8-alpine3.23", digestA}},
		{"ghcr.io/sigstore/cosign/cosign:v3.1.3@" + digestA, Image{"ghcr.io/sigstore/cosign/cosign", "v3.1.3", digestA}},
		{"localhost:5000/echo:1@" + digestA, Image{"localhost:5000/echo", "1", digestA}},
		{"a:_@" + digestA, Image{"a", "_", digestA}},
	} {
		got, err := SplitImage(tt.ref)
		if err != nil || got != tt.want {
			t.Errorf("SplitImage(%q) = %+v, %v; want %+v", tt.ref, got, err, tt.want)
		}
	}
	for _, ref := range []string{
		"golang:1.26@sha256:abc",               // short digest
		"golang:1.26",                          // no digest
		"golang@" + digestA,                    // no tag
		"localhost:5000/echo@" + digestA,       // the colon is the port's
		":1.26@" + digestA,                     // no name
		"golang:@" + digestA,                   // empty tag
		"golang:-1@" + digestA,                 // a tag starts with a word character
		"golang:1@" + strings.ToUpper(digestA), // upper-case hex
		"golang:1@" + digestA + "0",            // 65 hex
		"golang:" + strings.Repeat("1", 129) + "@" + digestA,
	} {
		want := `image "` + ref + `": want NAME:TAG@sha256:<64 lowercase hex>`
		if _, err := SplitImage(ref); err == nil || err.Error() != want {
			t.Errorf("SplitImage(%q) error = %v\nwant %s", ref, err, want)
		}
	}
}

func FuzzSplitImage(f *testing.F) {
	for _, seed := range []string{"golang:1.26.8-alpine3.23@" + digestA, "localhost:5000/a:b@" + digestA, "a@b:c", ":", "/:@"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		img, err := SplitImage(ref)
		if err != nil {
			return
		}
		if got := img.Name + ":" + img.Tag + "@" + img.Digest; got != ref {
			t.Errorf("SplitImage(%q) = %+v, which joins to %q", ref, img, got)
		}
		if img.Name == "" || strings.Contains(img.Tag, "/") {
			t.Errorf("SplitImage(%q) = %+v", ref, img)
		}
	})
}
