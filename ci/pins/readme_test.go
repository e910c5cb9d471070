package pins

import (
	"reflect"
	"testing"
)

const testReadme = "# Title\n" +
	"intro\n" +
	"## Quick start\n" +
	"start\n" +
	"### Mirrors\n" +
	"mirror text\n" +
	"```sh\n" +
	"# a comment, not a heading\n" +
	"dagger check\n" +
	"```\n" +
	" # indented, not a heading\n" +
	"#hashtag, not a heading\n" +
	"#### Deeper\n" +
	"deeper text\n" +
	"### Next\n" +
	"next text\n" +
	"## Publishing\n"

func TestSection(t *testing.T) {
	for _, tt := range []struct{ title, want string }{
		{"Mirrors", "mirror text\n```sh\n# a comment, not a heading\ndagger check\n```\n # indented, not a heading\n#hashtag, not a heading\n#### Deeper\ndeeper text\n"},
		{"Quick start", "start\n### Mirrors\nmirror text\n```sh\n# a comment, not a heading\ndagger check\n```\n # indented, not a heading\n#hashtag, not a heading\n#### Deeper\ndeeper text\n### Next\nnext text\n"},
		{"Next", "next text\n"},
		{"Publishing", ""},
		{"Title", "intro\n## Quick start\nstart\n### Mirrors\nmirror text\n```sh\n# a comment, not a heading\ndagger check\n```\n # indented, not a heading\n#hashtag, not a heading\n#### Deeper\ndeeper text\n### Next\nnext text\n## Publishing\n"},
	} {
		got, err := Section(testReadme, tt.title)
		if err != nil || got != tt.want {
			t.Errorf("Section(%q) = %q, %v\nwant %q", tt.title, got, err, tt.want)
		}
	}
	for _, title := range []string{"a comment, not a heading", "indented, not a heading", "Mirror", "hashtag, not a heading"} {
		if _, err := Section(testReadme, title); err == nil || err.Error() != `no section "`+title+`"` {
			t.Errorf("Section(%q) error = %v", title, err)
		}
	}
}

func TestFencedBlocks(t *testing.T) {
	md := "text\n```dotenv\nA=1\n\nB=2\n```\n```sh\nls\n```\n```\nplain\n```\n``` dotenv \nC=3\n```\n```dotenv\nunclosed\n"
	got := FencedBlocks(md, "dotenv")
	want := []string{"A=1\n\nB=2\n", "C=3\n"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FencedBlocks(dotenv) = %q, want %q", got, want)
	}
	if got, want := FencedBlocks(md, ""), []string{"plain\n"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FencedBlocks(\"\") = %q, want %q", got, want)
	}
	if got := FencedBlocks(md, "go"); got != nil {
		t.Errorf("FencedBlocks(go) = %q, want none", got)
	}
}

func TestParseDotenv(t *testing.T) {
	got, err := ParseDotenv("# comment\n\nA=1\n  B = two words \nC=\nD=x=y\n   # indented comment\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{3, "A", "1"}, {4, "B", "two words"}, {5, "C", ""}, {6, "D", "x=y"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDotenv = %+v, want %+v", got, want)
	}
	for _, tt := range []struct{ in, want string }{
		{"A=1\nNOVALUE\n", `dotenv line 2: "NOVALUE": want KEY=VALUE`},
		{"=1\n", `dotenv line 1: "=1": want KEY=VALUE`},
		{"\n\n  =1\n", `dotenv line 3: "=1": want KEY=VALUE`},
	} {
		if _, err := ParseDotenv(tt.in); err == nil || err.Error() != tt.want {
			t.Errorf("ParseDotenv(%q) error = %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func FuzzParseDotenv(f *testing.F) {
	for _, seed := range []string{"A=1\n", "# c\n\nB = 2", "=", "x", "A=b=c\r\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		entries, err := ParseDotenv(s)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Key == "" || e.Line < 1 {
				t.Errorf("ParseDotenv(%q): entry %+v", s, e)
			}
		}
	})
}

func FuzzSection(f *testing.F) {
	f.Add(testReadme, "Mirrors")
	f.Add("## a\n```\n## b\n", "a")
	f.Fuzz(func(t *testing.T, md, title string) {
		body, err := Section(md, title)
		if err == nil && len(body) >= len(md) {
			t.Errorf("Section(%q, %q) = %q: the body holds the heading", md, title, body)
		}
	})
}
