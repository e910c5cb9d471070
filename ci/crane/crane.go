// Package crane builds the command lines of crane (go-containerregistry's
// registry client, v0.22.1) that publish a release, and checks what it
// prints. The arguments follow the image's entrypoint, /ko-app/crane.
//
// crane reads registry credentials from $DOCKER_CONFIG/config.json (or
// ~/.docker/config.json) through go-containerregistry's default keychain;
// nothing secret is ever an argument.
package crane

import (
	"fmt"
	"regexp"
	"strings"
)

// digestRE matches a sha256 digest as crane prints it.
var digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// insecureFlag lets crane talk plain HTTP (and skip TLS verification): a
// persistent flag of crane's root command, accepted after the arguments.
const insecureFlag = "--insecure"

// Push returns the args that push the layout in dir to ref (a tag
// reference): ["push", dir, ref] plus "--insecure" when insecure (a
// plain-HTTP registry service). Never "--index": without it crane pushes the
// one entry of the layout's index.json, the release index, by its digest.
func Push(dir, ref string, insecure bool) []string {
	return withInsecure([]string{"push", dir, ref}, insecure)
}

// Digest returns the args that print the digest ref resolves to in the
// registry: ["digest", ref] plus "--insecure" when insecure. crane prints the
// digest alone on a line.
func Digest(ref string, insecure bool) []string {
	return withInsecure([]string{"digest", ref}, insecure)
}

// withInsecure appends the insecure flag to args when insecure.
func withInsecure(args []string, insecure bool) []string {
	if insecure {
		return append(args, insecureFlag)
	}
	return args
}

// CheckDigest compares the digest the registry reported for ref (the stdout
// of `crane digest`) with want, the digest computed locally. It returns nil
// when they are equal, else one line saying what was pushed, what the
// registry serves, and that the release is not what was built. Output that
// is not one sha256 digest is an error too, as is a malformed want.
func CheckDigest(ref, want, output string) error {
	if !digestRE.MatchString(want) {
		return fmt.Errorf("check digest of %s: local digest %q is not sha256:<64 hex digits>", ref, want)
	}
	got := strings.TrimSpace(output)
	if !digestRE.MatchString(got) {
		return fmt.Errorf("check digest of %s: crane digest printed %q, want one digest sha256:<64 hex digits>", ref, output)
	}
	if got != want {
		return fmt.Errorf("%s: pushed %s but the registry serves %s: the release is not what was built", ref, want, got)
	}
	return nil
}

// ParseDigest returns the digest `crane digest` printed, which must be one
// sha256 digest on a line.
func ParseDigest(ref, output string) (string, error) {
	got := strings.TrimSpace(output)
	if !digestRE.MatchString(got) {
		return "", fmt.Errorf("read the digest of %s: crane digest printed %q, want one digest sha256:<64 hex digits>", ref, output)
	}
	return got, nil
}

// Pull returns the args that write the image of platform (os/arch[/variant])
// that ref names to dir as an OCI layout whose index.json lists that one
// image manifest, its config and layers as the registry serves them:
// ["pull", "--format=oci", "--platform", platform, ref, dir] plus
// "--insecure" when insecure (a plain-HTTP registry service). crane speaks
// plain HTTP by itself to localhost, loopback and RFC 1918 registries.
func Pull(ref, platform, dir string, insecure bool) []string {
	return withInsecure([]string{"pull", "--format=oci", "--platform", platform, ref, dir}, insecure)
}

// Manifest returns the args that print the manifest ref names, as the
// registry serves it: ["manifest", ref] plus "--insecure" when insecure.
func Manifest(ref string, insecure bool) []string {
	return withInsecure([]string{"manifest", ref}, insecure)
}

// Blob returns the args that print the blob ref (REPOSITORY@sha256:<hex>)
// names, as the registry serves it: ["blob", ref] plus "--insecure" when
// insecure.
func Blob(ref string, insecure bool) []string {
	return withInsecure([]string{"blob", ref}, insecure)
}
