package xls

import (
	"math"
	"strconv"
)

// rkNumber decodes an RK value ([MS-XLS] 2.5.218), Excel's compact number:
// bit 1 set means a 30-bit signed integer in the upper bits, clear the
// upper 30 bits of a double; bit 0 set means the value was multiplied by
// 100 to fit.
func rkNumber(rk uint32) float64 {
	var v float64
	if rk&0x02 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^0x03) << 32)
	}
	if rk&0x01 != 0 {
		v /= 100
	}
	return v
}

// appendNumber appends v as the reader yields numbers: an integral value
// as its digits, without ".0" or an exponent (a card or phone number typed
// into a numeric cell must come out as the digits typed, and every integer
// up to 2^53 has a double of its own, so all 16 digits survive), anything
// else as Go's shortest decimal that reads back as the same double. Very
// large and very small values take an exponent. It reports false for NaN
// and infinities, which are no cell value Excel writes.
//
// Excel itself would show at most 15 significant digits in the General
// format, and dates as dates: the reader yields the stored value instead,
// which is what a person sees when they widen the column or change the
// format, and all that a detector needs.
func appendNumber(dst []byte, v float64) ([]byte, bool) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return dst, false
	case v == 0:
		return append(dst, '0'), true // and not "-0"
	}
	a := math.Abs(v)
	if a < 1e21 && (a >= 1e-6 || v == math.Trunc(v)) {
		return strconv.AppendFloat(dst, v, 'f', -1, 64), true
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64), true
}
