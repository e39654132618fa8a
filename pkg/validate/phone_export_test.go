package validate

import "testing"

// PhoneReference exposes phoneReference to the external tests, which
// import pkg/synth (itself an importer of validate).
var PhoneReference = phoneReference

// SetPhoneRegions sets PhoneRegions for one test and makes Phone look the
// regions up again, now and when the test ends, which puts the list back.
// Tests that use it must not run in parallel with other Phone tests.
func SetPhoneRegions(t testing.TB, regions []string) {
	saved := PhoneRegions
	PhoneRegions = regions
	phoneRegions.Store(nil)
	t.Cleanup(func() {
		PhoneRegions = saved
		phoneRegions.Store(nil)
	})
}
