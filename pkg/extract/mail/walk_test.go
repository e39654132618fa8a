package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

const peopleCSV = "name,email,phone\n" +
	"Alice Example,alice@example.com,+44 20 7946 0958\n" +
	"Bob Example,bob@example.com,+44 20 7946 0959\n"

// TestWalkFixtures checks every Part of each committed fixture: names,
// Text flags, exact contents, sizes and errors.
func TestWalkFixtures(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		want   []got
	}{
		{"plain.eml", EML, []got{{Name: "", Text: true, Data: "From: Jane Doe <jane.doe@example.com>\n" +
			"To: John Smith <john.smith@example.com>\n" +
			"Subject: Your order\n" +
			"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
			"\n" +
			"Hi John,\n\nyour card 4111 1111 1111 1111 was charged.\nCall +44 20 7946 0958 with questions.\n\nJane\n"}}},
		// multipart/alternative: the plain version only; ISO-8859-1
		// quoted-printable; RFC 2047 words in ISO-8859-1 and UTF-8, one
		// inside a quoted display name.
		{"alternative.eml", EML, []got{{Name: "", Text: true, Data: "From: Zoë Dupré <zoe.dupre@example.com>\n" +
			"To: Björn Example <bjorn@example.com>, carol@example.com\n" +
			"Cc: \"Renée Example\" <renee@example.com>\n" +
			"Subject: Données client – carte\n" +
			"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
			"\n" +
			"Bonjour Zoë,\nla carte 4111 1111 1111 1111 expire bientôt.\n"}}},
		// HTML only, Windows-1252 quoted-printable with a soft line break:
		// script, style and comments dropped, entities decoded, rows kept
		// as lines, a mailto: address the link text hides appended.
		{"html-only.eml", EML, []got{{Name: "", Text: true, Data: "From: Shop <news@example.com>\n" +
			"To: kim@example.com\n" +
			"Subject: Your réceipt\n" +
			"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
			"\n" +
			"Receipt\n\nDear Kim Lee,\n\nCard ending 1111 & IBAN GB82 WEST 1234 5698 7654 32.\n\n" +
			"Name\tPhone\nKim Lee\t+44 20 7946 0958\n\n" +
			"Write to our help desk <help@example.com> or kim@example.com.\n\nCafé – thanks\n"}}},
		// mixed > alternative (base64), a base64 zip, a quoted-printable
		// CSV with an RFC 2231 UTF-8 filename.
		{"nested.eml", EML, []got{
			{Name: "", Text: true, Data: "From: Dana Example <dana@example.com>\n" +
				"To: hr@example.com\n" +
				"Subject: Staff list\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"Attached: the staff list.\nIBAN GB82 WEST 1234 5698 7654 32\n"},
			{Name: "people.zip", Data: "zip"}, // checked below
			{Name: "équipe ünd.csv", Data: peopleCSV},
		}},
		// Written by Python with CRLF line breaks; the forwarded message
		// is an attachment, byte for byte.
		{"forwarded.eml", EML, []got{
			{Name: "", Text: true, Data: "From: Frank Example <frank@example.com>\n" +
				"To: grace@example.com\n" +
				"Subject: Fwd: Original\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"See the forwarded message.\n"},
			{Name: "original.eml", Data: "From: Eve Example <eve@example.com>\r\n" +
				"To: frank@example.com\r\n" +
				"Subject: Original\r\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\r\n" +
				"Content-Type: text/plain; charset=\"utf-8\"\r\n" +
				"Content-Transfer-Encoding: 7bit\r\n" +
				"MIME-Version: 1.0\r\n" +
				"\r\n" +
				"Call me on +44 20 7946 0958.\r\n"},
		}},
		// mboxrd escaping undone, a Thunderbird separator, unescaped
		// "From " lines that are not separators, a base64 attachment.
		{"inbox.mbox", MBOX, []got{
			{Name: "msg-1", Text: true, Data: "From: Alice Example <alice@example.com>\n" +
				"To: Bob Example <bob@example.com>\n" +
				"Subject: First\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"Hello Bob,\nFrom the top: my SSN is 123-45-6789.\n>From quoted twice.\n"},
			{Name: "msg-2", Text: true, Data: "From: Bob Example <bob@example.com>\n" +
				"To: Alice Example <alice@example.com>\n" +
				"Subject: Re: First\n" +
				"Date: Sun, 23 Nov 2025 11:00:00 +0000\n" +
				"\n" +
				"Thanks Alice.\nFrom here on, no escaping (mboxo writers miss lines like this one).\n" +
				"From bob@example.com is not a separator either: no blank line before.\n"},
			{Name: "msg-3", Text: true, Data: "From: Carol Example <carol@example.com>\n" +
				"To: alice@example.com\n" +
				"Subject: Export\n" +
				"Date: Sun, 23 Nov 2025 12:00:00 +0000\n" +
				"\n" +
				"See attached.\n"},
			{Name: "msg-3/export.csv", Data: "name,iban\nCarol Example,GB82 WEST 1234 5698 7654 32\n"},
		}},
		// Written by Python's mailbox module (mboxo escaping).
		{"python.mbox", MBOX, []got{
			{Name: "msg-1", Text: true, Data: "From: Heidi Example <heidi@example.com>\n" +
				"To: team@example.com\n" +
				"Subject: Report 1\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"Hello,\nFrom now on, SSN 123-45-6781 is on file.\n"},
			{Name: "msg-1/ids.bin", Data: "id,ssn\n1,123-45-6789\n"},
			{Name: "msg-2", Text: true, Data: "From: Ivan Example <ivan@example.com>\n" +
				"To: team@example.com\n" +
				"Subject: Report 2\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"Hello,\nFrom now on, SSN 123-45-6782 is on file.\n"},
			{Name: "msg-2/ids.bin", Data: "id,ssn\n1,123-45-6789\n"},
		}},
		// The declared boundary never occurs: the body is read as text,
		// so the card number is still scanned, and the message reported.
		{"broken-boundary.eml", EML, []got{{Name: "", Text: true,
			Data: "From: Liam Example <liam@example.com>\n" +
				"To: mia@example.com\n" +
				"Subject: Broken\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"This is a multi-part message in MIME format.\n--actual\nContent-Type: text/plain\n\n" +
				"Card 4111 1111 1111 1111 belongs to Liam.\n--actual--\n",
			Err: "message: corrupt or unsupported content: multipart body without its boundary"}}},
		// Neither multipart is closed: the inner one ends at the outer
		// delimiter, the outer one with the file. The filename's path is
		// dropped.
		{"missing-close.eml", EML, []got{
			{Name: "", Text: true, Data: "From: Noah Example <noah@example.com>\n" +
				"To: olivia@example.com\n" +
				"Subject: Truncated\n" +
				"Date: Sun, 23 Nov 2025 10:00:00 +0000\n" +
				"\n" +
				"Plain version, phone +44 20 7946 0958.\n"},
			{Name: "list.csv", Data: "name,phone\nNoah Example,+44 20 7946 0958\n"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, tt.file)
			if f := Sniff(tt.file, data[:min(len(data), 8<<10)]); f != tt.format {
				t.Fatalf("Sniff = %q, want %q", f, tt.format)
			}
			parts, err := walkBytes(t, data, tt.format, Limits{})
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			for i := range parts {
				if parts[i].Size != int64(len(parts[i].Data)) {
					t.Errorf("part %q: Size %d, read %d bytes", parts[i].Name, parts[i].Size, len(parts[i].Data))
				}
				parts[i].Size = 0
				if parts[i].Name == "people.zip" && strings.HasPrefix(parts[i].Data, "PK\x03\x04") && len(parts[i].Data) == 194 {
					parts[i].Data = "zip"
				}
			}
			comparePartsT(t, parts, tt.want)
		})
	}
}

func comparePartsT(t *testing.T, parts, want []got) {
	t.Helper()
	if len(parts) != len(want) {
		t.Errorf("got %d parts, want %d", len(parts), len(want))
	}
	for i := range min(len(parts), len(want)) {
		if parts[i] != want[i] {
			t.Errorf("part %d:\n got %#v\nwant %#v", i, parts[i], want[i])
		}
	}
}

// crlf converts LF line breaks to CRLF.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

// TestCRLF reads LF fixtures converted to CRLF: message texts are the
// same (line breaks normalised), base64 attachments identical, and
// identity-encoded ones keep their CRLF bytes.
func TestCRLF(t *testing.T) {
	for _, file := range []string{"plain.eml", "nested.eml", "inbox.mbox", "missing-close.eml", "html-only.eml"} {
		t.Run(file, func(t *testing.T) {
			data := readFixture(t, file)
			f := Sniff(file, data)
			lf, err := walkBytes(t, data, f, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			cr, err := walkBytes(t, crlf(string(data)), f, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(lf) != len(cr) {
				t.Fatalf("LF: %d parts, CRLF: %d", len(lf), len(cr))
			}
			for i := range lf {
				want := lf[i]
				// Identity and quoted-printable bodies carry the line
				// breaks of the message; base64 ones their own.
				if !want.Text && (file == "missing-close.eml" || strings.HasSuffix(want.Name, ".csv") && file == "nested.eml") {
					want.Data = string(crlf(want.Data))
					want.Size = int64(len(want.Data))
				}
				if cr[i] != want {
					t.Errorf("part %d:\n CRLF %#v\n   LF %#v", i, cr[i], want)
				}
			}
		})
	}
}

// TestStreamInput walks an input without random access: it is spooled
// first, with the same result.
func TestStreamInput(t *testing.T) {
	data := readFixture(t, "inbox.mbox")
	want, err := walkBytes(t, data, MBOX, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	in := extract.Input{Name: "inbox.mbox", R: io.MultiReader(bytes.NewReader(data)), Size: -1}
	var parts []got
	err = Walk(context.Background(), in, MBOX, Limits{}, func(p *Part) error {
		b, _ := io.ReadAll(p.R)
		parts = append(parts, got{Name: p.Name, Text: p.Text, Data: string(b), Size: p.Size})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	comparePartsT(t, parts, want)

	// A stream larger than MaxTotalBytes is refused before it is copied whole.
	in = extract.Input{Name: "inbox.mbox", R: io.MultiReader(bytes.NewReader(data)), Size: -1}
	err = Walk(context.Background(), in, MBOX, Limits{MaxTotalBytes: 100}, func(*Part) error { return nil })
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitBytes {
		t.Fatalf("Walk = %v, want a max-bytes LimitError", err)
	}
}

// msg builds a message from lines joined with "\n".
func msg(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// TestWalkCases covers MIME structures built inline.
func TestWalkCases(t *testing.T) {
	head := "From: a@example.com\nSubject: s\n"
	tests := []struct {
		name string
		in   string
		f    Format
		want []got
	}{
		{"attachment before the text, unnamed parts, duplicate names", msg(
			"From: a@example.com", "Content-Type: multipart/mixed; boundary=b", "",
			"--b", "Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "", "JVBERi0x", // %PDF-1
			"--b", "Content-Type: text/plain", "", "body text",
			"--b", "Content-Type: image/png", "Content-Disposition: inline", "", "png",
			"--b", "Content-Type: application/octet-stream; name=\"a.txt\"", "", "one",
			"--b", "Content-Type: text/plain", "Content-Disposition: attachment; filename=\"A.txt\"", "", "two",
			"--b", "Content-Type: text/plain", "Content-Disposition: attachment; filename=\"a.txt\"", "", "three",
			"--b--"), EML, []got{
			{Text: true, Data: "From: a@example.com\n\nbody text\n"},
			{Name: "part-1.pdf", Data: "%PDF-1"},
			{Name: "part-3.png", Data: "png"},
			{Name: "a.txt", Data: "one"},
			{Name: "A (2).txt", Data: "two"},
			{Name: "a (3).txt", Data: "three"},
		}},
		{"RFC 2231 continuations and an RFC 2047 filename", msg(
			"From: a@example.com", "Content-Type: multipart/mixed; boundary=\"b b\"", "",
			"--b b", "Content-Type: application/pdf",
			"Content-Disposition: attachment;", " filename*0*=iso-8859-1''r%E9sum%E9%20de;", " filename*1=\" Jos\"; filename*2*=%E9.pdf", "", "x",
			"--b b", "Content-Type: application/pdf; name=\"=?UTF-8?B?w6l0w6kucGRm?=\"", "", "y",
			"--b b", "Content-Type: application/pdf", "Content-Disposition: attachment; filename=\"..\\\\..\\\\win\\\\x\x01y.pdf\"", "", "z",
			"--b b--"), EML, []got{
			{Text: true, Data: "From: a@example.com\n"},
			{Name: "résumé de José.pdf", Data: "x"},
			{Name: "été.pdf", Data: "y"},
			{Name: "xy.pdf", Data: "z"},
		}},
		{"message/rfc822 without a filename, digest default type", msg(
			"From: a@example.com", "Content-Type: multipart/digest; boundary=d", "",
			"--d", "", "From: inner@example.com", "", "inner body",
			"--d", "Content-Type: message/rfc822; name=fwd", "", "From: x@example.com", "", "x",
			"--d--"), EML, []got{
			{Text: true, Data: "From: a@example.com\n"},
			{Name: "part-1.eml", Data: "From: inner@example.com\n\ninner body"},
			{Name: "fwd.eml", Data: "From: x@example.com\n\nx"},
		}},
		{"alternative with HTML first, related inside", msg(
			head+"Content-Type: multipart/alternative; boundary=a", "",
			"--a", "Content-Type: multipart/related; boundary=r", "",
			"--r", "Content-Type: text/html", "", "<p>html</p>",
			"--r", "Content-Type: image/gif", "Content-ID: <x>", "", "GIF",
			"--r--",
			"--a", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", "caf=C3=A9 =", "soft",
			"--a--"), EML, []got{
			{Text: true, Data: "From: a@example.com\nSubject: s\n\ncafé soft\n"},
			{Name: "part-2.gif", Data: "GIF"},
		}},
		{"two plain bodies, an inline file, an epilogue", msg(
			head+"Content-Type: multipart/mixed; boundary=m", "", "preamble",
			"--m", "", "first",
			"--m", "", "second", "",
			"--m", "Content-Disposition: inline; filename=notes.txt", "", "inline file",
			"--m--", "epilogue"), EML, []got{
			{Text: true, Data: "From: a@example.com\nSubject: s\n\nfirst\n\nsecond\n"},
			{Name: "notes.txt", Data: "inline file"},
		}},
		{"no blank line after the header, postmark first", msg(
			"From someone@example.com Sun Nov 23 10:00:00 2025", "From: a@example.com", "body starts here", "more"),
			EML, []got{{Text: true, Data: "From: a@example.com\n\nbody starts here\nmore\n"}}},
		{"unknown charset falls back, latin-1 header bytes", msg(
			"From: Jos\xe9 <jose@example.com>", "Content-Type: text/plain; charset=x-made-up", "", "caf\xe9"),
			EML, []got{{Text: true, Data: "From: José <jose@example.com>\n\ncafé\n"}}},
		{"mbox: empty lines kept, separator blank line dropped, unknown transfer encoding", msg(
			"From a@example.com Sun Nov 23 10:00:00 2025", "Subject: one", "", "", "body", "",
			"From b@example.com Sun Nov 23 10:00:00 2025", "Subject: two", "Content-Type: text/csv", "Content-Transfer-Encoding: x-weird", "", "a,b", ""),
			MBOX, []got{
				{Name: "msg-1", Text: true, Data: "Subject: one\n\n\nbody\n"},
				{Name: "msg-2", Text: true, Data: "Subject: two\n"},
				{Name: "msg-2/part-1.csv", Data: "a,b\n\n"},
			}},
		{"mbox: separator without a blank line before it", msg(
			"From a@example.com Sun Nov 23 10:00:00 2025", "Subject: one", "", "body",
			"From b@example.com Sun Nov 23 10:00:00 2025", "Subject: two", "", "body two"),
			MBOX, []got{
				{Name: "msg-1", Text: true, Data: "Subject: one\n\nbody\n"},
				{Name: "msg-2", Text: true, Data: "Subject: two\n\nbody two\n"},
			}},
		{"boundary with trailing white space, base64 with junk and padding inside", msg(
			head+"Content-Type: multipart/mixed; boundary=q", "",
			"--q  ", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: BASE64", "", "aGVs bG8=", "IHdv*cmxk", "",
			"--q--\t"), EML, []got{
			{Text: true, Data: "From: a@example.com\nSubject: s\n"},
			{Name: "part-1.bin", Data: "hello world"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parts, err := walkBytes(t, []byte(tt.in), tt.f, Limits{})
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			for i := range parts {
				if parts[i].Size != int64(len(parts[i].Data)) {
					t.Errorf("part %q: Size %d, read %d bytes", parts[i].Name, parts[i].Size, len(parts[i].Data))
				}
				parts[i].Size = 0
			}
			comparePartsT(t, parts, tt.want)
		})
	}
}

// TestHugeHeader reads a 300 KiB recipient list (a header line over many
// 64 KiB pieces) whole by default. Over MaxHeaderBytes, the message is
// reported, the header kept up to the limit (fields after it are lost)
// and the body read.
func TestHugeHeader(t *testing.T) {
	var to strings.Builder
	for i := range 10_000 {
		if i > 0 {
			to.WriteString(", ")
		}
		fmt.Fprintf(&to, "user%05d@example.com", i)
	}
	data := []byte("From: a@example.com\nTo: " + to.String() + "\nSubject: s\n\nbody 4111 1111 1111 1111\n")
	parts, err := walkBytes(t, data, EML, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := "From: a@example.com\nTo: " + to.String() + "\nSubject: s\n\nbody 4111 1111 1111 1111\n"
	if len(parts) != 1 || parts[0].Data != want || parts[0].Err != "" {
		t.Fatalf("default limits: got %d parts, err %q, %d bytes of text, want %d", len(parts), parts[0].Err, len(parts[0].Data), len(want))
	}

	parts, err = walkBytes(t, data, EML, Limits{MaxHeaderBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 1 {
		t.Fatalf("got %d parts", len(parts))
	}
	if want := "message: header block larger than 64 KiB (mail max-header-bytes)"; parts[0].Err != want {
		t.Errorf("Err = %q, want %q", parts[0].Err, want)
	}
	if !strings.HasPrefix(parts[0].Data, "From: a@example.com\nTo: user00000@example.com, ") ||
		!strings.HasSuffix(parts[0].Data, "\n\nbody 4111 1111 1111 1111\n") ||
		len(parts[0].Data) > 65<<10 || strings.Contains(parts[0].Data, "Subject") {
		t.Errorf("text: %d bytes: %.60q...", len(parts[0].Data), parts[0].Data)
	}
}

// TestLimits checks each limit: what is yielded up to it, the error, and
// that the walk goes on where it can.
func TestLimits(t *testing.T) {
	mbox := func(bodies ...string) []byte {
		var b strings.Builder
		for i, body := range bodies {
			fmt.Fprintf(&b, "From x@example.com Sun Nov 23 10:00:00 2025\nSubject: m%d\n%s\n", i+1, body)
		}
		return []byte(b.String())
	}
	att := func(name, data string) string {
		return "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=" + name + "\n\n" + data + "\n"
	}
	mixed := func(parts ...string) string {
		return "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Join(parts, "") + "--b--\n"
	}
	deep := "Content-Type: multipart/mixed; boundary=b0\n\n"
	for i := 1; i <= 4; i++ {
		deep += fmt.Sprintf("--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i-1, i)
	}
	deep += "--b4\n\ntoo deep\n--b0\n\nshallow\n--b0--\n"

	tests := []struct {
		name    string
		data    []byte
		lim     Limits
		want    []string // Name=Data, then " !Err" if any, per part
		wantErr string
	}{
		{"max-messages", mbox("\na", "\nb", "\nc"), Limits{MaxMessages: 2},
			[]string{"msg-1=Subject: m1\n\na\n", "msg-2=Subject: m2\n\nb\n"},
			"mailbox has more than 2 messages (mail max-messages)"},
		{"max-parts: the message is cut, the next one read", mbox(mixed(att("a", "1"), att("b", "2"), att("c", "3")), "\nnext"), Limits{MaxParts: 3},
			[]string{"msg-1=Subject: m1\n !message 1: message has more than 3 MIME parts (mail max-parts)", "msg-1/a=1", "msg-1/b=2", "msg-2=Subject: m2\n\nnext\n"}, ""},
		{"max-depth: the deep part is skipped, its siblings read", mbox(deep), Limits{MaxDepth: 3},
			[]string{"msg-1=Subject: m1\n\nshallow\n !message 1: multipart nested deeper than 3 levels (mail max-depth)"}, ""},
		{"max-depth not reached", mbox(deep), Limits{MaxDepth: 5},
			[]string{"msg-1=Subject: m1\n\ntoo deep\n\nshallow\n"}, ""},
		{"max-part-bytes: one attachment skipped", mbox(mixed(att("big", "0123456789"), att("small", "01234"))), Limits{MaxPartBytes: 5},
			[]string{"msg-1=Subject: m1\n", "msg-1/big= !message 1, attachment 1: attachment larger than --max-file-size (over 5 B decoded)", "msg-1/small=01234"}, ""},
		{"max-attachments", mbox(mixed(att("a", "1"), att("b", "2")), mixed(att("c", "3"))), Limits{MaxAttachments: 2},
			[]string{"msg-1=Subject: m1\n", "msg-1/a=1", "msg-1/b=2", "msg-2=Subject: m2\n"},
			"mail file has more than 2 attachments (mail max-attachments)"},
		{"max-bytes", mbox(mixed(att("a", "0123456789")), "\nnext"), Limits{MaxTotalBytes: 20},
			[]string{"msg-1=Subject: m1\n"},
			"mail file decodes to more than 20 B (mail max-bytes)"},
		{"max-text-bytes", mbox("\n0123456789 0123456789", "\nok"), Limits{MaxTextBytes: 20},
			[]string{"msg-1=Subject: m1\n\n0123456 !message 1: message text larger than 20 B, cut (mail max-text-bytes)", "msg-2=Subject: m2\n\nok\n"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parts, err := walkBytes(t, tt.data, MBOX, tt.lim)
			var list []string
			for _, p := range parts {
				s := p.Name + "=" + p.Data
				if p.Err != "" {
					s += " !" + p.Err
				}
				list = append(list, s)
			}
			if fmt.Sprintf("%q", list) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("parts:\n got %q\nwant %q", list, tt.want)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Walk: %v", err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrLimit)):
				t.Errorf("Walk = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestPartErrors checks that message errors are typed for the scan.
func TestPartErrors(t *testing.T) {
	data := readFixture(t, "broken-boundary.eml")
	in := extract.Input{Name: "x.eml", R: bytes.NewReader(data), Size: int64(len(data))}
	var errs []error
	err := Walk(context.Background(), in, EML, Limits{MaxHeaderBytes: 10}, func(p *Part) error {
		errs = append(errs, p.Err)
		return nil
	})
	if err != nil || len(errs) != 1 {
		t.Fatalf("Walk = %v, %d parts", err, len(errs))
	}
	var le *LimitError
	if !errors.As(errs[0], &le) || le.Limit != LimitHeader || errors.Is(errs[0], extract.ErrCorrupt) {
		t.Errorf("first problem = %v, want the header limit", errs[0])
	}
	if strings.Contains(errs[0].Error(), "liam") {
		t.Errorf("error names a header value: %v", errs[0])
	}
}

// TestWalkStops checks cancellation, fn's error and a format Walk does
// not read.
func TestWalkStops(t *testing.T) {
	data := readFixture(t, "inbox.mbox")
	in := func() extract.Input {
		return extract.Input{Name: "inbox.mbox", R: bytes.NewReader(data), Size: int64(len(data))}
	}
	stop := errors.New("stop")
	calls := 0
	err := Walk(context.Background(), in(), MBOX, Limits{}, func(*Part) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn error: Walk = %v after %d calls", err, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = Walk(ctx, in(), MBOX, Limits{}, func(*Part) error { calls++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancel: Walk = %v after %d calls", err, calls)
	}

	err = Walk(context.Background(), in(), "pst", Limits{}, func(*Part) error { return nil })
	if !errors.Is(err, extract.ErrCorrupt) {
		t.Errorf("unknown format: Walk = %v", err)
	}

	calls = 0
	empty := extract.Input{Name: "empty.mbox", R: bytes.NewReader(nil), Size: 0}
	if err := Walk(context.Background(), empty, MBOX, Limits{}, func(*Part) error { calls++; return nil }); err != nil || calls != 0 {
		t.Errorf("empty input: Walk = %v, %d parts", err, calls)
	}
}

// TestCheck rejects negative limits by name.
func TestCheck(t *testing.T) {
	if err := (Limits{}).Check(); err != nil {
		t.Errorf("zero limits: %v", err)
	}
	if err := DefaultLimits().Check(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if err := (Limits{MaxParts: -1}).Check(); err == nil || err.Error() != "mail limit max-parts: negative value -1" {
		t.Errorf("negative: %v", err)
	}
}
