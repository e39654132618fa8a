package phoneplan

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Number is a parsed phone number: what phonenumbers.Parse would put in a
// PhoneNumber, less what validation does not read.
type Number struct {
	cc  int
	nsn string
}

// CountryCode returns the number's country calling code.
func (n Number) CountryCode() int { return n.cc }

// NSN returns the national significant number, as
// phonenumbers.GetNationalSignificantNumber would. libphonenumber stores
// it as an integer plus a count of leading zeros, which gives back the
// same digits for every NSN Parse accepts, so it is kept as parsed.
func (n Number) NSN() string { return n.nsn }

// ParseInternational parses a number written with a leading +, given the
// digits after it, as phonenumbers.Parse("+"+digits, "ZZ") does. The
// result is the same for any input made of one +, those digits in order
// and the punctuation - . ( ) / and space, at most 250 bytes long
// (phonenumbers.MAX_INPUT_STRING_LENGTH): libphonenumber finds no
// extension, alpha characters or RFC 3966 parameters in such a string and
// only reads its digits. digits must be ASCII digits only.
//
// The error is non-nil only when the metadata needs something phoneplan
// does not implement; the caller should then ask libphonenumber.
func ParseInternational(digits string) (Number, bool, error) {
	return load().parseInternational(digits)
}

func (t *tables) parseInternational(digits string) (Number, bool, error) {
	// maybeExtractCountryCode: the + is gone and what is left must be
	// longer than a national significant number can be short.
	if len(digits) <= minNSN {
		return Number{}, false, nil
	}
	cc, national, ok := t.extractCountryCode(digits)
	if !ok {
		return Number{}, false, nil
	}
	return t.finish(cc, national, t.mainPlan(cc, nil))
}

// ParseNational parses a number written without a leading + as
// phonenumbers.Parse(value, region) does, p being the plan of region and
// digits the ASCII digits of value. As for ParseInternational, value must
// consist of digits and - . ( ) / and space, at most 250 bytes.
//
// Like libphonenumber it still recognises the region's international
// prefix (011 44 20 …) and a country calling code written without its +
// (44 20 … for GB), so the number may belong to another country.
func (p *Plan) ParseNational(digits string) (Number, bool, error) {
	c, err := p.compiled()
	if err != nil {
		return Number{}, false, err
	}
	t := p.t
	// maybeExtractCountryCode with p as the default region.
	if rest, ok := c.stripIDD(digits); ok {
		if len(rest) <= minNSN {
			return Number{}, false, nil
		}
		cc, national, ok := t.extractCountryCode(rest)
		if !ok {
			return Number{}, false, nil
		}
		return t.finish(cc, national, t.mainPlan(cc, p))
	}
	if strings.HasPrefix(digits, p.ccStr) {
		// The number may start with the region's own calling code. That
		// reading wins when it turns a number that is not valid into one
		// that is, or when the number is too long without it.
		national := c.stripNationalPrefix(digits[len(p.ccStr):])
		if (!c.generalMatch(digits) && c.generalMatch(national)) || c.testLength(digits) == phonenumbers.TOO_LONG {
			return t.finish(p.cc, national, t.mainPlan(p.cc, p))
		}
	}
	return t.finish(p.cc, digits, p)
}

// extractCountryCode is libphonenumber's extractCountryCode: the shortest
// prefix of one to three digits that is a known calling code.
func (t *tables) extractCountryCode(full string) (cc int, national string, ok bool) {
	if len(full) == 0 || full[0] == '0' {
		return 0, full, false
	}
	for i := 1; i <= 3 && i <= len(full); i++ {
		cc = cc*10 + int(full[i-1]-'0')
		if t.byCC[cc] != nil {
			return cc, full[i:], true
		}
	}
	return 0, full, false
}

// mainPlan is the plan parseHelper switches to once it has a calling code:
// that of the calling code's main region, or def if that is the region
// being parsed for.
func (t *tables) mainPlan(cc int, def *Plan) *Plan {
	e := t.byCC[cc]
	if e == nil {
		return nil // GetRegionCodeForCountryCode gives "ZZ", which has no metadata
	}
	if def != nil && e.regions[0] == def.region {
		return def
	}
	return e.plans[0]
}

// finish is the end of parseHelper: strip the national prefix if what is
// left still has a possible length, then check the length.
func (t *tables) finish(cc int, national string, p *Plan) (Number, bool, error) {
	if len(national) < minNSN {
		return Number{}, false, nil
	}
	if p != nil {
		c, err := p.compiled()
		if err != nil {
			return Number{}, false, err
		}
		stripped := c.stripNationalPrefix(national)
		switch c.testLength(stripped) {
		case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY, phonenumbers.INVALID_LENGTH:
		default:
			national = stripped
		}
	}
	if len(national) < minNSN || len(national) > maxNSN {
		return Number{}, false, nil
	}
	return Number{cc: cc, nsn: national}, true, nil
}

// numberPlan is GetRegionCodeForNumber followed by the metadata lookup:
// the plan of the region a number belongs to, compiled, with the number's
// accept mask in it, or nil. Where regions share the calling code, the
// first whose leading digits start the number wins, or, for a region
// without leading digits, the first for which the number is valid.
func (t *tables) numberPlan(n Number) (*Plan, *compiled, uint32, error) {
	e := t.byCC[n.cc]
	if e == nil {
		return nil, nil, 0, nil
	}
	if len(e.plans) == 1 {
		p := e.plans[0]
		if p == nil {
			return nil, nil, 0, nil
		}
		c, err := p.compiled()
		if err != nil {
			return nil, nil, 0, err
		}
		return p, c, c.auto.run(n.nsn), nil
	}
	lead, err := e.leading()
	if err != nil {
		return nil, nil, 0, err
	}
	leadAcc := lead.run(n.nsn)
	for i, p := range e.plans {
		if e.lead[i] != 0 && leadAcc&e.lead[i] == 0 {
			continue
		}
		c, err := p.compiled()
		if err != nil {
			return nil, nil, 0, err
		}
		acc := c.auto.run(n.nsn)
		if e.lead[i] != 0 || c.numberType(acc, len(n.nsn)) != phonenumbers.UNKNOWN {
			return p, c, acc, nil
		}
	}
	return nil, nil, 0, nil
}

// Valid is phonenumbers.IsValidNumber for a number ParseInternational or
// ParseNational returned.
func Valid(n Number) (bool, error) { return load().valid(n) }

func (t *tables) valid(n Number) (bool, error) {
	p, c, acc, err := t.numberPlan(n)
	if err != nil || p == nil {
		return false, err
	}
	if p.region != nonGeoRegion && p.cc != n.cc {
		return false, nil
	}
	return c.numberType(acc, len(n.nsn)) != phonenumbers.UNKNOWN, nil
}

// Type is phonenumbers.GetNumberType for a number ParseInternational or
// ParseNational returned.
func Type(n Number) (phonenumbers.PhoneNumberType, error) { return load().numberType(n) }

func (t *tables) numberType(n Number) (phonenumbers.PhoneNumberType, error) {
	p, c, acc, err := t.numberPlan(n)
	if err != nil || p == nil {
		return phonenumbers.UNKNOWN, err
	}
	return c.numberType(acc, len(n.nsn)), nil
}
