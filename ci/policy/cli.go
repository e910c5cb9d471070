package policy

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Pod returns a Pod manifest (YAML) named name running image (by digest) — the resource `kyverno apply` is run against.
// name must be a DNS-1123 label; the pod lives in namespace "default", so
// Kyverno reports it as default/Pod/<name>.
func Pod(name, image string) []byte {
	type container struct {
		Name  string `yaml:"name"`
		Image string `yaml:"image"`
	}
	pod := struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name      string `yaml:"name"`
			Namespace string `yaml:"namespace"`
		} `yaml:"metadata"`
		Spec struct {
			Containers []container `yaml:"containers"`
		} `yaml:"spec"`
	}{APIVersion: "v1", Kind: "Pod"}
	pod.Metadata.Name = name
	pod.Metadata.Namespace = "default"
	pod.Spec.Containers = []container{{Name: "echo-server", Image: image}}

	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	// Encoding a struct of strings into a buffer cannot fail.
	_ = enc.Encode(pod)
	_ = enc.Close()
	return out.Bytes()
}

// Apply returns the kyverno CLI args: ["apply", policyPath, "--resource", podPath, "--detailed-results"] (check flags).
//
// The image's entrypoint is the CLI (kubectl-kyverno), so these are its
// arguments. Exit status: 0 when no rule failed or errored, 1 otherwise; 0
// also when the rule did not apply at all, so a pass is proven with
// Admitted, not with the exit status alone.
func Apply(policyPath, podPath string) []string {
	return []string{"apply", policyPath, "--resource", podPath, "--detailed-results"}
}

// summaryRE is the last line of `kyverno apply`:
// "pass: 2, fail: 0, warn: 0, error: 0, skip: 0 ".
var summaryRE = regexp.MustCompile(`(?m)^pass: (\d+), fail: (\d+), warn: (\d+), error: (\d+), skip: (\d+)\s*$`)

// Counts are the rule results `kyverno apply` sums up.
type Counts struct {
	Pass, Fail, Warn, Error, Skip int
}

// Summary returns the counts of the last summary line of a `kyverno apply`
// output, and false when there is none (the CLI stopped before applying).
func Summary(output string) (Counts, bool) {
	all := summaryRE.FindAllStringSubmatch(output, -1)
	if len(all) == 0 {
		return Counts{}, false
	}
	m := all[len(all)-1]
	n := make([]int, 5)
	for i := range n {
		// The pattern admits only digits; a count too large for an int
		// is not one Kyverno prints.
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return Counts{Pass: n[0], Fail: n[1], Warn: n[2], Error: n[3], Skip: n[4]}, true
}

// Admitted reports whether a `kyverno apply` output says the pod passes:
// at least one rule passed and none failed, errored or warned. An exit
// status of 0 alone does not say it: a rule that did not match, or a
// policy skipped as invalid with no error counted, exits 0 too.
func Admitted(output string) bool {
	c, ok := Summary(output)
	return ok && c.Pass > 0 && c.Fail == 0 && c.Error == 0 && c.Warn == 0
}

// Refused reports whether a `kyverno apply` output says the policy refuses
// the pod: a rule failed and none errored. An error (a registry that cannot
// be reached, say) is no verdict, and neither is an exit status of 1 alone.
func Refused(output string) bool {
	c, ok := Summary(output)
	return ok && c.Fail > 0 && c.Error == 0
}

var (
	// failedRE is the header Kyverno prints above a resource's failed
	// rules: "policy NAME -> resource NS/KIND/NAME failed:".
	failedRE = regexp.MustCompile(`^policy (\S+) -> resource (\S+) failed:$`)
	// ruleRE is one failed rule: "1 - RULE MESSAGE".
	ruleRE = regexp.MustCompile(`^\d+ - (\S+) (.*)$`)
	// attestationRE finds which of the policy's attestations failed.
	attestationRE = regexp.MustCompile(`\.attestations\[(\d+)\]`)
	// conditionRE is a failed attestation condition; the message after
	// the predicate type is the condition's own message.
	conditionRE = regexp.MustCompile(`attestation checks failed for \S+ and predicate \S+: (.*)$`)
)

// attestationNames are the policy's attestations in the order Render
// writes them.
var attestationNames = []string{
	"the cosign signature (https://sigstore.dev/cosign/sign/v1)",
	"the SLSA provenance (https://slsa.dev/provenance/v1)",
}

// Explain turns the output of a failed/unexpected `kyverno apply` into one line saying which rule failed and why.
func Explain(output string) string {
	lines := strings.Split(strings.ReplaceAll(output, "\r\n", "\n"), "\n")
	resource := ""
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		if m := failedRE.FindStringSubmatch(line); m != nil {
			resource = m[2]
			continue
		}
		if m := ruleRE.FindStringSubmatch(line); m != nil && resource != "" {
			return fmt.Sprintf("kyverno refused %s: rule %s: %s (kyverno: %s)", resource, m[1], why(m[2]), m[2])
		}
	}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "Policies Skipped:" || line == "Invalid Policies:" {
			if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				return "kyverno did not load the policy: " + strings.TrimSpace(lines[i+1])
			}
			return "kyverno did not load the policy"
		}
		if strings.HasPrefix(line, "Error: ") {
			return "kyverno apply failed: " + strings.TrimPrefix(line, "Error: ")
		}
	}
	c, ok := Summary(output)
	if !ok {
		return "kyverno apply printed no result: " + lastLine(lines)
	}
	if c.Error > 0 {
		return fmt.Sprintf("kyverno could not evaluate the rule (%s): a registry it could not reach is the usual cause; rerun kyverno apply with -v 4 for its logs", counts(c))
	}
	if c.Fail > 0 || c.Warn > 0 {
		return fmt.Sprintf("kyverno reported failures but printed no failed rule (%s)", counts(c))
	}
	if c.Pass > 0 {
		return fmt.Sprintf("kyverno admitted the pod (%s)", counts(c))
	}
	return fmt.Sprintf("the policy's rule did not apply to the pod (%s): its image does not match imageReferences", counts(c))
}

// why says in words what a failed rule's message means for this policy.
func why(msg string) string {
	switch {
	case strings.Contains(msg, "attestation checks failed"):
		if m := conditionRE.FindStringSubmatch(msg); m != nil {
			return m[1]
		}
		return "the SLSA provenance does not meet the policy's conditions"
	case strings.Contains(msg, "image attestations verification failed"):
		if m := attestationRE.FindStringSubmatch(msg); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(attestationNames) {
				return attestationNames[i] + " is missing or not signed with the policy's key"
			}
		}
		return "an attestation the policy requires is missing or not signed with its key"
	case strings.Contains(msg, "failed to load public key"):
		return "the policy's public key is unusable (still the placeholder?)"
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return "the registry speaks plain HTTP: address it as localhost, 127.0.0.1 or a *.localhost name"
	case strings.Contains(msg, "no matching signatures found"):
		return "no signature verifies with the policy's key: the image is unsigned or signed with another key"
	case strings.Contains(msg, "missing digest"):
		return "the image is not pinned by digest"
	case strings.Contains(msg, "unverified image"):
		return "the image did not pass verification"
	}
	return "see kyverno's message"
}

// counts formats c as Kyverno's summary line does.
func counts(c Counts) string {
	return fmt.Sprintf("pass: %d, fail: %d, warn: %d, error: %d, skip: %d", c.Pass, c.Fail, c.Warn, c.Error, c.Skip)
}

// lastLine returns the last non-blank line, or "(no output)".
func lastLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "(no output)"
}
