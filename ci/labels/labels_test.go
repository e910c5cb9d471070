package labels

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	testDigest    = "sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1"
	testBaseImage = "alpine:3.23.5@" + testDigest
)

// testMeta returns DefaultMeta with a base image.
func testMeta() Meta {
	m := DefaultMeta()
	m.BaseImage = testBaseImage
	return m
}

func TestBuild(t *testing.T) {
	want := map[string]string{
		Prefix + "authors":            "echo-server maintainers",
		Prefix + "base.digest":        testDigest,
		Prefix + "base.name":          "docker.io/library/alpine:3.23.5",
		Prefix + "created":            "2026-11-29T03:47:52Z",
		Prefix + "description":        DefaultMeta().Description,
		Prefix + "documentation":      "https://github.com/acme/echo-server#readme",
		Prefix + "licenses":           "Apache-2.0",
		Prefix + "ref.name":           "v1.2.3",
		Prefix + "revision":           testCommit,
		Prefix + "source":             "https://github.com/acme/echo-server",
		Prefix + "title":              "echo-server",
		Prefix + "url":                "https://github.com/acme/echo-server",
		Prefix + "vendor":             "echo-server maintainers",
		Prefix + "version":            "1.2.3",
		"dev.echo-server.environment": "dev",
	}
	g := Git{
		Commit:     testCommit,
		Ref:        "refs/heads/main",
		Tags:       []string{"v1.2.3"},
		CommitTime: testTime,
		RemoteURL:  "git@github.com:acme/echo-server.git",
	}
	got, err := Build(g, testMeta())
	if err != nil {
		t.Fatalf("Build() error: %v", err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("Build() =\n%s\nwant\n%s", formatLabels(got), formatLabels(want))
	}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, Keys(testMeta())) {
		t.Errorf("Build() keys %q, Keys() %q", keys, Keys(testMeta()))
	}
}

