package labels

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests of this file pin each rule of the package at its edges: every
// member of every list, every bound of every character class and the
// nearest characters outside it, each limit and one past it.

// TestEnvPrefixCharacters pins the pattern of Meta.EnvPrefix,
// ^[a-z0-9-]+(\.[a-z0-9-]+)+$ ("a lowercase reverse-DNS prefix with at least
// one dot"): each bound of the class in the first and in a later label, and
// the characters next to the bounds.
func TestEnvPrefixCharacters(t *testing.T) {
	const want = `: want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`
	for _, c := range []string{"a", "z", "0", "9", "-"} {
		prefixes := []string{"x" + c + "z.y", "x.y" + c + "z", "x.y." + c + "z" + c + "z"}
		if c != "-" { // a DNS label neither starts nor ends with '-': not pinned either way
			prefixes = append(prefixes, c+".y", "x."+c, c+c+"."+c)
		}
		for _, prefix := range prefixes {
			m := testMeta()
			m.EnvPrefix = prefix
			got, err := Build(Git{}, m)
			if err != nil || got[prefix+".environment"] != "dev" {
				t.Errorf("EnvPrefix %q: %v; want it accepted", prefix, err)
			}
		}
	}
	for _, c := range []string{"A", "Z", "`", "{", "/", ":", "@", "[", "_", "+", ",", " ", "é"} {
		for _, prefix := range []string{"x" + c + ".y", "x.y" + c + "z"} {
			m := testMeta()
			m.EnvPrefix = prefix
			if _, err := Build(Git{}, m); err == nil || err.Error() != "invalid Meta.EnvPrefix "+strconv.Quote(prefix)+want {
				t.Errorf("EnvPrefix %q: error %v, want %q", prefix, err, want)
			}
		}
	}
	// At least one dot, and no empty label on either side of one.
	for _, prefix := range []string{"echo", "x.", ".x", "x..y", "x.y.", "."} {
		m := testMeta()
		m.EnvPrefix = prefix
		if _, err := Build(Git{}, m); err == nil || err.Error() != "invalid Meta.EnvPrefix "+strconv.Quote(prefix)+want {
			t.Errorf("EnvPrefix %q: error %v, want %q", prefix, err, want)
		}
	}
}

// TestEnvPrefixReserved pins each reserved namespace by name: a prefix in it,
// or equal to it, is refused naming it; a prefix that only shares its first
// characters is not in it.
func TestEnvPrefixReserved(t *testing.T) {
	for _, ns := range []string{"org.opencontainers.", "com.docker.", "io.docker.", "org.dockerproject."} {
		name := strings.TrimSuffix(ns, ".")
		for _, prefix := range []string{name, ns + "x", ns + "x.y"} {
			m := testMeta()
			m.EnvPrefix = prefix
			want := "invalid Meta.EnvPrefix " + strconv.Quote(prefix) + ": want a prefix outside the reserved " + strconv.Quote(ns) + " namespace"
			if _, err := Build(Git{}, m); err == nil || err.Error() != want {
				t.Errorf("EnvPrefix %q: error %v, want %q", prefix, err, want)
			}
		}
		for _, prefix := range []string{name + "x", name + "-x.y", "x." + name} {
			m := testMeta()
			m.EnvPrefix = prefix
			if _, err := Build(Git{}, m); err != nil {
				t.Errorf("EnvPrefix %q: %v; want it accepted, outside %q", prefix, err, ns)
			}
		}
	}
}

// TestBuildTrimsEveryField: Build trims surrounding white space from every
// Meta field before using it.
func TestBuildTrimsEveryField(t *testing.T) {
	pad := func(s string) string { return " \t" + s + "\n " }
	m := Meta{
		Title:         pad("echo"),
		Description:   pad("an echo"),
		Vendor:        pad("Acme"),
		Authors:       pad("Alice"),
		Licenses:      pad("MIT"),
		Source:        pad("https://git.example.com/acme/echo"),
		Documentation: pad("https://docs.example.com/echo"),
		BaseImage:     pad(testBaseImage),
		EnvPrefix:     pad("com.acme"),
		Environment:   pad("production"),
	}
	got, err := Build(Git{}, m)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		Prefix + "title":         "echo",
		Prefix + "description":   "an echo",
		Prefix + "vendor":        "Acme",
		Prefix + "authors":       "Alice",
		Prefix + "licenses":      "MIT",
		Prefix + "source":        "https://git.example.com/acme/echo",
		Prefix + "url":           "https://git.example.com/acme/echo",
		Prefix + "documentation": "https://docs.example.com/echo",
		Prefix + "base.name":     "docker.io/library/alpine:3.23.5",
		Prefix + "base.digest":   testDigest,
		"com.acme.environment":   "production",
	} {
		if got[key] != want {
			t.Errorf("label %s = %q, want %q", key, got[key], want)
		}
	}
	if len(got) != len(Keys(m)) {
		t.Errorf("Build() = %d labels, Keys() %d", len(got), len(Keys(m)))
	}
}

