// Package imagespec decides what goes into the runtime image besides the
// base: where the binary lives, which port is exposed, how the healthcheck
// probes the service and which unprivileged account runs it.
package imagespec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const (
	// BinaryPath is where the service binary is installed, owned by root.
	BinaryPath = "/usr/local/bin/echo-server"
	// BinaryMode is the binary's permission bits: readable and executable
	// by everyone, writable by its owner (root) only.
	BinaryMode = 0o755
	// Port is the port the service listens on by default.
	Port = 8080
)

// Entrypoint is the image's entrypoint: the binary itself, no shell.
func Entrypoint() []string { return []string{BinaryPath} }

// HealthcheckArgs is the exec-form healthcheck: the binary probes its own
// /healthz, so the image needs neither curl nor a shell.
func HealthcheckArgs() []string { return []string{BinaryPath, "healthcheck"} }

// Healthcheck holds the Docker healthcheck timings.
type Healthcheck struct {
	Interval    string
	Timeout     string
	StartPeriod string
	// StartInterval is the time between checks during the start period,
	// so that a fresh container is reported healthy within a second rather
	// than an interval. Dagger waits this long between the checks that gate
	// a service's start.
	StartInterval string
	Retries       int
}

// Validate reports the first setting Docker would reject, in one line.
func (h Healthcheck) Validate() error {
	for _, d := range []struct{ name, value string }{
		{"interval", h.Interval},
		{"timeout", h.Timeout},
		{"start period", h.StartPeriod},
		{"start interval", h.StartInterval},
	} {
		v, err := time.ParseDuration(d.value)
		if err != nil || v < time.Millisecond {
			return fmt.Errorf("healthcheck %s %q: want a duration of at least 1ms such as 30s or 1m30s", d.name, d.value)
		}
	}
	if h.Retries < 1 {
		return fmt.Errorf("healthcheck retries %d: want a whole number of at least 1", h.Retries)
	}
	return nil
}

// User is the unprivileged account the service runs as.
type User struct {
	Name string
	UID  int
}

// namePattern is the portable POSIX user name alpine's adduser accepts.
var namePattern = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)

// maxID is the largest uid/gid that is neither root nor the overflow id:
// 1<<31 - 2, written out because mutation testing reports an operator in a
// constant expression as untested (the tests pin the figure).
const maxID = 2147483646

// Validate reports a bad name or uid in one line.
func (u User) Validate() error {
	if !namePattern.MatchString(u.Name) {
		return fmt.Errorf("user %q: want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'", u.Name)
	}
	if u.UID < 1 || u.UID > maxID || u.UID == 65534 {
		return fmt.Errorf("uid %d: want a number from 1 to %d other than 65534 (nobody); 0 is root", u.UID, maxID)
	}
	return nil
}

// Spec is the numeric "uid:gid" for the image's USER, so that Kubernetes
// runAsNonRoot can verify it without reading /etc/passwd. The group id
// equals the user id.
func (u User) Spec() string { return fmt.Sprintf("%d:%d", u.UID, u.UID) }

// AddTo returns passwd and group (the base image's /etc/passwd and
// /etc/group) with entries for u appended: a user with no home and no login
// shell, and a group of the same name and id. An identical existing entry is
// kept as is; a clash of name or id with another entry is an error.
func (u User) AddTo(passwd, group string) (newPasswd, newGroup string, err error) {
	if err := u.Validate(); err != nil {
		return "", "", err
	}
	id := strconv.Itoa(u.UID)
	newPasswd, err = addEntry("/etc/passwd", passwd, u.Name, id, 2,
		fmt.Sprintf("%s:x:%s:%s::/nonexistent:/sbin/nologin", u.Name, id, id))
	if err != nil {
		return "", "", err
	}
	newGroup, err = addEntry("/etc/group", group, u.Name, id, 2,
		fmt.Sprintf("%s:x:%s:", u.Name, id))
	if err != nil {
		return "", "", err
	}
	return newPasswd, newGroup, nil
}

// addEntry appends line to db unless an entry with the same name and id
// exists. idField is the index of the numeric id in a colon-separated entry.
func addEntry(file, db, name, id string, idField int, line string) (string, error) {
	for _, entry := range strings.Split(db, "\n") {
		fields := strings.Split(entry, ":")
		if len(fields) <= idField {
			continue
		}
		sameName, sameID := fields[0] == name, fields[idField] == id
		switch {
		case sameName && sameID:
			return db, nil
		case sameName:
			return "", fmt.Errorf("%s already has %q with id %s: choose another name or use id %s", file, name, fields[idField], fields[idField])
		case sameID:
			return "", fmt.Errorf("%s already uses id %s for %q: choose another uid", file, id, fields[0])
		}
	}
	if db != "" && !strings.HasSuffix(db, "\n") {
		db += "\n"
	}
	return db + line + "\n", nil
}
