// Package rules holds the built-in detector definitions as YAML, embedded in
// the binary. The files are data: pkg/ruleset parses and compiles them. The
// embed line lives here because //go:embed cannot reach up with "..".
package rules

import "embed"

// FS holds detectors/*.yaml.
//
//go:embed detectors/*.yaml
var FS embed.FS

// DetectorDir is the folder inside FS that holds the detector files.
const DetectorDir = "detectors"
