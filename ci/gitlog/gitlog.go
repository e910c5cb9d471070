// Package gitlog holds the git command lines the pipeline runs to read what
// the git API of the engine does not give, HEAD's committer time, the tags
// pointing at HEAD and the origin remote's URL, and the parsers of their
// output.
package gitlog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// command returns the git command line for args, run in a checkout owned by
// another user (a mounted directory): safe.directory=* stops git refusing it.
func command(args ...string) []string {
	return append([]string{"git", "-c", "safe.directory=*"}, args...)
}

// CommitTimeCommand returns the command line that prints HEAD's committer
// time in seconds since 1970, UTC (git log --format=%ct).
func CommitTimeCommand() []string {
	return command("log", "-1", "--format=%ct", "HEAD")
}

// TagsCommand returns the command line that prints the names of the tags
// pointing at HEAD, one a line.
func TagsCommand() []string {
	return command("tag", "--points-at", "HEAD")
}

// ParseCommitTime parses the output of CommitTimeCommand: one integer, the
// seconds since 1970, surrounded by optional white space. The time is UTC.
func ParseCommitTime(out string) (time.Time, error) {
	sec, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("unexpected output %q: want the commit time in seconds since 1970 (git log --format=%%ct)", out)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// ParseTags parses the output of TagsCommand: the tag names in the order git
// printed them, nil when there are none.
func ParseTags(out string) []string {
	tags := strings.Fields(out)
	if len(tags) == 0 {
		return nil
	}
	return tags
}

// OriginURLCommand returns the command line that prints the origin remote's
// URL as git resolves it: the first url of [remote "origin"], includes and
// url.<base>.insteadOf applied. It exits 2 when there is no remote named
// origin (git remote's exit status for a remote it cannot find).
func OriginURLCommand() []string {
	return command("remote", "get-url", "origin")
}

// noSuchRemote is git remote's exit status for a remote it cannot find.
const noSuchRemote = 2

// ParseOriginURL parses the exit code and the standard output of
// OriginURLCommand: the URL without surrounding white space, "" when the
// checkout has no origin remote (or its url is empty). Any other exit code,
// or more than one line, is an error. The URL may carry credentials: no
// error repeats the output.
func ParseOriginURL(exitCode int, out string) (string, error) {
	if exitCode == noSuchRemote {
		return "", nil
	}
	if exitCode != 0 {
		return "", fmt.Errorf("git remote get-url origin exited %d: want 0 (the origin remote's URL) or %d (no origin remote)", exitCode, noSuchRemote)
	}
	url := strings.TrimSpace(out)
	if n := 1 + strings.Count(url, "\n"); n > 1 {
		return "", fmt.Errorf("git remote get-url origin printed %d lines: want one, the origin remote's URL", n)
	}
	return url, nil
}
