package labels

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// tagChars are the characters of an image tag; identifierChars those of a
// semver identifier.
const (
	tagChars        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
	identifierChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
)

// maxTagLen is the length limit of an OCI image tag.
const maxTagLen = 128

// dirtySuffix marks a version built from a worktree with uncommitted changes.
const dirtySuffix = "-dirty"

// shortCommitLen is the length of an abbreviated commit in versions and ref names.
const shortCommitLen = 12

// Version returns the version of the checkout:
//
//   - the tag at HEAD without its leading "v". Semver tags (vX.Y.Z[-pre][+build],
//     the "v" optional) win over other tags, the highest by semver precedence
//     when there are several; among other tags the lexically greatest wins.
//     A semver tag's "+build" metadata is dropped, as '+' cannot appear in an
//     image tag. Any other character not allowed in an image tag becomes '-'
//     in a non-semver tag, and leading '.' and '-' are removed;
//   - else the Go-style pseudo-version "0.0.0-YYYYMMDDhhmmss-<12 hex of commit>"
//     from the commit time in UTC, or "0.0.0-<12 hex>" if the time is unknown;
//   - "-dirty" is appended for a worktree with uncommitted changes;
//   - "unknown" when there is neither a tag nor a valid commit.
//
// The result is always "unknown" or a valid image tag
// ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}), truncated before "-dirty" if need be.
func Version(g Git) string {
	var v string
	if _, tagVersion, ok := headTag(g); ok {
		v = tagVersion
	} else if commit, _ := commitID(g); commit != "" {
		v = pseudoVersion(commit, g.CommitTime)
	} else {
		return unknown
	}
	if g.Dirty {
		return truncate(v, maxTagLen-len(dirtySuffix)) + dirtySuffix
	}
	return truncate(v, maxTagLen)
}

// RefName returns the tag chosen by Version if HEAD is tagged, else the branch
// name ("refs/heads/" and "refs/remotes/" stripped), else for a detached or
// unknown HEAD the 12-hex short commit, else "unknown".
func RefName(g Git) string {
	if tag, _, ok := headTag(g); ok {
		return tag
	}
	ref := strings.TrimSpace(g.Ref)
	for _, prefix := range []string{"refs/heads/", "refs/remotes/", "refs/tags/"} {
		if name, ok := strings.CutPrefix(ref, prefix); ok && name != "" {
			return name
		}
	}
	if ref != "" && ref != "HEAD" && !isFullSHA(strings.ToLower(ref)) {
		return ref
	}
	if commit, _ := commitID(g); commit != "" {
		return commit[:shortCommitLen]
	}
	return unknown
}

// Created returns the commit time in RFC 3339 UTC ("2026-11-29T03:47:52Z"),
// not the wall clock, so the same commit gives the same image; "unknown" when
// the time is unknown or outside years 0 to 9999.
func Created(g Git) string {
	t, ok := commitTime(g.CommitTime)
	if !ok {
		return unknown
	}
	return t.Format(time.RFC3339)
}

// Epoch returns the time every timestamp of the release is set to: the
// commit time the created label says, or the Unix epoch when that label
// says unknown, so that a build without git metadata is reproducible too.
func Epoch(g Git) time.Time {
	if t, ok := commitTime(g.CommitTime); ok {
		return t
	}
	return time.Unix(0, 0).UTC()
}

// commitTime returns t in UTC; ok is false when t is zero or its year cannot
// be written with four digits.
func commitTime(t time.Time) (utc time.Time, ok bool) {
	if t.IsZero() {
		return time.Time{}, false
	}
	utc = t.UTC().Truncate(time.Second)
	return utc, utc.Year() >= 0 && utc.Year() <= 9999
}

// pseudoVersion returns the Go-style pseudo-version of commit at time t.
func pseudoVersion(commit string, t time.Time) string {
	if utc, ok := commitTime(t); ok {
		return "0.0.0-" + utc.Format("20060102150405") + "-" + commit[:shortCommitLen]
	}
	return "0.0.0-" + commit[:shortCommitLen]
}

// commitID returns g.Commit trimmed and lowercased, "" when it is unknown.
// ok is false when g.Commit is set but is not a full SHA-1 or SHA-256 hex
// digest; id is "" then.
func commitID(g Git) (id string, ok bool) {
	id = strings.ToLower(strings.TrimSpace(g.Commit))
	if id != "" && !isFullSHA(id) {
		return "", false
	}
	return id, true
}

// isFullSHA reports whether s is 40 or 64 lowercase hex digits.
func isFullSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'a' || r > 'f')
	})
}

// truncate returns the first n bytes of the ASCII string s.
func truncate(s string, n int) string {
	return s[:min(len(s), n)]
}