// TestRemoteSchemes pins the list of schemes NormaliseRemote reads, each by
// name and in upper case, and refuses its neighbours.
func TestRemoteSchemes(t *testing.T) {
	for _, scheme := range []string{"https", "http", "ssh", "git", "git+ssh", "ssh+git"} {
		for _, s := range []string{scheme, strings.ToUpper(scheme)} {
			raw := s + "://git@git.example.com/acme/x.git"
			if scheme == "https" || scheme == "http" {
				raw = s + "://git.example.com/acme/x.git"
			}
			if got, err := NormaliseRemote(raw); err != nil || got != "https://git.example.com/acme/x" {
				t.Errorf("NormaliseRemote(%q) = %q, %v; want https://git.example.com/acme/x", raw, got, err)
			}
		}
	}
	// A scheme is a letter, then letters, digits, '+', '-' and '.': each
	// such scheme outside the list is refused by name.
	for _, scheme := range []string{"ftp", "git2", "svn+ssh", "a-b", "a.b", "sshx", "httpss", "z9"} {
		raw := scheme + "://git.example.com/x"
		want := `remote URL "` + raw + `" has unsupported scheme "` + scheme + `": ` + acceptedRemotes
		if _, err := NormaliseRemote(raw); err == nil || err.Error() != want {
			t.Errorf("NormaliseRemote(%q) error %v, want %q", raw, err, want)
		}
	}
}

// TestRemoteHosts pins what a remote's host may be: a DNS name (a final
// dot allowed) or an IPv4 address as written, an IPv6 address in brackets
// (no zone), lowercased; the userinfo ends at the last '@'.
func TestRemoteHosts(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"https://github.com./acme/x", "https://github.com./acme/x"},
		{"ssh://git@10.0.0.1/acme/x", "https://10.0.0.1/acme/x"},
		{"git@192.168.0.1:acme/x", "https://192.168.0.1/acme/x"},
		{"https://[2001:db8::1]:8443/acme/x", "https://[2001:db8::1]:8443/acme/x"},
		{"https://[2001:DB8::A]/acme/x", "https://[2001:db8::a]/acme/x"},
		{"a@b@git.example.com:acme/x", "https://git.example.com/acme/x"},
		{"ssh://a@b@git.example.com/acme/x", "https://git.example.com/acme/x"},
		// the port of the web address: http's 80 and https's 443 are dropped, no other
		{"http://git.example.com:443/acme/x", "https://git.example.com:443/acme/x"},
		{"https://git.example.com:80/acme/x", "https://git.example.com:80/acme/x"},
		{"git://git.example.com:9418/acme/x", "https://git.example.com/acme/x"},
		{"git+ssh://git@git.example.com:2222/acme/x", "https://git.example.com/acme/x"},
		// ssh's bracketed [user@host:port]:path, with and without the user
		{"[git@git.example.com:2222]:acme/x", "https://git.example.com/acme/x"},
		{"[git.example.com:2222]:acme/x", "https://git.example.com/acme/x"},
	} {
		if got, err := NormaliseRemote(tt.raw); err != nil || got != tt.want {
			t.Errorf("NormaliseRemote(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ raw, want string }{
		{"ssh://git@[fe80::1%25eth0]/acme/x", `remote URL "ssh://***@[fe80::1%25eth0]/acme/x": host "fe80::1%eth0" is not a hostname or IP address`},
		{"git@[fe80::1%eth0]:acme/x", `remote URL "***@[fe80::1%eth0]:acme/x": host "fe80::1%eth0" is not a hostname or IP address`},
		{"git@exa+mple.com:acme/x", `remote URL "***@exa+mple.com:acme/x": host "exa+mple.com" is not a hostname or IP address`},
		{"https://github.com../acme/x", `remote URL "https://github.com../acme/x": host "github.com.." is not a hostname or IP address`},
		{"@:acme/x", `remote URL "***@:acme/x": host "" is not a hostname or IP address`},
		// a path that cleans to the root names no repository
		{"https://github.com/./", `remote URL "https://github.com/./" names no repository: ` + acceptedRemotes},
		{"https://github.com/acme/..", `remote URL "https://github.com/acme/.." names no repository: ` + acceptedRemotes},
		{"git@github.com:acme/../.git", `remote URL "***@github.com:acme/../.git" names no repository: ` + acceptedRemotes},
	} {
		if _, err := NormaliseRemote(tt.raw); err == nil || err.Error() != tt.want {
			t.Errorf("NormaliseRemote(%q) error %v\nwant %s", tt.raw, err, tt.want)
		}
	}
}

// TestValidHostname pins the class of a host label, letters, digits, '-'
// and '_', not starting with '-', at each bound and the characters next to
// them; and the length limit, 253.
func TestValidHostname(t *testing.T) {
	for _, c := range []string{"a", "z", "A", "Z", "0", "9", "_"} {
		for _, s := range []string{c, "x" + c, c + "x.y", "x." + c} {
			if !validHostname(s) {
				t.Errorf("validHostname(%q) = false, want true", s)
			}
		}
	}
	if !validHostname("x-y.z-z") || !validHostname("x--y") || validHostname("-x.y") || validHostname("x.-y") {
		t.Error("a label may hold '-', never start with it")
	}
	for _, c := range []string{"`", "{", "@", "[", "/", ":", "+", "!", " ", "~", "*", "%", "é"} {
		if s := "x" + c + "y"; validHostname(s) {
			t.Errorf("validHostname(%q) = true, want false", s)
		}
	}
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"github.com.", true}, {"github.com..", false}, {".github.com", false}, {"", false}, {".", false},
		{strings.Repeat("a.", 126) + "a", true}, // 253
		{strings.Repeat("a.", 126) + "ab", false},
	} {
		if got := validHostname(tt.s); got != tt.want {
			t.Errorf("validHostname(%q) (%d characters) = %v, want %v", tt.s, len(tt.s), got, tt.want)
		}
	}
}

