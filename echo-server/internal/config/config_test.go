package config

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

var defaults = Config{
	Listen:            ":8080",
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       15 * time.Second,
	WriteTimeout:      15 * time.Second,
	IdleTimeout:       60 * time.Second,
	ShutdownTimeout:   20 * time.Second,
	MaxBodyBytes:      1 << 20,
	MaxHeaderBytes:    64 << 10,
	LogLevel:          slog.LevelInfo,
	LogFormat:         LogFormatJSON,
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		change func(*Config) // applied to the defaults
	}{
		{"defaults", nil, nil, func(*Config) {}},
		{
			name: "every flag",
			args: []string{
				"-listen", "127.0.0.1:9000", "-read-header-timeout", "1s", "-read-timeout", "2s",
				"-write-timeout", "3s", "-idle-timeout", "4s", "-shutdown-timeout", "5s",
				"-max-body-bytes", "100", "-max-header-bytes", "200", "-log-level", "debug",
				"-log-format", "text", "-access-log",
			},
			change: func(c *Config) {
				*c = Config{
					Listen: "127.0.0.1:9000", ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second,
					WriteTimeout: 3 * time.Second, IdleTimeout: 4 * time.Second, ShutdownTimeout: 5 * time.Second,
					MaxBodyBytes: 100, MaxHeaderBytes: 200, LogLevel: slog.LevelDebug, LogFormat: LogFormatText,
					AccessLog: true,
				}
			},
		},
		{
			name: "every environment variable",
			env: map[string]string{
				"LISTEN_ADDR": "[::1]:9001", "READ_HEADER_TIMEOUT": "1s", "READ_TIMEOUT": "2s",
				"WRITE_TIMEOUT": "3s", "IDLE_TIMEOUT": "4s", "SHUTDOWN_TIMEOUT": "5s",
				"MAX_BODY_BYTES": "100", "MAX_HEADER_BYTES": "200", "LOG_LEVEL": "WARN",
				"LOG_FORMAT": "TEXT", "ACCESS_LOG": "true",
			},
			change: func(c *Config) {
				*c = Config{
					Listen: "[::1]:9001", ReadHeaderTimeout: time.Second, ReadTimeout: 2 * time.Second,
					WriteTimeout: 3 * time.Second, IdleTimeout: 4 * time.Second, ShutdownTimeout: 5 * time.Second,
					MaxBodyBytes: 100, MaxHeaderBytes: 200, LogLevel: slog.LevelWarn, LogFormat: LogFormatText,
					AccessLog: true,
				}
			},
		},
		{
			name:   "flag wins over environment",
			args:   []string{"-log-level=error", "-access-log=false", "-listen", ":1"},
			env:    map[string]string{"LOG_LEVEL": "debug", "ACCESS_LOG": "1", "LISTEN_ADDR": ":2", "PORT": "3"},
			change: func(c *Config) { c.LogLevel, c.Listen = slog.LevelError, ":1" },
		},
		{
			name:   "PORT when LISTEN_ADDR is unset",
			env:    map[string]string{"PORT": "9090"},
			change: func(c *Config) { c.Listen = ":9090" },
		},
		{
			name:   "LISTEN_ADDR wins over PORT",
			env:    map[string]string{"PORT": "9090", "LISTEN_ADDR": "127.0.0.1:7070"},
			change: func(c *Config) { c.Listen = "127.0.0.1:7070" },
		},
		{
			name:   "empty environment variable is unset",
			env:    map[string]string{"LOG_FORMAT": ""},
			change: func(*Config) {},
		},
		{
			name:   "version flag",
			args:   []string{"-version"},
			change: func(c *Config) { c.Version = true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			tt.change(&want)
			if got != want {
				t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-log-format", "xml"}, nil, `invalid -log-format "xml" (from command line): want json or text`},
		{nil, map[string]string{"LOG_FORMAT": "xml"}, `invalid -log-format "xml" (from LOG_FORMAT): want json or text`},
		{nil, map[string]string{"LOG_LEVEL": "verbose"}, `invalid -log-level "verbose" (from LOG_LEVEL): want debug, info, warn or error`},
		{[]string{"-read-timeout", "10"}, nil, `invalid -read-timeout "10" (from command line): want a positive duration such as 500ms, 5s or 1m`},
		{nil, map[string]string{"SHUTDOWN_TIMEOUT": "-1s"}, `invalid -shutdown-timeout "-1s" (from SHUTDOWN_TIMEOUT): want a positive duration such as 500ms, 5s or 1m`},
		{nil, map[string]string{"IDLE_TIMEOUT": "0s"}, `invalid -idle-timeout "0s" (from IDLE_TIMEOUT): want a positive duration such as 500ms, 5s or 1m`},
		{[]string{"-max-body-bytes", "1MiB"}, nil, `invalid -max-body-bytes "1MiB" (from command line): want a whole number of bytes from 1 to 2147483647`},
		{nil, map[string]string{"MAX_HEADER_BYTES": "0"}, `invalid -max-header-bytes "0" (from MAX_HEADER_BYTES): want a whole number of bytes from 1 to 2147483647`},
		{nil, map[string]string{"ACCESS_LOG": "yes"}, `invalid -access-log "yes" (from ACCESS_LOG): want true or false`},
		{[]string{"-access-log=maybe"}, nil, `invalid -access-log "maybe" (from command line): want true or false`},
		{[]string{"-listen", "8080"}, nil, `invalid -listen "8080" (from command line): want host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080`},
		{nil, map[string]string{"LISTEN_ADDR": ":http"}, `invalid -listen ":http" (from LISTEN_ADDR): want host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080`},
		{nil, map[string]string{"PORT": "70000"}, `invalid -listen ":70000" (from PORT): want host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080`},
		// The first invalid value is reported.
		{[]string{"-idle-timeout", "x", "-log-format", "xml"}, nil, `invalid -idle-timeout "x" (from command line): want a positive duration such as 500ms, 5s or 1m`},
		{[]string{"-nope"}, nil, "flag provided but not defined: -nope"},
		{[]string{"serve"}, nil, `unexpected argument "serve"`},
		{[]string{"-listen"}, nil, "flag needs an argument: -listen"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args, env(tt.env), io.Discard)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q, %v) error = %v\nwant %s", tt.args, tt.env, err, tt.want)
		}
	}
}