func TestBuildCases(t *testing.T) {
	tests := []struct {
		name string
		git  Git
		meta func(*Meta)
		want map[string]string // labels to check; the rest are not compared
	}{
		{
			name: "no git: unknown values",
			git:  Git{},
			want: map[string]string{
				Prefix + "revision":      "unknown",
				Prefix + "ref.name":      "unknown",
				Prefix + "version":       "unknown",
				Prefix + "created":       "unknown",
				Prefix + "source":        "unknown",
				Prefix + "url":           "unknown",
				Prefix + "documentation": "unknown",
				Prefix + "title":         "echo-server",
			},
		},
		{
			name: "untagged dirty checkout",
			git:  Git{Commit: testCommit, Ref: "refs/heads/main", CommitTime: tokyoTime, Dirty: true},
			want: map[string]string{
				Prefix + "revision": testCommit,
				Prefix + "ref.name": "main",
				Prefix + "version":  "0.0.0-20261129034752-3f786850e387-dirty",
				Prefix + "created":  "2026-11-29T03:47:52Z",
			},
		},
		{
			name: "detached HEAD, upper-case commit with newline",
			git:  Git{Commit: strings.ToUpper(testCommit) + "\n", Ref: "HEAD"},
			want: map[string]string{
				Prefix + "revision": testCommit,
				Prefix + "ref.name": "3f786850e387",
				Prefix + "version":  "0.0.0-3f786850e387",
			},
		},
		{
			name: "local remote: source unknown",
			git:  Git{Commit: testCommit, RemoteURL: "/srv/git/echo-server.git"},
			want: map[string]string{
				Prefix + "source":        "unknown",
				Prefix + "url":           "unknown",
				Prefix + "documentation": "unknown",
			},
		},
		{
			name: "file remote: source unknown",
			git:  Git{Commit: testCommit, RemoteURL: "file:///srv/git/echo-server.git"},
			want: map[string]string{Prefix + "source": "unknown", Prefix + "url": "unknown"},
		},
		{
			name: "unparsable remote: source unknown",
			git:  Git{Commit: testCommit, RemoteURL: "https://alice:" + testToken + "@git.example.com:port/x"},
			want: map[string]string{Prefix + "source": "unknown", Prefix + "url": "unknown"},
		},
		{
			name: "source override wins over the remote, credentials and fragment stripped",
			git:  Git{RemoteURL: "git@github.com:acme/echo-server.git"},
			meta: func(m *Meta) { m.Source = " http://alice:" + testToken + "@git.example.com/acme/echo-server/#x " },
			want: map[string]string{
				Prefix + "source":        "http://git.example.com/acme/echo-server",
				Prefix + "url":           "http://git.example.com/acme/echo-server",
				Prefix + "documentation": "http://git.example.com/acme/echo-server#readme",
			},
		},
		{
			name: "documentation override",
			git:  Git{RemoteURL: "git@github.com:acme/echo-server.git"},
			meta: func(m *Meta) { m.Documentation = "https://docs.example.com/echo-server/#usage" },
			want: map[string]string{
				Prefix + "source":        "https://github.com/acme/echo-server",
				Prefix + "documentation": "https://docs.example.com/echo-server/#usage",
			},
		},
		{
			name: "documentation override without a source",
			git:  Git{},
			meta: func(m *Meta) { m.Documentation = "https://docs.example.com/echo-server" },
			want: map[string]string{
				Prefix + "source":        "unknown",
				Prefix + "documentation": "https://docs.example.com/echo-server",
			},
		},
		{
			name: "custom metadata, trimmed",
			git:  Git{},
			meta: func(m *Meta) {
				m.Title, m.Vendor, m.Licenses = " echo ", "Acme Corp", "(MIT OR Apache-2.0) AND BSD-3-Clause"
				m.EnvPrefix, m.Environment = " com.acme.echo ", "production"
			},
			want: map[string]string{
				Prefix + "title":            "echo",
				Prefix + "vendor":           "Acme Corp",
				Prefix + "licenses":         "(MIT OR Apache-2.0) AND BSD-3-Clause",
				"com.acme.echo.environment": "production",
			},
		},
		{
			name: "no base image",
			git:  Git{},
			meta: func(m *Meta) { m.BaseImage = "" },
			want: map[string]string{Prefix + "base.name": "unknown", Prefix + "base.digest": "unknown"},
		},
		{
			name: "base image without digest",
			git:  Git{},
			meta: func(m *Meta) { m.BaseImage = "alpine:3.23.5" },
			want: map[string]string{Prefix + "base.name": "docker.io/library/alpine:3.23.5", Prefix + "base.digest": "unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMeta()
			if tt.meta != nil {
				tt.meta(&m)
			}
			got, err := Build(tt.git, m)
			if err != nil {
				t.Fatalf("Build() error: %v", err)
			}
			for key, want := range tt.want {
				if got[key] != want {
					t.Errorf("label %s = %q, want %q", key, got[key], want)
				}
			}
			if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, Keys(m)) {
				t.Errorf("Build() keys %q, Keys() %q", keys, Keys(m))
			}
			for key, value := range got {
				if strings.TrimSpace(value) == "" {
					t.Errorf("label %s is empty", key)
				}
			}
		})
	}
}

func TestBuildNeverLeaksCredentials(t *testing.T) {
	remotes := []string{
		"https://" + testToken + "@github.com/acme/echo-server.git",
		"https://alice:" + testToken + "@github.com/acme/echo-server.git",
		"https://x-access-token:" + testToken + "@github.com/acme/echo-server/",
		"https://oauth2:" + testToken + "@gitlab.example.com:8443/acme/echo-server.git",
		"https://github.com/acme/echo-server.git?private_token=" + testToken,
		"ssh://alice:" + testToken + "@git.example.com:2222/acme/echo-server.git",
		testToken + "@git.example.com:acme/echo-server.git",
		"https://alice:" + testToken + "@git.example.com:port/x",
		"https://alice:" + testToken + "/x@git.example.com/x",
		"file://alice:" + testToken + "@localhost/srv/echo-server.git",
	}
	for _, remote := range remotes {
		t.Run(remote, func(t *testing.T) {
			g := Git{Commit: testCommit, Ref: "refs/heads/main", RemoteURL: remote}
			got, err := Build(g, testMeta())
			if err != nil {
				t.Fatalf("Build() error: %v", err)
			}
			for key, value := range got {
				if strings.Contains(value, testToken) {
					t.Errorf("label %s = %q leaks the token", key, value)
				}
			}
			if _, err := NormaliseRemote(remote); err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("NormaliseRemote() error leaks the token: %v", err)
			}
			m := testMeta()
			m.Source = remote
			if _, err := Build(g, m); err != nil && strings.Contains(err.Error(), testToken) {
				t.Errorf("Build() error for a Source override leaks the token: %v", err)
			}
		})
	}
}