// TestRemoteWindowsPaths: a one-letter "host" before nothing, '/' or '\' is
// a drive letter; any other one character is a host.
func TestRemoteWindowsPaths(t *testing.T) {
	for _, raw := range []string{"C:", "c:", "A:/x", "a:/x", "Z:\\x", "z:\\x", "C:\\"} {
		want := "remote URL " + strconv.Quote(raw) + " is a local Windows path: " + acceptedRemotes
		if _, err := NormaliseRemote(raw); err == nil || err.Error() != want {
			t.Errorf("NormaliseRemote(%q) error %v, want %q", raw, err, want)
		}
	}
	for _, tt := range []struct{ raw, want string }{
		{"1:/acme/x", "https://1/acme/x"},
		{"_:/acme/x", "https://_/acme/x"},
		{"c:acme/x", "https://c/acme/x"},
		{"cd:/acme/x", "https://cd/acme/x"},
	} {
		if got, err := NormaliseRemote(tt.raw); err != nil || got != tt.want {
			t.Errorf("NormaliseRemote(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

// TestOverrideURLs pins the Source and Documentation overrides: an absolute
// http or https URL, any case of scheme, with a valid host and port.
func TestOverrideURLs(t *testing.T) {
	const accepted = `want an absolute http or https URL such as "https://github.com/acme/echo-server"`
	for _, field := range []string{"Source", "Documentation"} {
		set := func(m *Meta, v string) {
			if field == "Source" {
				m.Source = v
			} else {
				m.Documentation = v
			}
		}
		for _, tt := range []struct{ raw, want string }{
			{"https:///acme/x", `invalid Meta.` + field + ` "https:///acme/x": ` + accepted},
			{"ftp://git.example.com/x", `invalid Meta.` + field + ` "ftp://git.example.com/x": ` + accepted},
			{"ssh://git.example.com/x", `invalid Meta.` + field + ` "ssh://git.example.com/x": ` + accepted},
			{"/acme/x", `invalid Meta.` + field + ` "/acme/x": ` + accepted},
			{"https://git.example.com:0/x", `invalid Meta.` + field + ` "https://git.example.com:0/x": port "0" is not a port number: want 1 to 65535`},
			{"https://git.example.com:65536/x", `invalid Meta.` + field + ` "https://git.example.com:65536/x": port "65536" is not a port number: want 1 to 65535`},
			{"http://a_b!c/x", `invalid Meta.` + field + ` "http://a_b!c/x": host "a_b!c" is not a hostname or IP address`},
		} {
			m := testMeta()
			set(&m, tt.raw)
			if _, err := Build(Git{}, m); err == nil || err.Error() != tt.want {
				t.Errorf("%s %q: error %v\nwant %s", field, tt.raw, err, tt.want)
			}
		}
		for _, raw := range []string{"HTTPS://git.example.com/x", "Http://git.example.com:1/x", "https://git.example.com:65535/x", "https://[::1]:8080/x"} {
			m := testMeta()
			set(&m, raw)
			if _, err := Build(Git{}, m); err != nil {
				t.Errorf("%s %q: %v; want it accepted", field, raw, err)
			}
		}
	}
}

// TestSanitiseTag pins the class of an image tag, [A-Za-z0-9_.-], at each
// bound and the characters next to them, the "v" dropped before a digit
// only, and the leading '.' and '-' removed.
func TestSanitiseTag(t *testing.T) {
	for _, c := range []string{"A", "Z", "a", "z", "0", "9", "_", ".", "-"} {
		if got := sanitiseTag("x" + c + "y"); got != "x"+c+"y" {
			t.Errorf("sanitiseTag(%q) = %q, want it kept", "x"+c+"y", got)
		}
	}
	for _, c := range []string{"@", "[", "`", "{", "/", ":", "+", "^", ",", "~", " ", "\x7f", "é"} {
		if got := sanitiseTag("x" + c + "y"); got != "x-y" {
			t.Errorf("sanitiseTag(%q) = %q, want x-y", "x"+c+"y", got)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"v0x", "0x"}, {"v9", "9"}, {"vnext", "vnext"}, {"v/x", "v-x"}, {"va1", "va1"}, {"V1", "V1"}, {"vv1", "vv1"},
		{"-x", "x"}, {".x", "x"}, {"-.-x", "x"}, {"_x", "_x"}, {"x-", "x-"}, {"v.1", "v.1"}, {"v-1", "v-1"},
		{"Nightly_Build", "Nightly_Build"}, {"--", ""}, {"/", ""},
	} {
		if got := sanitiseTag(tt.in); got != tt.want {
			t.Errorf("sanitiseTag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSemverIdentifiers pins the class of a pre-release or build
// identifier, [0-9A-Za-z-], at each bound and the characters next to them,
// and the leading-zero rule: numeric pre-release identifiers only.
func TestSemverIdentifiers(t *testing.T) {
	for _, c := range []string{"A", "Z", "a", "z", "0", "9", "-"} {
		for _, tag := range []string{"1.2.3-x" + c, "1.2.3+x" + c, "1.2.3-x" + c + "+y" + c} {
			if _, ok := parseSemver(tag); !ok {
				t.Errorf("parseSemver(%q) failed, want a semantic version", tag)
			}
		}
	}
	for _, c := range []string{"@", "[", "`", "{", "/", ":", "_", "+", "~", " ", "é"} {
		for _, tag := range []string{"1.2.3-x" + c, "1.2.3+x" + c} {
			if c == "+" && strings.HasPrefix(tag, "1.2.3-") {
				continue // the build metadata starts there
			}
			if _, ok := parseSemver(tag); ok {
				t.Errorf("parseSemver(%q) succeeded, want failure", tag)
			}
		}
	}
	for _, tt := range []struct {
		tag string
		ok  bool
	}{
		{"1.2.3-0", true}, {"1.2.3-00", false}, {"1.2.3-01", false}, {"1.2.3-0a", true}, {"1.2.3-0-", true},
		{"1.2.3+0", true}, {"1.2.3+00", true}, {"1.2.3+01", true}, {"1.2.3-rc.01", false}, {"1.2.3-rc.10", true},
		{"0.0.0", true}, {"10.20.30", true}, {"1.2.30", true}, {"1.20.3", true},
	} {
		if _, ok := parseSemver(tt.tag); ok != tt.ok {
			t.Errorf("parseSemver(%q) ok = %v, want %v", tt.tag, ok, tt.ok)
		}
	}
	// What the rules decide, seen in the version: a tag that is semver wins
	// over a lower semver tag; one that is not loses to it.
	for _, tt := range []struct {
		tags []string
		want string
	}{
		{[]string{"v1.0.0-RC.1", "v0.9.0"}, "1.0.0-RC.1"},
		{[]string{"v1.0.0-0a", "v0.9.0"}, "1.0.0-0a"},
		{[]string{"v1.2.3+01", "v1.0.0"}, "1.2.3"},
		{[]string{"v1.0.0-01", "v0.9.0"}, "0.9.0"},
		{[]string{"v1.0.0-rc_1", "v0.9.0"}, "0.9.0"},
	} {
		if got := Version(Git{Commit: testCommit, Tags: tt.tags}); got != tt.want {
			t.Errorf("Version(tags %q) = %q, want %q", tt.tags, got, tt.want)
		}
	}
}

// TestCommitSHA pins a full commit: 40 or 64 hex digits, in either case,
// white space around it ignored; one digit short or over, or a character
// next to the bounds of [0-9a-f], is refused.
func TestCommitSHA(t *testing.T) {
	for _, c := range []string{"0", "9", "a", "f", "A", "F"} {
		for _, n := range []int{40, 64} {
			commit := strings.Repeat(c, n)
			want := strings.ToLower(commit)
			if got, err := Build(Git{Commit: " " + commit + "\n"}, testMeta()); err != nil || got[Prefix+"revision"] != want {
				t.Errorf("Commit %q: revision %q, %v; want %q", commit, got[Prefix+"revision"], err, want)
			}
		}
	}
	bad := []string{strings.Repeat("a", 39), strings.Repeat("a", 41), strings.Repeat("a", 63), strings.Repeat("a", 65)}
	for _, c := range []string{"g", "G", "/", ":", "`", "@", "-", " "} {
		bad = append(bad, strings.Repeat("a", 39)+c, strings.Repeat("a", 63)+c)
	}
	for _, commit := range bad {
		want := "invalid Git.Commit " + strconv.Quote(commit) + ": want a full commit SHA of 40 or 64 hex digits"
		if _, err := Build(Git{Commit: commit}, testMeta()); err == nil || err.Error() != want {
			t.Errorf("Commit %q: error %v, want %q", commit, err, want)
		}
	}
}

// TestRefNameEdges pins the ref name of an untagged checkout.
func TestRefNameEdges(t *testing.T) {
	for _, tt := range []struct {
		ref, want string
	}{
		{" refs/heads/main\n", "main"},
		{" main ", "main"},
		{"refs/tags/日本", "日本"}, // a tag no version can come from: still the ref's name
		{"refs/tags/", "refs/tags/"},
		{"refs/heads/", "refs/heads/"},
		{"refs/remotes/", "refs/remotes/"},
		{strings.ToUpper(testCommit), "3f786850e387"},
		{" HEAD ", "3f786850e387"},
		{"head", "head"},
		{testCommit[:39], testCommit[:39]},
	} {
		if got := RefName(Git{Commit: testCommit, Ref: tt.ref}); got != tt.want {
			t.Errorf("RefName(ref %q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

// TestVersionLength pins the tag length limit, 128, with and without
// "-dirty".
func TestVersionLength(t *testing.T) {
	for _, tt := range []struct {
		tag   string
		dirty bool
		want  string
	}{
		{strings.Repeat("a", 129), false, strings.Repeat("a", 128)},
		{strings.Repeat("a", 122), true, strings.Repeat("a", 122) + "-dirty"},
		{strings.Repeat("a", 123), true, strings.Repeat("a", 122) + "-dirty"},
		{"v" + strings.Repeat("1", 129), false, strings.Repeat("1", 128)},
	} {
		got := Version(Git{Commit: testCommit, Tags: []string{tt.tag}, Dirty: tt.dirty})
		if got != tt.want || len(got) > 128 {
			t.Errorf("Version(tag of %d, dirty %v) = %q (%d), want %q", len(tt.tag), tt.dirty, got, len(got), tt.want)
		}
	}
}

// TestEpochIsUTC: the release's timestamps are in UTC, known or not.
func TestEpochIsUTC(t *testing.T) {
	for _, g := range []Git{{}, {CommitTime: tokyoTime}, {CommitTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		if got := Epoch(g); got.Location() != time.UTC {
			t.Errorf("Epoch(%v) = %v in %v, want UTC", g.CommitTime, got, got.Location())
		}
	}
	if got := Epoch(Git{}); !got.Equal(time.Unix(0, 0)) {
		t.Errorf("Epoch without a commit time = %v, want the Unix epoch", got)
	}
}

// TestDefaultMeta pins every default its doc comment states.
func TestDefaultMeta(t *testing.T) {
	want := Meta{
		Title:       "echo-server",
		Description: "A small HTTP server that echoes every request back to its client.",
		Vendor:      "echo-server maintainers",
		Authors:     "echo-server maintainers",
		Licenses:    "Apache-2.0",
		EnvPrefix:   "dev.echo-server",
		Environment: "dev",
	}
	if got := DefaultMeta(); got != want {
		t.Errorf("DefaultMeta() = %+v\nwant %+v", got, want)
	}
}