func TestParseHealthcheck(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want Healthcheck
	}{
		{nil, nil, Healthcheck{Listen: ":8080", Timeout: 2 * time.Second}},
		{nil, map[string]string{"PORT": "9000", "HEALTHCHECK_TIMEOUT": "5s"}, Healthcheck{Listen: ":9000", Timeout: 5 * time.Second}},
		{[]string{"-timeout", "1s"}, map[string]string{"LISTEN_ADDR": "127.0.0.1:81"}, Healthcheck{Listen: "127.0.0.1:81", Timeout: time.Second}},
		// Server settings in the environment do not concern the probe.
		{nil, map[string]string{"LOG_FORMAT": "xml", "TIMEOUT": "x"}, Healthcheck{Listen: ":8080", Timeout: 2 * time.Second}},
	}
	for _, tt := range tests {
		got, err := ParseHealthcheck(tt.args, env(tt.env), io.Discard)
		if err != nil || got != tt.want {
			t.Errorf("ParseHealthcheck(%q, %v) = %+v, %v; want %+v", tt.args, tt.env, got, err, tt.want)
		}
	}

	_, err := ParseHealthcheck(nil, env(map[string]string{"HEALTHCHECK_TIMEOUT": "soon"}), io.Discard)
	want := `invalid -timeout "soon" (from HEALTHCHECK_TIMEOUT): want a positive duration such as 500ms, 5s or 1m`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	var invalid *Error
	if !errors.As(err, &invalid) || invalid.Flag != "timeout" || invalid.From != "HEALTHCHECK_TIMEOUT" {
		t.Errorf("error = %#v, want a *Error about -timeout", err)
	}
}

func TestUsage(t *testing.T) {
	var out strings.Builder
	_, err := Parse([]string{"-h"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Parse(-h) error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{
		"echo-server healthcheck", "echo-server version",
		"-listen host:port", "LISTEN_ADDR", "PORT", "(default :8080)",
		"-read-header-timeout duration", "READ_HEADER_TIMEOUT", "(default 5s)",
		"-read-timeout", "READ_TIMEOUT", "-write-timeout", "WRITE_TIMEOUT",
		"-idle-timeout", "IDLE_TIMEOUT", "-shutdown-timeout", "SHUTDOWN_TIMEOUT",
		"-max-body-bytes bytes", "MAX_BODY_BYTES", "(default 1048576)",
		"-max-header-bytes", "MAX_HEADER_BYTES", "(default 65536)",
		"-log-level level", "LOG_LEVEL", "-log-format format", "LOG_FORMAT", "(default json)",
		"-access-log", "ACCESS_LOG", "-version",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	_, err = ParseHealthcheck([]string{"-help"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "HEALTHCHECK_TIMEOUT") {
		t.Errorf("ParseHealthcheck(-help) = %v, usage:\n%s", err, out.String())
	}
}
