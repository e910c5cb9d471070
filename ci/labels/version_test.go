package labels

import (
	"cmp"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	testCommit   = "3f786850e387550fdab836ed7e6dc881de23001b"
	testCommit64 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

var (
	testTime   = time.Date(2026, time.November, 29, 3, 47, 52, 0, time.UTC)
	tokyoTime  = time.Date(2026, time.November, 29, 12, 47, 52, 123456789, time.FixedZone("JST", 9*60*60))
	imageTagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
)

func TestVersionAndRefName(t *testing.T) {
	tests := []struct {
		name        string
		git         Git
		wantVersion string
		wantRef     string
	}{
		{
			name:        "tagged",
			git:         Git{Commit: testCommit, Ref: "refs/heads/main", Tags: []string{"v1.2.3"}, CommitTime: testTime},
			wantVersion: "1.2.3",
			wantRef:     "v1.2.3",
		},
		{
			name:        "tag without v",
			git:         Git{Commit: testCommit, Tags: []string{"1.2.3"}},
			wantVersion: "1.2.3",
			wantRef:     "1.2.3",
		},
		{
			name:        "highest semver wins over lower and non-semver tags",
			git:         Git{Commit: testCommit, Tags: []string{"v1.9.0", "stable", "v1.10.0-rc.1", "v1.2.3"}},
			wantVersion: "1.10.0-rc.1",
			wantRef:     "v1.10.0-rc.1",
		},
		{
			name:        "release wins over its pre-release",
			git:         Git{Commit: testCommit, Tags: []string{"v2.0.0", "v2.0.0-rc.2"}},
			wantVersion: "2.0.0",
			wantRef:     "v2.0.0",
		},
		{
			name:        "pre-release precedence",
			git:         Git{Commit: testCommit, Tags: []string{"v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0-beta.2", "v1.0.0-alpha"}},
			wantVersion: "1.0.0-rc.1",
			wantRef:     "v1.0.0-rc.1",
		},
		{
			name:        "numbers compare numerically",
			git:         Git{Commit: testCommit, Tags: []string{"v9.99.99", "v10.0.0", "v99999999999999999999.0.0"}},
			wantVersion: "99999999999999999999.0.0",
			wantRef:     "v99999999999999999999.0.0",
		},
		{
			name:        "build metadata is dropped",
			git:         Git{Commit: testCommit, Tags: []string{"v1.2.3-rc.1+build.5"}},
			wantVersion: "1.2.3-rc.1",
			wantRef:     "v1.2.3-rc.1+build.5",
		},
		{
			name:        "equal precedence picks the lexically first tag",
			git:         Git{Commit: testCommit, Tags: []string{"v1.2.3+b", "v1.2.3+a"}},
			wantVersion: "1.2.3",
			wantRef:     "v1.2.3+a",
		},
		{
			name:        "non-semver tags only: lexically greatest",
			git:         Git{Commit: testCommit, Tags: []string{"nightly", "release-2026.11"}},
			wantVersion: "release-2026.11",
			wantRef:     "release-2026.11",
		},
		{
			name:        "non-semver tag is sanitised",
			git:         Git{Commit: testCommit, Tags: []string{"feature/a+b@ü"}},
			wantVersion: "feature-a-b--",
			wantRef:     "feature/a+b@ü",
		},
		{
			name:        "non-semver v-tag loses its v",
			git:         Git{Commit: testCommit, Tags: []string{"v2"}},
			wantVersion: "2",
			wantRef:     "v2",
		},
		{
			name:        "leading zeros are not semver",
			git:         Git{Commit: testCommit, Tags: []string{"v01.2.3"}},
			wantVersion: "01.2.3",
			wantRef:     "v01.2.3",
		},
		{
			name:        "tag that sanitises to nothing is ignored",
			git:         Git{Commit: testCommit, Ref: "refs/heads/main", Tags: []string{"日本"}, CommitTime: testTime},
			wantVersion: "0.0.0-20261129034752-3f786850e387",
			wantRef:     "main",
		},
		{
			name:        "tag from the ref",
			git:         Git{Commit: testCommit, Ref: "refs/tags/v0.4.0"},
			wantVersion: "0.4.0",
			wantRef:     "v0.4.0",
		},
		{
			name:        "tags are trimmed, blanks skipped",
			git:         Git{Commit: testCommit, Tags: []string{" ", " v1.2.3\n"}},
			wantVersion: "1.2.3",
			wantRef:     "v1.2.3",
		},
		{
			name:        "untagged: pseudo-version",
			git:         Git{Commit: testCommit, Ref: "refs/heads/main", CommitTime: testTime},
			wantVersion: "0.0.0-20261129034752-3f786850e387",
			wantRef:     "main",
		},
		{
			name:        "untagged: commit time converted to UTC",
			git:         Git{Commit: testCommit, Ref: "main", CommitTime: tokyoTime},
			wantVersion: "0.0.0-20261129034752-3f786850e387",
			wantRef:     "main",
		},
		{
			name:        "untagged, time unknown",
			git:         Git{Commit: testCommit, Ref: "refs/heads/feature/x"},
			wantVersion: "0.0.0-3f786850e387",
			wantRef:     "feature/x",
		},
		{
			name:        "SHA-256 commit, upper case",
			git:         Git{Commit: strings.ToUpper(testCommit64), Ref: "refs/heads/main", CommitTime: testTime},
			wantVersion: "0.0.0-20261129034752-9f86d081884c",
			wantRef:     "main",
		},
		{
			name:        "dirty tagged",
			git:         Git{Commit: testCommit, Ref: "refs/heads/main", Tags: []string{"v1.2.3"}, Dirty: true},
			wantVersion: "1.2.3-dirty",
			wantRef:     "v1.2.3",
		},
		{
			name:        "dirty untagged",
			git:         Git{Commit: testCommit, Ref: "refs/heads/main", CommitTime: testTime, Dirty: true},
			wantVersion: "0.0.0-20261129034752-3f786850e387-dirty",
			wantRef:     "main",
		},
		{
			name:        "detached HEAD",
			git:         Git{Commit: testCommit, Ref: "HEAD", CommitTime: testTime},
			wantVersion: "0.0.0-20261129034752-3f786850e387",
			wantRef:     "3f786850e387",
		},
		{
			name:        "detached HEAD reported as a commit",
			git:         Git{Commit: testCommit, Ref: testCommit},
			wantVersion: "0.0.0-3f786850e387",
			wantRef:     "3f786850e387",
		},
		{
			name:        "detached HEAD at a tag",
			git:         Git{Commit: testCommit, Ref: "HEAD", Tags: []string{"v3.0.0"}},
			wantVersion: "3.0.0",
			wantRef:     "v3.0.0",
		},
		{
			name:        "ref unknown",
			git:         Git{Commit: testCommit},
			wantVersion: "0.0.0-3f786850e387",
			wantRef:     "3f786850e387",
		},
		{
			name:        "remote-tracking ref",
			git:         Git{Commit: testCommit, Ref: "refs/remotes/origin/main"},
			wantVersion: "0.0.0-3f786850e387",
			wantRef:     "origin/main",
		},
		{
			name:        "no git",
			git:         Git{},
			wantVersion: "unknown",
			wantRef:     "unknown",
		},
		{
			name:        "dirty without a commit",
			git:         Git{Dirty: true, Ref: "refs/heads/main"},
			wantVersion: "unknown",
			wantRef:     "main",
		},
		{
			name:        "malformed commit counts as unknown",
			git:         Git{Commit: "3f78685", Ref: "HEAD"},
			wantVersion: "unknown",
			wantRef:     "unknown",
		},
		{
			name:        "equal versions: the first tag in byte order",
			git:         Git{Commit: testCommit, Tags: []string{"1.2.3", "v1.2.3"}},
			wantVersion: "1.2.3",
			wantRef:     "1.2.3",
		},
		{
			name:        "equal versions, the other order",
			git:         Git{Commit: testCommit, Tags: []string{"v1.2.3+build.2", "v1.2.3", "v1.2.3+build.1"}},
			wantVersion: "1.2.3",
			wantRef:     "v1.2.3",
		},
		{
			name:        "pre-release identifiers with hyphens and a single zero",
			git:         Git{Commit: testCommit, Tags: []string{"v1.0.0-rc-1", "v1.0.0-0"}},
			wantVersion: "1.0.0-rc-1",
			wantRef:     "v1.0.0-rc-1",
		},
		{
			name:        "a pre-release of a single zero is semver, above a lower release",
			git:         Git{Commit: testCommit, Tags: []string{"v0.9.0", "v1.0.0-0"}},
			wantVersion: "1.0.0-0",
			wantRef:     "v1.0.0-0",
		},
		{
			name:        "numeric pre-release ranks below alphanumeric, either side",
			git:         Git{Commit: testCommit, Tags: []string{"v1.0.0-1", "v1.0.0-a", "v1.0.0-0"}},
			wantVersion: "1.0.0-a",
			wantRef:     "v1.0.0-a",
		},
		{
			name:        "the tag v alone",
			git:         Git{Commit: testCommit, Tags: []string{"v"}},
			wantVersion: "v",
			wantRef:     "v",
		},
		{
			name:        "non-ASCII letters become '-', not the letter their low byte spells",
			git:         Git{Commit: testCommit, Tags: []string{"build_\u0161\u0080x"}},
			wantVersion: "build_--x",
			wantRef:     "build_\u0161\u0080x",
		},
		{
			name:        "non-semver: the greatest in byte order, duplicates alike",
			git:         Git{Commit: testCommit, Tags: []string{"nightly", "stable", "beta", "stable"}},
			wantVersion: "stable",
			wantRef:     "stable",
		},
		{
			name:        "tag of exactly 128 characters is kept whole",
			git:         Git{Commit: testCommit, Tags: []string{strings.Repeat("a", 128)}},
			wantVersion: strings.Repeat("a", 128),
			wantRef:     strings.Repeat("a", 128),
		},
		{
			name:        "long tag is truncated to a valid image tag",
			git:         Git{Commit: testCommit, Tags: []string{"v1.0.0-" + strings.Repeat("a", 200)}, Dirty: true},
			wantVersion: "1.0.0-" + strings.Repeat("a", 122-len("1.0.0-")) + "-dirty",
			wantRef:     "v1.0.0-" + strings.Repeat("a", 200),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Version(tt.git); got != tt.wantVersion {
				t.Errorf("Version() = %q, want %q", got, tt.wantVersion)
			}
			if got := RefName(tt.git); got != tt.wantRef {
				t.Errorf("RefName() = %q, want %q", got, tt.wantRef)
			}
		})
	}
}

