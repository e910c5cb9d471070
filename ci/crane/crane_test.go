package crane

import (
	"reflect"
	"strings"
	"testing"
)

func TestPush(t *testing.T) {
	tests := []struct {
		dir, ref string
		insecure bool
		want     []string
	}{
		{
			dir: "/scratch/release", ref: "ghcr.io/acme/echo-server:v1.2.3",
			want: []string{"push", "/scratch/release", "ghcr.io/acme/echo-server:v1.2.3"},
		},
		{
			dir: "/release", ref: "registry:5000/echo-server:latest", insecure: true,
			want: []string{"push", "/release", "registry:5000/echo-server:latest", "--insecure"},
		},
	}
	for _, tt := range tests {
		if got := Push(tt.dir, tt.ref, tt.insecure); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Push(%q, %q, %v) = %q, want %q", tt.dir, tt.ref, tt.insecure, got, tt.want)
		}
	}
}

func TestDigest(t *testing.T) {
	tests := []struct {
		ref      string
		insecure bool
		want     []string
	}{
		{ref: "ghcr.io/acme/echo-server:v1.2.3", want: []string{"digest", "ghcr.io/acme/echo-server:v1.2.3"}},
		{ref: "registry:5000/echo-server:latest", insecure: true, want: []string{"digest", "registry:5000/echo-server:latest", "--insecure"}},
	}
	for _, tt := range tests {
		if got := Digest(tt.ref, tt.insecure); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Digest(%q, %v) = %q, want %q", tt.ref, tt.insecure, got, tt.want)
		}
	}
}

func TestCheckDigest(t *testing.T) {
	const (
		ref   = "ghcr.io/acme/echo-server:v1.2.3"
		built = "sha256:12b2f4fffde4b5402882307c16dec6906910c56b7110f89aacd2a132b03efdff"
		other = "sha256:312d0d5ae9f43fc5621e77c897af9a5bb4623cd465c798242ced858c232b8a06"
	)
	malformed := func(output string) string {
		return "check digest of " + ref + ": crane digest printed " + output + ", want one digest sha256:<64 hex digits>"
	}
	tests := []struct {
		name, want, output, wantErr string
	}{
		{name: "same, as crane prints it", want: built, output: built + "\n"},
		{name: "same, bare", want: built, output: built},
		{name: "same, CRLF and spaces", want: built, output: "  " + built + "\r\n"},
		{
			name: "other digest", want: built, output: other + "\n",
			wantErr: ref + ": pushed " + built + " but the registry serves " + other + ": the release is not what was built",
		},
		{name: "empty", want: built, output: "", wantErr: malformed(`""`)},
		{name: "two lines", want: built, output: built + "\n" + built + "\n", wantErr: malformed(`"` + built + `\n` + built + `\n"`)},
		{name: "full reference", want: built, output: "ghcr.io/acme/echo-server@" + built + "\n", wantErr: malformed(`"ghcr.io/acme/echo-server@` + built + `\n"`)},
		{name: "upper case", want: built, output: strings.ToUpper(built), wantErr: malformed(`"` + strings.ToUpper(built) + `"`)},
		{name: "short", want: built, output: built[:70], wantErr: malformed(`"` + built[:70] + `"`)},
		{name: "long", want: built, output: built + "0", wantErr: malformed(`"` + built + `0"`)},
		{name: "sha512", want: built, output: "sha512:" + built[7:], wantErr: malformed(`"sha512:` + built[7:] + `"`)},
		{name: "error text", want: built, output: "Error: GET https://ghcr.io/v2/: UNAUTHORIZED", wantErr: malformed(`"Error: GET https://ghcr.io/v2/: UNAUTHORIZED"`)},
		{
			name: "local digest malformed", want: "12b2f4", output: built,
			wantErr: `check digest of ` + ref + `: local digest "12b2f4" is not sha256:<64 hex digits>`,
		},
		{
			name: "local digest with newline", want: built + "\n", output: built,
			wantErr: `check digest of ` + ref + `: local digest "` + built + `\n" is not sha256:<64 hex digits>`,
		},
		{
			name: "local digest with prefix", want: "x" + built, output: built,
			wantErr: `check digest of ` + ref + `: local digest "x` + built + `" is not sha256:<64 hex digits>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDigest(ref, tt.want, tt.output)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Errorf("CheckDigest(%q, %q, %q) = %q\nwant %q", ref, tt.want, tt.output, got, tt.wantErr)
			}
		})
	}
}

// FuzzCheckDigest: any output is accepted only when it is the wanted digest
// with surrounding space, and every error is one line.
func FuzzCheckDigest(f *testing.F) {
	const built = "sha256:12b2f4fffde4b5402882307c16dec6906910c56b7110f89aacd2a132b03efdff"
	for _, seed := range []string{built + "\n", "", "sha256:", built + "\n" + built, "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, output string) {
		err := CheckDigest("r", built, output)
		if (err == nil) != (strings.TrimSpace(output) == built) {
			t.Fatalf("CheckDigest(%q) = %v", output, err)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not one line: %q", err)
		}
	})
}
