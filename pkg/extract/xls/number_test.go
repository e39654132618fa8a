package xls

import (
	"math"
	"testing"
)

func TestAppendNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{42, "42"},
		{-7, "-7"},
		{4111111111111111, "4111111111111111"}, // a test card: 16 digits, exact
		{-4111111111111111, "-4111111111111111"},
		{447700900123, "447700900123"},
		{9007199254740993, "9007199254740992"}, // 2^53+1 is stored as 2^53
		{123456789012345678, "123456789012345680"},
		{1e20, "100000000000000000000"},
		{1e21, "1e+21"},
		{0.1, "0.1"},
		{1234.5, "1234.5"},
		{1.0 / 3, "0.3333333333333333"},
		{-0.000123, "-0.000123"},
		{0.000001, "0.000001"},
		{1e-7, "1e-07"},
		{1.5e300, "1.5e+300"},
		{5e-324, "5e-324"},
	}
	for _, tt := range tests {
		got, ok := appendNumber(nil, tt.v)
		if !ok || string(got) != tt.want {
			t.Errorf("appendNumber(%v) = %q, %v; want %q", tt.v, got, ok, tt.want)
		}
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, ok := appendNumber([]byte("x"), v); ok || string(got) != "x" {
			t.Errorf("appendNumber(%v) = %q, %v; want nothing", v, got, ok)
		}
	}
}

// RK values from [MS-XLS] 2.5.218 and its examples.
func TestRKNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rk   uint32
		want float64
	}{
		{0x3FF00000, 1},              // the upper 30 bits of 1.0
		{0x3FF00001, 0.01},           // 1.0 / 100
		{0x405EC000, 123},            // 123.0 as a double
		{0x0000000A, 2},              // integer 2
		{0x0001E240<<2 | 3, 1234.56}, // integer 123456 / 100
		{0xFFFFFFFE, -1},             // integer -1
		{0xFFFFFFFF, -0.01},          // integer -1 / 100
		{0x7FFFFFFE, 536870911},      // the largest 30-bit integer
	}
	for _, tt := range tests {
		if got := rkNumber(tt.rk); got != tt.want {
			t.Errorf("rkNumber(%#x) = %v, want %v", tt.rk, got, tt.want)
		}
	}
}