// headTag returns the tag at HEAD that Version uses and the version derived
// from it; ok is false when HEAD has no usable tag.
func headTag(g Git) (tag, version string, ok bool) {
	type semverTag struct {
		tag string
		v   semver
	}
	var semvers []semverTag
	var others []string
	for _, t := range tagCandidates(g) {
		if sv, ok := parseSemver(t); ok {
			semvers = append(semvers, semverTag{t, sv})
		} else if sanitiseTag(t) != "" {
			others = append(others, t)
		}
	}
	if len(semvers) > 0 {
		// The highest version; of equal ones ("v1.2.3" and "1.2.3") the
		// first tag in byte order.
		best := slices.MinFunc(semvers, func(a, b semverTag) int {
			return cmp.Or(b.v.compare(a.v), strings.Compare(a.tag, b.tag))
		})
		return best.tag, best.v.String(), true
	}
	if len(others) > 0 {
		other := slices.Max(others)
		return other, sanitiseTag(other), true
	}
	return "", "", false
}

// tagCandidates returns the tags at HEAD: g.Tags, and the tag HEAD's ref names
// if it is one.
func tagCandidates(g Git) []string {
	var tags []string
	for _, t := range g.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	if t, ok := strings.CutPrefix(strings.TrimSpace(g.Ref), "refs/tags/"); ok && t != "" {
		tags = append(tags, t)
	}
	return tags
}

// sanitiseTag turns a non-semver git tag into an image tag: a leading "v"
// before a digit is dropped, characters other than [A-Za-z0-9_.-] become '-'
// and leading '.' and '-' are removed. It returns "" when nothing is left.
func sanitiseTag(tag string) string {
	if len(tag) > 1 && tag[0] == 'v' && isDigit(tag[1]) {
		tag = tag[1:]
	}
	tag = strings.Map(func(r rune) rune {
		if strings.ContainsRune(tagChars, r) {
			return r
		}
		return '-'
	}, tag)
	return strings.TrimLeft(tag, ".-")
}

// semver is a semantic version (semver.org 2.0.0) without build metadata.
type semver struct {
	major, minor, patch string   // decimal, without leading zeros
	pre                 []string // pre-release identifiers
}

// parseSemver parses tag as a semantic version with an optional leading "v".
func parseSemver(tag string) (semver, bool) {
	s := strings.TrimPrefix(tag, "v")
	s, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !validIdentifiers(build, false) {
		return semver{}, false
	}
	core, pre, hasPre := strings.Cut(s, "-")
	if hasPre && !validIdentifiers(pre, true) {
		return semver{}, false
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return semver{}, false
	}
	for _, p := range parts {
		if !isNumeric(p) || (len(p) > 1 && p[0] == '0') {
			return semver{}, false
		}
	}
	v := semver{major: parts[0], minor: parts[1], patch: parts[2]}
	if hasPre {
		v.pre = strings.Split(pre, ".")
	}
	return v, true
}

// validIdentifiers reports whether s is a dot-separated list of non-empty
// [0-9A-Za-z-] identifiers; numeric pre-release identifiers must not have
// leading zeros.
func validIdentifiers(s string, pre bool) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" || strings.ContainsFunc(id, func(r rune) bool {
			return !strings.ContainsRune(identifierChars, r)
		}) {
			return false
		}
		if pre && isNumeric(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// String returns v as MAJOR.MINOR.PATCH[-PRE].
func (v semver) String() string {
	s := v.major + "." + v.minor + "." + v.patch
	if len(v.pre) > 0 {
		s += "-" + strings.Join(v.pre, ".")
	}
	return s
}

// compare orders v and w by semver precedence: -1, 0 or +1.
func (v semver) compare(w semver) int {
	for _, c := range []int{
		compareNumeric(v.major, w.major),
		compareNumeric(v.minor, w.minor),
		compareNumeric(v.patch, w.patch),
	} {
		if c != 0 {
			return c
		}
	}
	if len(v.pre) == 0 || len(w.pre) == 0 {
		// A release ranks above its pre-releases.
		return cmp.Compare(len(w.pre), len(v.pre))
	}
	for i := 0; i < len(v.pre) && i < len(w.pre); i++ {
		if c := compareIdentifier(v.pre[i], w.pre[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(v.pre), len(w.pre))
}

// compareIdentifier orders pre-release identifiers: numeric ones numerically
// and below alphanumeric ones, which compare in ASCII order.
func compareIdentifier(a, b string) int {
	aNum, bNum := isNumeric(a), isNumeric(b)
	if aNum && bNum {
		return compareNumeric(a, b)
	}
	if aNum {
		return -1
	}
	if bNum {
		return 1
	}
	return strings.Compare(a, b)
}

// compareNumeric orders decimal strings without leading zeros, of any length.
func compareNumeric(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// isNumeric reports whether s is a non-empty string of ASCII digits.
func isNumeric(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}
