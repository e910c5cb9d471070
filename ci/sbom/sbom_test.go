package sbom

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sample is what syft v1.50.0 writes for
// `SYFT_CHECK_FOR_APP_UPDATE=false syft scan dir:ROOTFS -o spdx-json`, ROOTFS
// holding the echo-server binary (CGO_ENABLED=0 go1.26.8 build -trimpath
// -ldflags="-s -w") at usr/local/bin/echo-server and the apk database and
// os-release of Alpine 3.23.
const sample = "testdata/echo-server-alpine3.23.spdx.json"

func readSample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEnv(t *testing.T) {
	want := [][2]string{{"SYFT_CHECK_FOR_APP_UPDATE", "false"}}
	if got := Env(); !slices.Equal(got, want) {
		t.Errorf("Env() = %q, want %q", got, want)
	}
}

func TestScan(t *testing.T) {
	want := []string{"scan", "oci-dir:/image", "-o", "spdx-json"}
	if got := Scan("oci-dir:/image"); !slices.Equal(got, want) {
		t.Errorf("Scan() = %q, want %q", got, want)
	}
}

func TestParseSyftSample(t *testing.T) {
	got, err := Parse(readSample(t))
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{GoStdlib: "go1.26.8", OSPackages: []string{"alpine-baselayout-data", "busybox", "musl"}, Packages: samplePackages}
	if got.GoStdlib != want.GoStdlib || !slices.Equal(got.OSPackages, want.OSPackages) || got.Packages != want.Packages {
		t.Errorf("Parse(%s) = %+v, want %+v", sample, got, want)
	}
}

// doc is an SPDX 2.3 document of the given packages.
func doc(pkgs ...string) []byte {
	return []byte(`{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","packages":[` + strings.Join(pkgs, ",") + `]}`)
}

// pkg is an SPDX package with external references (type, locator pairs).
func pkg(name, version string, refs ...string) string {
	var r []string
	for i := 0; i+1 < len(refs); i += 2 {
		r = append(r, `{"referenceCategory":"PACKAGE-MANAGER","referenceType":"`+refs[i]+`","referenceLocator":"`+refs[i+1]+`"}`)
	}
	return `{"name":"` + name + `","versionInfo":"` + version + `","externalRefs":[` + strings.Join(r, ",") + `]}`
}

