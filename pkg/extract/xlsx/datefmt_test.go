package xlsx

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDateFormatsUnchanged checks that tagging date formats with the en-US
// locale (datefmt.go) changes how fast excelize formats dates, not what it
// prints.
func TestDateFormatsUnchanged(t *testing.T) {
	t.Parallel()
	custom := []string{
		"yyyy-mm-dd", "dd/mm/yyyy", "d mmmm yyyy", "dddd, mmmm d, yyyy", "ddd d mmm yy", "mmmmm",
		"h:mm:ss AM/PM", "h AM/PM", "A/P h", "[h]:mm", "[mm]:ss", "mmm d, yyyy h:mm", "m/d/yyyy h:mm:ss.000",
		"dd/mm/yyyy;@", "[Red]dd-mm-yy", `yyyy"年"m"月"d"日"`, `d\-m\-yy`, "#,##0.00", "0%", "@",
	}
	serials := []any{0, 0.25, 1, 59, 60, 61, 366.5, 45356, 45356.999988, 2958465, -1, "not a date"}
	var styles []*excelize.Style
	for id := range builtInDateFormats {
		styles = append(styles, &excelize.Style{NumFmt: id})
	}
	for _, code := range custom {
		styles = append(styles, &excelize.Style{CustomNumFmt: ptr(code)})
	}
	data := workbook(t, func(f *excelize.File) {
		for c, s := range styles {
			for r, v := range serials {
				ref, err := excelize.CoordinatesToCellName(c+1, r+1)
				must(t, err)
				set(t, f, "Sheet1", ref, v)
				style(t, f, "Sheet1", ref, s)
			}
		}
	})
	fast, err := extractAll(t, &Reader{}, data)
	must(t, err)
	slow, err := extractAll(t, &Reader{slowDates: true}, data)
	must(t, err)
	if len(fast) != len(slow) || len(fast) < len(styles)*(len(serials)-1) {
		t.Fatalf("%d cells tagged, %d untagged, want %d each", len(fast), len(slow), len(styles)*len(serials))
	}
	for i := range fast {
		if fast[i] != slow[i] {
			t.Errorf("tagged %v, untagged %v", fast[i], slow[i])
		}
	}
}

func TestIsUntaggedDateFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want bool
	}{
		{"yyyy-mm-dd", true},
		{"[h]:mm", true},
		{"[Red]dd-mm-yy", true},
		{"h AM/PM", true},
		{"A/P h", false},
		{"h:mm a/p", false},
		{"[$-409]yyyy-mm-dd", false},
		{"[$€-407]#,##0.00", false},
		{"General", false},
		{"#,##0.00", false},
		{"0.00E+00", false},
		{`0" days"`, false},
		{`0\d`, false},
		{"_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)", false},
		{`"unterminated`, false},
		{"[Red", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isUntaggedDateFormat(tt.code); got != tt.want {
			t.Errorf("isUntaggedDateFormat(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
