package policy

import (
	"strings"
	"testing"

	"dagger/echo-server/provenance"
)

// The policy admits what the pipeline's provenance says: its buildType and
// default builder id must be the very ones the provenance writes.
func TestConditionsMatchProvenance(t *testing.T) {
	if buildType != provenance.BuildType {
		t.Errorf("policy buildType %q, provenance writes %q", buildType, provenance.BuildType)
	}
	if defaultBuilderID != provenance.DefaultBuilderID {
		t.Errorf("policy default builder id %q, provenance writes %q", defaultBuilderID, provenance.DefaultBuilderID)
	}
	id, err := provenance.BuilderID("acme/echo-server/.github/workflows/ci.yml@refs/tags/v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	ids := DefaultBuilderIDs("https://github.com/acme/echo-server")
	if prefix, ok := strings.CutSuffix(ids[1], "*"); !ok || !strings.HasPrefix(id, prefix) {
		t.Errorf("the policy's GitHub builder pattern %q does not admit the builder id %q the provenance writes in GitHub Actions", ids[1], id)
	}
}
