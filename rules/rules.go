// Package rules holds the built-in detector definitions and the built-in
// data policy as YAML, embedded in the binary. The files are data:
// pkg/ruleset and pkg/policy parse them. The embed line lives here because
// //go:embed cannot reach up with "..".
package rules

import "embed"

// FS holds detectors/*.yaml and policy.yaml.
//
//go:embed detectors/*.yaml policy.yaml
var FS embed.FS

// DetectorDir is the folder inside FS that holds the detector files.
const DetectorDir = "detectors"

// PolicyFile is the built-in policy's name inside FS.
const PolicyFile = "policy.yaml"
