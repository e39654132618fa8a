package xlsx

import (
	"flag"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// nativeCodes are codes the native formatter must take, as written and as
// tagDateFormats rewrites date codes.
var nativeCodes = []string{
	"0", "0.00", "#,##0", "#,##0.00", "0%", "0.00%", "0.0%", "#,##0%", "#,##0.000%", "000000", "00.000",
	`"£"#,##0.00`, `\$#,##0.00`, "$#,##0", `#,##0.00" kr"`, `"EUR "0.00" net"`, `0.0"x"`,
	"mm-dd-yy", "d-mmm-yy", "d-mmm", "mmm-yy", "hh:mm", "hh:mm:ss", "m/d/yy hh:mm", "mm:ss",
	"yyyy-mm-dd", "dd/mm/yyyy", "mm/dd/yyyy", "d/m/yy", "dd.mm.yyyy", "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd hh:mm",
	"d mmmm yyyy", "dddd, mmmm d, yyyy", "ddd d mmm yy", "mmmmm", "mmmmmm", "yyy y yyyyy", "h:m:s", "hhh:mm:sss",
	"m", "mm", "h m", "m s", "mm ss", "ss mm", "YYYY-MM-DD", "DD/MM/YYYY HH:MM", `yyyy"年"m"月"d"日"`, `dd\-mm\-yy`,
	"[$-409]yyyy-mm-dd", "[$-409]mm-dd-yy", "[$-409]d-mmm-yy;@", "dd/mm/yyyy;@", "[$-409]m/d/yy hh:mm",
}

// foreignCodes are left to excelize.
var foreignCodes = []string{
	"General", "@", "0.00E+00", "# ?/?", "#,##0 ;(#,##0)", "0.00;[Red]-0.00", "h:mm AM/PM", "[h]:mm:ss",
	"mm:ss.0", "[$-407]dd. mmmm yyyy", "[Red]dd-mm-yy", "0.00 ", " 0.00", "#,###", "#.##", "0.", "yyyy-Mm",
	`_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`, `"unterminated`, "", "e", "[$€-407]#,##0.00", "0,000",
}

func TestCompileFormat(t *testing.T) {
	t.Parallel()
	for _, c := range nativeCodes {
		if compileFormat(c) == nil {
			t.Errorf("%q: not native", c)
		}
	}
	for _, c := range foreignCodes {
		if compileFormat(c) != nil {
			t.Errorf("%q: native", c)
		}
	}
}

var nativeSamples = flag.Int("native-samples", 400, "random values TestNativeFormats formats with each code")

// TestNativeFormats formats values of every kind both ways, natively and
// with excelize, in both date systems (-native-samples sets how many).
func TestNativeFormats(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	values := []string{"0", "-0", "1", "-1", "0.5", "0.125", "1.005", "2.675", "-0.001", "0.0049", "0.005", "12345.675",
		"999999.995", "1234567.891", "-1234.5", "45356", "45356.5", "45356.999988", "45356.999999", "45357.0000001",
		"60", "61", "61.5", "1e-7", "123456789012", "999999999999999", "1e15", "1e16", "4111111111111111", "2958465",
		"2958465.99999", "2958466", "-45356", "1E+3", "0.1", "100", "86400", "1.0000000000000002"}
	for range *nativeSamples {
		var v float64
		switch rng.IntN(5) {
		case 0:
			v = float64(rng.IntN(2958465)) // whole days
		case 1:
			v = rng.Float64() * 73000 // date-times to 2099
		case 2:
			v = math.Round(rng.NormFloat64()*1e6) / 100 // amounts
		case 3:
			v = rng.Float64() // fractions, percentages
		default:
			v = float64(rng.Int64N(1e15)) * math.Pow(10, -float64(rng.IntN(8)))
		}
		values = append(values, strconv.FormatFloat(v, 'f', -1, 64))
	}
	for _, date1904 := range []bool{false, true} {
		f := excelize.NewFile()
		if date1904 {
			if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: ptr(true)}); err != nil {
				t.Fatal(err)
			}
		}
		o := newFormatOracle(f)
		for _, code := range nativeCodes {
			native := compileFormat(code)
			s, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(code)})
			if err != nil {
				t.Fatal(err)
			}
			fallbacks, mismatches := 0, 0
			for _, v := range values {
				ok, _, num := isNumeric(appendNormalized(nil, []byte(v)))
				if !ok {
					t.Fatalf("%q is not a number", v)
				}
				got, ok := native.format(nil, num, date1904)
				if !ok {
					fallbacks++
					continue
				}
				want, err := o.number(s, v)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want {
					if mismatches++; mismatches <= 5 {
						t.Errorf("date1904=%v %q %s: native %q, excelize %q", date1904, code, v, got, want)
					}
				}
			}
			if compared := len(values) - fallbacks; compared < len(values)/3 {
				t.Errorf("%q: only %d of %d values formatted natively", code, compared, len(values))
			}
		}
		f.Close()
	}
}
