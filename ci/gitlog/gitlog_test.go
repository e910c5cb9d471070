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
