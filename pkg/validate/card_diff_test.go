package validate

import (
	"math/rand/v2"
	"testing"
)

// brandsReference is brands as first written, comparing prefixes as
// strings; brands now compares them as numbers.
func brandsReference(d []byte) (amexOK, dinersOK, anyOK bool) {
	for _, r := range iinRanges {
		p := len(r.lo)
		if len(d) < p || r.lens&(1<<len(d)) == 0 {
			continue
		}
		if pre := d[:p]; r.lo <= string(pre) && string(pre) <= r.hi {
			anyOK = true
			amexOK = amexOK || r.brand == amex
			dinersOK = dinersOK || r.brand == diners
		}
	}
	return amexOK, dinersOK, anyOK
}

// TestBrandsMatchReference draws card-length numbers that start at, next
// to and between the IIN bounds, and random ones.
func TestBrandsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	var starts []string
	for _, rg := range iinRanges {
		if len(rg.lo) > 6 {
			t.Fatalf("IIN prefix %s is longer than the 6 digits brands reads", rg.lo)
		}
		starts = append(starts, rg.lo, rg.hi)
	}
	for i := 0; i < 300000; i++ {
		n := 12 + r.IntN(8)
		d := make([]byte, n)
		for j := range d {
			d[j] = byte('0' + r.IntN(10))
		}
		if i%2 == 0 {
			s := starts[r.IntN(len(starts))]
			copy(d, s)
			if r.IntN(3) == 0 { // step just past the bound
				k := len(s) - 1
				d[k] = byte('0' + (int(d[k]-'0')+1+r.IntN(2)*8)%10)
			}
		}
		a1, d1, ok1 := brands(d)
		a2, d2, ok2 := brandsReference(d)
		if a1 != a2 || d1 != d2 || ok1 != ok2 {
			t.Fatalf("brands(%s) = %v %v %v, reference %v %v %v", d, a1, d1, ok1, a2, d2, ok2)
		}
	}
}
