package labels

import (
	"net/url"
	"strings"
	"testing"
)

// testToken stands for a credential embedded in a remote URL.
const testToken = "ghp_s3cr3tT0k3nV4lu3"

// host253 is a hostname of 253 characters, the longest DNS name.
var host253 = strings.Repeat(strings.Repeat("a", 62)+".", 4) + "b"

func TestNormaliseRemote(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"git@github.com:acme/echo-server.git", "https://github.com/acme/echo-server"},
		{"github.com:acme/echo-server", "https://github.com/acme/echo-server"},
		{"git@github.com:/acme/echo-server.git/", "https://github.com/acme/echo-server"},
		{"  git@github.com:acme/echo-server.git\n", "https://github.com/acme/echo-server"},
		{"git@[2001:db8::1]:acme/x.git", "https://[2001:db8::1]/acme/x"},
		{"[git@git.example.com:2222]:acme/x.git", "https://git.example.com/acme/x"},
		{"ssh://git@git.example.com:22/acme/x.git", "https://git.example.com/acme/x"},
		{"ssh://git@[2001:db8::1]:2222/acme/x.git", "https://[2001:db8::1]/acme/x"},
		{"ssh://git.example.com/~alice/x.git", "https://git.example.com/~alice/x"},
		{"git+ssh://git@git.example.com/acme/x", "https://git.example.com/acme/x"},
		{"git://git.example.com/x", "https://git.example.com/x"},
		{"http://git.example.com/acme/x", "https://git.example.com/acme/x"},
		{"http://git.example.com:80/acme/x", "https://git.example.com/acme/x"},
		{"http://git.example.com:8080/acme/x", "https://git.example.com:8080/acme/x"},
		{"https://git.example.com:443/acme/x", "https://git.example.com/acme/x"},
		{"HTTPS://GitHub.COM/Acme/Echo-Server.git", "https://github.com/Acme/Echo-Server"},
		{"https://github.com/acme/echo-server.git/", "https://github.com/acme/echo-server"},
		{"https://github.com/acme/echo-server//", "https://github.com/acme/echo-server"},
		{"https://github.com/acme/echo-server.git?ref=main#readme", "https://github.com/acme/echo-server"},
		{"https://github.com/acme/x/../echo-server", "https://github.com/acme/echo-server"},
		{"https://git.example.com/a%20b/x.git", "https://git.example.com/a%20b/x"},
		{"https://alice:" + testToken + "@github.com/acme/echo-server.git", "https://github.com/acme/echo-server"},
		{"https://x-access-token:" + testToken + "@github.com/acme/echo-server.git/", "https://github.com/acme/echo-server"},
		{"https://" + testToken + "@github.com/acme/echo-server", "https://github.com/acme/echo-server"},
		{"https://oauth2:" + testToken + "@gitlab.example.com:8443/group/sub/x.git", "https://gitlab.example.com:8443/group/sub/x"},
		{"https://github.com/acme/echo-server.git?access_token=" + testToken, "https://github.com/acme/echo-server"},
		{"ssh://deploy:" + testToken + "@git.example.com:2222/acme/x.git", "https://git.example.com/acme/x"},
		{testToken + "@git.example.com:acme/x.git", "https://git.example.com/acme/x"},
		{"@github.com:acme/x", "https://github.com/acme/x"},
		{"c:acme/x", "https://c/acme/x"}, // a one-letter host before a relative path is a host, as git reads it
		{"h_t://x", "https://h_t/x"},     // "h_t" is no scheme: a scp-like host h_t, path //x
		{"git@my-host_1.example.com:acme/x", "https://my-host_1.example.com/acme/x"},
		{"https://git.example.com:1/acme/x", "https://git.example.com:1/acme/x"},
		{"https://git.example.com:65535/acme/x", "https://git.example.com:65535/acme/x"},
		{"git@" + host253 + ":acme/x", "https://" + host253 + "/acme/x"},
		{"GIT+SSH://git@Git.Example.com/acme/x", "https://git.example.com/acme/x"},
		{"1git://git.example.com/x", "https://1git/git.example.com/x"}, // a scheme starts with a letter: a scp-like host 1git
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := NormaliseRemote(tt.raw)
			if err != nil {
				t.Fatalf("NormaliseRemote(%q) error: %v", tt.raw, err)
			}
			if got != tt.want {
				t.Errorf("NormaliseRemote(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestNormaliseRemoteErrors(t *testing.T) {
	const accepted = "want an https, http, ssh or git URL, or a scp-like host:owner/repo address"
	tests := []struct {
		raw     string
		wantErr string
	}{
		{"", "remote URL is empty: " + accepted},
		{"   ", "remote URL is empty: " + accepted},
		{"/srv/git/echo-server.git", `remote URL "/srv/git/echo-server.git" is a local path: ` + accepted},
		{"../echo-server", `remote URL "../echo-server" is a local path: ` + accepted},
		{"echo-server", `remote URL "echo-server" is a local path: ` + accepted},
		{"./dir:with/colon", `remote URL "./dir:with/colon" is a local path: ` + accepted},
		{"file:///srv/git/echo-server.git", `remote URL "file:///srv/git/echo-server.git" is a local path: ` + accepted},
		{`C:\repos\echo-server`, `remote URL "C:\\repos\\echo-server" is a local Windows path: ` + accepted},
		{"C:/repos/echo-server", `remote URL "C:/repos/echo-server" is a local Windows path: ` + accepted},
		{"ftp://git.example.com/x.git", `remote URL "ftp://git.example.com/x.git" has unsupported scheme "ftp": ` + accepted},
		{"https://github.com", `remote URL "https://github.com" names no repository: ` + accepted},
		{"https://github.com/.git", `remote URL "https://github.com/.git" names no repository: ` + accepted},
		{"git@github.com:", `remote URL "***@github.com:" names no repository: ` + accepted},
		{"https:///acme/x", `remote URL "https:///acme/x": host "" is not a hostname or IP address`},
		{"git@-oProxyCommand=x:acme/x", `remote URL "***@-oProxyCommand=x:acme/x": host "-oproxycommand=x" is not a hostname or IP address`},
		{"https://alice:" + testToken + "@git.example.com:99999/x", `remote URL "https://***@git.example.com:99999/x": port "99999" is not a port number: want 1 to 65535`},
		{"https://alice:" + testToken + "@git.example.com:port/x", `remote URL "https://***@git.example.com:port/x" is not a valid URL: ` + accepted},
		{"https://alice:" + testToken + "@bad_host name/x?token=" + testToken, `remote URL "https://***@bad_host name/x?***" is not a valid URL: ` + accepted},
		{"https://alice:" + testToken + "/x@git.example.com/x", `remote URL "https://***@git.example.com/x" is not a valid URL: ` + accepted},
		{"file://alice:" + testToken + "@localhost/x", `remote URL "file://***@localhost/x" is a local path: ` + accepted},
		{"://github.com/acme/x", `remote URL "://github.com/acme/x" is a local path: ` + accepted},
		{":acme/x", `remote URL ":acme/x" is a local path: ` + accepted},
		{"my host://x/y", `remote URL "my host://x/y": host "my host" is not a hostname or IP address`},
		{"svn.x-y://git.example.com/x", `remote URL "svn.x-y://git.example.com/x" has unsupported scheme "svn.x-y": ` + accepted},
		{"git@exa!mple.com:acme/x", `remote URL "***@exa!mple.com:acme/x": host "exa!mple.com" is not a hostname or IP address`},
		{"git@exa.-mple.com:acme/x", `remote URL "***@exa.-mple.com:acme/x": host "exa.-mple.com" is not a hostname or IP address`},
		{"git@a..b:acme/x", `remote URL "***@a..b:acme/x": host "a..b" is not a hostname or IP address`},
		{"git@" + host253 + "x:acme/x", `remote URL "***@` + host253 + `x:acme/x": host "` + host253 + `x" is not a hostname or IP address`},
		{"https://git.example.com:0/x", `remote URL "https://git.example.com:0/x": port "0" is not a port number: want 1 to 65535`},
		{"https://git.example.com:65536/x", `remote URL "https://git.example.com:65536/x": port "65536" is not a port number: want 1 to 65535`},
		{"?private_token=" + testToken, `remote URL "?***" is a local path: ` + accepted},
		{"#" + testToken, `remote URL "#***" is a local path: ` + accepted},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := NormaliseRemote(tt.raw)
			if err == nil {
				t.Fatalf("NormaliseRemote(%q) = %q, want error %q", tt.raw, got, tt.wantErr)
			}
			if err.Error() != tt.wantErr {
				t.Errorf("NormaliseRemote(%q) error:\n got %s\nwant %s", tt.raw, err, tt.wantErr)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("NormaliseRemote(%q) error leaks the token: %s", tt.raw, err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://github.com/acme/x", "https://github.com/acme/x"},
		{"https://alice:secret@github.com/acme/x", "https://***@github.com/acme/x"},
		{"https://a@b:c@github.com/acme/x", "https://***@github.com/acme/x"},
		{"https://alice:se/cret@github.com/acme/x", "https://***@github.com/acme/x"},
		{"git@github.com:acme/x", "***@github.com:acme/x"},
		{"secret@host://x", "***@host://x"},
		{"@host:x", "***@host:x"},
		{"://alice:secret@host/x", "://***@host/x"},
		{"https://github.com/acme/x?token=secret#frag", "https://github.com/acme/x?***"},
		{"https://github.com/acme/x#token=secret", "https://github.com/acme/x#***"},
	}
	for _, tt := range tests {
		if got := redact(tt.raw); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func FuzzNormaliseRemote(f *testing.F) {
	for _, seed := range []string{
		"git@github.com:acme/echo-server.git",
		"ssh://git@git.example.com:22/acme/x.git",
		"git://git.example.com/x",
		"http://git.example.com:8080/acme/x",
		"https://alice:" + testToken + "@github.com/acme/echo-server.git",
		"https://" + testToken + "@github.com/acme/echo-server/",
		"https://oauth2:p%40ss@gitlab.example.com:8443/group/x.git?x=1#y",
		"https://alice:se/cret@github.com/acme/x",
		"ssh://git@[2001:db8::1]:2222/acme/x.git",
		"[git@git.example.com:2222]:acme/x.git",
		"file:///srv/git/x.git",
		"/srv/git/x.git",
		`C:\repos\x`,
		"",
		"https://",
		"https:///x",
		"git@:x",
		"@:",
		"[:]:x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := NormaliseRemote(raw)
		start, userinfo := userinfoOf(raw)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Fatalf("NormaliseRemote(%q) error is not one line: %q", raw, msg)
			}
			// The redaction marker "***@" could match a userinfo ending in '*' by chance.
			if len(userinfo) >= 4 && !strings.HasSuffix(userinfo, "*") && strings.Contains(msg, userinfo+"@") {
				t.Fatalf("NormaliseRemote(%q) error leaks the userinfo: %q", raw, msg)
			}
			return
		}
		if !strings.HasPrefix(got, "https://") {
			t.Fatalf("NormaliseRemote(%q) = %q: not https", raw, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("NormaliseRemote(%q) = %q: does not parse: %v", raw, got, err)
		}
		if u.User != nil || strings.Contains(u.Host, "@") {
			t.Fatalf("NormaliseRemote(%q) = %q: has userinfo", raw, got)
		}
		if userinfo == "" {
			return
		}
		// The result must be that of the remote without its userinfo: then the
		// password cannot reach it, except where host or path contain the
		// same text anyway (a password "github" and the host github.com).
		bare, err := NormaliseRemote(raw[:start] + raw[start+len(userinfo)+len("@"):])
		if err != nil || bare != got {
			t.Fatalf("NormaliseRemote(%q) = %q, but without userinfo: %q, %v", raw, got, bare, err)
		}
	})
}

// userinfoOf returns the userinfo of raw as written and the offset where it
// starts, when raw parses as a URL with userinfo; "" otherwise.
func userinfoOf(raw string) (start int, userinfo string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		return 0, ""
	}
	start = strings.Index(raw, "//") + len("//")
	authority := raw[start:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return 0, ""
	}
	return start, authority[:at]
}

func TestASCIIClasses(t *testing.T) {
	for _, tt := range []struct {
		c             byte
		letter, digit bool
	}{{'a', true, false}, {'z', true, false}, {'A', true, false}, {'Z', true, false}, {'0', false, true}, {'9', false, true},
		{'`', false, false}, {'{', false, false}, {'@', false, false}, {'[', false, false}, {'/', false, false}, {':', false, false}} {
		if isLetter(tt.c) != tt.letter || isDigit(tt.c) != tt.digit {
			t.Errorf("byte %q: isLetter %v, isDigit %v; want %v, %v", tt.c, isLetter(tt.c), isDigit(tt.c), tt.letter, tt.digit)
		}
	}
}
