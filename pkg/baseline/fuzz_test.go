package baseline

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzParse: a baseline file is user input. Parse must never panic, must
// return nil with an error, and what it accepts must survive a round
// trip through Write unchanged.
func FuzzParse(f *testing.F) {
	var buf bytes.Buffer
	Create(sample(), key).Write(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":1,"entries":[]}`))
	f.Add([]byte(`{"version":1,"key_id":"x","entries":[{"path":"a","detector":"d","count":2,"fingerprints":["b","a","a"]}]}`))
	f.Add([]byte(`{"version":1,"entries":[{"path":"a","detector":"d"},{"path":"a","detector":"d"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		b, err := Parse(data)
		if err != nil {
			if b != nil {
				t.Fatal("non-nil baseline with an error")
			}
			return
		}
		var out bytes.Buffer
		if err := b.Write(&out); err != nil {
			t.Fatal(err)
		}
		b2, err := Parse(out.Bytes())
		if err != nil {
			t.Fatalf("re-parse of written baseline: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(b.Entries, b2.Entries) || b.KeyID != b2.KeyID {
			t.Fatalf("round trip changed the baseline:\n%+v\n%+v", b, b2)
		}
		// Applying any accepted baseline to a report must not panic.
		b.Apply(sample(), Options{Key: key})
	})
}
