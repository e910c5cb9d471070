package labels

import "testing"

func TestOriginURL(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   string
	}{
		{
			name: "as git clone writes it",
			config: `[core]
	repositoryformatversion = 0
	filemode = true
	bare = false
	logallrefupdates = true
[remote "origin"]
	url = git@github.com:acme/echo-server.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
	remote = origin
	merge = refs/heads/main
`,
			want: "git@github.com:acme/echo-server.git",
		},
		{
			name: "several remotes, origin not first",
			config: `[remote "upstream"]
	url = https://github.com/upstream/echo-server.git
	fetch = +refs/heads/*:refs/remotes/upstream/*
[remote "origin-mirror"]
	url = https://mirror.example.com/echo-server.git
[remote "origin"]
	url = https://github.com/acme/echo-server.git
	pushurl = git@github.com:acme/echo-server.git
`,
			want: "https://github.com/acme/echo-server.git",
		},
		{
			name: "origin absent",
			config: `[core]
	bare = false
[remote "upstream"]
	url = https://github.com/upstream/echo-server.git
[url "https://github.com/"]
	insteadOf = origin
`,
			want: "",
		},
		{
			name:   "empty file",
			config: "",
			want:   "",
		},
		{
			name:   "odd spacing and case",
			config: "[REMOTE   \"origin\"]\n\n   URL=https://github.com/acme/echo-server.git   \n",
			want:   "https://github.com/acme/echo-server.git",
		},
		{
			name:   "subsection is case-sensitive",
			config: "[remote \"Origin\"]\n\turl = https://github.com/acme/echo-server.git\n",
			want:   "",
		},
		{
			name:   "deprecated dotted section",
			config: "[remote.Origin]\n\turl = https://github.com/acme/echo-server.git\n",
			want:   "https://github.com/acme/echo-server.git",
		},
		{
			name: "comments",
			config: `# url = https://wrong.example.com/commented.git
[remote "origin"] ; the main remote
	; url = https://wrong.example.com/commented.git
	url = https://github.com/acme/echo-server.git # trailing comment
`,
			want: "https://github.com/acme/echo-server.git",
		},
		{
			name:   "quoted value with escapes and comment characters",
			config: "[remote \"origin\"]\n\turl = \"https://git.example.com/a b/x.git#y;z\" ; comment\n",
			want:   "https://git.example.com/a b/x.git#y;z",
		},
		{
			name:   "escaped quote in value",
			config: "[remote \"origin\"]\n\turl = \"https://git.example.com/\\\"x\\\\.git\"\n",
			want:   `https://git.example.com/"x\.git`,
		},
		{
			name:   "escaped quote in subsection",
			config: "[remote \"or\\\"igin\"]\n\turl = https://wrong.example.com/x.git\n[remote \"origin\"]\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "continuation line",
			config: "[remote \"origin\"]\n\turl = https://github.com/\\\nacme/echo-server.git\n",
			want:   "https://github.com/acme/echo-server.git",
		},
		{
			name:   "several urls: the first",
			config: "[remote \"origin\"]\n\turl = https://github.com/acme/a.git\n\turl = https://github.com/acme/b.git\n",
			want:   "https://github.com/acme/a.git",
		},
		{
			name:   "section split in two",
			config: "[remote \"origin\"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "empty url skipped",
			config: "[remote \"origin\"]\n\turl =\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "CRLF line endings",
			config: "[core]\r\n\tbare = false\r\n[remote \"origin\"]\r\n\turl = https://github.com/acme/x.git\r\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "variable on the header line",
			config: "[remote \"origin\"] url = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "no trailing newline",
			config: "[remote \"origin\"]\n\turl = https://github.com/acme/x.git",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "keys under a broken header are not origin's",
			config: "[remote \"origin\"\n\turl = https://wrong.example.com/x.git\n",
			want:   "",
		},
		{
			name:   "unterminated quote skipped",
			config: "[remote \"origin\"]\n\turl = \"https://wrong.example.com/x.git\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "boolean key and garbage lines",
			config: "[remote \"origin\"]\n\tprune\n\t= nothing\n\t!bang\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "unknown escape skipped",
			config: "[remote \"origin\"]\n\turl = https://wrong.example.com/\\q.git\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "tab and newline escapes",
			config: "[remote \"origin\"]\n\turl = a\\tb\\nc\n",
			want:   "a\tb\nc",
		},
		{
			name:   "malformed headers reset the section",
			config: "[remote \"origin\"]\n[]\n\turl = https://wrong.example.com/1.git\n[remote.origin \"x\"]\n\turl = https://wrong.example.com/2.git\n[remote origin]\n\turl = https://wrong.example.com/3.git\n",
			want:   "",
		},
		{
			name:   "variable on the line of a dotted header",
			config: "[remote.origin] url = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "file ends in a header name",
			config: "[core]\n\tbare = false\n[remote",
			want:   "",
		},
		{
			name:   "file ends after a header name and blanks",
			config: "[core]\n\tbare = false\n[remote  \t",
			want:   "",
		},
		{
			name:   "file ends in a subsection",
			config: "[core]\n\tbare = false\n[remote \"orig",
			want:   "",
		},
		{
			name:   "file ends after a subsection's closing quote",
			config: "[core]\n\tbare = false\n[remote \"origin\"",
			want:   "",
		},
		{
			name:   "file ends after a backslash in a subsection",
			config: "[core]\n\tbare = false\n[remote \"origin\\",
			want:   "",
		},
		{
			name:   "newline in a subsection: the next line is read on its own",
			config: "[remote \"origin\n[remote \"origin\"]\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "escaped newline in a subsection breaks the header",
			config: "[remote \"ori\\\ngin\"]\n\turl = https://wrong.example.com/x.git\n",
			want:   "",
		},
		{
			name:   "any escaped character in a subsection is itself",
			config: "[remote \"ori\\gin\"]\n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "file ends in a key",
			config: "[remote \"origin\"]\n\tprune",
			want:   "",
		},
		{
			name:   "file ends in blanks after a key",
			config: "[remote \"origin\"]\n\tprune  ",
			want:   "",
		},
		{
			name:   "file ends in a backslash in a value",
			config: "[remote \"origin\"]\n\turl = https://wrong.example.com/x.git\\",
			want:   "",
		},
		{
			name:   "inner whitespace kept, trailing whitespace and comment dropped",
			config: "[remote \"origin\"]\n\turl =  \t a \t b \"c \" \t\v\f# d\n",
			want:   "a \t b c ",
		},
		{
			name:   "whitespace-only value is empty",
			config: "[remote \"origin\"]\n\turl =  \t \n\turl = https://github.com/acme/x.git\n",
			want:   "https://github.com/acme/x.git",
		},
		{
			name:   "escaped characters end a run of whitespace",
			config: "[remote \"origin\"]\n\turl = a \\\\ \\b\n",
			want:   "a \\ \b",
		},
		{
			name:   "credential in the url is returned as written",
			config: "[remote \"origin\"]\n\turl = https://x-access-token:" + testToken + "@github.com/acme/x.git\n",
			want:   "https://x-access-token:" + testToken + "@github.com/acme/x.git",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OriginURL(tt.config); got != tt.want {
				t.Errorf("OriginURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzOriginURL(f *testing.F) {
	f.Add("[remote \"origin\"]\n\turl = git@github.com:acme/echo-server.git\n")
	f.Add("[remote.origin]\nurl=\"a\\\"b\" ; c\\\n")
	f.Add("[remote \"or\\\"igin\"] url = x\r\n[")
	f.Fuzz(func(t *testing.T, config string) {
		got := OriginURL(config)
		if got != "" && OriginURL(config+"\n[remote \"origin\"]\n\turl = https://later.example.com/x.git\n") != got {
			t.Fatalf("OriginURL(%q) = %q, but a later url changes it", config, got)
		}
	})
}
