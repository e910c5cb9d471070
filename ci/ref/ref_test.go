package ref

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// tagRule is what the error for an invalid tag says is accepted.
const tagRule = `want up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'`

const accepted = "want HOST[:PORT]/PATH in lowercase without tag or digest, e.g. ghcr.io/acme/echo-server"

func TestParseRepository(t *testing.T) {
	long := strings.Repeat("a", 246) // "ghcr.io/" + 246 + "/x" = 256
	tests := []struct {
		in      string
		want    Repository
		wantErr string // substring of the error; empty means success
	}{
		{in: "ghcr.io/acme/echo-server", want: Repository{"ghcr.io", "acme/echo-server"}},
		{in: "ghcr.io/acme/team/echo-server", want: Repository{"ghcr.io", "acme/team/echo-server"}},
		{in: "localhost:5000/echo-server", want: Repository{"localhost:5000", "echo-server"}},
		{in: "localhost/echo-server", want: Repository{"localhost", "echo-server"}},
		{in: "registry.example.com:443/a/b", want: Repository{"registry.example.com:443", "a/b"}},
		{in: "10.0.0.1:5000/echo", want: Repository{"10.0.0.1:5000", "echo"}},
		{in: "[::1]:5000/echo", want: Repository{"[::1]:5000", "echo"}},
		{in: "[fd00::1]/echo", want: Repository{"[fd00::1]", "echo"}},
		{in: "acme/echo-server", want: Repository{"docker.io", "acme/echo-server"}},
		{in: "echo-server", want: Repository{"docker.io", "library/echo-server"}},
		{in: "docker.io/echo-server", want: Repository{"docker.io", "library/echo-server"}},
		{in: "docker.io/acme/echo-server", want: Repository{"docker.io", "acme/echo-server"}},
		{in: "index.docker.io/acme/echo-server", want: Repository{"docker.io", "acme/echo-server"}},
		{in: "  ghcr.io/acme/echo-server\n", want: Repository{"ghcr.io", "acme/echo-server"}},
		{in: "ghcr.io/a.b_c__d---e/f", want: Repository{"ghcr.io", "a.b_c__d---e/f"}},
		{in: "ghcr.io/" + long[:245] + "/x", want: Repository{"ghcr.io", long[:245] + "/x"}},

		{in: "ghcr.io:1/echo", want: Repository{"ghcr.io:1", "echo"}},
		{in: "ghcr.io:65535/echo", want: Repository{"ghcr.io:65535", "echo"}},
		{in: "[::1]:1/echo", want: Repository{"[::1]:1", "echo"}},

		{in: "Ghcr.io/Acme", wantErr: `invalid registry "Ghcr.io/Acme": ` + accepted},
		{in: "ghcr.io/Acme/echo-server", wantErr: `invalid registry "ghcr.io/Acme/echo-server": ` + accepted},
		{in: "ACME/echo", wantErr: `invalid registry "ACME/echo": ` + accepted},
		{in: "ghcr.io//echo-server", wantErr: invalid("ghcr.io//echo-server", "")},
		{in: "ghcr.io/acme/", wantErr: invalid("ghcr.io/acme/", "")},
		{in: "/acme/echo", wantErr: invalid("/acme/echo", "")},
		{in: "", wantErr: `invalid registry "": ` + accepted},
		{in: "ghcr.io", wantErr: `invalid registry "ghcr.io": no repository path after the host; ` + accepted},
		{in: "localhost", wantErr: invalid("localhost", "no repository path after the host")},
		{in: "localhost:5000", wantErr: invalid("localhost:5000", "no repository path after the host")},
		{in: "localhost:5000/", wantErr: invalid("localhost:5000/", "no repository path after the host")},
		{in: "ghcr.io/", wantErr: invalid("ghcr.io/", "no repository path after the host")},
		{in: "ghcr.io:", wantErr: invalid("ghcr.io:", "")},
		{in: "ghcr.io/acme/echo-server:1.2.3", wantErr: `invalid registry "ghcr.io/acme/echo-server:1.2.3": tag ":1.2.3" is not accepted here (tags go in --tags); ` + accepted},
		{in: "echo-server:latest", wantErr: invalid("echo-server:latest", `tag ":latest" is not accepted here (tags go in --tags)`)},
		{in: "localhost:5000/echo:v1", wantErr: invalid("localhost:5000/echo:v1", `tag ":v1" is not accepted here (tags go in --tags)`)},
		{in: "localhost:abc", wantErr: invalid("localhost:abc", `tag ":abc" is not accepted here (tags go in --tags)`)},
		{in: "ghcr.io/acme/echo-server@sha256:abc", wantErr: `invalid registry "ghcr.io/acme/echo-server@sha256:abc": digest "@sha256:abc" is not accepted here (tags go in --tags); ` + accepted},
		{in: "@sha256:abc", wantErr: invalid("@sha256:abc", `digest "@sha256:abc" is not accepted here (tags go in --tags)`)},
		{in: "ghcr.io/acme/echo-server:", wantErr: invalid("ghcr.io/acme/echo-server:", "")},
		{in: "ghcr.io/acme:x/echo", wantErr: invalid("ghcr.io/acme:x/echo", "")},
		{in: "ghcr.io:0/echo", wantErr: invalid("ghcr.io:0/echo", "")},
		{in: "ghcr.io:65536/echo", wantErr: invalid("ghcr.io:65536/echo", "")},
		{in: "ghcr.io:abc/echo", wantErr: invalid("ghcr.io:abc/echo", "")},
		{in: "ghcr.io:/echo", wantErr: invalid("ghcr.io:/echo", "")},
		{in: "-ghcr.io/echo", wantErr: invalid("-ghcr.io/echo", "")},
		{in: "ghcr..io/echo", wantErr: invalid("ghcr..io/echo", "")},
		{in: "my_registry:5000/echo", wantErr: invalid("my_registry:5000/echo", "")},
		{in: "https://ghcr.io/acme/echo", wantErr: invalid("https://ghcr.io/acme/echo", "")},
		{in: "ghcr.io/-acme/echo", wantErr: invalid("ghcr.io/-acme/echo", "")},
		{in: "ghcr.io/acme-/echo", wantErr: invalid("ghcr.io/acme-/echo", "")},
		{in: "ghcr.io/a___b/echo", wantErr: invalid("ghcr.io/a___b/echo", "")},
		{in: "ghcr.io/a..b/echo", wantErr: invalid("ghcr.io/a..b/echo", "")},
		{in: "ghcr.io/acme/echo server", wantErr: invalid("ghcr.io/acme/echo server", "")},
		{in: "::1/echo", wantErr: invalid("::1/echo", "")},
		{in: "[::1/echo", wantErr: invalid("[::1/echo", "")},
		{in: "[::g]:5000/echo", wantErr: invalid("[::g]:5000/echo", "")},
		{in: "[FD00::1]/echo", wantErr: invalid("[FD00::1]/echo", "")},
		{in: "[1.2.3.4]/echo", wantErr: invalid("[1.2.3.4]/echo", "")},
		{in: "[::1]:x/echo", wantErr: invalid("[::1]:x/echo", "")},
		{in: "[::1]:0/echo", wantErr: invalid("[::1]:0/echo", "")},
		{in: "[::1]x/echo", wantErr: invalid("[::1]x/echo", "")},
		{in: "ghcr.io/" + long + "/x", wantErr: invalid("ghcr.io/"+long+"/x", "name is 256 characters, the limit is 255")},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRepository(tt.in)
			if checkError(t, err, tt.wantErr) {
				return
			}
			if got != tt.want {
				t.Errorf("ParseRepository(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// invalid is the error for an unusable repository in, with the reason given
// in front of what is accepted, if any.
func invalid(in, reason string) string {
	if reason != "" {
		reason += "; "
	}
	return "invalid registry " + strconv.Quote(in) + ": " + reason + accepted
}

// checkError reports a mismatch between err and wantErr, the exact expected
// error or "" for none, and whether the caller should stop checking the
// result because there was an error.
func checkError(t *testing.T, err error, wantErr string) bool {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case wantErr != "" && err == nil:
		t.Errorf("no error, want %q", wantErr)
	case err != nil && err.Error() != wantErr:
		t.Errorf("error = %q\nwant    %q", err, wantErr)
	}
	return err != nil || wantErr != ""
}

func TestParseRepositoryRoundTrip(t *testing.T) {
	for _, in := range []string{"ghcr.io/acme/echo-server", "localhost:5000/echo", "docker.io/library/echo-server", "[::1]:5000/a/b"} {
		r, err := ParseRepository(in)
		if err != nil {
			t.Fatalf("ParseRepository(%q): %v", in, err)
		}
		if r.String() != in {
			t.Errorf("ParseRepository(%q).String() = %q", in, r.String())
		}
		again, err := ParseRepository(r.String())
		if err != nil || again != r {
			t.Errorf("ParseRepository(%q) = %+v, %v; want %+v", r.String(), again, err, r)
		}
	}
}

func TestRepositoryReferences(t *testing.T) {
	r := Repository{Host: "ghcr.io", Path: "acme/echo-server"}
	d := "sha256:" + strings.Repeat("ab", 32)
	tests := []struct{ got, want string }{
		{r.String(), "ghcr.io/acme/echo-server"},
		{r.WithTag("1.2.3"), "ghcr.io/acme/echo-server:1.2.3"},
		{r.WithDigest(d), "ghcr.io/acme/echo-server@" + d},
		{Repository{Host: "localhost:5000", Path: "echo"}.WithTag("latest"), "localhost:5000/echo:latest"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestValidateTag(t *testing.T) {
	valid := []string{"latest", "1.2.3", "v1.2.3-rc.1", "_x", "A_b.C-d", strings.Repeat("a", 128),
		"0123456789abcdef0123456789abcdef01234567"}
	for _, tag := range valid {
		if err := ValidateTag(tag); err != nil {
			t.Errorf("ValidateTag(%q) = %v, want nil", tag, err)
		}
	}
	invalid := []string{"", "x+y", ".x", "-x", "a/b", "a:b", "a b", "é", strings.Repeat("a", 129)}
	for _, tag := range invalid {
		want := "invalid tag " + strconv.Quote(tag) + ": " + tagRule
		if err := ValidateTag(tag); err == nil || err.Error() != want {
			t.Errorf("ValidateTag(%q) = %v, want %q", tag, err, want)
		}
	}
	err := ValidateTag("x+y")
	want := `invalid tag "x+y": ` + tagRule
	if err == nil || err.Error() != want {
		t.Errorf("ValidateTag(\"x+y\") = %v, want %q", err, want)
	}
}

func TestTags(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name     string
		explicit []string
		version  string
		commit   string
		latest   bool
		want     []string
		wantErr  string
	}{
		{name: "version and commit", version: "v1.2.3", commit: sha, want: []string{"v1.2.3", sha}},
		{name: "with latest", version: "v1.2.3", commit: sha, latest: true, want: []string{"v1.2.3", sha, "latest"}},
		{name: "unknown version", version: "unknown", commit: sha, want: []string{sha}},
		{name: "empty commit", version: "v1", commit: "", want: []string{"v1"}},
		{name: "version equals commit", version: sha, commit: sha, want: []string{sha}},
		{name: "explicit wins", explicit: []string{"1.0", "stable"}, version: "v1.2.3", commit: sha, want: []string{"1.0", "stable"}},
		{name: "explicit deduplicated", explicit: []string{"b", "a", "b"}, want: []string{"b", "a"}},
		{name: "explicit comma separated", explicit: []string{"a, b", "c"}, want: []string{"a", "b", "c"}},
		{name: "explicit plus latest", explicit: []string{"1.0"}, latest: true, want: []string{"1.0", "latest"}},
		{name: "explicit latest not repeated", explicit: []string{"latest", "1.0"}, latest: true, want: []string{"latest", "1.0"}},
		{name: "blank explicit falls back", explicit: []string{"", " "}, version: "v2", want: []string{"v2"}},
		{name: "only latest", version: "unknown", commit: "unknown", latest: true, want: []string{"latest"}},
		{name: "nothing", version: "unknown", commit: "", wantErr: "no image tags: no --tags given and no git version or commit known; pass --tags"},
		{name: "bad explicit", explicit: []string{"ok", "x+y"}, wantErr: `invalid tag "x+y": ` + tagRule},
		{name: "bad explicit with latest", explicit: []string{".x"}, latest: true, wantErr: `invalid tag ".x": ` + tagRule},
		{name: "bad version", version: "v1+dirty", commit: sha, wantErr: `tag from git metadata: invalid tag "v1+dirty": ` + tagRule + `; pass --tags`},
		{name: "bad commit", version: "unknown", commit: "abc/def", wantErr: `tag from git metadata: invalid tag "abc/def": ` + tagRule + `; pass --tags`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tags(tt.explicit, tt.version, tt.commit, tt.latest)
			if checkError(t, err, tt.wantErr) {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tags() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	d := "sha256:" + strings.Repeat("0f", 32)
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "ghcr.io/acme/echo-server:1.2.3@" + d, want: d},
		{in: "ghcr.io/acme/echo-server@" + d, want: d},
		{in: "localhost:5000/echo@" + d + "\n", want: d},
		{in: "ghcr.io/acme/echo-server:1.2.3", wantErr: `no digest in published reference "ghcr.io/acme/echo-server:1.2.3": want NAME[:TAG]@sha256:<64 lowercase hex digits>`},
		{in: "@" + d, want: d},
		{in: "", wantErr: `no digest in published reference "": want NAME[:TAG]@sha256:<64 lowercase hex digits>`},
		{in: "x@sha256:abc", wantErr: `malformed digest "sha256:abc" in published reference "x@sha256:abc": want sha256:<64 lowercase hex digits>`},
		{in: "x@" + strings.ToUpper(d), wantErr: `malformed digest "` + strings.ToUpper(d) + `" in published reference "x@` + strings.ToUpper(d) + `": want sha256:<64 lowercase hex digits>`},
		{in: "x@sha512:" + strings.Repeat("0f", 64), wantErr: `malformed digest "sha512:` + strings.Repeat("0f", 64) + `" in published reference "x@sha512:` + strings.Repeat("0f", 64) + `": want sha256:<64 lowercase hex digits>`},
		{in: "x@" + d + "0", wantErr: `malformed digest "` + d + `0" in published reference "x@` + d + `0": want sha256:<64 lowercase hex digits>`},
		{in: "x@", wantErr: `malformed digest "" in published reference "x@": want sha256:<64 lowercase hex digits>`},
		{in: " x@" + d + "@" + d + " ", want: d},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Digest(tt.in)
			if checkError(t, err, tt.wantErr) {
				return
			}
			if got != tt.want {
				t.Errorf("Digest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOnHost(t *testing.T) {
	tests := []struct {
		repo Repository
		want string
	}{
		{Repository{Host: "registry.localhost:5000", Path: "echo-server"}, "registry:5000/echo-server"},
		{Repository{Host: "localhost:5000", Path: "echo-server"}, "registry:5000/echo-server"},
		{Repository{Host: "localhost", Path: "acme/echo"}, "registry/acme/echo"},
		{Repository{Host: "[::1]:5000", Path: "echo"}, "registry:5000/echo"},
		{Repository{Host: "[::1]", Path: "echo"}, "registry/echo"},
		{Repository{Host: "[fd00::1]:443", Path: "a/b"}, "registry:443/a/b"},
		{Repository{Host: "10.0.0.1:5000", Path: "echo"}, "registry:5000/echo"},
		{Repository{Host: "ghcr.io", Path: "acme/echo"}, "registry/acme/echo"},
	}
	for _, tt := range tests {
		if got := tt.repo.OnHost("registry").String(); got != tt.want {
			t.Errorf("%s.OnHost(registry) = %s, want %s", tt.repo, got, tt.want)
		}
	}
}

func TestPort(t *testing.T) {
	tests := []struct{ host, want string }{
		{"localhost:5000", "5000"},
		{"localhost", ""},
		{"[::1]:5000", "5000"},
		{"[::1]", ""},
		{"10.0.0.1:443", "443"},
		{"ghcr.io", ""},
	}
	for _, tt := range tests {
		if got := (Repository{Host: tt.host, Path: "echo"}).Port(); got != tt.want {
			t.Errorf("Repository{Host: %q}.Port() = %q, want %q", tt.host, got, tt.want)
		}
	}
}
