package office

import (
	"reflect"
	"testing"
)

// The letter fixtures are one source (testdata/src/letter.fodt) saved by
// LibreOffice as odt, ott and docx; both formats must read the same.
var letterBody = []string{
	"Customer record",
	"Name: Alice Example",
	"Phone: +44 20 7946 0958", // split across three runs
	"Card: 4111 1111 1111 1111",
	"IBAN: GB82 WEST 1234 5698 7654 32", // after a line break
	"Fish & Chips Ltd ordered.",         // footnote anchor and citation left out
	"Reviewed by HR.",                   // comment anchor left out
	"First item: carol@example.net",
	"Second item",
	"Dave Example", // table cells, one line each
	"dave@example.org",
	"End of record.",
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file  string
		lines map[string][]string
		cells []string
	}{
		{file: "letter.docx", lines: map[string][]string{
			"":          letterBody,
			"header":    {"Example Ltd, call +44 20 7946 0958"},
			"footer":    {"Confidential: hr@example.com"},
			"footnotes": {" Registered office: 1 Example Street."}, // Word's tab after the note mark
			"comments":  {"Check SSN 123-45-6789 with bob@example.com"},
		}},
		{file: "letter.odt", lines: map[string][]string{
			"":          letterBody,
			"header":    {"Example Ltd, call +44 20 7946 0958"},
			"footer":    {"Confidential: hr@example.com"},
			"footnotes": {"Registered office: 1 Example Street."},
			"comments":  {"Check SSN 123-45-6789 with bob@example.com"},
		}},
		{file: "letter.ott", lines: map[string][]string{
			"":          letterBody,
			"header":    {"Example Ltd, call +44 20 7946 0958"},
			"footer":    {"Confidential: hr@example.com"},
			"footnotes": {"Registered office: 1 Example Street."},
			"comments":  {"Check SSN 123-45-6789 with bob@example.com"},
		}},
		{file: "notes.docx", lines: map[string][]string{
			"": {
				"Meeting notes",
				"Attendee: Alice Example, alice@example.com.",
				"Call back on +44 20 7946 0958 about the card 4111 1111 1111 1111.",
				"Name", "IBAN", "Bob Example", "GB82 WEST 1234 5698 7654 32",
				"SSN 123-45-6789",
				"Done",
			},
			"footnotes": {" Card is a test card."},
		}},
		{file: "notes.odt", lines: map[string][]string{
			"": {
				"Meeting notes",
				"Attendee: Alice Example, alice@example.com.",
				"Call back on +44 20 7946 0958 about the card 4111 1111 1111 1111.",
				"Name", "IBAN", "Bob Example", "GB82 WEST 1234 5698 7654 32",
				"SSN 123-45-6789",
				"Done",
			},
			"footnotes": {"Card is a test card."},
			"footer":    {"1 "}, // pandoc's reference document: a page number field
		}},
		{file: "deck.odp", lines: map[string][]string{
			"slide 1":       {"Quarterly review", "Contact alice@example.com", "Phone +44 20 7946 0958"},
			"slide 1 notes": {"Speaker: card 4111 1111 1111 1111"},
			"slide 2":       {"Second slide", "IBAN GB82 WEST 1234 5698 7654 32"},
			"slide 2 notes": {"Ask bob@example.org"},
		}},
		{file: "deck.pptx", lines: map[string][]string{
			"slide 1":       {"Quarterly review", "Contact alice@example.com", "Phone +44 20 7946 0958"},
			"slide 1 notes": {"Speaker: card 4111 1111 1111 1111"},
			"slide 2":       {"Second slide", "IBAN GB82 WEST 1234 5698 7654 32"},
			"slide 2 notes": {"Ask bob@example.org"},
		}},
		{file: "talk.pptx", lines: map[string][]string{
			// pandoc's title slide: title, then empty subtitle, author
			// and date placeholders.
			"slide 1":       {"Team update", "", "", ""},
			"slide 2":       {"Contacts", "Alice Example: alice@example.com", "Phone: +44 20 7946 0958"},
			"slide 2 notes": {"Remind Bob Example about SSN 123-45-6789.", "2"}, // and the slide number field
			"slide 3":       {"Billing", "IBAN GB82 WEST 1234 5698 7654 32"},
			"slide 3 notes": {"Card 4111 1111 1111 1111 expires soon.", "3"},
		}},
		{file: "people.ods", lines: map[string][]string{}, cells: []string{
			"People!A2 [Name] = Alice Example",
			"People!B2 [Email] = alice@example.com",
			"People!C2 [Phone] = +44 20 7946 0958",
			"People!D2 [Notes] = first line\nsecond line",
			"People!A3 [Name] = Bob Example",
			"People!C3 [Phone] = 4111111111111111",
			"People!D3 [Notes] = same",
			"People!A4 [Name] = x", // one cell repeated three times
			"People!B4 [Email] = x",
			"People!C4 [Phone] = x",
			"People!A5 [Name] = merged 123-45-6789", // B5 is the covered cell
			"People!C5 [Phone] = 0.5",
			"Second sheet!A1 = 42", // no header row: a number
			"Second sheet!B1 = GB82 WEST 1234 5698 7654 32",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, tt.file)
			for _, format := range []Format{Sniff(tt.file, data), Unknown} {
				res, err := collect(t, Reader{Format: format}, tt.file, data)
				if err != nil {
					t.Fatalf("format %v: %v", format, err)
				}
				if !reflect.DeepEqual(res.lines, tt.lines) {
					t.Errorf("format %v: lines\n got %q\nwant %q", format, res.lines, tt.lines)
				}
				if !reflect.DeepEqual(res.cells, tt.cells) {
					t.Errorf("format %v: cells\n got %q\nwant %q", format, res.cells, tt.cells)
				}
			}
		})
	}
}

