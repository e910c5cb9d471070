package config

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The rules of echo-server/README.md, "Configuration", pinned at their
// edges: every flag's environment variable and default, the smallest and
// largest accepted value and the nearest refused ones, each accepted name of
// every list and its case-insensitive spellings.

const (
	wantDuration = "a positive duration such as 500ms, 5s or 1m"
	wantBytes    = "a whole number of bytes from 1 to 2147483647"
	wantListen   = "host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080"
	wantBool     = "true or false"
	wantLevel    = "debug, info, warn or error"
	wantFormat   = "json or text"
)

// parseOne parses the server's configuration with one flag given on the
// command line, or, when variable is set, with one environment variable.
func parseOne(flag, variable, value string) (Config, error) {
	if variable != "" {
		return Parse(nil, func(name string) string {
			if name == variable {
				return value
			}
			return ""
		}, io.Discard)
	}
	return Parse([]string{"-" + flag + "=" + value}, env(nil), io.Discard)
}

// README table: flag, environment variable and default of every setting.
var settings = []struct {
	flag, env, def string
	read           func(Config) string
}{
	{"listen", "LISTEN_ADDR", ":8080", func(c Config) string { return c.Listen }},
	{"read-header-timeout", "READ_HEADER_TIMEOUT", "5s", func(c Config) string { return c.ReadHeaderTimeout.String() }},
	{"read-timeout", "READ_TIMEOUT", "15s", func(c Config) string { return c.ReadTimeout.String() }},
	{"write-timeout", "WRITE_TIMEOUT", "15s", func(c Config) string { return c.WriteTimeout.String() }},
	{"idle-timeout", "IDLE_TIMEOUT", "1m0s", func(c Config) string { return c.IdleTimeout.String() }},
	{"shutdown-timeout", "SHUTDOWN_TIMEOUT", "20s", func(c Config) string { return c.ShutdownTimeout.String() }},
	{"max-body-bytes", "MAX_BODY_BYTES", "1048576", func(c Config) string { return fmt.Sprint(c.MaxBodyBytes) }},
	{"max-header-bytes", "MAX_HEADER_BYTES", "65536", func(c Config) string { return fmt.Sprint(c.MaxHeaderBytes) }},
	{"log-level", "LOG_LEVEL", "INFO", func(c Config) string { return c.LogLevel.String() }},
	{"log-format", "LOG_FORMAT", "json", func(c Config) string { return c.LogFormat }},
	{"access-log", "ACCESS_LOG", "false", func(c Config) string { return fmt.Sprint(c.AccessLog) }},
}

