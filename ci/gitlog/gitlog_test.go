package gitlog

import (
	"reflect"
	"testing"
	"time"
)

func TestCommands(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"commit time", CommitTimeCommand(), []string{"git", "-c", "safe.directory=*", "log", "-1", "--format=%ct", "HEAD"}},
		{"tags", TagsCommand(), []string{"git", "-c", "safe.directory=*", "tag", "--points-at", "HEAD"}},
		{"origin url", OriginURLCommand(), []string{"git", "-c", "safe.directory=*", "remote", "get-url", "origin"}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s command = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	// Each call returns its own slice: appending to one must not change the next.
	a := CommitTimeCommand()
	_ = append(a[:3], "x")
	if b := CommitTimeCommand(); b[3] != "log" {
		t.Errorf("CommitTimeCommand shares its slice: %q", b)
	}
}

func TestParseCommitTime(t *testing.T) {
	tests := []struct {
		out     string
		want    time.Time
		wantErr string
	}{
		{out: "1767225600\n", want: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{out: "  1700000000  ", want: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{out: "0", want: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)},
		{out: "-86400\n", want: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
		{out: "", wantErr: `unexpected output "": want the commit time in seconds since 1970 (git log --format=%ct)`},
		{out: "2026-01-01T00:00:00Z\n", wantErr: `unexpected output "2026-01-01T00:00:00Z\n": want the commit time in seconds since 1970 (git log --format=%ct)`},
		{out: "fatal: not a git repository", wantErr: `unexpected output "fatal: not a git repository": want the commit time in seconds since 1970 (git log --format=%ct)`},
		{out: "1767225600\n1767225601\n", wantErr: `unexpected output "1767225600\n1767225601\n": want the commit time in seconds since 1970 (git log --format=%ct)`},
	}
	for _, tt := range tests {
		got, err := ParseCommitTime(tt.out)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseCommitTime(%q) error = %v, want %q", tt.out, err, tt.wantErr)
			}
			if !got.IsZero() {
				t.Errorf("ParseCommitTime(%q) = %v with an error, want the zero time", tt.out, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCommitTime(%q): %v", tt.out, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseCommitTime(%q) = %v, want %v", tt.out, got, tt.want)
		}
	}
}

func TestParseTags(t *testing.T) {
	tests := []struct {
		out  string
		want []string
	}{
		{"", nil},
		{"\n", nil},
		{"v1.2.3\n", []string{"v1.2.3"}},
		{"v1.2.3\nv1.2.3-rc.1\nlatest-build\n", []string{"v1.2.3", "v1.2.3-rc.1", "latest-build"}},
		{"  b\r\na\n", []string{"b", "a"}},
	}
	for _, tt := range tests {
		if got := ParseTags(tt.out); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseTags(%q) = %#v, want %#v", tt.out, got, tt.want)
		}
	}
}

func TestParseOriginURL(t *testing.T) {
	const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"
	tests := []struct {
		exitCode int
		out      string
		want     string
		wantErr  string
	}{
		{exitCode: 0, out: "git@github.com:acme/echo-server.git\n", want: "git@github.com:acme/echo-server.git"},
		{exitCode: 0, out: "https://github.com/acme/echo-server.git\r\n", want: "https://github.com/acme/echo-server.git"},
		{exitCode: 0, out: "  /srv/git/echo-server.git  ", want: "/srv/git/echo-server.git"},
		{exitCode: 0, out: "https://github.com/acme/echo server\n", want: "https://github.com/acme/echo server"},
		{exitCode: 0, out: "\n", want: ""},
		{exitCode: 0, out: "", want: ""},
		// no remote named origin
		{exitCode: 2, out: "", want: ""},
		{exitCode: 2, out: "ignored\n", want: ""},
		// every other exit code, each side of 2, and git's fatal 128
		{exitCode: 1, out: "", wantErr: "git remote get-url origin exited 1: want 0 (the origin remote's URL) or 2 (no origin remote)"},
		{exitCode: 3, out: "", wantErr: "git remote get-url origin exited 3: want 0 (the origin remote's URL) or 2 (no origin remote)"},
		{exitCode: 128, out: "", wantErr: "git remote get-url origin exited 128: want 0 (the origin remote's URL) or 2 (no origin remote)"},
		{exitCode: -1, out: "", wantErr: "git remote get-url origin exited -1: want 0 (the origin remote's URL) or 2 (no origin remote)"},
		// two lines: never repeated, it may hold credentials
		{exitCode: 0, out: "https://x:" + token + "@github.com/a/b\nhttps://c/d\n", wantErr: "git remote get-url origin printed 2 lines: want one, the origin remote's URL"},
		{exitCode: 0, out: "a\n\nb\n", wantErr: "git remote get-url origin printed 3 lines: want one, the origin remote's URL"},
	}
	for _, tt := range tests {
		got, err := ParseOriginURL(tt.exitCode, tt.out)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("ParseOriginURL(%d, %q) error = %v, want %q", tt.exitCode, tt.out, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseOriginURL(%d, %q): %v", tt.exitCode, tt.out, err)
		case got != tt.want:
			t.Errorf("ParseOriginURL(%d, %q) = %q, want %q", tt.exitCode, tt.out, got, tt.want)
		}
	}
}

func FuzzParseCommitTime(f *testing.F) {
	for _, s := range []string{"1767225600\n", "", "x", "-1", " 42 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		got, err := ParseCommitTime(out)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("ParseCommitTime(%q) = %v, not UTC", out, got)
		}
	})
}
