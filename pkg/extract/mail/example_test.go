package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/mail"
)

// This is how pkg/scan reads a mail file: Sniff, then Walk; text Parts go
// to the text detector (an .eml's "" part is the file itself), the others
// are reported as OUTER!NAME and read like files of their own (sniffed,
// and walked again if they are archives or mail).
func ExampleWalk() {
	data := []byte("From alice@example.com Sun Nov 23 10:00:00 2025\n" +
		"From: Alice Example <alice@example.com>\nSubject: =?utf-8?q?Caf=C3=A9?=\n" +
		"Content-Type: multipart/mixed; boundary=b\n\n" +
		"--b\n\nCall +44 20 7946 0958.\n" +
		"--b\nContent-Type: text/csv; name=people.csv\nContent-Transfer-Encoding: base64\n\n" +
		"bmFtZQpCb2IK\n--b--\n")
	name := "Inbox"
	f := mail.Sniff(name, data)
	in := extract.Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}
	err := mail.Walk(context.Background(), in, f, mail.DefaultLimits(), func(p *mail.Part) error {
		b, err := io.ReadAll(p.R)
		switch {
		case errors.Is(err, mail.ErrLimit):
			fmt.Printf("%s!%s: skipped: %v\n", name, p.Name, err)
		case p.Text:
			fmt.Printf("%s!%s: text %q\n", name, p.Name, b)
		default:
			fmt.Printf("%s!%s: file %q\n", name, p.Name, b)
		}
		return nil
	})
	fmt.Println(f, err)
	// Output:
	// Inbox!msg-1: text "From: Alice Example <alice@example.com>\nSubject: Café\n\nCall +44 20 7946 0958.\n"
	// Inbox!msg-1/people.csv: file "name\nBob\n"
	// mbox <nil>
}
