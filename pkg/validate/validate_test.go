package validate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// cases holds, per registered name, synthetic values that must pass and
// look-alikes that must fail. Valid values were computed by an independent
// implementation of each algorithm; none belongs to a real person.
var cases = map[string]struct{ valid, invalid []string }{
	"luhn": {
		valid: []string{"4526018159083012", "4526 0181 5908 3012", "79927398713", "18", "506-044-312", "5382.1993.5181.9096"},
		invalid: []string{
			"4526018159083013", // check digit off by one
			"79927398710",
			"0", "", "4526O18159083012", // a letter O
			"4526_0181_5908_3012", // not a separator
		},
	},
	"credit_card": {
		valid: []string{
			"4526018159083012", "4526 0181 5908 3012", "4526-0181-5908-3012", // Visa 16
			"4661318609133", "4909960308246281946", "4909 9603 0824 6281 946", // Visa 13, 19
			"5382199351819096", "2223378657975436", "2223 3786 5797 5436", // Mastercard
			"342319487574916", "3423 194875 74916", "3718-625276-01896", // Amex, 4-6-5
			"6011555979711477", "6451049746507529170", "6503423667127685", // Discover
			"36426846563216", "3642 684656 3216", "30122330792447", // Diners, 4-6-4
			"360954185836949",                                       // Diners 15
			"3530026859952895",                                      // JCB
			"6207866661760316",                                      // UnionPay
			"675937215902", "5018109281590139625", "67599235972206", // Maestro
			"2201459571177774", // Mir
		},
		invalid: []string{
			"4526018159083013",            // Luhn fails
			"4526 0181 5908 3013",         // Luhn fails, grouped
			"4526-0181 5908-3012",         // mixed separators
			"4526  0181 5908 3012",        // doubled separator
			"4526 0181 5908 3012 ",        // trailing separator
			"45260181 59083012",           // 8-8 grouping
			"452 6018 1590 8301 2",        // 3-4-4-4-1 grouping
			"4526.0181.5908.3012",         // dots are not card separators
			"3609 541858 36949",           // 4-6-5 but Diners, not Amex
			"6759 923597 2206",            // 4-6-4 but Maestro, not Diners
			"3432711246400851",            // Amex prefix, 16 digits
			"539979873200088",             // Mastercard prefix, 15 digits
			"40623201098325",              // Visa, 14 digits
			"463898692841403",             // Visa, 15 digits
			"1234780667172319",            // no scheme issues 1234
			"2721430154048683",            // just past Mastercard 2720
			"2199443180243320",            // just before Mir 2200
			"9536593687780062",            // no scheme starts with 9
			"3090394369919222",            // 309 is not Diners here
			"0000000000000000",            // Luhn-valid zeros
			"45260181590",                 // 11 digits
			"45260181590830121234",        // 20 digits
			"4526 0181 5908 30121 2345 6", // too long and grouped oddly
		},
	},
	"iban_mod97": {
		valid: []string{
			"DE50808414852538885393", "DE50 8084 1485 2538 8853 93",
			"GB10NWBK36338750047439", "gb10 nwbk 3633 8750 0474 39",
			"NL62ABNA5755131373", "FR6853799075116372651676122",
			"BR8320297299752882001826330P1", "SA5059374120568390417724",
			"AE268072902227918058887", "TR861803340187801759898347",
			"IL258878384837261675136", "PK05SCBL1341252427316723",
			"NO2626865635515", "MT41MALT05877065894811311440242",
			"LC58HEMM646288975140261401419314", "RU1617058649208312402344834782450",
			"BE69400088387371", "BE69 4000 8838 7371",
		},
		invalid: []string{
			"DE51808414852538885393",      // check digits wrong
			"DE50808414852538885394",      // last digit wrong
			"DE5080841485253888539",       // one short
			"DE508084148525388853931",     // one long
			"XX50808414852538885393",      // no such country
			"DE5 0808 4148 5253 8885 393", // not grouped in fours
			"DE50-8084-1485-2538-8853-93", // dashes
			"DE50  8084 1485 2538 8853 93",
			"NL62ABNA575513137", "GB10NWBK3633875004743",
			"BE69 4000 8838 73 71",
			"DEAB808414852538885393", // check digits not digits
			"BE_9400088387371",
			"",
		},
	},
	"verhoeff": {
		valid:   []string{"2363", "5205611", "7483384", "0141267", "8786 8433 5321"},
		invalid: []string{"2364", "5205612", "7483348", "2", "", "23a63"},
	},
	"aadhaar": {
		valid: []string{"878684335321", "8786 8433 5321", "8502-0146-2017", "884934072241", "904558530439"},
		invalid: []string{
			"878684335322",   // Verhoeff fails
			"155166160530",   // starts with 1, Verhoeff valid
			"8786 84335321",  // grouped 4-8
			"8786-8433 5321", // mixed separators
			"87868433532",    // 11 digits
			"8786843353210",  // 13 digits
			"222222222222",
		},
	},
	"ssn_area_group_serial": {
		valid: []string{"536-22-1045", "536 22 1045", "536221045", "001-01-0001", "772-49-8410"},
		invalid: []string{
			"000-12-3456", "666-12-3456", "900-12-3456", "999-45-6789", // bad areas
			"536-00-1045", "536-22-0000", // zero group, zero serial
			"078-05-1120", "219-09-9999", "123-45-6789", "123456789", // never issued
			"536-221-045", "53-622-1045", // wrong grouping
			"536-22 1045", "5362-21045", "536-22-104", "536-22-10455",
		},
	},
	"uk_nino": {
		valid: []string{"AB123456C", "AB 12 34 56 C", "CE 123456 D", "OA987654A", "ny012345b", "JG103759 A"},
		invalid: []string{
			"DA123456C", "FA123456C", "IA123456C", "QA123456C", "UA123456C", "VA123456C", // first letter
			"AD123456C", "AO123456C", "AQ123456C", // second letter
			"BG123456C", "GB123456C", "KN123456C", "NK123456C", "NT123456C", "TN123456C", "ZZ123456C",
			"QQ123456C", // the HMRC example prefix
			"AB123456E", "AB123456", "AB12345C", "AB1234567C", "A1123456C",
			"AB 1234 56 C", "AB  123456 C",
		},
	},
	"in_pan": {
		valid: []string{"ABCPE1234F", "AAACT0001Z", "BNZPM2501F", "QWEHR9999A", "ZXCEL4321K"},
		invalid: []string{
			"ABCDE1234F", // D is not a holder type
			"ABCKE1234F", // K neither
			"abcpe1234f", // lower case
			"ABCPE0000F", // serial 0000
			"ABCPE12345", "ABCP1234FF", "ABCPE1234", "ABCPE1234FG", "1BCPE1234F",
		},
	},
	"ca_sin": {
		valid: []string{"506044312", "506 044 312", "582-965-729", "392086823", "589093103"},
		invalid: []string{
			"506044313",   // Luhn fails
			"884924333",   // starts with 8, Luhn valid
			"072117815",   // starts with 0, Luhn valid
			"5060 44312",  // wrong grouping
			"506-044 312", // mixed
			"50604431", "5060443120",
		},
	},
	"es_dni": {
		valid: []string{"02516780M", "08374071R", "88181741V", "88181741-V", "88181741 v", "X4333776R", "Y1740931Y", "Z9254499V", "Z9254499-V"},
		invalid: []string{
			"02516780N", "X4333776S", // wrong letter
			"00000000T", "99999999R", "X0000000T", // placeholders with right letter
			"2516780M", "025167800M", "W4333776R", "X433377R",
			"88181741--V", "88181741_V", "881817411",
		},
	},
	"nl_bsn": {
		valid: []string{"426565150", "666836450", "520340930", "259472487", "2594.72.487", "259 472 487", "259-472-487", "89148654"},
		invalid: []string{
			"426565151", "666836405", // elfproef fails
			"000000000", "00000000",
			"2594.72 487", "4265651500", "4265651", "42656515a",
			"25 94 72 487", "2594-7248-7", // unusual grouping
			"8914-86-54", "89.14.86.54", // 8 digits with separators, like a date
		},
	},
	"br_cpf": {
		valid: []string{"65925517393", "659.255.173-93", "290.484.495-37", "003249668-06", "50273900099"},
		invalid: []string{
			"65925517394", "659.255.173-39", // check digits
			"111.111.111-11", "00000000000", // repeated digit
			"659-255-173-93", "659.255.17393", "6592551739", "659255173930",
		},
	},
	"email": {
		valid: []string{
			"jane.doe@example.com", "j.o'neil+tag@mail.example.org", "x@example.xn--p1ai",
			"first_last-42@sub.example.net", "A.B@EXAMPLE.COM", "user@example.museum",
		},
		invalid: []string{
			"logo@2x.png", "icon@3x.webp", "bundle@1.2.3.js", "report@2024.pdf", // file names
			"root@localhost", "app@dev.localhost",
			"a..b@example.com", ".a@example.com", "a.@example.com",
			"a@-example.com", "a@example-.com", "a@example", "a@example.c", "a@example.c0m",
			"a@example..com", "@example.com", "a@", "a b@example.com", `"a"@example.com`,
			"a@[192.0.2.1]", "a@192.0.2.1", "a@xn--",
			strings.Repeat("a", 65) + "@example.com",
			"a@" + strings.Repeat("b", 64) + ".com",
		},
	},
	"phone": {
		valid: []string{
			"+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0123", "07700 900123", // GB
			"(202) 555-0123", "+1 202-555-0199", "202.555.0123", "+1 613 555 0123", // US, CA
			"+33 1 99 00 12 34", "06 39 98 12 34", // FR
			"030 123456", "030/123456", "+49 30 123456", // DE
			"010 123 4567", "0450 00 12 34", "085 012 3456", // NL, BE, IE
			"612 34 56 78", "02 1234 5678", // ES, IT
			"02 5550 1234", "0491 570 156", // AU
			"(11) 2345-6789", "(11) 96123-4567", "11 96123-4567", // BR
			"81234 56789", "074104 10123", // IN
			"1 (202) 555-0123", "1-800-555-0199", // NANP trunk prefix
		},
		invalid: []string{
			"1725000000", "1705314225", "1705314225123", // epoch seconds and millis
			"2024-01-15", "15.01.2024", "20240115", "04.11.2018", "05/18/2015", // dates
			"11 2345-6789",                         // BR fixed line needs (11) or 0
			"121 234 5678",                         // GB without its 0
			"555-0123",                             // no area code
			"+44 20 7946 095",                      // one digit short
			"+999 123 4567",                        // no such country code
			"020 7946 0958 ext 12", "0800-FLOWERS", // letters
			"020 7946 0958;", "+44 20+7946 0958", // stray characters
			"123456", "1234567890123456",
			"9783161484100", // an ISBN
		},
	},
	"ipv4": {
		valid: []string{"192.0.2.1", "10.0.0.1", "203.0.113.254", "198.51.100.7", "172.16.254.1", "1.0.0.0"},
		invalid: []string{
			"01.02.03.04", "192.168.001.1", // leading zeros
			"256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ",
			"0.0.0.0", "0.1.2.3", "255.255.255.255", "127.0.0.1", "127.255.0.9",
			"224.0.0.1", "239.255.255.250", "169.254.1.1",
			"", "a.b.c.d",
		},
	},
	"ipv6": {
		valid: []string{
			"2001:db8::1", "2001:db8:85a3::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329",
			"fd00::1:2", "2001:DB8::CAFE:1",
		},
		invalid: []string{
			"::", "::1", "fe80::1:2:3", "febf::1:2:3", "ff02::1:2", "::ffff:192.0.2.1", "::192.0.2.1",
			"00:1A:2B:3C:4D:5E", "0:1a:2b:3c:4d:5e:6f:70", // MACs, plain and EUI-64
			"10:23:45", "ab:cd", "1::2",
			"2001:db8::1%eth0", "2001:db8::g", "192.0.2.1", "2001:db8:::1",
		},
	},
}

