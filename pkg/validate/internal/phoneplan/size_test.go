package phoneplan

import (
	"cmp"
	"slices"
	"testing"
)

// allPlans returns every plan of the shared tables, by region and by
// calling code, each once, in a stable order.
func allPlans() []*Plan { return plansOf(load()) }

func plansOf(t *tables) []*Plan {
	var ps []*Plan
	for _, e := range t.byCC {
		if e != nil {
			for _, p := range e.plans {
				if p != nil && !slices.Contains(ps, p) {
					ps = append(ps, p)
				}
			}
		}
	}
	for _, p := range t.byRegion {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b *Plan) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.cc, b.cc))
	})
	return ps
}

// TestAutomataSize compiles every plan, which must succeed for Phone never
// to fall back to libphonenumber, and bounds what the automata cost: the
// issue asks for small tables. It logs the totals the report quotes.
func TestAutomataSize(t *testing.T) {
	t.Parallel()
	states, bytes, biggest := 0, 0, 0
	var big string
	plans := allPlans()
	for _, p := range plans {
		c, err := p.compiled()
		if err != nil {
			t.Errorf("%s: %v", p.region, err)
			continue
		}
		states += c.auto.states()
		bytes += c.auto.sizeBytes()
		if c.auto.states() > biggest {
			biggest, big = c.auto.states(), p.region
		}
	}
	shared, sharedStates := 0, 0
	for _, e := range load().byCC {
		if e != nil && len(e.plans) > 1 {
			a, err := e.leading()
			if err != nil {
				t.Errorf("calling code of %v: %v", e.regions, err)
				continue
			}
			shared++
			sharedStates += a.states()
			bytes += a.sizeBytes()
		}
	}
	t.Logf("%d plans: %d states, largest %s with %d; %d shared calling codes: %d states; %d KiB in all",
		len(plans), states, big, biggest, shared, sharedStates, bytes/1024)
	if biggest > 2000 || bytes > 2<<20 {
		t.Errorf("automata grew: largest %d states, %d bytes in all", biggest, bytes)
	}
}

// TestLazy checks that validating a number compiles only the plans it
// needs: a program that sees British numbers does not pay for Germany's
// automaton.
func TestLazy(t *testing.T) {
	t.Parallel()
	tab := newTables()
	n, ok, err := tab.parseInternational("442079460958")
	if !ok || err != nil {
		t.Fatalf("parse: %v %v", ok, err)
	}
	if valid, err := tab.valid(n); !valid || err != nil {
		t.Fatalf("valid: %v %v", valid, err)
	}
	var compiled []string
	for _, p := range plansOf(tab) {
		if p.c.Load() != nil {
			compiled = append(compiled, p.region)
		}
	}
	if !slices.Equal(compiled, []string{"GB"}) {
		t.Errorf("compiled %v, want only GB", compiled)
	}
}
