package validate

import (
	"net/netip"
	"strings"
)

// IPv4 reports whether value is a dotted-quad IPv4 address that could
// identify a host: four decimal octets 0-255 without leading zeros (so
// 01.02.03.04, more likely a date or version, fails), and not in a block
// that never names a customer: 0.0.0.0/8 ("this network"), loopback
// 127/8, link-local 169.254/16, multicast 224/4 or the broadcast
// 255.255.255.255. Private ranges pass: internal logs hold them too.
func IPv4(value string) bool {
	var o [4]int
	parts := strings.Split(value, ".")
	if len(parts) != 4 {
		return false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || !allDigits(p) || (len(p) > 1 && p[0] == '0') {
			return false
		}
		for j := 0; j < len(p); j++ {
			o[i] = o[i]*10 + int(p[j]-'0')
		}
		if o[i] > 255 {
			return false
		}
	}
	switch {
	case o[0] == 0, o[0] == 127, o[0] >= 224 && o[0] <= 239,
		o[0] == 169 && o[1] == 254,
		o == [4]int{255, 255, 255, 255}:
		return false
	}
	return true
}

// IPv6 reports whether value is an IPv6 address that could identify a
// host. It must have at least three colons, which keeps times (10:23:45)
// and short hex pairs out before parsing, and parse as IPv6 without a
// zone. Rejected: the reserved block ::/8, which holds ::, ::1 and the
// IPv4-mapped and -compatible forms (those are IPv4 addresses, and the
// EUI-64 form of a MAC such as 0:1a:2b:3c:4d:5e:6f:70 falls there too),
// link-local fe80::/10 and multicast ff00::/8. Six-group MAC addresses
// (00:1A:2B:3C:4D:5E) never parse.
func IPv6(value string) bool {
	if strings.Count(value, ":") < 3 {
		return false
	}
	a, err := netip.ParseAddr(value)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return false
	}
	return a.As16()[0] != 0 && !a.IsLinkLocalUnicast() && !a.IsMulticast()
}

// IP reports whether value passes IPv4 or IPv6, for rules that match both.
func IP(value string) bool { return IPv4(value) || IPv6(value) }
