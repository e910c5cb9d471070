package policy

import (
	"reflect"
	"strings"
	"testing"
)

func TestPod(t *testing.T) {
	got := string(Pod("signed", "registry.localhost:5000/echo-server@sha256:0123"))
	want := `apiVersion: v1
kind: Pod
metadata:
  name: signed
  namespace: default
spec:
  containers:
    - name: echo-server
      image: registry.localhost:5000/echo-server@sha256:0123
`
	if got != want {
		t.Errorf("Pod =\n%s\nwant\n%s", got, want)
	}
	// Values that YAML would read as something else stay strings.
	odd := string(Pod("true", "*: x"))
	if !strings.Contains(odd, `name: "true"`) || !strings.Contains(odd, `image: '*: x'`) {
		t.Errorf("Pod does not quote YAML-special values:\n%s", odd)
	}
}

func TestApply(t *testing.T) {
	got := Apply("/work/policy.yaml", "/work/pod.yaml")
	want := []string{"apply", "/work/policy.yaml", "--resource", "/work/pod.yaml", "--detailed-results"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %q, want %q", got, want)
	}
}

const (
	img      = "registry.localhost:5000/echo-server@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	unsigned = "registry.localhost:5000/echo-server-unsigned@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	warning  = "Warning: /work/policy.yaml: kyverno.io/v1 ClusterPolicy is deprecated and will be removed in a future release; " +
		"migrate to ValidatingPolicy, MutatingPolicy, GeneratingPolicy or ImageValidatingPolicy (policies.kyverno.io), " +
		"see https://kyverno.io/docs/guides/migration-to-cel/\n"
	applying = "\nApplying 3 policy rule(s) to 1 resource(s)...\n"
)

// refused is what `kyverno apply` prints when the rule fails for pod with
// message msg: the verifyImages failure, then the validation of the
// verify-images annotation.
func refused(pod, image, msg string) string {
	return warning + applying +
		"policy verify-echo-server-images -> resource default/Pod/" + pod + " failed:\n" +
		"1 - signature-and-provenance " + msg + "\n" +
		"policy verify-echo-server-images -> resource default/Pod/" + pod + " failed:\n" +
		"1 - signature-and-provenance unverified image " + image + "\n" +
		"\npass: 0, fail: 2, warn: 0, error: 0, skip: 0 \n"
}