func init() {
	// ip is the union of ipv4 and ipv6.
	ip := cases["ipv4"]
	ip.valid = append(slices.Clip(ip.valid), cases["ipv6"].valid...)
	for _, v := range cases["ipv6"].invalid {
		if !IPv4(v) { // "192.0.2.1" is no IPv6 address, but it is an IP
			ip.invalid = append(slices.Clip(ip.invalid), v)
		}
	}
	cases["ip"] = ip
}

// aliases name the same algorithm under a second name.
var aliases = map[string]string{
	"mod11":     "nl_bsn",
	"elfproef":  "nl_bsn",
	"mod23":     "es_dni",
	"cpf_mod11": "br_cpf",
}

func TestValidators(t *testing.T) {
	t.Parallel()
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, ok := Lookup(name)
			if !ok {
				t.Fatalf("Lookup(%q) failed for a listed name", name)
			}
			c, ok := cases[name]
			if target, alias := aliases[name]; alias {
				c, ok = cases[target]
			}
			if !ok {
				t.Fatalf("no test cases for %q", name)
			}
			if len(c.valid) < 3 || len(c.invalid) < 3 {
				t.Errorf("%q needs at least 3 valid and 3 invalid cases", name)
			}
			for _, v := range c.valid {
				if !f(v) {
					t.Errorf("%s(%q) = false, want true", name, v)
				}
			}
			for _, v := range c.invalid {
				if f(v) {
					t.Errorf("%s(%q) = true, want false", name, v)
				}
			}
		})
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	want := []string{
		"aadhaar", "br_cpf", "ca_sin", "cpf_mod11", "credit_card", "elfproef", "email",
		"es_dni", "iban_mod97", "in_pan", "ip", "ipv4", "ipv6", "luhn", "mod11", "mod23",
		"nl_bsn", "phone", "ssn_area_group_serial", "uk_nino", "verhoeff",
	}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q\nwant %q", got, want)
	}
	if _, ok := Lookup("no_such_validator"); ok {
		t.Error("Lookup of an unknown name succeeded")
	}
}

