package exposure

import (
	"os/user"
	"strconv"
	"sync"
)

// maxNames bounds each name cache; past it, lookups are not remembered
// (a tree with more distinct owners than this is not a realistic share).
const maxNames = 1 << 16

// nameCache remembers id → name lookups, including failed ones: os/user
// reads /etc/passwd or asks NSS (maybe LDAP) on every call.
type nameCache struct {
	mu sync.Mutex
	m  map[uint32]string
}

var users, groups nameCache

func (c *nameCache) get(id uint32, lookup func(string) (string, error)) string {
	c.mu.Lock()
	name, ok := c.m[id]
	c.mu.Unlock()
	if ok {
		return name
	}
	num := strconv.FormatUint(uint64(id), 10)
	name, err := lookup(num)
	if err != nil || name == "" {
		name = num
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[uint32]string)
	}
	if len(c.m) < maxNames {
		c.m[id] = name
	}
	c.mu.Unlock()
	return name
}

// OwnerName returns the user name of uid, or uid as a number when the
// system does not know it. Results are cached for the process.
func OwnerName(uid uint32) string {
	return users.get(uid, func(id string) (string, error) {
		u, err := user.LookupId(id)
		if err != nil {
			return "", err
		}
		return u.Username, nil
	})
}

// GroupName returns the group name of gid, or gid as a number when the
// system does not know it. Results are cached for the process.
func GroupName(gid uint32) string {
	return groups.get(gid, func(id string) (string, error) {
		g, err := user.LookupGroupId(id)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	})
}
