package mutation

import (
	"reflect"
	"strings"
	"testing"
)

func TestSummarise(t *testing.T) {
	data := []byte(`{"go_module":"dagger/echo-server","files":[
	  {"file_name":"b.go","mutations":[
	    {"type":"ARITHMETIC_BASE","status":"KILLED","line":3,"column":1},
	    {"type":"CONDITIONALS_NEGATION","status":"LIVED","line":9,"column":4},
	    {"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":2,"column":8},
	    {"type":"INCREMENT_DECREMENT","status":"TIMED OUT","line":5,"column":2}]},
	  {"file_name":"a.go","mutations":[
	    {"type":"INVERT_NEGATIVES","status":"NOT COVERED","line":7,"column":1},
	    {"type":"ARITHMETIC_BASE","status":"KILLED","line":1,"column":1},
	    {"type":"ARITHMETIC_BASE","status":"NOT VIABLE","line":1,"column":9},
	    {"type":"ARITHMETIC_BASE","status":"LIVED","line":7,"column":3}]},
	  {"file_name":"sub/c.go","mutations":[
	    {"type":"ARITHMETIC_BASE","status":"LIVED","line":1,"column":1}]}],
	 "test_efficacy":50}`)
	got, err := Summarise(data)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{
		Killed: 2, Lived: 3, NotCovered: 1, TimedOut: 1, NotViable: 1,
		Survivors: []Mutant{
			{File: "a.go", Type: "INVERT_NEGATIVES", Status: "NOT COVERED", Line: 7, Column: 1},
			{File: "a.go", Type: "ARITHMETIC_BASE", Status: "LIVED", Line: 7, Column: 3},
			{File: "b.go", Type: "CONDITIONALS_BOUNDARY", Status: "LIVED", Line: 2, Column: 8},
			{File: "b.go", Type: "CONDITIONALS_NEGATION", Status: "LIVED", Line: 9, Column: 4},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summarise =\n%+v\nwant\n%+v", got, want)
	}
}

func TestSummariseErrors(t *testing.T) {
	tests := []struct{ data, want string }{
		{`{"files":[`, "read the gremlins report: unexpected end of JSON input"},
		{`{"files":[{"file_name":"a.go","mutations":[{"status":"RUNNABLE","line":4,"column":2}]}]}`,
			`read the gremlins report: unknown status "RUNNABLE" at a.go:4:2`},
	}
	for _, tt := range tests {
		_, err := Summarise([]byte(tt.data))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Summarise(%s) error = %v, want %q", tt.data, err, tt.want)
		}
	}
}

func TestFigures(t *testing.T) {
	tests := []struct {
		s                  Summary
		efficacy, coverage float64
		meets              bool
		line               string
	}{
		{Summary{Killed: 19, Lived: 1}, 95, 100, true,
			"ci/x                                         19      1            0          0    95.00%   100.00%"},
		{Summary{Killed: 18, Lived: 2, NotCovered: 2}, 90, 20.0 / 22 * 100, false,
			"ci/x                                         18      2            2          0    90.00%    90.91%  below"},
		{Summary{Killed: 9, NotCovered: 1, TimedOut: 3}, 100, 90, true,
			"ci/x                                          9      0            1          3   100.00%    90.00%"},
		{Summary{Killed: 8, NotCovered: 2}, 100, 80, false,
			"ci/x                                          8      0            2          0   100.00%    80.00%  below"},
		{Summary{}, 100, 100, true,
			"ci/x                                          0      0            0          0   100.00%   100.00%"},
		{Summary{NotCovered: 3}, 100, 0, false,
			"ci/x                                          0      0            3          0   100.00%     0.00%  below"},
		{Summary{Lived: 1}, 0, 100, false,
			"ci/x                                          0      1            0          0     0.00%   100.00%  below"},
	}
	for _, tt := range tests {
		if got := tt.s.Efficacy(); got != tt.efficacy {
			t.Errorf("%+v efficacy = %v, want %v", tt.s, got, tt.efficacy)
		}
		if got := tt.s.Coverage(); got != tt.coverage {
			t.Errorf("%+v coverage = %v, want %v", tt.s, got, tt.coverage)
		}
		if got := tt.s.Meets(MinEfficacy, MinCoverage); got != tt.meets {
			t.Errorf("%+v meets = %v, want %v", tt.s, got, tt.meets)
		}
		if got := tt.s.Line("ci/x"); got != tt.line {
			t.Errorf("%+v line =\n%q\nwant\n%q", tt.s, got, tt.line)
		}
	}
	if got, want := Header(), "package                                  killed  lived  not covered  timed out  efficacy  coverage"; got != want {
		t.Errorf("header =\n%q\nwant\n%q", got, want)
	}
}

// TestGates: README.md, "Development": make mutate fails when a package is
// below 95% efficacy or 90% mutator coverage; exactly at either passes.
func TestGates(t *testing.T) {
	if MinEfficacy != 95 || MinCoverage != 90 {
		t.Errorf("gates = %v%% efficacy, %v%% coverage; want 95, 90", MinEfficacy, MinCoverage)
	}
	for _, tt := range []struct {
		name string
		s    Summary
		want bool
	}{
		{"95% efficacy", Summary{Killed: 19, Lived: 1}, true},
		{"just under 95% efficacy", Summary{Killed: 18, Lived: 1}, false},
		{"90% coverage", Summary{Killed: 9, NotCovered: 1}, true},
		{"just under 90% coverage", Summary{Killed: 89, NotCovered: 11}, false},
		{"timed out and not viable count for neither", Summary{Killed: 1, TimedOut: 50, NotViable: 50}, true},
	} {
		if got := tt.s.Meets(MinEfficacy, MinCoverage); got != tt.want {
			t.Errorf("%s: Meets = %v (efficacy %.2f, coverage %.2f), want %v", tt.name, got, tt.s.Efficacy(), tt.s.Coverage(), tt.want)
		}
		if got := !strings.HasSuffix(tt.s.Line("p"), "  below"); got != tt.want {
			t.Errorf("%s: Line = %q, want below: %v", tt.name, tt.s.Line("p"), !tt.want)
		}
	}
}
