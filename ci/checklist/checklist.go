// Package checklist checks a built image's configuration against the
// production checklist: a numeric non-root user, an exec-form healthcheck,
// the required labels, an entrypoint, and a service binary the user cannot
// write. Each violation is one line that names the fix.
package checklist

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// suggestedUser is the user the fixes suggest.
const suggestedUser = "8080:8080"

// shells are the program names that make an exec-form healthcheck a shell
// healthcheck in disguise.
var shells = []string{"sh", "ash", "bash", "dash", "ksh", "zsh"}

// Image is what the checklist inspects, read from a built image.
type Image struct {
	User        string // image config User, e.g. "8080:8080"
	Entrypoint  []string
	Healthcheck *Healthcheck // nil when the image has none
	Labels      map[string]string
	Binary      *File // the service binary as found in the image; nil when it could not be inspected
}

// Healthcheck is the image's Docker healthcheck.
type Healthcheck struct {
	Args  []string
	Shell bool // true: Args[0] runs through /bin/sh -c (CMD-SHELL)
}

// File describes ownership and permissions of a file in the image.
type File struct {
	Path string
	UID  int
	GID  int
	Mode fs.FileMode // permission bits, with fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky when set
}

// ParseStat parses the output of `stat -c '%u %g %a' PATH` (busybox or
// coreutils: uid, gid and octal permission bits) for path. Surrounding
// whitespace, such as the trailing newline, is ignored.
func ParseStat(path, out string) (*File, error) {
	fields := strings.Fields(out)
	if len(fields) != 3 || strings.Contains(strings.TrimSpace(out), "\n") {
		return nil, fmt.Errorf(`stat output %q for %s: want "<uid> <gid> <octal mode>" such as "0 0 555"`, out, path)
	}
	uid, ok := parseID(fields[0])
	if !ok {
		return nil, fmt.Errorf("stat output %q for %s: uid %q is not a non-negative decimal number", out, path, fields[0])
	}
	gid, ok := parseID(fields[1])
	if !ok {
		return nil, fmt.Errorf("stat output %q for %s: gid %q is not a non-negative decimal number", out, path, fields[1])
	}
	bits, err := strconv.ParseUint(fields[2], 8, 32)
	if err != nil || bits > 0o7777 {
		return nil, fmt.Errorf("stat output %q for %s: mode %q is not octal permission bits from 0 to 7777", out, path, fields[2])
	}
	mode := fs.FileMode(bits & 0o777)
	if bits&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if bits&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if bits&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return &File{Path: path, UID: uid, GID: gid, Mode: mode}, nil
}

