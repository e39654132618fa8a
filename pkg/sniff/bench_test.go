package sniff

import (
	"bytes"
	"fmt"
	"testing"
)

// benchHeads are typical heads: full 8 KiB of text, CSV and UTF-8, a short
// text file, and binary and zip heads that magic numbers or a NUL settle.
var benchHeads = func() []struct {
	name, file string
	head       []byte
} {
	var prose, csv, utf8 bytes.Buffer
	for i := 0; prose.Len() < HeadSize; i++ {
		fmt.Fprintf(&prose, "Line %d: please call Alice Example on +44 7700 900%03d about invoice %d.\n", i, i%1000, i)
	}
	csv.WriteString("name,email,phone,iban\r\n")
	for i := 0; csv.Len() < HeadSize; i++ {
		fmt.Fprintf(&csv, "Person %d,person%d@example.com,+44 7700 900%03d,GB82WEST1234569876%04d\r\n", i, i, i%1000, i)
	}
	for utf8.Len() < HeadSize {
		utf8.WriteString("Zoë Müller, Straße 12, 東京都, Ελλάδα — naïve café\n")
	}
	elf := append([]byte("\x7FELF\x02\x01\x01"), make([]byte, HeadSize)...)
	nul := append(bytes.Repeat([]byte("data"), 16), make([]byte, HeadSize)...)
	return []struct {
		name, file string
		head       []byte
	}{
		{"prose-8k", "notes.txt", prose.Bytes()[:HeadSize]},
		{"csv-8k", "people.csv", csv.Bytes()[:HeadSize]},
		{"utf8-8k", "notes.txt", utf8.Bytes()[:HeadSize]},
		{"text-200", "notes.txt", prose.Bytes()[:200]},
		{"elf", "a.out", elf[:HeadSize]},
		{"nul-at-64", "blob.bin", nul[:HeadSize]},
		{"xlsx", "Book1.xlsx", append([]byte("PK\x03\x04"), make([]byte, HeadSize-4)...)},
	}
}()

func BenchmarkDetect(b *testing.B) {
	for _, h := range benchHeads {
		b.Run(h.name, func(b *testing.B) {
			b.SetBytes(int64(len(h.head)))
			b.ReportAllocs()
			for b.Loop() {
				Detect(h.file, h.head)
			}
		})
	}
}

// BenchmarkEncrypted times Encrypted on text (the common case: no read)
// and on fixtures that need reads through the io.ReaderAt.
func BenchmarkEncrypted(b *testing.B) {
	cases := []struct{ name, file string }{
		{"prose-8k", ""},
		{"zip-plain", "zip-plain.zip"},
		{"zip-zipcrypto", "zip-zipcrypto.zip"},
		{"doc-encrypted", "doc-encrypted.doc"},
		{"pdf-aes256", "pdf-aes256.pdf"},
		{"pdf-owner-only-r6", "pdf-owner-password-only.pdf"},
		{"pgp-public-key", "pgp-public-key.gpg"},
	}
	for _, c := range cases {
		data := benchHeads[0].head
		if c.file != "" {
			data = fixture(b, c.file)
		}
		head := data[:min(len(data), HeadSize)]
		r := bytes.NewReader(data)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Encrypted(c.file, head, r, int64(len(data))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
