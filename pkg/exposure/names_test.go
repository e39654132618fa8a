package exposure

import (
	"os/user"
	"runtime"
	"sync"
	"testing"
)

func TestOwnerName(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("uids are Unix")
	}
	if got := OwnerName(0); got != "root" {
		t.Errorf("OwnerName(0) = %q, want root", got)
	}
	if got := OwnerName(3999990001); got != "3999990001" {
		t.Errorf("unknown uid: %q", got)
	}
	if u, err := user.Current(); err == nil {
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := OwnerName(parseUint32(t, u.Uid)); got != u.Username {
					t.Errorf("current user: %q, want %q", got, u.Username)
				}
			}()
		}
		wg.Wait()
	}
	want := "root"
	if runtime.GOOS == "darwin" || runtime.GOOS == "freebsd" {
		want = "wheel"
	}
	if got := GroupName(0); got != want {
		t.Errorf("GroupName(0) = %q, want %q", got, want)
	}
	if got := GroupName(3999990011); got != "3999990011" {
		t.Errorf("unknown gid: %q", got)
	}
}

func TestNameCacheBound(t *testing.T) {
	t.Parallel()
	var c nameCache
	calls := 0
	lookup := func(id string) (string, error) { calls++; return "u" + id, nil }
	for i := uint32(0); i < maxNames+10; i++ {
		c.get(i, lookup)
	}
	if len(c.m) != maxNames {
		t.Errorf("cache holds %d names, want the cap %d", len(c.m), maxNames)
	}
	calls = 0
	if got := c.get(7, lookup); got != "u7" || calls != 0 {
		t.Errorf("cached id: %q after %d lookups", got, calls)
	}
	if got := c.get(maxNames+5, lookup); got != "u65541" || calls != 1 {
		t.Errorf("uncached id past the cap: %q after %d lookups", got, calls)
	}
}

func parseUint32(t *testing.T, s string) uint32 {
	var n uint32
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("uid %q", s)
		}
		n = n*10 + uint32(c-'0')
	}
	return n
}