func TestExplain(t *testing.T) {
	noSig := "failed to verify image " + unsigned + ": .attestors[0].entries[0].keys: sigstore bundle verification failed: no matching signatures found"
	noSignAtt := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .attestations[0].attestors[0].entries[0].keys: sigstore bundle verification failed: no matching signatures found"
	noProv := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .attestations[1].attestors[0].entries[1].keys: sigstore bundle verification failed: no matching signatures found"
	unknownAtt := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .attestations[7].attestors[0].entries[7].keys: x"
	pastAtt := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .attestations[2].attestors[0].entries[0].keys: x"
	noIndex := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: failed to fetch bundles"
	badCond := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: .attestations[1].attestors[0].entries[1].keys: " +
		"attestation checks failed for " + img + " and predicate https://slsa.dev/provenance/v1: the provenance's source repository is not https://github.com/acme/echo-server"
	badCondNoMsg := "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: attestation checks failed"
	badKey := "failed to verify image " + img + ": .attestors[0].entries[0].keys: failed to get trusted material: failed to load public key: PEM decoding failed"
	https := "failed to verify image " + img + ": .attestors[0].entries[0].keys: failed to fetch bundles: Get \"https://registry:5000/v2/\": http: server gave HTTP response to HTTPS client"

	tests := []struct {
		name, output, want string
	}{
		{"unsigned", refused("unsigned", unsigned, noSig),
			"kyverno refused default/Pod/unsigned: rule signature-and-provenance: no signature verifies with the policy's key: the image is unsigned or signed with another key (kyverno: " + noSig + ")"},
		{"attestation only", refused("attested", img, noSignAtt),
			"kyverno refused default/Pod/attested: rule signature-and-provenance: the cosign signature (https://sigstore.dev/cosign/sign/v1) is missing or not signed with the policy's key (kyverno: " + noSignAtt + ")"},
		{"no provenance", refused("signed", img, noProv),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the SLSA provenance (https://slsa.dev/provenance/v1) is missing or not signed with the policy's key (kyverno: " + noProv + ")"},
		{"unknown attestation index", refused("signed", img, unknownAtt),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: an attestation the policy requires is missing or not signed with its key (kyverno: " + unknownAtt + ")"},
		{"attestation index just past the policy's", refused("signed", img, pastAtt),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: an attestation the policy requires is missing or not signed with its key (kyverno: " + pastAtt + ")"},
		{"attestation without index", refused("signed", img, noIndex),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: an attestation the policy requires is missing or not signed with its key (kyverno: " + noIndex + ")"},
		{"failed condition", refused("signed", img, badCond),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the provenance's source repository is not https://github.com/acme/echo-server (kyverno: " + badCond + ")"},
		{"failed condition, no message", refused("signed", img, badCondNoMsg),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the SLSA provenance does not meet the policy's conditions (kyverno: " + badCondNoMsg + ")"},
		{"placeholder key", refused("signed", img, badKey),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the policy's public key is unusable (still the placeholder?) (kyverno: " + badKey + ")"},
		{"https to a plain registry", refused("signed", img, https),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the registry speaks plain HTTP: address it as localhost, 127.0.0.1 or a *.localhost name (kyverno: " + https + ")"},
		{"missing digest", refused("tagged", "x:1", "missing digest for x:1"),
			"kyverno refused default/Pod/tagged: rule signature-and-provenance: the image is not pinned by digest (kyverno: missing digest for x:1)"},
		{"only the annotation check failed", warning + applying +
			"policy verify-echo-server-images -> resource default/Pod/signed failed:\n" +
			"1 - signature-and-provenance unverified image " + img + "\n\npass: 1, fail: 1, warn: 0, error: 0, skip: 0 \n",
			"kyverno refused default/Pod/signed: rule signature-and-provenance: the image did not pass verification (kyverno: unverified image " + img + ")"},
		{"unknown message", refused("signed", img, "something new"),
			"kyverno refused default/Pod/signed: rule signature-and-provenance: see kyverno's message (kyverno: something new)"},
		{"CRLF and indentation", strings.ReplaceAll("  policy p -> resource ns/Pod/x failed:\n  1 - r no matching signatures found\n", "\n", "\r\n"),
			"kyverno refused ns/Pod/x: rule r: no signature verifies with the policy's key: the image is unsigned or signed with another key (kyverno: no matching signatures found)"},
		{"rule line without a header is not a failure", "1 - r no matching signatures found\n\npass: 1, fail: 0, warn: 0, error: 0, skip: 0 \n",
			"kyverno admitted the pod (pass: 1, fail: 0, warn: 0, error: 0, skip: 0)"},

		{"passed", warning + applying + "\npass: 2, fail: 0, warn: 0, error: 0, skip: 0 \n",
			"kyverno admitted the pod (pass: 2, fail: 0, warn: 0, error: 0, skip: 0)"},
		{"rule error (registry unreachable)", warning + applying + "\npass: 0, fail: 0, warn: 0, error: 1, skip: 0 \n",
			"kyverno could not evaluate the rule (pass: 0, fail: 0, warn: 0, error: 1, skip: 0): a registry it could not reach is the usual cause; rerun kyverno apply with -v 4 for its logs"},
		{"error beside a pass", "\npass: 1, fail: 0, warn: 0, error: 1, skip: 0 \n",
			"kyverno could not evaluate the rule (pass: 1, fail: 0, warn: 0, error: 1, skip: 0): a registry it could not reach is the usual cause; rerun kyverno apply with -v 4 for its logs"},
		{"skipped rule", applying + "\npass: 0, fail: 0, warn: 0, error: 0, skip: 1 \n",
			"the policy's rule did not apply to the pod (pass: 0, fail: 0, warn: 0, error: 0, skip: 1): its image does not match imageReferences"},
		{"nothing applied", applying + "\npass: 0, fail: 0, warn: 0, error: 0, skip: 0 \n",
			"the policy's rule did not apply to the pod (pass: 0, fail: 0, warn: 0, error: 0, skip: 0): its image does not match imageReferences"},
		{"failures without lines", "\npass: 0, fail: 1, warn: 0, error: 0, skip: 0 \n",
			"kyverno reported failures but printed no failed rule (pass: 0, fail: 1, warn: 0, error: 0, skip: 0)"},
		{"warnings without lines", "\npass: 1, fail: 0, warn: 1, error: 0, skip: 0 \n",
			"kyverno reported failures but printed no failed rule (pass: 1, fail: 0, warn: 1, error: 0, skip: 0)"},
		{"invalid policy", warning + applying +
			"----------------------------------------------------------------------\nPolicies Skipped:\n" +
			"1. verify-echo-server-images: spec.rules[0].verifyImages[0]: Invalid value: \"\": An image reference is required\n" +
			"----------------------------------------------------------------------\n\npass: 0, fail: 0, warn: 0, error: 1, skip: 0 \n",
			"kyverno did not load the policy: 1. verify-echo-server-images: spec.rules[0].verifyImages[0]: Invalid value: \"\": An image reference is required"},
		{"invalid policies", "Invalid Policies:\n1. p: variable 'element.name' x\n", "kyverno did not load the policy: 1. p: variable 'element.name' x"},
		{"skipped policies on the last line", "Policies Skipped:", "kyverno did not load the policy"},
		{"skipped, no reason line", "Policies Skipped:\n", "kyverno did not load the policy"},
		{"skipped, blank reason line", "Policies Skipped:\n\n", "kyverno did not load the policy"},
		{"CLI error", "Error: failed to load policies (open /work/policy.yaml: no such file or directory)\n",
			"kyverno apply failed: failed to load policies (open /work/policy.yaml: no such file or directory)"},
		{"no summary", "exec /ko-app/kubectl-kyverno: exec format error\n\n",
			"kyverno apply printed no result: exec /ko-app/kubectl-kyverno: exec format error"},
		{"no output", "", "kyverno apply printed no result: (no output)"},
		{"blank output", " \n\t\n", "kyverno apply printed no result: (no output)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Explain(tt.output); got != tt.want {
				t.Errorf("Explain =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestSummaryAndAdmitted(t *testing.T) {
	tests := []struct {
		output   string
		want     Counts
		ok       bool
		admitted bool
		refused  bool
	}{
		{applying + "\npass: 2, fail: 0, warn: 0, error: 0, skip: 0 \n", Counts{Pass: 2}, true, true, false},
		{"pass: 12, fail: 34, warn: 56, error: 78, skip: 90", Counts{12, 34, 56, 78, 90}, true, false, false},
		{"pass: 1, fail: 1, warn: 0, error: 0, skip: 0 \n", Counts{Pass: 1, Fail: 1}, true, false, true},
		{"pass: 1, fail: 0, warn: 0, error: 1, skip: 0 \n", Counts{Pass: 1, Error: 1}, true, false, false},
		{"pass: 1, fail: 0, warn: 1, error: 0, skip: 0 \n", Counts{Pass: 1, Warn: 1}, true, false, false},
		{"pass: 0, fail: 0, warn: 0, error: 0, skip: 1 \n", Counts{Skip: 1}, true, false, false},
		{"pass: 0, fail: 0, warn: 0, error: 0, skip: 0 \n", Counts{}, true, false, false},
		// The last summary counts (one per apply run).
		{"pass: 0, fail: 1, warn: 0, error: 0, skip: 0 \npass: 3, fail: 0, warn: 0, error: 0, skip: 0 \n", Counts{Pass: 3}, true, true, false},
		// Not at the start of a line: not the summary.
		{"x pass: 2, fail: 0, warn: 0, error: 0, skip: 0\n", Counts{}, false, false, false},
		{"pass: 2, fail: 0, warn: 0, error: 0, skip: 0 trailing\n", Counts{}, false, false, false},
		{"Error: boom\n", Counts{}, false, false, false},
		{"", Counts{}, false, false, false},
		// Refused: a failure and no error, whatever passed.
		{"pass: 0, fail: 2, warn: 0, error: 0, skip: 0 \n", Counts{Fail: 2}, true, false, true},
		{"pass: 0, fail: 2, warn: 0, error: 1, skip: 0 \n", Counts{Fail: 2, Error: 1}, true, false, false},
	}
	for _, tt := range tests {
		got, ok := Summary(tt.output)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Summary(%q) = %+v, %v; want %+v, %v", tt.output, got, ok, tt.want, tt.ok)
		}
		if a := Admitted(tt.output); a != tt.admitted {
			t.Errorf("Admitted(%q) = %v, want %v", tt.output, a, tt.admitted)
		}
		if r := Refused(tt.output); r != tt.refused {
			t.Errorf("Refused(%q) = %v, want %v", tt.output, r, tt.refused)
		}
	}
}

func FuzzExplain(f *testing.F) {
	f.Add(refused("unsigned", unsigned, "failed to verify image x: no matching signatures found"))
	f.Add("\npass: 2, fail: 0, warn: 0, error: 0, skip: 0 \n")
	f.Add("Policies Skipped:\n1. p: reason\n")
	f.Add("Error: boom")
	f.Add("")
	f.Fuzz(func(t *testing.T, output string) {
		got := Explain(output)
		if got == "" || strings.ContainsAny(got, "\n") {
			t.Fatalf("Explain(%q) = %q: want one non-empty line", output, got)
		}
	})
}

// Explain names the attestations by their index in the rendered policy.
func TestAttestationNamesFollowRender(t *testing.T) {
	b, err := Render(deployParams)
	if err != nil {
		t.Fatal(err)
	}
	atts := verifyImages(t, parse(t, b)).Attestations
	if len(atts) != len(attestationNames) {
		t.Fatalf("%d attestations, %d names", len(atts), len(attestationNames))
	}
	for i, a := range atts {
		if !strings.HasSuffix(attestationNames[i], " ("+a.Type+")") {
			t.Errorf("attestationNames[%d] = %q, but attestation %d is %s", i, attestationNames[i], i, a.Type)
		}
	}
}