// parseID parses a uid or gid: decimal digits only, fitting an int.
func parseID(s string) (int, bool) {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// Check returns one line per violation, each naming the fix, in a stable
// order (user, healthcheck, labels sorted by key, entrypoint, binary); nil
// when the image passes. required lists label keys that must be present with
// a non-empty value.
func Check(img Image, required []string) []string {
	var violations []string
	user, violation := checkUser(img.User)
	if violation != "" {
		violations = append(violations, violation)
	}
	violations = append(violations, checkHealthcheck(img.Healthcheck)...)
	violations = append(violations, checkLabels(img.Labels, required)...)
	if len(img.Entrypoint) == 0 || strings.TrimSpace(img.Entrypoint[0]) == "" {
		violations = append(violations, "image has no entrypoint: set ENTRYPOINT to the service binary's absolute path in exec form")
	}
	violations = append(violations, checkBinary(img.Binary, user)...)
	return violations
}

// Error returns nil for no violations, else an error whose message is
// "image fails the production checklist:" followed by one "\n  - <violation>"
// line per violation.
func Error(violations []string) error {
	if len(violations) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("image fails the production checklist:")
	for _, v := range violations {
		b.WriteString("\n  - ")
		b.WriteString(v)
	}
	return errors.New(b.String())
}

// runtimeUser is the numeric non-root identity an image runs as.
type runtimeUser struct {
	uid int
	gid int // -1 when the User names no group
}

// checkUser parses the image's User and returns it with the violation it
// makes, if any. The identity is known (not nil) only for a numeric non-root
// user, and the gid only when the User names one.
func checkUser(s string) (*runtimeUser, string) {
	trimmed := strings.TrimSpace(s)
	if trimmed == "" {
		return nil, fmt.Sprintf("user is not set, so the container runs as root: set USER to %q", suggestedUser)
	}
	name, group, hasGroup := strings.Cut(trimmed, ":")
	if name == "" || (hasGroup && group == "") || strings.Contains(group, ":") {
		return nil, fmt.Sprintf("user %q is not of the form UID or UID:GID: set USER to %q", s, suggestedUser)
	}
	uid, uidOK := parseID(name)
	if name == "root" || (uidOK && uid == 0) {
		return nil, fmt.Sprintf("user %q runs as root: set USER to a numeric non-root user such as %q", s, suggestedUser)
	}
	gid, gidOK := -1, true
	if hasGroup {
		gid, gidOK = parseID(group)
	}
	if !uidOK || !gidOK {
		return nil, fmt.Sprintf("user %q is not numeric: set USER to %q so Kubernetes runAsNonRoot can verify it", s, suggestedUser)
	}
	return &runtimeUser{uid: uid, gid: gid}, ""
}

// checkHealthcheck returns the violations of the image's healthcheck.
func checkHealthcheck(hc *Healthcheck) []string {
	// (If statements rather than a switch, here and below: the conditions of
	// case clauses are outside Go's coverage blocks, so mutation testing
	// could not tell whether a test reaches them.)
	if hc == nil {
		return []string{"image has no healthcheck: add a HEALTHCHECK in exec form that runs the probe by its absolute path"}
	}
	if hc.Shell {
		return []string{fmt.Sprintf("healthcheck %q runs through /bin/sh -c: switch to the exec form with the probe's absolute path (no curl, no shell)", strings.Join(hc.Args, " "))}
	}
	if len(hc.Args) == 0 || strings.TrimSpace(hc.Args[0]) == "" {
		return []string{"healthcheck has no command: give it the probe's absolute path in exec form"}
	}
	if !path.IsAbs(hc.Args[0]) {
		return []string{fmt.Sprintf("healthcheck command %q is not an absolute path: the exec form needs the probe's absolute path (no curl, no shell)", hc.Args[0])}
	}
	if slices.Contains(shells, path.Base(hc.Args[0])) {
		return []string{fmt.Sprintf("healthcheck runs the shell %q: run the probe by its absolute path, without a shell", hc.Args[0])}
	}
	return nil
}

// checkLabels returns one violation per required label that is missing or
// blank, sorted by key.
func checkLabels(labels map[string]string, required []string) []string {
	keys := slices.Clone(required)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var violations []string
	for _, key := range keys {
		value, ok := labels[key]
		if !ok {
			violations = append(violations, fmt.Sprintf("label %q is missing: set it to a non-empty value", key))
		} else if strings.TrimSpace(value) == "" {
			violations = append(violations, fmt.Sprintf("label %q is empty: set it to a non-empty value", key))
		}
	}
	return violations
}

// checkBinary returns the ways the runtime user could write the service
// binary. Ownership and group are judged only when the user is numeric and
// not root; the world-write bit always is.
func checkBinary(f *File, user *runtimeUser) []string {
	if f == nil {
		return []string{"could not inspect the binary; make sure the image has it at the entrypoint's path and a stat that can read it"}
	}
	name := f.Path
	if name == "" {
		name = "(path unknown)"
	}
	perm := f.Mode.Perm()
	var violations []string
	if user != nil && f.UID == user.uid {
		violations = append(violations, fmt.Sprintf(
			"binary %s is owned by the runtime user (uid %d), who can always make it writable: chown it to 0:0 and chmod it 0555", name, f.UID))
	}
	if user != nil && perm&0o020 != 0 {
		if user.gid < 0 {
			violations = append(violations, fmt.Sprintf(
				"binary %s is group-writable (mode %04o) and USER names no group, so the runtime group may be its group: chmod g-w", name, perm))
		} else if f.GID == user.gid {
			violations = append(violations, fmt.Sprintf(
				"binary %s is writable by the runtime group (gid %d, mode %04o): chmod g-w", name, f.GID, perm))
		}
	}
	if perm&0o002 != 0 {
		violations = append(violations, fmt.Sprintf("binary %s is world-writable (mode %04o): chmod o-w", name, perm))
	}
	return violations
}