var (
	stdlib      = pkg("stdlib", "go1.26.8", "cpe23Type", "cpe:2.3:a:golang:go:1.26.8:-:*:*:*:*:*:*", "purl", "pkg:golang/stdlib@1.26.8")
	busybox     = pkg("busybox", "1.37.0-r30", "purl", "pkg:apk/alpine/busybox@1.37.0-r30?arch=x86_64&distro=alpine-3.23.5")
	musl        = pkg("musl", "1.2.5-r21", "purl", "pkg:apk/alpine/musl@1.2.5-r21?arch=x86_64&distro=alpine-3.23.5")
	libc6       = pkg("libc6", "2.36-9", "purl", "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12")
	glibc       = pkg("glibc", "2.34-100", "purl", "pkg:rpm/redhat/glibc@2.34-100?arch=x86_64")
	module      = pkg("golang.org/x/sync", "v0.20.0", "purl", "pkg:golang/golang.org/x/sync@v0.20.0")
	mainModule  = pkg("echo-server", "UNKNOWN", "purl", "pkg:golang/echo-server@UNKNOWN")
	directory   = `{"name":"/tmp/rootfs","versionInfo":""}`
	cpeOnly     = pkg("busybox", "1.37.0", "cpe23Type", "cpe:2.3:a:busybox:busybox:1.37.0:*:*:*:*:*:*:*")
	stdlibOther = pkg("stdlib", "go1.25.0", "purl", "pkg:golang/stdlib@1.25.0")
	notStdlib   = pkg("stdlib-like", "go1.26.8", "purl", "pkg:golang/stdlib@1.26.8")
	npmStdlib   = pkg("stdlib", "go1.25.0", "purl", "pkg:npm/stdlib@1.25.0")
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		doc     []byte
		want    Summary
		wantErr string
	}{
		{name: "alpine", doc: doc(directory, mainModule, module, stdlib, musl, busybox, busybox),
			want: Summary{GoStdlib: "go1.26.8", OSPackages: []string{"busybox", "musl"}, Packages: 7}},
		{name: "debian and rpm packages", doc: doc(stdlib, libc6, glibc),
			want: Summary{GoStdlib: "go1.26.8", OSPackages: []string{"glibc", "libc6"}, Packages: 3}},
		{name: "stdlib twice, one version", doc: doc(stdlib, stdlib),
			want: Summary{GoStdlib: "go1.26.8", Packages: 2}},
		{name: "no purl, no package", doc: doc(directory, cpeOnly),
			want: Summary{Packages: 2}},
		{name: "stdlib only by name and golang purl", doc: doc(notStdlib, npmStdlib),
			want: Summary{Packages: 2}},
		{name: "empty", doc: doc(), want: Summary{}},
		{name: "two Go versions", doc: doc(stdlib, stdlibOther),
			wantErr: "read SBOM: two Go stdlib versions, go1.26.8 and go1.25.0: want one Go binary in the image"},
		{name: "SPDX 2.2", doc: []byte(`{"spdxVersion":"SPDX-2.2","packages":[]}`),
			wantErr: `read SBOM: spdxVersion "SPDX-2.2", want "SPDX-2.3" (syft -o spdx-json)`},
		{name: "CycloneDX", doc: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.7"}`),
			wantErr: `read SBOM: spdxVersion "", want "SPDX-2.3" (syft -o spdx-json)`},
		{name: "table output", doc: []byte("NAME  VERSION  TYPE\n"),
			wantErr: "read SBOM: want SPDX JSON (syft -o spdx-json): invalid character 'N' looking for beginning of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.doc)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Parse error = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.GoStdlib != tt.want.GoStdlib || !slices.Equal(got.OSPackages, tt.want.OSPackages) || got.Packages != tt.want.Packages {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, goVersion string
		doc             []byte
		wantErr         string
	}{
		{name: "syft's SBOM of the image", doc: readSample(t), goVersion: "go1.26.8"},
		{name: "minimal", doc: doc(stdlib, busybox), goVersion: "go1.26.8"},
		{name: "the builder has another Go", doc: readSample(t), goVersion: "go1.26.9",
			wantErr: "check SBOM: it lacks the Go stdlib go1.26.9 (it lists go1.26.8); " + strconv.Itoa(samplePackages) + " packages listed"},
		{name: "no Go binary", doc: doc(directory, busybox), goVersion: "go1.26.8",
			wantErr: "check SBOM: it lacks the Go stdlib go1.26.8 (no Go binary found); 2 packages listed"},
		{name: "no base image packages", doc: doc(stdlib, module), goVersion: "go1.26.8",
			wantErr: "check SBOM: it lacks any package of the base image (no apk, deb or rpm package); 2 packages listed"},
		{name: "nothing", doc: doc(), goVersion: "go1.26.8",
			wantErr: "check SBOM: it lacks the Go stdlib go1.26.8 (no Go binary found) and any package of the base image (no apk, deb or rpm package); 0 packages listed"},
		{name: "version without go", doc: doc(stdlib, busybox), goVersion: "1.26.8",
			wantErr: "check SBOM: Go version \"1.26.8\": want what `go env GOVERSION` prints, e.g. go1.26.8"},
		{name: "no version", doc: doc(stdlib, busybox), goVersion: "",
			wantErr: "check SBOM: Go version \"\": want what `go env GOVERSION` prints, e.g. go1.26.8"},
		{name: "not SPDX", doc: []byte(`{}`), goVersion: "go1.26.8",
			wantErr: `read SBOM: spdxVersion "", want "SPDX-2.3" (syft -o spdx-json)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.doc, tt.goVersion)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Check error = %v, want %s", err, tt.wantErr)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readSample(f))
	f.Add(doc(stdlib, stdlibOther, busybox))
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","packages":[{"externalRefs":[{}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		if !slices.IsSorted(s.OSPackages) || len(slices.Compact(slices.Clone(s.OSPackages))) != len(s.OSPackages) {
			t.Fatalf("OSPackages not sorted and unique: %q", s.OSPackages)
		}
		if len(s.OSPackages) > s.Packages {
			t.Fatalf("%d OS packages of %d packages", len(s.OSPackages), s.Packages)
		}
	})
}

// samplePackages is the number of packages in sample: the scanned
// directory, echo-server, stdlib, alpine-baselayout-data, busybox, musl.
const samplePackages = 6