// TestBuildOverridesDropCredentials: a user:password in a Source or
// Documentation override never reaches a label, and the labels are exactly
// the URLs without it.
func TestBuildOverridesDropCredentials(t *testing.T) {
	tests := []struct {
		name                          string
		source, documentation         string
		wantSource, wantDocumentation string
	}{
		{
			name:              "documentation",
			documentation:     "https://alice:" + testToken + "@docs.example.com/echo-server?x=1#usage",
			wantSource:        "https://github.com/acme/echo-server",
			wantDocumentation: "https://docs.example.com/echo-server?x=1#usage",
		},
		{
			name:              "documentation, user only",
			documentation:     "http://" + testToken + "@docs.example.com:8080/",
			wantSource:        "https://github.com/acme/echo-server",
			wantDocumentation: "http://docs.example.com:8080/",
		},
		{
			name:              "source, and documentation derived from it",
			source:            "https://alice:" + testToken + "@git.example.com/acme/echo-server/#x",
			wantSource:        "https://git.example.com/acme/echo-server",
			wantDocumentation: "https://git.example.com/acme/echo-server#readme",
		},
		{
			name:              "both",
			source:            "https://alice:" + testToken + "@git.example.com/acme/echo-server",
			documentation:     "https://alice:" + testToken + "@docs.example.com/",
			wantSource:        "https://git.example.com/acme/echo-server",
			wantDocumentation: "https://docs.example.com/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMeta()
			m.Source, m.Documentation = tt.source, tt.documentation
			g := Git{Commit: testCommit, RemoteURL: "https://bob:" + testToken + "@github.com/acme/echo-server.git"}
			got, err := Build(g, m)
			if err != nil {
				t.Fatal(err)
			}
			for key, value := range got {
				if strings.Contains(value, testToken) || strings.Contains(value, "alice") || strings.Contains(value, "bob") {
					t.Errorf("label %s = %q keeps the credentials", key, value)
				}
			}
			for key, want := range map[string]string{
				Prefix + "source":        tt.wantSource,
				Prefix + "url":           tt.wantSource,
				Prefix + "documentation": tt.wantDocumentation,
			} {
				if got[key] != want {
					t.Errorf("label %s = %q, want %q", key, got[key], want)
				}
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		git     Git
		meta    func(*Meta)
		wantErr string
	}{
		{
			name:    "first invalid field in field order",
			meta:    func(m *Meta) { m.Vendor, m.Title = "", "" },
			wantErr: `invalid Meta.Title "": want a non-empty value`,
		},
		{
			name:    "licenses in prose",
			meta:    func(m *Meta) { m.Licenses = "Apache License 2.0" },
			wantErr: `invalid Meta.Licenses "Apache License 2.0": unknown license 'Apache' at offset 0; want an SPDX license expression such as "Apache-2.0" or "(MIT OR Apache-2.0)"`,
		},
		{
			name:    "env prefix without a dot",
			meta:    func(m *Meta) { m.EnvPrefix = "echo" },
			wantErr: `invalid Meta.EnvPrefix "echo": want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`,
		},
		{
			name:    "env prefix with upper case",
			meta:    func(m *Meta) { m.EnvPrefix = "Dev.Echo-Server" },
			wantErr: `invalid Meta.EnvPrefix "Dev.Echo-Server": want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`,
		},
		{
			name:    "empty env prefix",
			meta:    func(m *Meta) { m.EnvPrefix = "" },
			wantErr: `invalid Meta.EnvPrefix "": want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`,
		},
		{
			name:    "env prefix in the OCI namespace",
			meta:    func(m *Meta) { m.EnvPrefix = "org.opencontainers.image" },
			wantErr: `invalid Meta.EnvPrefix "org.opencontainers.image": want a prefix outside the reserved "org.opencontainers." namespace`,
		},
		{
			name:    "env prefix equal to the OCI namespace",
			meta:    func(m *Meta) { m.EnvPrefix = "org.opencontainers" },
			wantErr: `invalid Meta.EnvPrefix "org.opencontainers": want a prefix outside the reserved "org.opencontainers." namespace`,
		},
		{
			name:    "env prefix in a Docker namespace",
			meta:    func(m *Meta) { m.EnvPrefix = "com.docker.echo" },
			wantErr: `invalid Meta.EnvPrefix "com.docker.echo": want a prefix outside the reserved "com.docker." namespace`,
		},
		{
			name:    "source override not a URL",
			meta:    func(m *Meta) { m.Source = "github.com/acme/echo-server" },
			wantErr: `invalid Meta.Source "github.com/acme/echo-server": want an absolute http or https URL such as "https://github.com/acme/echo-server"`,
		},
		{
			name:    "source override with another scheme, credentials redacted",
			meta:    func(m *Meta) { m.Source = "ssh://alice:" + testToken + "@github.com/acme/echo-server" },
			wantErr: `invalid Meta.Source "ssh://***@github.com/acme/echo-server": want an absolute http or https URL such as "https://github.com/acme/echo-server"`,
		},
		{
			name:    "source override with a bad host",
			meta:    func(m *Meta) { m.Source = "https://-bad-/x" },
			wantErr: `invalid Meta.Source "https://-bad-/x": host "-bad-" is not a hostname or IP address`,
		},
		{
			name:    "documentation override not a URL",
			meta:    func(m *Meta) { m.Documentation = "README.md" },
			wantErr: `invalid Meta.Documentation "README.md": want an absolute http or https URL such as "https://github.com/acme/echo-server"`,
		},
		{
			name:    "base image with a bad digest",
			meta:    func(m *Meta) { m.BaseImage = "alpine:3.23.5@sha256:abc" },
			wantErr: `invalid Meta.BaseImage "alpine:3.23.5@sha256:abc": invalid checksum digest length: sha256:abc; want an image reference such as "alpine:3.23.5@sha256:<64 hex>"`,
		},
		{
			name:    "base image with upper case",
			meta:    func(m *Meta) { m.BaseImage = "Alpine:3.23.5" },
			wantErr: "invalid Meta.BaseImage \"Alpine:3.23.5\": repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: Alpine; want an image reference such as \"alpine:3.23.5@sha256:<64 hex>\"",
		},
		{
			name:    "short commit",
			git:     Git{Commit: "3f78685"},
			wantErr: `invalid Git.Commit "3f78685": want a full commit SHA of 40 or 64 hex digits`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMeta()
			if tt.meta != nil {
				tt.meta(&m)
			}
			got, err := Build(tt.git, m)
			if err == nil {
				t.Fatalf("Build() = %v, want error %q", got, tt.wantErr)
			}
			if err.Error() != tt.wantErr {
				t.Errorf("Build() error:\n got %s\nwant %s", err, tt.wantErr)
			}
		})
	}
}

func TestBuildRequiresFields(t *testing.T) {
	blank := map[string]func(*Meta){
		"Title":       func(m *Meta) { m.Title = "  " },
		"Description": func(m *Meta) { m.Description = "" },
		"Vendor":      func(m *Meta) { m.Vendor = "" },
		"Authors":     func(m *Meta) { m.Authors = "\t" },
		"Licenses":    func(m *Meta) { m.Licenses = "" },
		"Environment": func(m *Meta) { m.Environment = "\n" },
	}
	for field, clear := range blank {
		t.Run(field, func(t *testing.T) {
			m := testMeta()
			clear(&m)
			want := "invalid Meta." + field + ` "": want a non-empty value`
			if _, err := Build(Git{}, m); err == nil || err.Error() != want {
				t.Errorf("Build() error = %v, want %q", err, want)
			}
		})
	}
}

// TestLicenses pins what the SPDX parser accepts, label as given, and what
// it refuses, with its reason.
func TestLicenses(t *testing.T) {
	valid := []string{
		"Apache-2.0", "MIT", "(BSD-1-Clause)", "GPL-2.0+", "GPL-2.0-or-later WITH Classpath-exception-2.0",
		"MIT OR Apache-2.0", "(MIT OR Apache-2.0) AND BSD-3-Clause", "((MIT))", "LicenseRef-acme-1.0",
		"MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)",
		// ids in any case, deprecated ids, '+' on any id, document references
		"mit", "apache-2.0", "GPL-2.0", "MIT+", "DocumentRef-x:LicenseRef-y", "MIT  OR   Apache-2.0",
	}
	for _, s := range valid {
		m := testMeta()
		m.Licenses = s
		got, err := Build(Git{}, m)
		if err != nil || got[Prefix+"licenses"] != s {
			t.Errorf("Licenses %q: label %q, %v; want it as given", s, got[Prefix+"licenses"], err)
		}
	}
	const want = `; want an SPDX license expression such as "Apache-2.0" or "(MIT OR Apache-2.0)"`
	invalid := []struct{ in, reason string }{
		{"()", "expected license or expression, but found close parenthesis"},
		{"MIT OR", "expected expression following OR, but found none"},
		{"AND MIT", "expression starts with AND"},
		{"OR", "expression starts with OR"},
		{"MIT Apache-2.0", "licenses or expressions are not separated by an operator"},
		{"(MIT", "open parenthesis does not have a matching close parenthesis"},
		{"MIT)", "close parenthesis does not have a matching open parenthesis"},
		{"MIT WITH", "expected exception after 'WITH'"},
		{"MIT WITH (X)", "unknown license 'X' at offset 10"},
		{"MIT/Apache-2.0", "expected id at offset 3"},
		{"MIT, Apache-2.0", "expected id at offset 3"},
		{"-MIT", "unknown license '-MIT' at offset 0"},
		{"Apache 2", "unknown license 'Apache' at offset 0"},
		{"MIT AND AND BSD-3-Clause", "expected license or expression, but found AND"},
		{"Apache License 2.0", "unknown license 'Apache' at offset 0"},
		{"MIT or Apache-2.0", "unknown license 'or' at offset 4"},
		{"MIT with Classpath-exception-2.0", "unknown license 'with' at offset 4"},
		{"Foo-1.0", "unknown license 'Foo-1.0' at offset 0"},
	}
	for _, tt := range invalid {
		m := testMeta()
		m.Licenses = tt.in
		wantErr := "invalid Meta.Licenses " + strconv.Quote(tt.in) + ": " + tt.reason + want
		if _, err := Build(Git{}, m); err == nil || err.Error() != wantErr {
			t.Errorf("Licenses %q: error %v\nwant %s", tt.in, err, wantErr)
		}
	}
}

func TestKeys(t *testing.T) {
	want := []string{
		"com.acme.echo.environment",
		Prefix + "authors", Prefix + "base.digest", Prefix + "base.name", Prefix + "created",
		Prefix + "description", Prefix + "documentation", Prefix + "licenses", Prefix + "ref.name",
		Prefix + "revision", Prefix + "source", Prefix + "title", Prefix + "url", Prefix + "vendor",
		Prefix + "version",
	}
	m := DefaultMeta()
	m.EnvPrefix = "com.acme.echo"
	if got := Keys(m); !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
}

func TestDefaultMetaBuilds(t *testing.T) {
	if _, err := Build(Git{}, DefaultMeta()); err != nil {
		t.Fatalf("Build(Git{}, DefaultMeta()) error: %v", err)
	}
}

// formatLabels renders labels one per line, sorted, for failure messages.
func formatLabels(labels map[string]string) string {
	var b strings.Builder
	for _, key := range slices.Sorted(maps.Keys(labels)) {
		b.WriteString("  " + key + "=" + labels[key] + "\n")
	}
	return b.String()
}
