package gitlog

import (
	"testing"
	"time"
)

// TestParseCommitTimeRange pins the number git log --format=%ct prints:
// decimal only, a signed 64-bit count of seconds (past 2038, the 32-bit
// limit, and up to the 64-bit one).
func TestParseCommitTimeRange(t *testing.T) {
	for _, tt := range []struct {
		out  string
		want time.Time
	}{
		{"2147483647", time.Date(2038, 1, 19, 3, 14, 7, 0, time.UTC)},
		{"2147483648", time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC)},
		{"-2147483649", time.Date(1901, 12, 13, 20, 45, 51, 0, time.UTC)},
		{"4102444800", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9223372036854775807", time.Unix(9223372036854775807, 0).UTC()},
		{"010", time.Unix(10, 0).UTC()}, // decimal, not octal
		{"+1", time.Unix(1, 0).UTC()},
		{"\t42\r\n", time.Unix(42, 0).UTC()},
	} {
		got, err := ParseCommitTime(tt.out)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseCommitTime(%q) = %v, %v; want %v", tt.out, got, err, tt.want)
		}
	}
	for _, out := range []string{"9223372036854775808", "-9223372036854775809", "0x10", "0b1", "0o7", "1_000", "1e9", "1.5", "١٢"} {
		want := `unexpected output "` + out + `": want the commit time in seconds since 1970 (git log --format=%ct)`
		if _, err := ParseCommitTime(out); err == nil || err.Error() != want {
			t.Errorf("ParseCommitTime(%q) error = %v, want %q", out, err, want)
		}
	}
}
