package failure

import (
	"strings"
	"testing"
)

// The rules of README.md, "When a step fails", and of this package's doc
// comments, pinned at their edges: the figures themselves (30 lines, 500
// runes a line), every registry error code, every HTTP status and every
// phrase the classifiers map, each alone, and every kind of line the go
// tool's excerpt keeps.

const ref = "r.example/team/app:v1"

// README: "at most 30 lines of the tool's output"; "… N more lines above".
func TestExcerptBoundIsThirtyLines(t *testing.T) {
	if MaxLines != 30 {
		t.Errorf("MaxLines = %d, want 30 (README: at most 30 lines)", MaxLines)
	}
	thirty := join(numbered("l", 1, 30)...)
	for _, tt := range []struct{ name, output, want string }{
		{"30 lines", thirty, thirty},
		{"31 lines", join(numbered("l", 1, 31)...), "… 1 more line above\n" + join(numbered("l", 2, 31)...)},
		{"29 lines", join(numbered("l", 1, 29)...), join(numbered("l", 1, 29)...)},
		{"30 failures", join(numbered("--- FAIL: T", 1, 30)...), join(numbered("--- FAIL: T", 1, 30)...)},
		{"31 failures", join(numbered("--- FAIL: T", 1, 31)...), "… 1 more line above\n" + join(numbered("--- FAIL: T", 2, 31)...)},
	} {
		if got := Excerpt(tt.output); got != tt.want {
			t.Errorf("%s: Excerpt =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
	// The service's last 30 lines, as README says too.
	want := "the service of image i did not start or its healthcheck did not pass; its last output:\n… 1 more line above\n" + join(numbered("l", 2, 31)...)
	if got := Service("i", join(numbered("l", 1, 31)...)).Error(); got != want {
		t.Errorf("Service of 31 lines =\n%s\nwant\n%s", got, want)
	}
}

// Each line is cut at 500 runes (not bytes): a registry may answer with a
// body of 64 KiB on one line.
func TestLineBoundIsFiveHundredRunes(t *testing.T) {
	if maxLineLen != 500 {
		t.Errorf("maxLineLen = %d, want 500", maxLineLen)
	}
	for _, tt := range []struct{ name, in, want string }{
		{"500 ASCII", strings.Repeat("a", 500), strings.Repeat("a", 500)},
		{"501 ASCII", strings.Repeat("a", 501), strings.Repeat("a", 500) + "…"},
		{"500 runes of 2 bytes", strings.Repeat("é", 500), strings.Repeat("é", 500)},
		{"501 runes of 2 bytes", strings.Repeat("é", 501), strings.Repeat("é", 500) + "…"},
		{"500 runes of 4 bytes", strings.Repeat("😀", 500), strings.Repeat("😀", 500)},
		{"501 runes of 4 bytes", strings.Repeat("😀", 501), strings.Repeat("😀", 500) + "…"},
	} {
		if got := Excerpt(tt.in); got != tt.want {
			t.Errorf("%s: Excerpt = %d runes %q…, want %d runes", tt.name, len([]rune(got)), got[:10], len([]rune(tt.want)))
		}
	}
	// The registry's own message is cut at the same bound.
	long := "UNSUPPORTED: " + strings.Repeat("m", 600)
	want := "read " + ref + ": " + (long)[:500] + "…"
	if got := Registry("read", ref, long).Error(); got != want {
		t.Errorf("Registry of a long message = %q…, want %q…", got[:40], want[:40])
	}
}

// Lines lose their colours, trailing spaces, tabs and carriage returns; the
// colour pattern is ESC [ digits and semicolons m.
func TestNormalisedLines(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a ", "a"},
		{"a\t", "a"},
		{"a\r", "a"},
		{"a \t\r \r", "a"},
		{"a\v", "a\v"},
		{" a", " a"},
		{"a\x1b[0mb", "ab"},
		{"a\x1b[9mb", "ab"},
		{"a\x1b[;mb", "ab"},
		{"a\x1b[mb", "ab"},
		{"a\x1b[1;31mb", "ab"},
		{"a\x1b[38;5;196mb", "ab"},
		{"a\x1b[/mb", "a\x1b[/mb"},
		{"a\x1b[:mb", "a\x1b[:mb"},
		{"a\x1b[<mb", "a\x1b[<mb"},
		{"a\x1b[1amb", "a\x1b[1amb"},
		{"a\x1b[1Kb", "a\x1b[1Kb"},
		{"a[0mb", "a[0mb"},
	} {
		if got := Excerpt(tt.in); got != tt.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, blank := range []string{" ", "\t", "\r", " \t\r", "\x1b[0m", "\x1b[31m \x1b[0m"} {
		if got := Excerpt("x\n" + blank + "\ny"); got != "x\ny" {
			t.Errorf("blank line %q kept: %q", blank, got)
		}
	}
}

// TestGoLineKinds: each kind of line the go tool prints that explains a
// failure is kept alone between two noise lines (the noise is then counted
// as left out); with none of them, the last lines are shown.
func TestGoLineKinds(t *testing.T) {
	for _, line := range []string{
		"--- FAIL: TestA (0.00s)",
		"    --- FAIL: TestA/sub (0.00s)",
		"FAIL\texample.com/x\t0.01s",
		"FAIL example.com/x [build failed]",
		"panic: boom",
		"\tpanic: inner",
		"fatal error: all goroutines are asleep - deadlock!",
		"# example.com/x",
		"main.go:3: bad",
		"./main.go:3:8: undefined: x",
		"a/b_test.go:10:2: undefined: y",
		"vet: main.go:1:1: expected 'package'",
		"go: example.com/x@v1.0.0: missing go.sum entry",
		"too many errors",
	} {
		got := Excerpt("noise one\n" + line + "\nnoise two")
		if want := "… 2 more lines above\n" + line; got != want {
			t.Errorf("Excerpt around %q =\n%s\nwant\n%s", line, got, want)
		}
	}
	// Near misses are noise: the whole tail is shown.
	for _, line := range []string{
		"go: downloading example.com/x v1.0.0",
		"FAIL",
		"FAIL:",
		"--- FAIL:TestA",
		"--- PASS: TestA (0.00s)",
		"--- SKIP: TestA (0.00s)",
		"panic:boom",
		"fatal error:x",
		"#pkg",
		"main.go: bad",
		"main.go:x: bad",
		"main.c:3: bad",
		"main.go:3:bad",
		"vet:x",
		"go:x",
		"too many errors here",
		"ok  \texample.com/x\t0.01s",
	} {
		output := "noise one\n" + line + "\nnoise two"
		if got := Excerpt(output); got != output {
			t.Errorf("Excerpt around %q =\n%s\nwant the tail as is", line, got)
		}
	}
}

// TestTestMessages: a test's messages (indented file:line:) are kept with
// its --- FAIL line and dropped with its --- PASS or --- SKIP line; their
// deeper-indented continuations go with them.
func TestTestMessages(t *testing.T) {
	for _, tt := range []struct{ name, output, want string }{
		{"failed", "    a_test.go:3: m\n        more\n--- FAIL: TestA (0.00s)", "    a_test.go:3: m\n        more\n--- FAIL: TestA (0.00s)"},
		{"tab-indented message", "\ta_test.go:3: m\n--- FAIL: TestA (0.00s)", "\ta_test.go:3: m\n--- FAIL: TestA (0.00s)"},
		{"passed", "    a_test.go:3: m\n--- PASS: TestA (0.00s)\n--- FAIL: TestB (0.00s)", "… 2 more lines above\n--- FAIL: TestB (0.00s)"},
		{"skipped", "    a_test.go:3: m\n--- SKIP: TestA (0.00s)\n--- FAIL: TestB (0.00s)", "… 2 more lines above\n--- FAIL: TestB (0.00s)"},
		{"indented pass", "    a_test.go:3: m\n    --- PASS: TestA/x (0.00s)\n--- FAIL: TestB (0.00s)", "… 2 more lines above\n--- FAIL: TestB (0.00s)"},
	} {
		if got := Excerpt(tt.output); got != tt.want {
			t.Errorf("%s: Excerpt =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// TestRegistryCodes: every error code of the distribution spec that
// go-containerregistry prints as "CODE: message; detail" is the reason,
// without its detail, each alone.
func TestRegistryCodes(t *testing.T) {
	const refusedFix = ": check --username and --password"
	for _, tt := range []struct{ code, want string }{
		{"BLOB_UNKNOWN", "read " + ref + ": BLOB_UNKNOWN: the message"},
		{"BLOB_UPLOAD_INVALID", "read " + ref + ": BLOB_UPLOAD_INVALID: the message"},
		{"BLOB_UPLOAD_UNKNOWN", "read " + ref + ": BLOB_UPLOAD_UNKNOWN: the message"},
		{"DIGEST_INVALID", "read " + ref + ": DIGEST_INVALID: the message"},
		{"MANIFEST_BLOB_UNKNOWN", "read " + ref + ": MANIFEST_BLOB_UNKNOWN: the message"},
		{"MANIFEST_INVALID", "read " + ref + ": MANIFEST_INVALID: the message"},
		{"MANIFEST_UNKNOWN", "read " + ref + ": the registry has no such image (MANIFEST_UNKNOWN: the message): check the tag or digest"},
		{"MANIFEST_UNVERIFIED", "read " + ref + ": MANIFEST_UNVERIFIED: the message"},
		{"NAME_INVALID", "read " + ref + ": NAME_INVALID: the message"},
		{"NAME_UNKNOWN", "read " + ref + ": the repository does not exist or is not visible to these credentials (NAME_UNKNOWN: the message): check the repository name, --username and --password"},
		{"SIZE_INVALID", "read " + ref + ": SIZE_INVALID: the message"},
		{"TAG_INVALID", "read " + ref + ": TAG_INVALID: the message"},
		{"UNAUTHORIZED", "read " + ref + ": the registry refused the credentials (UNAUTHORIZED: the message)" + refusedFix},
		{"DENIED", "read " + ref + ": the registry refused the credentials (DENIED: the message)" + refusedFix},
		{"UNSUPPORTED", "read " + ref + ": UNSUPPORTED: the message"},
		{"TOOMANYREQUESTS", "read " + ref + ": the registry is rate-limiting requests (TOOMANYREQUESTS: the message): wait and try again, or log in with --username and --password"},
		{"UNKNOWN", "read " + ref + ": UNKNOWN: the message"},
		{"UNAVAILABLE", "read " + ref + ": the registry failed (UNAVAILABLE: the message): it is down or overloaded; try again later"},
	} {
		output := "Error: GET https://r.example/v2/team/app/manifests/v1: " + tt.code + ": the message; map[detail:x]"
		if got := Registry("read", ref, output).Error(); got != tt.want {
			t.Errorf("Registry(%s) =\n%s\nwant\n%s", tt.code, got, tt.want)
		}
	}
	// Not a code: inside a word, in lower case, without its colon, or a
	// code of another grammar; the line is then the reason as it is.
	for _, output := range []string{
		"XBLOB_UNKNOWN: m; d",
		"blob_unknown: m; d",
		"BLOB_UNKNOWN m; d",
		"BLOB_UNKNOWNS: m; d",
		"INVALID: m; d",
		"TIMEOUT: m; d",
	} {
		if got, want := Registry("read", ref, output).Error(), "read "+ref+": "+output; got != want {
			t.Errorf("Registry(%q) = %s, want %s", output, got, want)
		}
	}
	// The message runs to the first ";" or the end of its line.
	for _, tt := range []struct{ output, want string }{
		{"UNSUPPORTED: a: b, c", "UNSUPPORTED: a: b, c"},
		{"UNSUPPORTED: a; b", "UNSUPPORTED: a"},
		{"UNSUPPORTED: a\nb", "UNSUPPORTED: a"},
		{"UNSUPPORTED: ", "UNSUPPORTED:"},
		{"x UNSUPPORTED: later first", "UNSUPPORTED: later first"},
		{"TAG_INVALID: one\nUNSUPPORTED: two", "TAG_INVALID: one"},
	} {
		if got, want := Registry("read", ref, tt.output).Error(), "read "+ref+": "+tt.want; got != want {
			t.Errorf("Registry(%q) = %s, want %s", tt.output, got, want)
		}
	}
}

// TestRegistryStatuses: README.md, "When a step fails": 401/403 refused
// credentials, 404 a missing repository, 5xx a failed registry, 429 rate
// limiting. Each HTTP status the classifier maps, alone, as
// "unexpected status code N Text"; a failed status is 4xx or 5xx whose
// text is net/http's for the code.
func TestRegistryStatuses(t *testing.T) {
	const (
		refusedFix = ": check --username and --password"
		missing    = ": check the repository name, --username and --password"
		rate       = ": wait and try again, or log in with --username and --password"
		down       = ": it is down or overloaded; try again later"
	)
	for _, tt := range []struct{ status, want string }{
		{"304 Not Modified", "read " + ref + ": unexpected status code 304 Not Modified"},
		{"399 Whatever", "read " + ref + ": unexpected status code 399 Whatever"},
		{"400 Bad Request", "read " + ref + ": 400 Bad Request"},
		{"401 Unauthorized", "read " + ref + ": the registry refused the credentials (401 Unauthorized)" + refusedFix},
		{"403 Forbidden", "read " + ref + ": the registry refused the credentials (403 Forbidden)" + refusedFix},
		{"404 Not Found", "read " + ref + ": the repository does not exist or is not visible to these credentials (404 Not Found)" + missing},
		{"405 Method Not Allowed", "read " + ref + ": 405 Method Not Allowed"},
		{"428 Precondition Required", "read " + ref + ": 428 Precondition Required"},
		{"429 Too Many Requests", "read " + ref + ": the registry is rate-limiting requests (429 Too Many Requests)" + rate},
		{"431 Request Header Fields Too Large", "read " + ref + ": 431 Request Header Fields Too Large"},
		{"451 Unavailable For Legal Reasons", "read " + ref + ": 451 Unavailable For Legal Reasons"},
		{"499 Client Closed Request", "read " + ref + ": unexpected status code 499 Client Closed Request"},
		{"500 Internal Server Error", "read " + ref + ": the registry failed (500 Internal Server Error)" + down},
		{"501 Not Implemented", "read " + ref + ": the registry failed (501 Not Implemented)" + down},
		{"502 Bad Gateway", "read " + ref + ": the registry failed (502 Bad Gateway)" + down},
		{"503 Service Unavailable", "read " + ref + ": the registry failed (503 Service Unavailable)" + down},
		{"504 Gateway Timeout", "read " + ref + ": the registry failed (504 Gateway Timeout)" + down},
		{"510 Not Extended", "read " + ref + ": the registry failed (510 Not Extended)" + down},
		// Its text says "authentication required": the phrase comes first.
		{"511 Network Authentication Required", "read " + ref + ": the registry refused the credentials (511 Network Authentication Required)" + refusedFix},
		{"600 Whatever", "read " + ref + ": unexpected status code 600 Whatever"},
		{"404 not found", "read " + ref + ": unexpected status code 404 not found"},
		{"404Not Found", "read " + ref + ": unexpected status code 404Not Found"},
		{"x404 Not Found", "read " + ref + ": unexpected status code x404 Not Found"},
		{"4040 Not Found", "read " + ref + ": unexpected status code 4040 Not Found"},
	} {
		if got := Registry("read", ref, "unexpected status code "+tt.status).Error(); got != tt.want {
			t.Errorf("Registry(%s) =\n%s\nwant\n%s", tt.status, got, tt.want)
		}
	}
}

// TestRegistryPhrases: README.md, "When a step fails": refused credentials,
// plain HTTP, an untrusted certificate, a registry that cannot be reached.
// Each phrase of each class, alone on a line (and in
// upper case: the match ignores case), says its explanation; the line's
// error after Go's `"url": ` is the reason.
func TestRegistryPhrases(t *testing.T) {
	const (
		refusedMsg = ": the registry refused the credentials (%s): check --username and --password"
		plainMsg   = ": the registry answers plain HTTP, not HTTPS (%s): serve it over HTTPS, or reach it as localhost"
		tlsMsg     = ": the registry's TLS certificate is not trusted (%s): give it a certificate from a trusted authority"
		netMsg     = ": cannot reach the registry (%s): check its host and port, and that it is up"
	)
	for _, tt := range []struct{ line, reason, msg string }{
		{"unauthorized", "unauthorized", refusedMsg},
		{"access denied", "access denied", refusedMsg},
		{"forbidden", "forbidden", refusedMsg},
		{"authentication required", "authentication required", refusedMsg},
		{"Error: UNAUTHORIZED", "UNAUTHORIZED", refusedMsg},
		{"Error: Access DENIED", "Access DENIED", refusedMsg},
		{"Forbidden", "Forbidden", refusedMsg},
		{"Authentication Required", "Authentication Required", refusedMsg},
		{`Get "https://r/v2/": http: server gave HTTP response to HTTPS client`, "http: server gave HTTP response to HTTPS client", plainMsg},
		{"Server Gave HTTP Response To HTTPS Client", "Server Gave HTTP Response To HTTPS Client", plainMsg},
		{`Get "https://r/v2/": tls: first record does not look like a TLS handshake`, "tls: first record does not look like a TLS handshake", plainMsg},
		{"first record does not look like a tls handshake", "first record does not look like a tls handshake", plainMsg},
		{`Get "https://r/v2/": x509: certificate has expired`, "x509: certificate has expired", tlsMsg},
		{"Error: X509: unknown authority", "X509: unknown authority", tlsMsg},
		{`Get "https://r/v2/": remote error: tls: bad certificate`, "remote error: tls: bad certificate", tlsMsg},
		{"TLS: handshake failure", "TLS: handshake failure", tlsMsg},
		{"dial tcp 127.0.0.1:5000: connect: connection refused", "dial tcp 127.0.0.1:5000: connect: connection refused", netMsg},
		{"dial tcp: lookup r on 127.0.0.53:53: no such host", "dial tcp: lookup r on 127.0.0.53:53: no such host", netMsg},
		{"dial tcp 192.0.2.1:443: i/o timeout", "dial tcp 192.0.2.1:443: i/o timeout", netMsg},
		{"connect: no route to host", "connect: no route to host", netMsg},
		{"read: connection reset by peer", "read: connection reset by peer", netMsg},
		{"connect: network is unreachable", "connect: network is unreachable", netMsg},
		{"Connection Refused", "Connection Refused", netMsg},
		{"NO SUCH HOST", "NO SUCH HOST", netMsg},
		{"I/O Timeout", "I/O Timeout", netMsg},
		{"No Route To Host", "No Route To Host", netMsg},
		{"Connection Reset", "Connection Reset", netMsg},
		{"Network Is Unreachable", "Network Is Unreachable", netMsg},
	} {
		// A refusal's reason is the last line (cobra's last "Error: "
		// line without its prefix); the others' is the phrase's line.
		output := "progress\n" + tt.line + "\ntrailer"
		if tt.msg == refusedMsg {
			output = "progress\n" + tt.line
		}
		want := "push " + ref + strings.Replace(tt.msg, "%s", tt.reason, 1)
		if got := Registry("push", ref, output).Error(); got != want {
			t.Errorf("Registry(%q) =\n%s\nwant\n%s", tt.line, got, want)
		}
	}
	// Near misses of each phrase are no explanation: the last line is.
	for _, line := range []string{
		"authorized", "deny", "forbid", "authentication", "required",
		"open /release/index.json: permission denied", "PERMISSION DENIED",
		"server gave http response", "does not look like a tls handshake",
		"x509 certificate", "tls handshake", "mtls:x", "connection", "no such file", "timeout", "route to host", "reset", "unreachable",
	} {
		if got, want := Registry("push", ref, line).Error(), "push "+ref+": "+line; got != want {
			t.Errorf("Registry(%q) = %s, want %s", line, got, want)
		}
	}
}

// TestRegistryPrecedence: refused credentials before plain HTTP, before an
// untrusted certificate, before an unreachable host, before the codes and
// statuses.
func TestRegistryPrecedence(t *testing.T) {
	for _, tt := range []struct{ output, want string }{
		{"denied\nserver gave HTTP response to HTTPS client", "the registry refused the credentials (server gave HTTP response to HTTPS client)"},
		{"server gave HTTP response to HTTPS client\nx509: bad", "the registry answers plain HTTP, not HTTPS"},
		{"x509: bad\nconnection refused", "the registry's TLS certificate is not trusted"},
		{"connection refused\nMANIFEST_UNKNOWN: m", "cannot reach the registry"},
		{"MANIFEST_UNKNOWN: m\n404 Not Found", "the registry has no such image"},
		{"NAME_UNKNOWN: m\n429 Too Many Requests", "the repository does not exist"},
		{"TOOMANYREQUESTS: m\n503 Service Unavailable", "the registry is rate-limiting requests"},
		{"404 Not Found\n500 Internal Server Error", "the repository does not exist"},
		{"400 Bad Request\n500 Internal Server Error", "read " + ref + ": 400 Bad Request"},
	} {
		if got := Registry("read", ref, tt.output).Error(); !strings.Contains(got, tt.want) {
			t.Errorf("Registry(%q) = %s, want it to say %q", tt.output, got, tt.want)
		}
	}
	// Without code, status or phrase, the reason is cobra's last "Error: "
	// line without its prefix, else the last line.
	for _, tt := range []struct{ output, want string }{
		{"Error: first\nError: second\ntrailer", "second"},
		{"a\nb", "b"},
		{"Error:no space\nlast", "last"},
		{"error: lower\nlast", "last"},
	} {
		if got, want := Registry("read", ref, tt.output).Error(), "read "+ref+": "+tt.want; got != want {
			t.Errorf("Registry(%q) = %s, want %s", tt.output, got, want)
		}
	}
}

// TestToolTellingLines: cobra's "Error: " lines (prefix removed) first;
// else every line that says error, fail or fatal, in any case; else the
// last lines.
func TestToolTellingLines(t *testing.T) {
	for _, tt := range []struct{ output, want string }{
		{"a\nerror here\nb", "error here"},
		{"a\nERROR here\nb", "ERROR here"},
		{"a\nit failed\nb", "it failed"},
		{"a\nFAILURE\nb", "FAILURE"},
		{"a\nfatal\nb", "fatal"},
		{"a\nFATAL\nb", "FATAL"},
		{"a\nError: cobra\nerror too", "cobra"},
		{"a\nError:tight\nb", "Error:tight"},
		{"a\nerror: lower\nb", "error: lower"},
		{"a\n  Error: indented\nb", "  Error: indented"},
		{"a\nerr\nfai\nfata\nb", "a\nerr\nfai\nfata\nb"},
	} {
		want := "t x failed: " + tt.want
		if strings.Contains(tt.want, "\n") {
			want = "t x failed:\n" + tt.want
		}
		if got := Tool("t", "x", tt.output).Error(); got != want {
			t.Errorf("Tool(%q) =\n%s\nwant\n%s", tt.output, got, want)
		}
	}
}
