// Package config parses the echo server's configuration from command-line
// flags with environment variable fallbacks.
//
// A value set by a flag wins over the environment, and the environment wins
// over the default. Every value is validated; an invalid one is reported as an
// *Error naming the value, where it came from and what is accepted.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Log formats accepted by -log-format.
const (
	LogFormatJSON = "json"
	LogFormatText = "text"
)

// Config is the configuration of the server.
type Config struct {
	Listen            string        // -listen, LISTEN_ADDR or PORT
	ReadHeaderTimeout time.Duration // -read-header-timeout
	ReadTimeout       time.Duration // -read-timeout
	WriteTimeout      time.Duration // -write-timeout
	IdleTimeout       time.Duration // -idle-timeout
	ShutdownTimeout   time.Duration // -shutdown-timeout: how long in-flight requests may drain
	MaxBodyBytes      int64         // -max-body-bytes
	MaxHeaderBytes    int           // -max-header-bytes
	LogLevel          slog.Level    // -log-level
	LogFormat         string        // -log-format: LogFormatJSON or LogFormatText
	AccessLog         bool          // -access-log
	Version           bool          // -version: print the version and exit
}

// Healthcheck is the configuration of the healthcheck subcommand.
type Healthcheck struct {
	Listen  string        // the server's listen address, as in Config
	Timeout time.Duration // -timeout or HEALTHCHECK_TIMEOUT
}

// Error reports an invalid configuration value.
type Error struct {
	Flag  string // flag name without the leading dash
	Value string // the value as given
	From  string // "command line", the environment variable's name, or "default"
	Want  string // what is accepted
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid -%s %q (from %s): want %s", e.Flag, e.Value, e.From, e.Want)
}

// Parse parses the server's flags in args, falling back to the environment
// through getenv. When args ask for help, Parse writes the usage to out and
// returns an error wrapping flag.ErrHelp.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	p := newParser("echo-server", getenv,
		"echo-server [flags]",
		"echo-server healthcheck [-listen host:port] [-timeout duration]",
		"echo-server version")
	listen := p.listenOption()
	readHeaderTimeout := p.option("read-header-timeout", "5s", "`duration` allowed to read request headers")
	readTimeout := p.option("read-timeout", "15s", "`duration` allowed to read a whole request, body included")
	writeTimeout := p.option("write-timeout", "15s", "`duration` allowed to write a response")
	idleTimeout := p.option("idle-timeout", "60s", "`duration` an idle keep-alive connection stays open")
	shutdownTimeout := p.option("shutdown-timeout", "20s", "`duration` in-flight requests may take to finish after SIGTERM or SIGINT")
	maxBodyBytes := p.option("max-body-bytes", "1048576", "largest request body accepted, in `bytes`; larger ones get 413")
	maxHeaderBytes := p.option("max-header-bytes", "65536", "largest request header block accepted, in `bytes`")
	logLevel := p.option("log-level", "info", "log `level`: debug, info, warn or error")
	logFormat := p.option("log-format", LogFormatJSON, "log `format`: json or text")
	accessLog := p.boolOption("access-log", "false", "log every request")
	showVersion := p.fs.Bool("version", false, "print the version and exit")

	if err := p.parse(args, out); err != nil {
		return Config{}, err
	}
	cfg := Config{
		Listen:            p.listen(listen),
		ReadHeaderTimeout: p.duration(readHeaderTimeout),
		ReadTimeout:       p.duration(readTimeout),
		WriteTimeout:      p.duration(writeTimeout),
		IdleTimeout:       p.duration(idleTimeout),
		ShutdownTimeout:   p.duration(shutdownTimeout),
		MaxBodyBytes:      p.positiveInt(maxBodyBytes),
		MaxHeaderBytes:    int(p.positiveInt(maxHeaderBytes)),
		LogLevel:          p.logLevel(logLevel),
		LogFormat:         p.oneOf(logFormat, LogFormatJSON, LogFormatText),
		AccessLog:         p.boolean(accessLog),
		Version:           *showVersion,
	}
	return cfg, p.err
}

// ParseHealthcheck parses the flags of the healthcheck subcommand. It reads
// the listen address exactly as Parse does, so the probe targets the port the
// server listens on.
func ParseHealthcheck(args []string, getenv func(string) string, out io.Writer) (Healthcheck, error) {
	p := newParser("echo-server healthcheck", getenv, "echo-server healthcheck [flags]")
	listen := p.listenOption()
	timeout := p.optionWithEnv("timeout", "HEALTHCHECK_TIMEOUT", "2s", "`duration` the probe may take")
	if err := p.parse(args, out); err != nil {
		return Healthcheck{}, err
	}
	hc := Healthcheck{
		Listen:  p.listen(listen),
		Timeout: p.duration(timeout),
	}
	return hc, p.err
}

