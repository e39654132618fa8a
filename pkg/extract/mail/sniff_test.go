package mail

import "testing"

func TestSniff(t *testing.T) {
	const hdr = "Received: from mx.example.com\nFrom: a@example.com\nTo: b@example.com\nSubject: hi\n\nbody\n"
	tests := []struct {
		name, file, head string
		want             Format
	}{
		{"eml by name", "a.EML", "From: a@example.com\n\nhi\n", EML},
		{"eml by name, postmark first", "a.eml", "From a@example.com Sun Nov 23 10:00:00 2025\nFrom: a@example.com\n", EML},
		{"eml by content", "message", hdr, EML},
		{"eml by content, CRLF, folded", "x.txt", "Return-Path: <a@example.com>\r\nReceived: from x\r\n\tby y\r\nDate: Sun, 23 Nov 2025\r\nSubject: s\r\n\r\n", EML},
		{"eml head cut inside its header", "x", "Message-ID: <1@example.com>\nFrom: a@example.com\nSubject: s\nX-Long: aaaa\nRecei", EML},
		{"mbox", "inbox.mbox", "From a@example.com Sun Nov 23 10:00:00 2025\n" + hdr, MBOX},
		{"thunderbird folder without extension", "Inbox", "From - Sun Nov 23 10:00:00 2025\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n", MBOX},
		{"google takeout", "All mail.mbox", "From 1790000000000000001@xxx Sun Nov 23 10:00:00 +0000 2025\nX-GM-THRID: 1790000000000000001\nX-Gmail-Labels: Inbox\n", MBOX},
		{"mbox with CRLF", "x", "From a@example.com Sun Nov 23 10:00:00 2025\r\nSubject: s\r\n", MBOX},

		{"csv with From: header cells", "people.csv", "From:,To:,Subject:\nalice@example.com,bob@example.com,hi\n", None},
		{"log of From: lines", "mail.log", "From: alice connected\nFrom: bob connected\nFrom: carol connected\n", None},
		{"log with a timestamp first", "app.log", "2025-11-23 10:00:00 From: a@example.com To: b@example.com\n", None},
		{"two fields only", "note.txt", "From: Alice\nTo: Bob\n\nhi\n", None},
		{"three fields, no origin", "note.txt", "To: Bob\nSubject: lunch\nDate: today\n\nhi\n", None},
		{"prose after fields", "letter.txt", "From: Alice\nTo: Bob\nSubject: hi\nDear Bob, how are you\n", None},
		{"prose", "letter.txt", "From the desk of Alice Example\nTodo: call Bob at 10:00 2025 today\n", None},
		{"From line, then text", "x", "From a@example.com Sun Nov 23 10:00:00 2025\nHello there\n", None},
		{"From line without a date", "x", "From my notes\nTodo: buy milk\n", None},
		{"From line, fields unknown", "x", "From a Sun Nov 23 10:00:00 2025\nTodo: x\n", None},
		{"eml name, not a header", "a.eml", "<html><body>hi</body></html>\n", None},
		{"eml name, empty", "a.eml", "", None},
		{"yaml", "config.yml", "from: a\nto: b\nsubject: c\nreceived: d\n", None},
		{"lower-case eml named .eml", "a.eml", "from: a@example.com\n\nhi\n", EML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.file, []byte(tt.head)); got != tt.want {
				t.Errorf("Sniff(%q) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

// FuzzSniff checks that any name and head give a format, without panic.
func FuzzSniff(f *testing.F) {
	f.Add("a.eml", "From: a@example.com\n\nx")
	f.Add("x", "From a Sun Nov 23 10:00:00 2025\nSubject: s\n")
	f.Add("x", "Received: x\nFrom: a\nTo: b\n\n")
	f.Fuzz(func(t *testing.T, name, head string) {
		got := Sniff(name, []byte(head))
		if got != None && got != EML && got != MBOX {
			t.Fatalf("Sniff = %q", got)
		}
	})
}
