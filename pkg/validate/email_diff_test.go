package validate

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// emailReference is Email as first written, splitting and lower-casing
// the domain; Email now walks it in place. TestEmailMatchesReference and
// FuzzEmail hold the two to the same answers.
func emailReference(value string) bool {
	at := strings.LastIndexByte(value, '@')
	if at < 1 || len(value) > 254 {
		return false
	}
	local, domain := value[:at], value[at+1:]
	return validLocal(local) && domainReference(domain)
}

func domainReference(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(strings.ToLower(s), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if tld == "localhost" || slices.Contains(fileExtTLDs, tld) {
		return false
	}
	if strings.HasPrefix(tld, "xn--") {
		return len(tld) > 4
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

var emailEdges = []string{
	"a@b.cd", "a@b.c", "a@b", "a@localhost", "a@LOCALHOST", "a@x.Localhost", "logo@2x.PNG", "a@b.png", "a@b.xn--", "a@b.xn--p1ai",
	"a@b.XN--P1AI", "a@b.c1", "a@-b.cd", "a@b-.cd", "a@b..cd", "a@.b.cd", "a@b.cd.", "a@b.\u212Aom", "a@b.co\u212A", "a@\u0130b.cd",
	"a@b.c_d", "a@b.c-d", "a@" + strings.Repeat("a", 64) + ".cd", "a@" + strings.Repeat("a", 63) + ".cd",
	"a@" + strings.Repeat("ab.", 84) + "cd", "@b.cd", "a.@b.cd", "a@b@c.de", "", "a@", "a@b.cD", "a@B.CD", "a@b.c\xff",
}

// emailCorpus draws addresses from the bytes that decide Email's answer:
// a local part, an '@' and dot-separated labels, each drawn from pieces
// that are valid, invalid, or change under lower-casing.
func emailCorpus(n int) []string {
	r := rand.New(rand.NewPCG(5, 5))
	local := []string{"a", "b.c", "Z9", "_", "+tag", "-", ".", "a..b", "é", "x!y", strings.Repeat("l", 64)}
	labels := []string{"a", "b", "Z", "0", "9", "ex-ample", "-a", "a-", "", "xn--", "XN--p1ai", "png", "PNG", "localhost", "com", "c",
		"Kom", "é", "ÿ", "a_b", strings.Repeat("x", 62), strings.Repeat("y", 64)}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	out := append([]string(nil), emailEdges...)
	for len(out) < n {
		var b strings.Builder
		b.WriteString(pick(local))
		if r.IntN(10) > 0 {
			b.WriteString("@")
		}
		for k := 1 + r.IntN(4); k > 0; k-- {
			b.WriteString(pick(labels))
			if k > 1 {
				b.WriteString(".")
			}
		}
		out = append(out, b.String())
	}
	return out
}

func TestEmailMatchesReference(t *testing.T) {
	n := 0
	for _, v := range emailCorpus(200000) {
		want := emailReference(v)
		if got := Email(v); got != want {
			t.Errorf("Email(%q) = %v, reference %v", v, got, want)
		}
		if want {
			n++
		}
	}
	if n < 5000 {
		t.Errorf("only %d valid addresses: the corpus does not exercise Email", n)
	}
}

func FuzzEmail(f *testing.F) {
	for _, v := range emailEdges {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := Email(v), emailReference(v); got != want {
			t.Errorf("Email(%q) = %v, reference %v", v, got, want)
		}
	})
}
