package failure

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

var (
	// registryCode is an error of the registry API as go-containerregistry
	// (crane, cosign) prints it, "CODE: message[; detail]": the codes of the
	// distribution spec (pkg/v1/remote/transport/error.go).
	registryCode = regexp.MustCompile(`\b(BLOB_UNKNOWN|BLOB_UPLOAD_INVALID|BLOB_UPLOAD_UNKNOWN|DIGEST_INVALID|MANIFEST_BLOB_UNKNOWN|MANIFEST_INVALID|MANIFEST_UNKNOWN|MANIFEST_UNVERIFIED|NAME_INVALID|NAME_UNKNOWN|SIZE_INVALID|TAG_INVALID|UNAUTHORIZED|DENIED|UNSUPPORTED|TOOMANYREQUESTS|UNKNOWN|UNAVAILABLE): [^;\n]*`)
	// httpStatus is a failed HTTP status as both go-containerregistry
	// ("unexpected status code 401 Unauthorized") and the engine's push
	// (containerd: "unexpected status from HEAD request to …: 401
	// Unauthorized") print it; the status text is checked against the code.
	httpStatus = regexp.MustCompile(`\b[45]\d\d `)
)

// Phrases of a failure, lower-case: refused credentials as registries and
// their clients word them; network failures as Go's net/http, net and
// crypto/tls word them.
var (
	refused     = []string{"unauthorized", "denied", "forbidden", "authentication required"}
	plainHTTP   = []string{"server gave http response to https client", "first record does not look like a tls handshake"}
	untrusted   = []string{"x509: ", "tls: "}
	unreachable = []string{"connection refused", "no such host", "i/o timeout", "no route to host", "connection reset", "network is unreachable"}
)

// Registry explains a failure to talk to a registry (push, digest lookup):
// for 401/403 (unauthorized, denied, forbidden, "authentication required")
// "<action> <ref>: the registry refused the credentials (<reason>): check
// --username and --password"; 404/name unknown: the repository does not
// exist or is not visible; 5xx and network errors (connection refused, no
// such host, TLS "server gave HTTP response to HTTPS client"): the registry
// and its reason.
//
// output is the error text of the engine's push or the output of crane or
// cosign. The reason is the registry's own error ("UNAUTHORIZED:
// authentication required"), else the HTTP status ("401 Unauthorized"),
// else the network error, else the tool's last error line.
func Registry(action, ref, output string) error {
	lines := nonEmpty(output)
	if len(lines) == 0 {
		return fmt.Errorf("%s %s: the registry failed without a message", action, ref)
	}
	code, codeText := findCode(output)
	status, statusText := findStatus(output)
	reason := or(codeText, statusText)
	if _, ok := phrase(remote(lines), refused); ok {
		return fmt.Errorf("%s %s: the registry refused the credentials (%s): check --username and --password",
			action, ref, or(reason, lastError(lines)))
	}
	if why, ok := phrase(lines, plainHTTP); ok {
		return fmt.Errorf("%s %s: the registry answers plain HTTP, not HTTPS (%s): serve it over HTTPS, or reach it as localhost",
			action, ref, why)
	}
	if why, ok := phrase(lines, untrusted); ok {
		return fmt.Errorf("%s %s: the registry's TLS certificate is not trusted (%s): give it a certificate from a trusted authority",
			action, ref, why)
	}
	if why, ok := phrase(lines, unreachable); ok {
		return fmt.Errorf("%s %s: cannot reach the registry (%s): check its host and port, and that it is up",
			action, ref, why)
	}
	if code == "MANIFEST_UNKNOWN" {
		return fmt.Errorf("%s %s: the registry has no such image (%s): check the tag or digest", action, ref, reason)
	}
	if code == "NAME_UNKNOWN" || status == http.StatusNotFound {
		return fmt.Errorf("%s %s: the repository does not exist or is not visible to these credentials (%s): check the repository name, --username and --password",
			action, ref, reason)
	}
	if code == "TOOMANYREQUESTS" || status == http.StatusTooManyRequests {
		return fmt.Errorf("%s %s: the registry is rate-limiting requests (%s): wait and try again, or log in with --username and --password",
			action, ref, reason)
	}
	if code == "UNAVAILABLE" || status >= http.StatusInternalServerError {
		return fmt.Errorf("%s %s: the registry failed (%s): it is down or overloaded; try again later", action, ref, reason)
	}
	return fmt.Errorf("%s %s: %s", action, ref, or(reason, lastError(lines)))
}

// findCode returns the first registry error code in output and its
// "CODE: message" without the detail.
func findCode(output string) (code, text string) {
	m := registryCode.FindStringSubmatch(output)
	if m == nil {
		return "", ""
	}
	return m[1], clip(strings.TrimSpace(m[0]))
}

// findStatus returns the first failed HTTP status in output and its
// "401 Unauthorized".
func findStatus(output string) (int, string) {
	for _, loc := range httpStatus.FindAllStringIndex(output, -1) {
		n, _ := strconv.Atoi(output[loc[0] : loc[1]-1])
		if t := http.StatusText(n); t != "" && strings.HasPrefix(output[loc[1]:], t) {
			return n, strconv.Itoa(n) + " " + t
		}
	}
	return 0, ""
}

// phrase finds the first line that holds one of phrases (lower-case) and
// returns its error: what follows the last `": ` (Go's `Get "url": err`),
// else the line without cobra's "Error: ".
func phrase(lines, phrases []string) (string, bool) {
	for _, l := range lines {
		if containsAny(strings.ToLower(l), phrases) {
			if i := strings.LastIndex(l, `": `); i >= 0 {
				l = l[i+len(`": `):]
			}
			return clip(strings.TrimPrefix(l, cobraPrefix)), true
		}
	}
	return "", false
}

// remote is lines without the local "permission denied" of a file the tool
// could not open, which is no registry's refusal.
func remote(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(strings.ToLower(l), "permission denied", "")
	}
	return out
}

// lastError is the last line cobra printed as "Error: …", without that
// prefix, else the last line.
func lastError(lines []string) string {
	last := lines[len(lines)-1]
	for _, l := range lines {
		if msg, ok := strings.CutPrefix(l, cobraPrefix); ok {
			last = msg
		}
	}
	return clip(last)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func or(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}