// TestSettingsTable pins the README's configuration table: each default,
// and each variable read alone (a flag wins over it, checked in TestParse).
func TestSettingsTable(t *testing.T) {
	defaults, err := Parse(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// A value that differs from every default, per kind of setting.
	other := map[string]struct{ in, want string }{
		"listen":              {"127.0.0.1:9", "127.0.0.1:9"},
		"read-header-timeout": {"7s", "7s"},
		"read-timeout":        {"7s", "7s"},
		"write-timeout":       {"7s", "7s"},
		"idle-timeout":        {"7s", "7s"},
		"shutdown-timeout":    {"7s", "7s"},
		"max-body-bytes":      {"7", "7"},
		"max-header-bytes":    {"7", "7"},
		"log-level":           {"error", "ERROR"},
		"log-format":          {"text", "text"},
		"access-log":          {"true", "true"},
	}
	for _, s := range settings {
		t.Run(s.flag, func(t *testing.T) {
			if got := s.read(defaults); got != s.def {
				t.Errorf("default of -%s = %s, want %s", s.flag, got, s.def)
			}
			v := other[s.flag]
			for _, source := range []string{"", s.env} {
				got, err := parseOne(s.flag, source, v.in)
				if err != nil {
					t.Fatalf("-%s %q (from %q): %v", s.flag, v.in, source, err)
				}
				if s.read(got) != v.want {
					t.Errorf("-%s %q (from %q) = %s, want %s", s.flag, v.in, source, s.read(got), v.want)
				}
			}
		})
	}
}

// TestDurationEdges: "Durations are Go durations and must be positive", for
// every duration flag: 1ns is the smallest accepted, 0 in any unit and the
// negative ones are refused.
func TestDurationEdges(t *testing.T) {
	durations := []struct{ flag, env string }{
		{"read-header-timeout", "READ_HEADER_TIMEOUT"},
		{"read-timeout", "READ_TIMEOUT"},
		{"write-timeout", "WRITE_TIMEOUT"},
		{"idle-timeout", "IDLE_TIMEOUT"},
		{"shutdown-timeout", "SHUTDOWN_TIMEOUT"},
	}
	read := map[string]func(Config) time.Duration{
		"read-header-timeout": func(c Config) time.Duration { return c.ReadHeaderTimeout },
		"read-timeout":        func(c Config) time.Duration { return c.ReadTimeout },
		"write-timeout":       func(c Config) time.Duration { return c.WriteTimeout },
		"idle-timeout":        func(c Config) time.Duration { return c.IdleTimeout },
		"shutdown-timeout":    func(c Config) time.Duration { return c.ShutdownTimeout },
	}
	accepted := []struct {
		in   string
		want time.Duration
	}{
		{"1ns", time.Nanosecond},
		{"0.001us", time.Nanosecond},
		{"500ms", 500 * time.Millisecond},
		{"1m", time.Minute},
		{"1h", time.Hour},
	}
	refused := []string{"0", "0s", "0ns", "0ms", "0h", "-1ns", "-1s", "1", "10", "5 s", "5S", "", "1d"}
	for _, d := range durations {
		for _, tt := range accepted {
			c, err := parseOne(d.flag, "", tt.in)
			if err != nil || read[d.flag](c) != tt.want {
				t.Errorf("-%s %q = %v, %v; want %v", d.flag, tt.in, read[d.flag](c), err, tt.want)
			}
		}
		for _, in := range refused {
			for _, source := range []string{"", d.env} {
				if in == "" && source != "" {
					continue // an empty variable is unset
				}
				from := "command line"
				if source != "" {
					from = source
				}
				_, err := parseOne(d.flag, source, in)
				want := fmt.Sprintf("invalid -%s %q (from %s): want %s", d.flag, in, from, wantDuration)
				if err == nil || err.Error() != want {
					t.Errorf("-%s %q (from %s): error = %v, want %s", d.flag, in, from, err, want)
				}
			}
		}
	}
}

// TestByteSizeEdges: "byte sizes are whole numbers from 1 to 2147483647"
// (2^31-1 bytes, just under 2 GiB), for both byte flags.
func TestByteSizeEdges(t *testing.T) {
	read := map[string]func(Config) int64{
		"max-body-bytes":   func(c Config) int64 { return c.MaxBodyBytes },
		"max-header-bytes": func(c Config) int64 { return int64(c.MaxHeaderBytes) },
	}
	for _, b := range []struct{ flag, env string }{{"max-body-bytes", "MAX_BODY_BYTES"}, {"max-header-bytes", "MAX_HEADER_BYTES"}} {
		for _, tt := range []struct {
			in   string
			want int64
		}{
			{"1", 1},
			{"2", 2},
			{"1024", 1 << 10},
			{"1048576", 1 << 20},
			{"2147483646", 1<<31 - 2},
			{"2147483647", 1<<31 - 1},
			{"+5", 5},
			{"007", 7},
		} {
			for _, source := range []string{"", b.env} {
				c, err := parseOne(b.flag, source, tt.in)
				if err != nil || read[b.flag](c) != tt.want {
					t.Errorf("-%s %q (from %q) = %d, %v; want %d", b.flag, tt.in, source, read[b.flag](c), err, tt.want)
				}
			}
		}
		for _, in := range []string{
			"0", "-0", "-1", "2147483648", "2147483649", "4294967295", "4294967296", "9223372036854775807",
			"1MiB", "1KiB", "1k", "1e3", "1.0", "0x10", " 1", "1 ", "1_000",
		} {
			_, err := parseOne(b.flag, b.env, in)
			want := fmt.Sprintf("invalid -%s %q (from %s): want %s", b.flag, in, b.env, wantBytes)
			if err == nil || err.Error() != want {
				t.Errorf("-%s %q: error = %v, want %s", b.flag, in, err, want)
			}
		}
	}
}

// TestListenEdges: "host:port; port 0 picks a free one", port numbers from
// 0 to 65535, from -listen, LISTEN_ADDR or PORT (meaning :PORT).
func TestListenEdges(t *testing.T) {
	for _, in := range []string{":0", ":1", ":65535", ":8080", "127.0.0.1:65535", "[::1]:0", "localhost:80", "0.0.0.0:8080", "[::]:8080", ":00080"} {
		for _, source := range []string{"", "LISTEN_ADDR"} {
			c, err := parseOne("listen", source, in)
			if err != nil || c.Listen != in {
				t.Errorf("-listen %q (from %q) = %q, %v; want it as given", in, source, c.Listen, err)
			}
		}
	}
	for _, port := range []string{"0", "1", "65535"} {
		c, err := Parse(nil, env(map[string]string{"PORT": port}), io.Discard)
		if err != nil || c.Listen != ":"+port {
			t.Errorf("PORT=%s: listen = %q, %v; want :%s", port, c.Listen, err, port)
		}
	}
	for _, in := range []string{":65536", ":65537", ":131071", ":-1", ":", ":http", "8080", "127.0.0.1", ":1.5", ":+1", "a:b:1", ""} {
		if in == "" {
			continue
		}
		_, err := parseOne("listen", "", in)
		want := fmt.Sprintf("invalid -listen %q (from command line): want %s", in, wantListen)
		if err == nil || err.Error() != want {
			t.Errorf("-listen %q: error = %v, want %s", in, err, want)
		}
	}
	for _, port := range []string{"65536", "-1", "x"} {
		_, err := Parse(nil, env(map[string]string{"PORT": port}), io.Discard)
		want := fmt.Sprintf("invalid -listen %q (from PORT): want %s", ":"+port, wantListen)
		if err == nil || err.Error() != want {
			t.Errorf("PORT=%s: error = %v, want %s", port, err, want)
		}
	}
}

// TestLogLevelNames: "debug, info, warn or error", case-insensitive; each
// name accepted alone in any case, the near misses refused.
func TestLogLevelNames(t *testing.T) {
	for _, tt := range []struct {
		names []string
		want  slog.Level
	}{
		{[]string{"debug", "DEBUG", "Debug", "dEbUg"}, slog.LevelDebug},
		{[]string{"info", "INFO", "Info"}, slog.LevelInfo},
		{[]string{"warn", "WARN", "Warn"}, slog.LevelWarn},
		{[]string{"error", "ERROR", "Error"}, slog.LevelError},
	} {
		for _, name := range tt.names {
			for _, source := range []string{"", "LOG_LEVEL"} {
				// The default is info: start from another level so
				// that "info" is proven read, not defaulted.
				args := []string{"-log-level=" + name}
				vars := map[string]string{}
				if source != "" {
					args, vars["LOG_LEVEL"] = nil, name
				}
				c, err := Parse(args, env(vars), io.Discard)
				if err != nil || c.LogLevel != tt.want {
					t.Errorf("log level %q (from %q) = %v, %v; want %v", name, source, c.LogLevel, err, tt.want)
				}
			}
		}
	}
	for _, name := range []string{"warning", "err", "fatal", "trace", "information", "debug ", " info", "0", "-4", "INFO+1"} {
		_, err := parseOne("log-level", "LOG_LEVEL", name)
		want := fmt.Sprintf("invalid -log-level %q (from LOG_LEVEL): want %s", name, wantLevel)
		if err == nil || err.Error() != want {
			t.Errorf("log level %q: error = %v, want %s", name, err, want)
		}
	}
}

// TestLogFormatNames: "json or text", case-insensitive, normalised to lower
// case (LogFormatJSON, LogFormatText) so main picks the handler.
func TestLogFormatNames(t *testing.T) {
	if LogFormatJSON != "json" || LogFormatText != "text" {
		t.Fatalf("LogFormatJSON, LogFormatText = %q, %q; want json, text", LogFormatJSON, LogFormatText)
	}
	for _, tt := range []struct{ in, want string }{
		{"json", "json"}, {"JSON", "json"}, {"Json", "json"},
		{"text", "text"}, {"TEXT", "text"}, {"Text", "text"}, {"tExT", "text"},
	} {
		for _, source := range []string{"", "LOG_FORMAT"} {
			c, err := parseOne("log-format", source, tt.in)
			if err != nil || c.LogFormat != tt.want {
				t.Errorf("-log-format %q (from %q) = %q, %v; want %q", tt.in, source, c.LogFormat, err, tt.want)
			}
		}
	}
	for _, in := range []string{"xml", "logfmt", "jsonl", "txt", "plain", " json", "text "} {
		_, err := parseOne("log-format", "", in)
		want := fmt.Sprintf("invalid -log-format %q (from command line): want %s", in, wantFormat)
		if err == nil || err.Error() != want {
			t.Errorf("-log-format %q: error = %v, want %s", in, err, want)
		}
	}
}

// TestAccessLogValues: -access-log takes Go's boolean spellings (it is a
// boolean flag: bare -access-log means true); anything else is refused.
func TestAccessLogValues(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"1", true}, {"t", true}, {"T", true}, {"true", true}, {"TRUE", true}, {"True", true},
		{"0", false}, {"f", false}, {"F", false}, {"false", false}, {"FALSE", false}, {"False", false},
	} {
		for _, source := range []string{"", "ACCESS_LOG"} {
			c, err := parseOne("access-log", source, tt.in)
			if err != nil || c.AccessLog != tt.want {
				t.Errorf("-access-log %q (from %q) = %v, %v; want %v", tt.in, source, c.AccessLog, err, tt.want)
			}
		}
	}
	if c, err := Parse([]string{"-access-log"}, env(nil), io.Discard); err != nil || !c.AccessLog {
		t.Errorf("bare -access-log = %v, %v; want true", c.AccessLog, err)
	}
	for _, in := range []string{"yes", "no", "on", "off", "y", "2", "tRuE"} {
		_, err := parseOne("access-log", "ACCESS_LOG", in)
		want := fmt.Sprintf("invalid -access-log %q (from ACCESS_LOG): want %s", in, wantBool)
		if err == nil || err.Error() != want {
			t.Errorf("-access-log %q: error = %v, want %s", in, err, want)
		}
	}
}

