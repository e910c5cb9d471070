package ref

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const accepted = "want HOST[:PORT]/PATH in lowercase without tag or digest, e.g. ghcr.io/acme/echo-server"

func TestParseRepository(t *testing.T) {
	path255 := strings.Repeat("a", 255)
	digest := "sha256:" + strings.Repeat("ab", 32)
	const noHost = "strict validation requires the registry to be explicitly defined"
	const pathChars = "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: "
	tests := []struct {
		in      string
		want    Repository
		wantErr string // the whole error; empty means success
	}{
		{in: "ghcr.io/acme/echo-server", want: Repository{"ghcr.io", "acme/echo-server"}},
		{in: "ghcr.io/acme/team/echo-server", want: Repository{"ghcr.io", "acme/team/echo-server"}},
		{in: "localhost:5000/echo-server", want: Repository{"localhost:5000", "echo-server"}},
		{in: "localhost/echo-server", want: Repository{"localhost", "echo-server"}},
		{in: "registry.example.com:443/a/b", want: Repository{"registry.example.com:443", "a/b"}},
		{in: "10.0.0.1:5000/echo", want: Repository{"10.0.0.1:5000", "echo"}},
		{in: "[::1]:5000/echo", want: Repository{"[::1]:5000", "echo"}},
		{in: "[fd00::1]/echo", want: Repository{"[fd00::1]", "echo"}},
		{in: "docker.io/acme/echo-server", want: Repository{"docker.io", "acme/echo-server"}},
		{in: "docker.io/library/echo-server", want: Repository{"docker.io", "library/echo-server"}},
		{in: "index.docker.io/acme/echo-server", want: Repository{"docker.io", "acme/echo-server"}},
		{in: "  ghcr.io/acme/echo-server\n", want: Repository{"ghcr.io", "acme/echo-server"}},
		{in: "ghcr.io/a.b_c__d---e/f", want: Repository{"ghcr.io", "a.b_c__d---e/f"}},
		{in: "ghcr.io/" + path255, want: Repository{"ghcr.io", path255}},

		// What go-containerregistry accepts and the former grammar did not.
		{in: "Ghcr.io/acme", want: Repository{"Ghcr.io", "acme"}},
		{in: "ghcr.io:0/echo", want: Repository{"ghcr.io:0", "echo"}},
		{in: "ghcr.io:65536/echo", want: Repository{"ghcr.io:65536", "echo"}},
		{in: "ghcr.io:/echo", want: Repository{"ghcr.io:", "echo"}},
		{in: "-ghcr.io/echo", want: Repository{"-ghcr.io", "echo"}},
		{in: "ghcr..io/echo", want: Repository{"ghcr..io", "echo"}},
		{in: "my_registry:5000/echo", want: Repository{"my_registry:5000", "echo"}},
		{in: "::1/echo", want: Repository{"::1", "echo"}},
		{in: "[FD00::1]/echo", want: Repository{"[FD00::1]", "echo"}},
		{in: "[::1]:0/echo", want: Repository{"[::1]:0", "echo"}},
		{in: "ghcr.io//echo-server", want: Repository{"ghcr.io", "/echo-server"}},
		{in: "ghcr.io/acme/", want: Repository{"ghcr.io", "acme/"}},
		{in: "ghcr.io/-acme/echo", want: Repository{"ghcr.io", "-acme/echo"}},
		{in: "ghcr.io/acme-/echo", want: Repository{"ghcr.io", "acme-/echo"}},
		{in: "ghcr.io/a___b/echo", want: Repository{"ghcr.io", "a___b/echo"}},
		{in: "ghcr.io/a..b/echo", want: Repository{"ghcr.io", "a..b/echo"}},

		// The host must be written, and a Docker Hub path in full.
		{in: "ghcr.io", wantErr: invalid("ghcr.io", noHost)},
		{in: "localhost", wantErr: invalid("localhost", noHost)},
		{in: "echo-server", wantErr: invalid("echo-server", noHost)},
		{in: "acme/echo-server", wantErr: invalid("acme/echo-server", noHost)},
		{in: "/acme/echo", wantErr: invalid("/acme/echo", noHost)},
		{in: "docker.io/echo-server", wantErr: invalid("docker.io/echo-server", "strict validation requires the full repository path (missing 'library')")},
		{in: "", wantErr: `invalid registry "": a repository name must be specified; ` + accepted},
		{in: "ghcr.io/", wantErr: invalid("ghcr.io/", "repository must be between 1 and 255 characters in length: ")},
		{in: "localhost:5000/", wantErr: invalid("localhost:5000/", "repository must be between 1 and 255 characters in length: ")},
		{in: "ghcr.io/" + path255 + "a", wantErr: invalid("ghcr.io/"+path255+"a", "repository must be between 1 and 255 characters in length: "+path255+"a")},

		// Tags and digests, each with its own reason.
		{in: "ghcr.io/acme/echo-server:1.2.3", wantErr: `invalid registry "ghcr.io/acme/echo-server:1.2.3": tag ":1.2.3" is not accepted here (tags go in --tags); ` + accepted},
		{in: "echo-server:latest", wantErr: invalid("echo-server:latest", `tag ":latest" is not accepted here (tags go in --tags)`)},
		{in: "localhost:5000/echo:v1", wantErr: invalid("localhost:5000/echo:v1", `tag ":v1" is not accepted here (tags go in --tags)`)},
		{in: "localhost:5000", wantErr: invalid("localhost:5000", `tag ":5000" is not accepted here (tags go in --tags)`)},
		{in: "localhost:abc", wantErr: invalid("localhost:abc", `tag ":abc" is not accepted here (tags go in --tags)`)},
		{in: "ghcr.io/acme/echo-server@" + digest, wantErr: invalid("ghcr.io/acme/echo-server@"+digest, `digest "@`+digest+`" is not accepted here (tags go in --tags)`)},
		{in: "ghcr.io/acme/echo-server:1@" + digest, wantErr: invalid("ghcr.io/acme/echo-server:1@"+digest, `digest "@`+digest+`" is not accepted here (tags go in --tags)`)},
		{in: "ghcr.io/acme/echo-server@sha256:abc", wantErr: invalid("ghcr.io/acme/echo-server@sha256:abc", pathChars+"acme/echo-server@sha256:abc")},
		{in: "ghcr.io/acme/echo-server:", wantErr: invalid("ghcr.io/acme/echo-server:", pathChars+"acme/echo-server:")},

		// Hosts that are no RFC 3986 authority.
		{in: "ghcr.io:abc/echo", wantErr: invalid("ghcr.io:abc/echo", "registries must be valid RFC 3986 URI authorities: ghcr.io:abc")},
		{in: "ghcr.io/acme:x/echo", wantErr: invalid("ghcr.io/acme:x/echo", pathChars+"acme:x/echo")},
		{in: "[::1/echo", wantErr: invalid("[::1/echo", "registries must be valid RFC 3986 URI authorities: [::1")},
		{in: "[::g]:5000/echo", wantErr: invalid("[::g]:5000/echo", "registries must be valid RFC 3986 URI authorities: [::g]:5000")},
		{in: "[1.2.3.4]/echo", wantErr: invalid("[1.2.3.4]/echo", "registries must be valid RFC 3986 URI authorities: [1.2.3.4]")},
		{in: "[::1]:x/echo", wantErr: invalid("[::1]:x/echo", "registries must be valid RFC 3986 URI authorities: [::1]:x")},
		{in: "[::1]x/echo", wantErr: invalid("[::1]x/echo", "registries must be valid RFC 3986 URI authorities: [::1]x")},
		{in: "a:b:c/d", wantErr: invalid("a:b:c/d", "registries must be valid RFC 3986 URI authorities: a:b:c")},
		{in: "https://ghcr.io/acme/echo", wantErr: invalid("https://ghcr.io/acme/echo", "image reference must not contain a URL scheme (http:// or https://): https://ghcr.io/acme/echo; to connect to a registry over plain HTTP, use name.Insecure")},
		{in: "http://localhost:5000/echo", wantErr: invalid("http://localhost:5000/echo", pathChars+"/localhost:5000/echo")},

		// Paths in another case or with other characters; an error is one line.
		{in: "Ghcr.io/Acme", wantErr: `invalid registry "Ghcr.io/Acme": ` + pathChars + "Acme; " + accepted},
		{in: "ghcr.io/Acme/echo-server", wantErr: invalid("ghcr.io/Acme/echo-server", pathChars+"Acme/echo-server")},
		{in: "ghcr.io/acme/echo server", wantErr: invalid("ghcr.io/acme/echo server", pathChars+"acme/echo server")},
		{in: "ghcr.io/é", wantErr: invalid("ghcr.io/é", pathChars+"é")},
		{in: "ghcr.io/a\nb", wantErr: invalid("ghcr.io/a\nb", pathChars+`a\nb`)},
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

// TestParseRepositoryPathCharacters pins each bound of the path's character
// class, [a-z0-9_./-], and the characters next to them.
func TestParseRepositoryPathCharacters(t *testing.T) {
	for _, c := range []string{"a", "z", "0", "9", "_", ".", "-", "/"} {
		in := "ghcr.io/x" + c + "y"
		if got, err := ParseRepository(in); err != nil || got != (Repository{"ghcr.io", "x" + c + "y"}) {
			t.Errorf("ParseRepository(%q) = %+v, %v; want it accepted", in, got, err)
		}
	}
	for _, c := range []string{"`", "{", "A", "Z", "^", ",", "+", "!", "~", "\x7f", " "} {
		in := "ghcr.io/x" + c + "y"
		want := invalid(in, "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: "+oneLine(errors.New("x"+c+"y")))
		if _, err := ParseRepository(in); err == nil || err.Error() != want {
			t.Errorf("ParseRepository(%q) error = %v\nwant %s", in, err, want)
		}
	}
	// ':' starts a tag and '@' a digest.
	if _, err := ParseRepository("ghcr.io/x:y"); err == nil || err.Error() != invalid("ghcr.io/x:y", `tag ":y" is not accepted here (tags go in --tags)`) {
		t.Errorf("ParseRepository(ghcr.io/x:y) error = %v", err)
	}
	if _, err := ParseRepository("ghcr.io/x@y"); err == nil || err.Error() != invalid("ghcr.io/x@y", "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: x@y") {
		t.Errorf("ParseRepository(ghcr.io/x@y) error = %v", err)
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
		"0123456789abcdef0123456789abcdef01234567",
		// each bound of the class [A-Za-z0-9_.-]
		"A", "Z", "a", "z", "0", "9", "_", ".", "-",
		// go-containerregistry lets a tag start with '.' or '-'
		".x", "-x"}
	for _, tag := range valid {
		if err := validateTag(tag); err != nil {
			t.Errorf("validateTag(%q) = %v, want nil", tag, err)
		}
	}
	invalid := []string{"", "x+y", "a/b", "a:b", "a b", "é", strings.Repeat("a", 129),
		// the characters next to the class's bounds
		"@", "[", "`", "{", "/", ":", "^", ",",
		// what reads back as another reference
		"5000/y", "a@b", "a:"}
	for _, tag := range invalid {
		want := "invalid tag " + strconv.Quote(tag) + ": " + tagRule
		if err := validateTag(tag); err == nil || err.Error() != want {
			t.Errorf("validateTag(%q) = %v, want %q", tag, err, want)
		}
	}
	if tagRule != "want 1 to 128 characters of letters, digits, '_', '.' and '-'" {
		t.Errorf("tagRule = %q", tagRule)
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
		{name: "bad explicit with latest", explicit: []string{"a/b"}, latest: true, wantErr: `invalid tag "a/b": ` + tagRule},
		{name: "explicit dot first", explicit: []string{".x", "-y"}, want: []string{".x", "-y"}},
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
		{"ghcr.io:", ""},
		{"ghcr.io:65536", "65536"},
	}
	for _, tt := range tests {
		if got := (Repository{Host: tt.host, Path: "echo"}).Port(); got != tt.want {
			t.Errorf("Repository{Host: %q}.Port() = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestParseImage(t *testing.T) {
	const d = "sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1"
	d512 := "sha512:" + strings.Repeat("ab", 64)
	tests := []struct {
		ref      string
		want     Image
		wantName string
	}{
		{"alpine:3.23.5@" + d, Image{Repository{"docker.io", "library/alpine"}, "3.23.5", d}, "docker.io/library/alpine:3.23.5"},
		{"alpine@" + d, Image{Repository{"docker.io", "library/alpine"}, "", d}, "docker.io/library/alpine"},
		{"alpine", Image{Repository{"docker.io", "library/alpine"}, "latest", ""}, "docker.io/library/alpine:latest"},
		{"alpine:3.23.5", Image{Repository{"docker.io", "library/alpine"}, "3.23.5", ""}, "docker.io/library/alpine:3.23.5"},
		{"acme/echo:1.0", Image{Repository{"docker.io", "acme/echo"}, "1.0", ""}, "docker.io/acme/echo:1.0"},
		{"docker.io/alpine:3", Image{Repository{"docker.io", "library/alpine"}, "3", ""}, "docker.io/library/alpine:3"},
		{"index.docker.io/library/alpine:3", Image{Repository{"docker.io", "library/alpine"}, "3", ""}, "docker.io/library/alpine:3"},
		{"ghcr.io/x/y:1@" + d, Image{Repository{"ghcr.io", "x/y"}, "1", d}, "ghcr.io/x/y:1"},
		{"localhost/echo:dev", Image{Repository{"localhost", "echo"}, "dev", ""}, "localhost/echo:dev"},
		{"localhost:5000/echo:dev", Image{Repository{"localhost:5000", "echo"}, "dev", ""}, "localhost:5000/echo:dev"},
		{"localhost:5000/echo", Image{Repository{"localhost:5000", "echo"}, "latest", ""}, "localhost:5000/echo:latest"},
		{"registry.example.com:5000/team/sub/echo@" + d, Image{Repository{"registry.example.com:5000", "team/sub/echo"}, "", d}, "registry.example.com:5000/team/sub/echo"},
		{"[::1]:5000/echo:dev", Image{Repository{"[::1]:5000", "echo"}, "dev", ""}, "[::1]:5000/echo:dev"},
		{"cgr.dev/chainguard/static:latest-glibc", Image{Repository{"cgr.dev", "chainguard/static"}, "latest-glibc", ""}, "cgr.dev/chainguard/static:latest-glibc"},
		{"my_registry/a__b.c-d:x", Image{Repository{"docker.io", "my_registry/a__b.c-d"}, "x", ""}, "docker.io/my_registry/a__b.c-d:x"},
		{"alpine@" + d512, Image{Repository{"docker.io", "library/alpine"}, "", d512}, "docker.io/library/alpine"},
		{"alpine:-x", Image{Repository{"docker.io", "library/alpine"}, "-x", ""}, "docker.io/library/alpine:-x"},
		{"acme//echo", Image{Repository{"docker.io", "acme//echo"}, "latest", ""}, "docker.io/acme//echo:latest"},
		{"registry.example.com/" + strings.Repeat("a", 255), Image{Repository{"registry.example.com", strings.Repeat("a", 255)}, "latest", ""}, "registry.example.com/" + strings.Repeat("a", 255) + ":latest"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, err := ParseImage(tt.ref)
			if err != nil {
				t.Fatalf("ParseImage(%q): %v", tt.ref, err)
			}
			if got != tt.want || got.Name() != tt.wantName {
				t.Errorf("ParseImage(%q) = %+v, Name() %q; want %+v, %q", tt.ref, got, got.Name(), tt.want, tt.wantName)
			}
		})
	}
}

func TestParseImageErrors(t *testing.T) {
	const pathChars = "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: "
	tests := []struct{ ref, want string }{
		{"alpine@sha256:" + strings.Repeat("A", 64), "invalid checksum digest format: sha256:" + strings.Repeat("A", 64)},
		{"alpine@sha256:abc", "invalid checksum digest length: sha256:abc"},
		{"alpine@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm: md5:d41d8cd98f00b204e9800998ecf8427e"},
		{"alpine@", "invalid checksum digest format: "},
		{"alpine@" + strings.Repeat("a", 64) + "@x", "a digest must contain exactly one '@' separator (e.g. registry/repository@digest) saw: alpine@" + strings.Repeat("a", 64) + "@x"},
		{"alpine:", "alpine: must specify a tag name after the colon"},
		{"alpine:a+b", "tag can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ`: a+b"},
		{"alpine:" + strings.Repeat("t", 129), "tag must be between 1 and 128 characters in length: " + strings.Repeat("t", 129)},
		{"Alpine", pathChars + "Alpine"},
		{"alpine 3", pathChars + "alpine 3"},
		{"registry.example.com:port/echo", "registries must be valid RFC 3986 URI authorities: registry.example.com:port"},
		{"registry.example.com/" + strings.Repeat("a", 256), "repository must be between 1 and 255 characters in length: " + strings.Repeat("a", 256)},
		{"", "a repository name must be specified"},
	}
	for _, tt := range tests {
		got, err := ParseImage(tt.ref)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseImage(%q) = %+v, %v; want error %q", tt.ref, got, err, tt.want)
		}
	}
}

func FuzzParseRepository(f *testing.F) {
	for _, s := range []string{"ghcr.io/acme/echo-server", "localhost:5000/a", "[::1]:1/x", "a\nb", "docker.io/x", "x:1@sha256:", "https://a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRepository(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("ParseRepository(%q) error is not one line: %q", s, err)
			}
			return
		}
		if again, err := ParseRepository(r.String()); err != nil || again != r {
			t.Errorf("ParseRepository(%q) = %+v, which reads back as %+v, %v", s, r, again, err)
		}
	})
}
