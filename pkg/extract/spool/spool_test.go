package spool

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	data := strings.Repeat("0123456789", 100)
	tests := []struct {
		name     string
		opts     Options
		onDisk   bool
		tooLarge bool
	}{
		{name: "memory", opts: Options{InMemory: 4096}},
		{name: "exactly in memory", opts: Options{InMemory: 1000}},
		{name: "disk", opts: Options{InMemory: 100}, onDisk: true},
		{name: "cap met", opts: Options{InMemory: 100, Max: 1000}, onDisk: true},
		{name: "over cap in memory", opts: Options{InMemory: 4096, Max: 999}, tooLarge: true},
		{name: "over cap on disk", opts: Options{InMemory: 10, Max: 999}, tooLarge: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(context.Background(), strings.NewReader(data), nil, -1, tt.opts)
			if tt.tooLarge {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Release()
			if f.Size != int64(len(data)) {
				t.Fatalf("size %d, want %d", f.Size, len(data))
			}
			if (f.dir != "") != tt.onDisk {
				t.Fatalf("on disk = %v, want %v", f.dir != "", tt.onDisk)
			}
			if tt.onDisk {
				st, err := os.Stat(f.dir + "/spool")
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Fatalf("spool mode %v", st.Mode())
				}
			}
			got, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size))
			if err != nil || string(got) != data {
				t.Fatalf("read back %d bytes, err %v", len(got), err)
			}
			dir := f.dir
			f.Release()
			if dir != "" {
				if _, err := os.Stat(dir); !os.IsNotExist(err) {
					t.Fatalf("temporary dir left behind: %v", err)
				}
			}
		})
	}
}

func TestOpenUsesReaderAt(t *testing.T) {
	ra := bytes.NewReader([]byte("abc"))
	f, err := Open(context.Background(), nil, ra, 3, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.ReaderAt != ra {
		t.Fatal("copied an input that was already random access")
	}
	if _, err := Open(context.Background(), nil, ra, 3, Options{Max: 2}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestOpenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, strings.NewReader("x"), nil, -1, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
