package synth

import (
	"fmt"
	"net/netip"
)

// IPv4 returns an address from the documentation blocks 192.0.2.0/24,
// 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737). They look like public
// addresses and pass validate.IPv4, but can never be someone's connection.
func (g *Gen) IPv4() string {
	return fmt.Sprintf("%s.%d", pick(g, []string{"192.0.2", "198.51.100", "203.0.113"}), g.intIn(1, 254))
}

// IPv6 returns an address in the documentation prefix 2001:db8::/32 (RFC
// 3849), in canonical form.
func (g *Gen) IPv6() string {
	var b [16]byte
	b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
	for i := 4; i < 16; i++ {
		// Runs of zero groups are common in real addresses and exercise
		// the :: form.
		if g.r.IntN(3) > 0 {
			b[i] = byte(g.r.IntN(256))
		}
	}
	b[15] |= 1 // not the subnet-router anycast address
	return netip.AddrFrom16(b).String()
}

// Password returns a random 10-16 character password with at least one
// upper-case letter, lower-case letter, digit and symbol.
func (g *Gen) Password() string {
	classes := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#$%&*+-=?@^_"}
	n := g.intIn(10, 16)
	b := make([]byte, n)
	for i := range b {
		set := classes[g.r.IntN(len(classes))]
		if i < len(classes) {
			set = classes[i]
		}
		b[i] = set[g.r.IntN(len(set))]
	}
	g.r.Shuffle(n, func(i, j int) { b[i], b[j] = b[j], b[i] })
	return string(b)
}