// TestHealthcheckTimeoutEdges: the healthcheck's -timeout (or
// HEALTHCHECK_TIMEOUT, default 2s) is a positive duration too, and its
// -listen follows the server's rules, PORT included.
func TestHealthcheckTimeoutEdges(t *testing.T) {
	for _, tt := range []struct {
		args []string
		vars map[string]string
		want Healthcheck
	}{
		{[]string{"-timeout=1ns"}, nil, Healthcheck{Listen: ":8080", Timeout: time.Nanosecond}},
		{nil, map[string]string{"HEALTHCHECK_TIMEOUT": "1ns"}, Healthcheck{Listen: ":8080", Timeout: time.Nanosecond}},
		{[]string{"-timeout=3s"}, map[string]string{"HEALTHCHECK_TIMEOUT": "9s"}, Healthcheck{Listen: ":8080", Timeout: 3 * time.Second}},
		{nil, map[string]string{"PORT": "65535"}, Healthcheck{Listen: ":65535", Timeout: 2 * time.Second}},
		{[]string{"-listen=127.0.0.1:1"}, map[string]string{"LISTEN_ADDR": ":2", "PORT": "3"}, Healthcheck{Listen: "127.0.0.1:1", Timeout: 2 * time.Second}},
	} {
		got, err := ParseHealthcheck(tt.args, env(tt.vars), io.Discard)
		if err != nil || got != tt.want {
			t.Errorf("ParseHealthcheck(%q, %v) = %+v, %v; want %+v", tt.args, tt.vars, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"-timeout=0s"}, nil, `invalid -timeout "0s" (from command line): want ` + wantDuration},
		{nil, map[string]string{"HEALTHCHECK_TIMEOUT": "-1ns"}, `invalid -timeout "-1ns" (from HEALTHCHECK_TIMEOUT): want ` + wantDuration},
		{nil, map[string]string{"PORT": "65536"}, `invalid -listen ":65536" (from PORT): want ` + wantListen},
		{[]string{"-listen=:65536"}, nil, `invalid -listen ":65536" (from command line): want ` + wantListen},
	} {
		_, err := ParseHealthcheck(tt.args, env(tt.vars), io.Discard)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseHealthcheck(%q, %v) error = %v, want %s", tt.args, tt.vars, err, tt.want)
		}
	}
}

// TestUsageNamesEveryVariable: each flag's help names its environment
// variable in the form "(env NAME)", and the healthcheck's usage its own.
func TestUsageNamesEveryVariable(t *testing.T) {
	var out strings.Builder
	if _, err := Parse([]string{"-h"}, env(nil), &out); err == nil {
		t.Fatal("Parse(-h) = nil error")
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), "(env "+s.env+")") {
			t.Errorf("usage lacks (env %s):\n%s", s.env, out.String())
		}
	}
	out.Reset()
	if _, err := ParseHealthcheck([]string{"-h"}, env(nil), &out); err == nil {
		t.Fatal("ParseHealthcheck(-h) = nil error")
	}
	for _, want := range []string{"(env HEALTHCHECK_TIMEOUT)", "(env LISTEN_ADDR)", "(default 2s)", "(default :8080)", "echo-server healthcheck [flags]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("healthcheck usage lacks %q:\n%s", want, out.String())
		}
	}
}