func TestSniff(t *testing.T) {
	odt := readFixture(t, "letter.odt")
	docx := readFixture(t, "letter.docx")
	ods := readFixture(t, "people.ods")
	odp := readFixture(t, "deck.odp")
	ott := readFixture(t, "letter.ott")
	pptx := readFixture(t, "deck.pptx")
	// Go's zip writer streams entries: sizes follow the data in a data
	// descriptor, and the local header says 0.
	odg := buildZip(t, entry{name: "mimetype", body: "application/vnd.oasis.opendocument.graphics"}, entry{name: "content.xml", body: "<x/>"})
	streamed := buildZip(t, entry{name: "mimetype", body: mtSheet}, entry{name: "content.xml", body: "<x/>"})
	last := buildZip(t, entry{name: "mimetype", body: mtPres})
	tests := []struct {
		name string
		head []byte
		want Format
	}{
		{"letter.docx", docx, Docx},
		{"dir/LETTER.DOCM", docx, Docx},
		{"a.dotx", docx, Docx},
		{"deck.pptx", pptx, Pptx},
		{"deck.potx", pptx, Pptx},
		{"letter.odt", odt, Odt},
		{"letter.ott", ott, Odt},
		{"people.ods", ods, Ods},
		{"deck.odp", odp, Odp},
		{"renamed.docx", odt, Odt}, // the mimetype entry wins over the name
		{"renamed.zip", ods, Ods},
		{"streamed.docx", streamed, Ods},
		{"only-entry", last, Odp},
		{"noext", odp, Odp},
		{"archive.zip", docx, Unknown}, // OOXML has no marker: the name decides
		{"book.xlsx", docx, Unknown},
		{"drawing.odg", odg, Unknown},
		{"drawing.odt", odg, Unknown}, // a drawing named .odt is still a drawing
		{"letter.docx", []byte("plain text, not a zip"), Unknown},
		{"letter.docx", nil, Unknown},
		{"letter.odt", odt[:40], Odt}, // too short for the mimetype: the name
		{"x.zip!inner/letter.docx", docx, Docx},
		{"letter.docx!inner", docx, Unknown},
	}
	for _, tt := range tests {
		head := tt.head[:min(len(tt.head), 8<<10)]
		if got := Sniff(tt.name, head); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFormatString(t *testing.T) {
	want := map[Format]string{Unknown: "unknown", Docx: "docx", Pptx: "pptx", Odt: "odt", Ods: "ods", Odp: "odp", Format(99): "unknown"}
	for f, s := range want {
		if f.String() != s {
			t.Errorf("Format(%d).String() = %q, want %q", f, f.String(), s)
		}
	}
}