// Every IBAN length in the table must hold a check-digit-valid number:
// build one per country and make sure IBAN agrees, so a typo in a length
// shows up as a failing country.
func TestIBANEveryCountry(t *testing.T) {
	t.Parallel()
	for cc, n := range ibanLengths {
		bban := strings.Repeat("7", n-4)
		iban := cc + ibanCheck(cc, bban) + bban
		if !IBAN(iban) {
			t.Errorf("IBAN(%q) = false for a %d-character %s number", iban, n, cc)
		}
		if IBAN(iban + "7") {
			t.Errorf("IBAN accepts %s at length %d", cc, n+1)
		}
	}
}

// ibanCheck computes check digits the way ISO 7064 defines them, with
// big-number arithmetic done on the decimal string, to cross-check the
// streaming version in IBAN.
func ibanCheck(cc, bban string) string {
	var num strings.Builder
	for _, c := range bban + cc + "00" {
		if c >= 'A' {
			num.WriteString(itoa(int(c-'A') + 10))
		} else {
			num.WriteRune(c)
		}
	}
	r := 0
	for _, c := range num.String() {
		r = (r*10 + int(c-'0')) % 97
	}
	ck := 98 - r
	return string([]byte{byte('0' + ck/10), byte('0' + ck%10)})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestCardRejectsEAN13: a compact 13-digit number that is a valid EAN-13
// and passes Luhn with a Visa prefix is taken for a barcode.
func TestCardRejectsEAN13(t *testing.T) {
	// 4006381333931 is a valid EAN-13; find Luhn+GS1-valid ones by search.
	n := 0
	for i := 400000000000; i < 400000000000+5000; i++ {
		for c := 0; c < 10; c++ {
			d := fmt.Sprintf("%d%d", i, c)
			if gs1Valid(d) && Luhn(d) {
				n++
				if CreditCard(d) {
					t.Fatalf("%s is a valid EAN-13 and was taken for a card", d)
				}
				if !CreditCard(d[:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:]) {
					t.Fatalf("%s grouped like a card should still be a card", d)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no EAN-13 that also passes Luhn found: the test proves nothing")
	}
}
