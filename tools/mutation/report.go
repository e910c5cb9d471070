// Package mutation reads gremlins' JSON report of one package and sums it
// up: mutants killed, lived, not covered and timed out, the test efficacy
// and the mutator coverage, against the figures the project holds itself to.
package mutation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// The figures every package must reach, in percent.
const (
	MinEfficacy = 95.0
	MinCoverage = 90.0
)

// Mutant is one mutation of gremlins' JSON report.
type Mutant struct {
	File   string
	Type   string `json:"type"`
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// report is the part of gremlins' JSON report (-o) read here: the mutations,
// file by file, file names relative to the directory tested.
type report struct {
	Files []struct {
		Name      string   `json:"file_name"`
		Mutations []Mutant `json:"mutations"`
	} `json:"files"`
}

// Summary counts the mutants of one package by status.
type Summary struct {
	Killed, Lived, NotCovered, TimedOut, NotViable int
	// Survivors are the mutants that lived or were not covered.
	Survivors []Mutant
}

// ReadSummary reads gremlins' JSON report at path. Gremlins writes none when
// it finds nothing to mutate: that is an empty Summary.
func ReadSummary(path string) (Summary, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Summary{}, nil
	}
	if err != nil {
		return Summary{}, err
	}
	return Summarise(data)
}

// Summarise counts the mutants of a gremlins JSON report that are in the
// package tested itself, not in its subdirectories (packages of their own,
// reported on their own line). Survivors are sorted by file and position.
func Summarise(data []byte) (Summary, error) {
	var r report
	if err := json.Unmarshal(data, &r); err != nil {
		return Summary{}, fmt.Errorf("read the gremlins report: %w", err)
	}
	var s Summary
	for _, f := range r.Files {
		if strings.ContainsAny(f.Name, `/\`) {
			continue
		}
		for _, m := range f.Mutations {
			m.File = f.Name
			switch m.Status {
			case "KILLED":
				s.Killed++
			case "LIVED":
				s.Lived++
				s.Survivors = append(s.Survivors, m)
			case "NOT COVERED":
				s.NotCovered++
				s.Survivors = append(s.Survivors, m)
			case "TIMED OUT":
				s.TimedOut++
			case "NOT VIABLE":
				s.NotViable++
			default:
				return Summary{}, fmt.Errorf("read the gremlins report: unknown status %q at %s:%d:%d", m.Status, f.Name, m.Line, m.Column)
			}
		}
	}
	slices.SortFunc(s.Survivors, func(a, b Mutant) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return s, nil
}

// Efficacy is the share of the covered mutants that the tests killed, in
// percent, as gremlins computes it; 100 when no Mutant ran.
func (s Summary) Efficacy() float64 {
	if s.Killed+s.Lived == 0 {
		return 100
	}
	return float64(s.Killed) / float64(s.Killed+s.Lived) * 100
}

// Coverage is the share of the mutants that some test ran, in percent, as
// gremlins computes it; 100 when there is nothing to mutate.
func (s Summary) Coverage() float64 {
	ran := s.Killed + s.Lived
	if ran+s.NotCovered == 0 {
		return 100
	}
	return float64(ran) / float64(ran+s.NotCovered) * 100
}

// Meets reports whether both figures reach their minimum.
func (s Summary) Meets(MinEfficacy, MinCoverage float64) bool {
	return s.Efficacy() >= MinEfficacy && s.Coverage() >= MinCoverage
}

// Header is the first line of the table.
func Header() string {
	return fmt.Sprintf("%-40s %6s %6s %12s %10s %9s %9s", "package", "killed", "lived", "not covered", "timed out", "efficacy", "coverage")
}

// Line is the table line of package rel.
func (s Summary) Line(rel string) string {
	l := fmt.Sprintf("%-40s %6d %6d %12d %10d %8.2f%% %8.2f%%", rel, s.Killed, s.Lived, s.NotCovered, s.TimedOut, s.Efficacy(), s.Coverage())
	if !s.Meets(MinEfficacy, MinCoverage) {
		l += "  below"
	}
	return l
}
