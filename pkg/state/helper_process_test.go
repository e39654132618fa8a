package state

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

const (
	helperEnv    = "DATAHYGIENE_STATE_TEST_HELPER"
	helperDirEnv = "DATAHYGIENE_STATE_TEST_DIR"
)

// helperMain is the child side of the cross-process tests. It reports
// progress on stdout, one word a line, and the parent acts on the words,
// never on timing.
func helperMain(mode, dir string) int {
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	if _, err := s.Lock("/helper/" + mode); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	switch mode {
	case "hold":
		// Hold the lock until the parent closes our stdin.
		fmt.Println("locked")
		bufio.NewReader(os.Stdin).ReadString('\n')
		s.Close()
		return 0
	case "write":
		rec, err := s.StartRun(RunInfo{Root: "/helper/write", ToolVersion: "test", RulesHash: "r1"}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 5
		}
		for i := 0; ; i++ {
			f := dirtyFile(fmt.Sprintf("dir%03d/file%06d.txt", i%100, i), i,
				fnd("email", finding.Medium, loc(i%50+1, fmt.Sprintf("fp%d", i))))
			if err := rec.File(f.res.Path, f.m, []finding.FileResult{f.res}, Miss); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 6
			}
			// Once a few batches are committed, tell the parent, and keep
			// writing until it kills us.
			if i == 3*batchSize {
				for count0(s) < 2*batchSize {
					time.Sleep(10 * time.Millisecond)
				}
				fmt.Println("ready")
			}
		}
	}
	return 2
}

func count0(s *Store) int {
	var n int
	s.db.QueryRow(`SELECT count(*) FROM files`).Scan(&n)
	return n
}

// startHelper runs this test binary as a helper in mode on dir and waits
// for its first line of output, which it returns.
func startHelper(t *testing.T, mode, dir string) (*exec.Cmd, io.WriteCloser, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDirEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Wait()
		t.Fatalf("helper %s: %v (stderr: %s)", mode, err, stderr.String())
	}
	return cmd, stdin, strings.TrimSpace(line)
}
