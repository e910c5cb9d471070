package provenance

import (
	"strconv"
	"strings"
	"testing"
)

// TestBuilderIDCharacters pins GITHUB_WORKFLOW_REF's pattern,
// OWNER/REPO/.github/workflows/FILE.y[a]ml@refs/REF: each bound of the
// classes of the owner and repository ([A-Za-z0-9_.-]), of the file
// ([A-Za-z0-9_./-]) and of the ref (no white space, no '@'), and the
// characters next to them.
func TestBuilderIDCharacters(t *testing.T) {
	ref := func(owner, repo, file, ext, r string) string {
		return owner + "/" + repo + "/.github/workflows/" + file + "." + ext + "@refs/" + r
	}
	var good, bad []string
	for _, c := range []string{"A", "Z", "a", "z", "0", "9", "_", ".", "-"} {
		good = append(good,
			ref("o"+c, "r", "f", "yml", "heads/main"),
			ref("o", "r"+c, "f", "yml", "heads/main"),
			ref("o", "r", "f"+c, "yml", "heads/main"),
			ref(c, c, c, "yaml", "heads/"+c))
	}
	good = append(good,
		ref("o", "r", "sub/dir/f", "yml", "heads/main"),
		ref("o", "r", "f", "yml", "tags/v1.2.3"),
		ref("o", "r", "f", "yml", "pull/7/merge"),
		ref("o", "r", "f", "yml", "heads/feature/ü+x:y"),
		ref("o", "r", "f", "yml", "x"))
	for _, c := range []string{"@", "[", "`", "{", "/", ":", "+", " ", "~", "é"} {
		if c != "/" {
			bad = append(bad,
				ref("o"+c, "r", "f", "yml", "heads/main"),
				ref("o", "r"+c, "f", "yml", "heads/main"),
				ref("o", "r", "f"+c, "yml", "heads/main"))
		}
	}
	bad = append(bad,
		ref("", "r", "f", "yml", "heads/main"),
		ref("o", "", "f", "yml", "heads/main"),
		ref("o", "r", "", "yml", "heads/main"),
		ref("o", "r", "f", "json", "heads/main"),
		ref("o", "r", "f", "ymal", "heads/main"),
		ref("o", "r", "f", "YML", "heads/main"),
		ref("o", "r", "f", "yml", ""),
		ref("o", "r", "f", "yml", "heads/a b"),
		ref("o", "r", "f", "yml", "heads/a\tb"),
		ref("o", "r", "f", "yml", "heads/a@b"),
		"x/"+ref("o", "r", "f", "yml", "heads/main"),
		" "+ref("o", "r", "f", "yml", "heads/main"),
		"o/r/.github/workflow/f.yml@refs/heads/main",
		"o/r/.githubx/workflows/f.yml@refs/heads/main",
		"o/r/.github/workflows/f.yml@heads/main",
		"o/r/.github/workflows/f.yml",
		"o/r/.github/workflows/f.yml@refs/heads/main@refs/heads/x")
	for _, wf := range good {
		if got, err := BuilderID(wf); err != nil || got != "https://github.com/"+wf {
			t.Errorf("BuilderID(%q) = %q, %v; want it accepted", wf, got, err)
		}
	}
	for _, wf := range bad {
		want := `builder id: GITHUB_WORKFLOW_REF ` + strconv.Quote(wf) + `: want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`
		if _, err := BuilderID(wf); err == nil || err.Error() != want {
			t.Errorf("BuilderID(%q) error = %v, want %q", wf, err, want)
		}
	}
}

// TestPredicateCommit pins the commit's pattern, ^[0-9a-f]{40}$: each bound
// of the class, the characters next to them, and one digit short or over.
func TestPredicateCommit(t *testing.T) {
	for _, c := range []string{"0", "9", "a", "f"} {
		b := release()
		b.Commit = strings.Repeat(c, 40)
		if _, err := Predicate(b); err != nil {
			t.Errorf("commit %q: %v", b.Commit, err)
		}
	}
	var bad []string
	for _, c := range []string{"/", ":", "`", "g", "A", "F", " "} {
		bad = append(bad, strings.Repeat("a", 39)+c)
	}
	bad = append(bad, strings.Repeat("a", 39), strings.Repeat("a", 41), strings.Repeat("a", 64))
	for _, commit := range bad {
		b := release()
		b.Commit = commit
		want := `provenance: commit "` + commit + `": want the full sha1, 40 lowercase hex digits, or empty when unknown`
		if _, err := Predicate(b); err == nil || err.Error() != want {
			t.Errorf("commit %q: error %v, want %q", commit, err, want)
		}
	}
}

// TestDigests pins the digest Statement and Check take, ^sha256:[0-9a-f]{64}$:
// each bound of the class, the characters next to them, one digit short or
// over, and the algorithm spelled otherwise.
func TestDigests(t *testing.T) {
	pred := []byte(`{}`)
	for _, c := range []string{"0", "9", "a", "f"} {
		d := "sha256:" + strings.Repeat(c, 64)
		if _, err := Statement(subjectRepo, d, PredicateType, pred); err != nil {
			t.Errorf("Statement digest %q: %v", d, err)
		}
	}
	var bad []string
	for _, c := range []string{"/", ":", "`", "g", "A", "F", " "} {
		bad = append(bad, "sha256:"+strings.Repeat("a", 63)+c)
	}
	bad = append(bad, "sha256:"+strings.Repeat("a", 63), "sha256:"+strings.Repeat("a", 65),
		"SHA256:"+strings.Repeat("a", 64), "sha512:"+strings.Repeat("a", 64), "xsha256:"+strings.Repeat("a", 64),
		"sha256:"+strings.Repeat("a", 64)+"\n", "sha256:", "")
	for _, d := range bad {
		if _, err := Statement(subjectRepo, d, PredicateType, pred); err == nil || err.Error() != `statement: digest `+strconv.Quote(d)+`: want sha256:<64 hex>` {
			t.Errorf("Statement digest %q: error %v", d, err)
		}
		if err := Check([]byte(`{}`), d, ""); err == nil || err.Error() != `check provenance: digest `+strconv.Quote(d)+`: want sha256:<64 hex>` {
			t.Errorf("Check digest %q: error %v", d, err)
		}
	}
}

// TestCheckStatementTypes: each accepted statement type alone is accepted,
// and nothing else.
func TestCheckStatementTypes(t *testing.T) {
	stmt := func(typ string) []byte {
		return []byte(`{"_type":"` + typ + `","predicateType":"` + PredicateType + `","subject":[{"name":"r","digest":{"sha256":"` + hexDigest + `"}}],"predicate":{}}`)
	}
	for _, typ := range []string{StatementType, StatementTypeV01} {
		if err := Check(stmt(typ), releaseDigest, ""); err != nil {
			t.Errorf("_type %s: %v", typ, err)
		}
	}
	for _, typ := range []string{"https://in-toto.io/Statement/v0.2", "https://in-toto.io/Statement/v1.0", "https://in-toto.io/statement/v1", "https://in-toto.io/Statement/v1 "} {
		want := `check provenance: _type "` + typ + `", want https://in-toto.io/Statement/v1 or https://in-toto.io/Statement/v0.1`
		if err := Check(stmt(typ), releaseDigest, ""); err == nil || err.Error() != want {
			t.Errorf("_type %q: error %v, want %q", typ, err, want)
		}
	}
	if StatementType != "https://in-toto.io/Statement/v1" || StatementTypeV01 != "https://in-toto.io/Statement/v0.1" {
		t.Errorf("statement types %q and %q", StatementType, StatementTypeV01)
	}
}