func TestCreated(t *testing.T) {
	tests := []struct {
		name string
		time time.Time
		want string
	}{
		{"UTC", testTime, "2026-11-29T03:47:52Z"},
		{"other zone, fractional seconds", tokyoTime, "2026-11-29T03:47:52Z"},
		{"unknown", time.Time{}, "unknown"},
		{"year beyond RFC 3339", time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC), "unknown"},
		{"last year of RFC 3339", time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC), "9999-12-31T23:59:59Z"},
		{"year 0", time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00Z"},
		{"before year 0", time.Date(-1, time.December, 31, 23, 59, 59, 0, time.UTC), "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Git{Commit: testCommit, CommitTime: tt.time}
			if got := Created(g); got != tt.want {
				t.Errorf("Created() = %q, want %q", got, tt.want)
			}
			// Every timestamp of the release is the time the label says,
			// or the Unix epoch when it says unknown.
			wantEpoch := "1970-01-01T00:00:00Z"
			if tt.want != "unknown" {
				wantEpoch = tt.want
			}
			if got := Epoch(g).Format(time.RFC3339Nano); got != wantEpoch {
				t.Errorf("Epoch() = %s, want %s", got, wantEpoch)
			}
		})
	}
}

func TestSemverPrecedence(t *testing.T) {
	// The ascending list from semver.org 2.0.0, section 11.
	ascending := []string{
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1",
	}
	for i, a := range ascending {
		va, ok := parseSemver(a)
		if !ok {
			t.Fatalf("parseSemver(%q) failed", a)
		}
		for j, b := range ascending {
			vb, _ := parseSemver(b)
			if got, want := va.compare(vb), cmp.Compare(i, j); got != want {
				t.Errorf("compare(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestParseSemverRejects(t *testing.T) {
	for _, tag := range []string{
		"", "v", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01", "1.2.3-a..b",
		"1.2.3+", "1.2.3+a..b", "1.2.3-ü", "1.2.3-\u0161", "1.2.3+\u0080", "V1.2.3", "1.2.x", "-1.2.3", "1.2.3 ", "1.2.3-rc_1",
	} {
		if _, ok := parseSemver(tag); ok {
			t.Errorf("parseSemver(%q) succeeded, want failure", tag)
		}
	}
}

func FuzzVersion(f *testing.F) {
	f.Add(testCommit, "refs/heads/main", "v1.2.3", "nightly", int64(1795924072), false)
	f.Add(testCommit64, "HEAD", "v1.2.3-rc.1+build.5", "", int64(0), true)
	f.Add("", "", "feature/a+b@ü", "..x", int64(-1), true)
	f.Add("zz", "refs/tags/日本", "-", ".", int64(253402300800), false)
	f.Fuzz(func(t *testing.T, commit, ref, tag1, tag2 string, unix int64, dirty bool) {
		g := Git{Commit: commit, Ref: ref, Tags: []string{tag1, tag2}, Dirty: dirty}
		if unix != 0 {
			g.CommitTime = time.Unix(unix, 0)
		}
		if v := Version(g); v != "unknown" && !imageTagRE.MatchString(v) {
			t.Fatalf("Version(%+v) = %q: not a valid image tag", g, v)
		}
		if r := RefName(g); r == "" {
			t.Fatalf("RefName(%+v) is empty", g)
		}
		if c := Created(g); c != "unknown" {
			if _, err := time.Parse(time.RFC3339, c); err != nil {
				t.Fatalf("Created(%+v) = %q: not RFC 3339", g, c)
			}
		}
	})
}
