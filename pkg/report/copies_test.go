package report

import (
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestCopies(t *testing.T) {
	t.Parallel()
	withData := []finding.Finding{{Detector: "email", Count: 1}}
	file := func(path, sum string, size int64, fs []finding.Finding) finding.FileResult {
		return finding.FileResult{Path: path, ContentID: sum, Size: size, Findings: fs}
	}
	r := &Report{Files: []finding.FileResult{
		file("customers.csv", "aa", 10, withData),
		file("Backup/customers (copy).csv", "aa", 10, withData),
		file("old/customers.csv", "aa", 10, withData),
		file("big.xlsx", "bb", 900, withData),
		file("mail/big.xlsx", "bb", 900, withData),
		file("alone.csv", "cc", 5, withData),
		file("clean-a.txt", "dd", 5, nil), // no findings: not customer data
		file("clean-b.txt", "dd", 5, nil),
		file("unhashed-a.csv", "", 5, withData), // no hash: never grouped
		file("unhashed-b.csv", "", 5, withData),
	}}
	r.Tally()
	want := []Copies{
		{ContentID: "bb", Size: 900, Paths: []string{"big.xlsx", "mail/big.xlsx"}},
		{ContentID: "aa", Size: 10, Paths: []string{"Backup/customers (copy).csv", "customers.csv", "old/customers.csv"}},
	}
	if !reflect.DeepEqual(r.Copies, want) {
		t.Errorf("Copies = %+v\nwant %+v", r.Copies, want)
	}
	if r.Summary.Copies != 3 {
		t.Errorf("Summary.Copies = %d, want 3 (two extra copies of one file, one of another)", r.Summary.Copies)
	}
}
