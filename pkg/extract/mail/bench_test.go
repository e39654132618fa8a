package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// benchMbox builds an mbox of n messages shaped like real mail: an
// alternative (plain and quoted-printable HTML) and a base64 CSV
// attachment of about 4 KiB, about 9 KiB per message.
func benchMbox(n int) []byte {
	var csv strings.Builder
	for i := range 80 {
		fmt.Fprintf(&csv, "Person %03d,person%03d@example.com,+44 20 7946 0%03d\n", i, i, i)
	}
	att := base64.StdEncoding.EncodeToString([]byte(csv.String()))
	var wrapped strings.Builder
	for len(att) > 76 {
		wrapped.WriteString(att[:76] + "\n")
		att = att[76:]
	}
	wrapped.WriteString(att + "\n")
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "From sender%d@example.com Sun Nov 23 10:00:00 2025\n", i)
		fmt.Fprintf(&b, "Received: from mx%d.example.com by mx.example.com; Sun, 23 Nov 2025 10:00:00 +0000\n", i)
		fmt.Fprintf(&b, "From: =?utf-8?q?Jos=C3=A9_Example_%d?= <jose%d@example.com>\nTo: team@example.com\n", i, i)
		fmt.Fprintf(&b, "Subject: Report %d\nDate: Sun, 23 Nov 2025 10:00:00 +0000\nMIME-Version: 1.0\n", i)
		b.WriteString("Content-Type: multipart/mixed; boundary=\"mixed\"\n\n--mixed\n")
		b.WriteString("Content-Type: multipart/alternative; boundary=\"alt\"\n\n--alt\nContent-Type: text/plain; charset=utf-8\n\n")
		for range 12 {
			b.WriteString("Please find the report attached. Card 4111 1111 1111 1111 on file.\n")
		}
		b.WriteString(">From the desk of the team.\n--alt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n")
		for range 12 {
			b.WriteString("<p style=3D\"margin:0\">Please find the report attached. Card 4111 1111 1111 1111 on f=\nile.</p>\n")
		}
		b.WriteString("--alt--\n--mixed\nContent-Type: text/csv; name=\"report.csv\"\nContent-Transfer-Encoding: base64\n\n")
		b.WriteString(wrapped.String())
		b.WriteString("--mixed--\n\n")
	}
	return b.Bytes()
}

// BenchmarkWalk measures MB/s of mbox input, every Part read to its end.
func BenchmarkWalk(b *testing.B) {
	data := benchMbox(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in := extract.Input{Name: "bench.mbox", R: bytes.NewReader(data), Size: int64(len(data))}
		parts := 0
		err := Walk(context.Background(), in, MBOX, Limits{}, func(p *Part) error {
			parts++
			_, err := io.Copy(io.Discard, p.R)
			return err
		})
		if err != nil || parts != 2000 {
			b.Fatalf("Walk = %v after %d parts", err, parts)
		}
	}
}
