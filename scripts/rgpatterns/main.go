// Command rgpatterns prints the built-in detectors' patterns, one per line,
// without their lookarounds, for `rg -f`: scripts/bench.sh's reference is
// ripgrep searching for everything the detectors search for, with no
// validation, context or parsing.
//
// Usage: go run ./scripts/rgpatterns > patterns.txt
package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

func main() {
	rs, err := ruleset.Load()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rs.Rules() {
		for _, p := range r.Patterns {
			// rg rejects a group name used twice across -f lines.
			fmt.Println(strings.ReplaceAll(p.WithoutLookarounds(), "(?P<value>", "(?:"))
		}
	}
}
