package policy

// The subset of Kyverno's kyverno.io/v1 API (api/kyverno/v1 in
// github.com/kyverno/kyverno v1.19.1: spec_types.go, rule_types.go,
// match_resources_types.go, image_verification_types.go, common_types.go)
// that the policy uses, with the same field names. Fields are in the order
// they are written; the policy is small enough to read top to bottom.

type clusterPolicy struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Metadata   metadata `yaml:"metadata"`
	Spec       spec     `yaml:"spec"`
}

type metadata struct {
	Name        string            `yaml:"name"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type spec struct {
	// Background false: verification needs the registry; re-verifying
	// every running pod in background scans is not what admission is for.
	Background            bool   `yaml:"background"`
	FailurePolicy         string `yaml:"failurePolicy"`
	WebhookTimeoutSeconds int    `yaml:"webhookTimeoutSeconds"`
	Rules                 []rule `yaml:"rules"`
}

type rule struct {
	Name         string              `yaml:"name"`
	Match        match               `yaml:"match"`
	VerifyImages []imageVerification `yaml:"verifyImages"`
}

type match struct {
	Any []resourceFilter `yaml:"any"`
}

type resourceFilter struct {
	Resources resources `yaml:"resources"`
}

type resources struct {
	Kinds []string `yaml:"kinds"`
}

type imageVerification struct {
	Type            string        `yaml:"type"`
	ImageReferences []string      `yaml:"imageReferences"`
	FailureAction   string        `yaml:"failureAction"`
	MutateDigest    bool          `yaml:"mutateDigest"`
	VerifyDigest    bool          `yaml:"verifyDigest"`
	Required        bool          `yaml:"required"`
	Attestors       []attestorSet `yaml:"attestors"`
	Attestations    []attestation `yaml:"attestations"`
}

type attestorSet struct {
	Entries []attestor `yaml:"entries"`
}

type attestor struct {
	Keys staticKey `yaml:"keys"`
}

type staticKey struct {
	PublicKeys string `yaml:"publicKeys"`
	Rekor      rekor  `yaml:"rekor"`
	CTLog      ctlog  `yaml:"ctlog"`
}

type rekor struct {
	IgnoreTlog bool `yaml:"ignoreTlog"`
}

type ctlog struct {
	IgnoreSCT bool `yaml:"ignoreSCT"`
}

type attestation struct {
	Type       string        `yaml:"type"`
	Attestors  []attestorSet `yaml:"attestors"`
	Conditions []conditions  `yaml:"conditions,omitempty"`
}

type conditions struct {
	All []condition `yaml:"all"`
}

type condition struct {
	Key      string `yaml:"key"`
	Operator string `yaml:"operator"`
	Value    any    `yaml:"value"`
	Message  string `yaml:"message"`
}