// option is one setting: a flag with an environment fallback and a default.
type option struct {
	name   string
	env    string
	def    string
	isBool bool
	value  string
	set    bool // set on the command line
}

// String returns the default, which flag prints in the usage.
func (o *option) String() string { return o.def }

// Set records the value given on the command line; it is validated later,
// together with values from the environment.
func (o *option) Set(v string) error {
	o.value, o.set = v, true
	return nil
}

// IsBoolFlag lets a boolean option be given as a bare -name.
func (o *option) IsBoolFlag() bool { return o.isBool }

// parser collects the options of one flag set and the first invalid value.
type parser struct {
	fs     *flag.FlagSet
	getenv func(string) string
	err    error
}

func newParser(name string, getenv func(string) string, synopsis ...string) *parser {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintln(out, "Usage:")
		for _, line := range synopsis {
			fmt.Fprintln(out, "  "+line)
		}
		fmt.Fprintln(out, "\nFlags (a flag wins over its environment variable, which wins over the default):")
		fs.PrintDefaults()
	}
	return &parser{fs: fs, getenv: getenv}
}

// option registers a flag whose environment variable is its name upper-cased
// with dashes as underscores.
func (p *parser) option(name, def, usage string) *option {
	return p.optionWithEnv(name, strings.ToUpper(strings.ReplaceAll(name, "-", "_")), def, usage)
}

func (p *parser) optionWithEnv(name, env, def, usage string) *option {
	o := &option{name: name, env: env, def: def}
	p.fs.Var(o, name, usage+" (env "+env+")")
	return o
}

func (p *parser) boolOption(name, def, usage string) *option {
	o := p.option(name, def, usage)
	o.isBool = true
	return o
}

func (p *parser) listenOption() *option {
	return p.optionWithEnv("listen", "LISTEN_ADDR", ":8080", "address to listen on, `host:port`; PORT=n in the environment means :n when LISTEN_ADDR is unset")
}

// parse parses the command line. Flag values are validated afterwards, when
// they are read, so that flags and environment report errors alike.
func (p *parser) parse(args []string, out io.Writer) error {
	if err := p.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.fs.SetOutput(out)
			p.fs.Usage()
		}
		return err
	}
	if p.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", p.fs.Arg(0))
	}
	return nil
}

// lookup returns the value of o and where it came from.
func (p *parser) lookup(o *option) (value, from string) {
	if o.set {
		return o.value, "command line"
	}
	if v := p.getenv(o.env); v != "" {
		return v, o.env
	}
	return o.def, "default"
}

// fail records the first invalid value.
func (p *parser) fail(o *option, value, from, want string) {
	if p.err == nil {
		p.err = &Error{Flag: o.name, Value: value, From: from, Want: want}
	}
}

func (p *parser) listen(o *option) string {
	value, from := p.lookup(o)
	if from == "default" {
		if port := p.getenv("PORT"); port != "" {
			value, from = ":"+port, "PORT"
		}
	}
	_, port, err := net.SplitHostPort(value)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		p.fail(o, value, from, "host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080")
	}
	return value
}

func (p *parser) duration(o *option) time.Duration {
	value, from := p.lookup(o)
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		p.fail(o, value, from, "a positive duration such as 500ms, 5s or 1m")
	}
	return d
}

func (p *parser) positiveInt(o *option) int64 {
	value, from := p.lookup(o)
	n, err := strconv.ParseInt(value, 10, 32)
	if err != nil || n <= 0 {
		p.fail(o, value, from, "a whole number of bytes from 1 to 2147483647")
	}
	return n
}

func (p *parser) oneOf(o *option, first, second string) string {
	value, from := p.lookup(o)
	v := strings.ToLower(value)
	if v != first && v != second {
		p.fail(o, value, from, first+" or "+second)
	}
	return v
}

func (p *parser) logLevel(o *option) slog.Level {
	value, from := p.lookup(o)
	switch strings.ToLower(value) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	p.fail(o, value, from, "debug, info, warn or error")
	return slog.LevelInfo
}

func (p *parser) boolean(o *option) bool {
	value, from := p.lookup(o)
	b, err := strconv.ParseBool(value)
	if err != nil {
		p.fail(o, value, from, "true or false")
	}
	return b
}
