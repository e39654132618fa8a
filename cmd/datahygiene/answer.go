package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// answer is what find and affected write: a value for JSON, rows for CSV
// (a header first) and a table renderer, to the output --output names.
type answer struct {
	what  string // for error messages
	json  any
	csv   func() [][]string
	table func(io.Writer) error
}

// writeAnswer writes a in the format o names (table, json or csv).
func writeAnswer(s streams, o *scanOptions, a answer) error {
	out := &output{s: s, o: o}
	defer out.close()
	w, _, err := out.open()
	if err != nil {
		return err
	}
	switch o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(a.json)
	case "csv":
		cw := csv.NewWriter(w)
		for _, row := range a.csv() {
			cw.Write(row)
		}
		cw.Flush()
		err = cw.Error()
	default:
		err = a.table(w)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", a.what, err)
	}
	return out.close()
}
