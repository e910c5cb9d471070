// Package gitlog holds the git command lines the pipeline runs to read what
// the git API of the engine does not give, HEAD's committer time and the tags
// pointing at HEAD, and the parsers of their output.
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
