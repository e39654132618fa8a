// Package config sets scan flags from the `scan:` section of the YAML
// config files and from DATAHYGIENE_* environment variables, and records
// where every effective value came from, so that a crontab line stays short
// and `datahygiene config show` can explain a run.
//
// The flags themselves stay the single definition of a setting: a key under
// `scan:` is a flag's long name and its value goes through the flag's own
// parser (pflag.Value.Set), so the config file cannot drift from --help and
// a new flag is configurable without touching this package. Precedence,
// lowest first: the flag's default, each config file in order, the
// environment, the command line. A flag the user changed on the command line
// is never overwritten.
//
// A config file at the root of the scanned tree (DIR/.datahygiene.yaml) can
// be written by anyone who can write to the share, so a Source carries a
// Trusted bit and the caller names the settings an untrusted file may not
// set (where the report goes, whether values are shown, which files are
// read besides the tree). The same files hold `rules:` (pkg/ruleset) and
// `allow:` and `policy:` sections, which this package skips; any other
// top-level key is an error, as is an unknown setting, each reported as
// file:line like the rule loader's errors.
package config
