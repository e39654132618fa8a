// Package gittest runs git for the tests that hold a matcher to
// git check-ignore (pkg/pathmatch, pkg/walk). Only tests import it.
package gittest

import (
	"os"
	"os/exec"
	"testing"
)

// Git returns the path of git, skipping the test in -short mode or when
// git is not installed.
func Git(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("comparing with git is skipped in -short mode")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	return git
}

// Repo makes an empty repository that ignores the user's global and
// system configuration.
func Repo(t *testing.T, git string) string {
	t.Helper()
	repo := t.TempDir()
	cmd := exec.Command(git, "init", "-q", repo)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	return repo
}
