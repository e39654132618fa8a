package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/datahygiene/datahygiene/pkg/allow"
	"github.com/datahygiene/datahygiene/pkg/assess"
	"github.com/datahygiene/datahygiene/pkg/baseline"
	"github.com/datahygiene/datahygiene/pkg/config"
	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
	"github.com/datahygiene/datahygiene/pkg/extract/pdf"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/progress"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/scan"
	"github.com/datahygiene/datahygiene/pkg/state"
	"github.com/datahygiene/datahygiene/pkg/walk"
)

// scanOptions holds the scan command's flags; finalize checks them once and
// derives the typed values.
type scanOptions struct {
	format         string
	output         string
	failOn         string
	showValues     bool
	excludes       []string
	maxFileSize    string
	followSymlinks bool
	oneFileSystem  bool
	staleAfter     string
	workers        int
	ruleFiles      []string
	noConfig       bool
	verbose        bool
	color          string
	filesFrom      string
	archiveDepth   int
	archiveBytes   string
	archiveEntries int
	archiveRatio   float64
	pdfPages       int
	pdfTime        time.Duration
	pdfBytes       string
	state          stateOptions
	full           bool
	newOnly        bool
	baselineFile   string
	configFile     string
	quiet          bool
	policyFile     string

	configSrcs []config.Source   // config files read once, for settings, rules and allowlist
	effective  *config.Effective // where each setting came from

	paths []string // explicit paths (several arguments or --files-from)
	// sink, when set, receives the finished report and the trend of past
	// runs instead of the output (the inventory command).
	sink func(*report.Report, []report.TrendPoint) error
	// maxValues, when set, raises the raw values (and locations) kept per
	// finding with --show-values (affected lists every value).
	maxValues    int
	failSeverity finding.Severity
	maxSize      int64
	archiveMax   int64
	pdfMax       int64
	stale        time.Duration
}

func (o *scanOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.format, "format", "f", "table", "report format: "+strings.Join(report.Formats(), ", "))
	fs.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` (created with mode 0600) instead of stdout")
	fs.StringVar(&o.failOn, "fail-on", "low", "exit 1 when a file's risk is at or above `SEVERITY` (critical, high, medium, low)")
	fs.BoolVar(&o.showValues, "show-values", false, "print matched values unmasked (handle the output as sensitive)")
	fs.StringArrayVar(&o.excludes, "exclude", nil, "skip paths matching `GLOB` (gitignore syntax, repeatable)")
	fs.StringVar(&o.maxFileSize, "max-file-size", "256MiB", "do not read files larger than `SIZE` (they are listed as skipped)")
	fs.BoolVar(&o.oneFileSystem, "one-file-system", false, "do not descend into other file systems (mount points under DIR)")
	fs.BoolVar(&o.followSymlinks, "follow-symlinks", false, "follow symbolic links, also out of the scanned tree (loops are detected)")
	fs.StringVar(&o.staleAfter, "stale-after", "365d", "default retention: files with findings not modified for `AGE` are stale (e.g. 90d, 12w, 2y); when set, overrides the policy's default, not its per-class entries")
	fs.IntVarP(&o.workers, "workers", "j", 0, "files read in parallel (default: number of CPUs)")
	fs.StringArrayVar(&o.ruleFiles, "rules", nil, "extra rule `FILE` merged over the built-in detectors (repeatable)")
	fs.BoolVar(&o.noConfig, "no-config", false, "ignore .datahygiene.yaml at the scan root and in the user config directory")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "table format: list every location and sample")
	fs.StringVar(&o.color, "color", "auto", "colour the table: auto, always or never (NO_COLOR is honoured)")
	fs.StringVar(&o.filesFrom, "files-from", "", "scan the paths listed in `FILE`, one per line or NUL-separated (- reads stdin), as a pre-commit hook does")
	def := archive.DefaultLimits()
	fs.IntVar(&o.archiveDepth, "archive-max-depth", def.MaxDepth, "read archives nested at most `N` deep (a.zip!b.tar!c.csv is 2)")
	fs.StringVar(&o.archiveBytes, "archive-max-bytes", "1GiB", "stop reading an archive, nested ones included, after `SIZE` uncompressed")
	fs.IntVar(&o.archiveEntries, "archive-max-entries", def.MaxEntries, "skip archives with more than `N` entries")
	fs.Float64Var(&o.archiveRatio, "archive-max-ratio", def.MaxRatio, "skip archives that expand more than `R` times (zip bombs)")
	pdfDef := pdf.DefaultLimits()
	fs.IntVar(&o.pdfPages, "pdf-max-pages", pdfDef.MaxPages, "read at most `N` pages of a PDF (the rest is skipped, what was found counts)")
	fs.DurationVar(&o.pdfTime, "pdf-max-time", pdfDef.MaxTime, "stop reading a PDF after `DURATION`")
	fs.StringVar(&o.pdfBytes, "pdf-max-bytes", "1GiB", "skip PDFs larger than `SIZE`, file or decompressed content")
	o.state.addFlags(fs)
	fs.BoolVar(&o.full, "full", false, "read every file, even those unchanged since the last run")
	fs.BoolVar(&o.newOnly, "new-only", false, "report only findings and issues that are new since the last run of DIR")
	fs.StringVar(&o.baselineFile, "baseline", "", "accept the findings recorded in `FILE` (see 'datahygiene baseline create'); only new ones count")
	fs.StringVar(&o.configFile, "config", "", "read settings and rules from `FILE` instead of <config dir>/datahygiene/config.yaml")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "no progress line on stderr (it is drawn only on a terminal anyway)")
	fs.StringVar(&o.policyFile, "policy", "", "judge files by the data policy in `FILE` (retention, unprotected, prohibited, exceptions), merged over the built-in one; see 'datahygiene policy show'")
}

func (o *scanOptions) finalize() error {
	var err error
	if o.failSeverity, err = finding.ParseSeverity(o.failOn); err != nil {
		return usageError{fmt.Errorf("--fail-on: %w%s", err, o.from("fail-on"))}
	}
	if o.maxSize, err = parseSize(o.maxFileSize); err != nil {
		return usageError{fmt.Errorf("--max-file-size: %w%s", err, o.from("max-file-size"))}
	}
	if o.archiveMax, err = parseSize(o.archiveBytes); err != nil {
		return usageError{fmt.Errorf("--archive-max-bytes: %w%s", err, o.from("archive-max-bytes"))}
	}
	if err := o.archiveLimits().Check(); err != nil {
		return usageError{err}
	}
	if o.pdfMax, err = parseSize(o.pdfBytes); err != nil {
		return usageError{fmt.Errorf("--pdf-max-bytes: %w%s", err, o.from("pdf-max-bytes"))}
	}
	if err := o.pdfLimits().Check(); err != nil {
		return usageError{err}
	}
	if o.stale, err = parseAge(o.staleAfter); err != nil {
		return usageError{fmt.Errorf("--stale-after: %w%s", err, o.from("stale-after"))}
	}
	// The upper bound matters since a config file in the scanned tree may
	// set workers: the pool's queue is sized from it.
	if o.workers < 0 || o.workers > maxWorkers {
		return usageError{fmt.Errorf("--workers: want 0 to %d%s", maxWorkers, o.from("workers"))}
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return usageError{fmt.Errorf("--color: want auto, always or never, not %q%s", o.color, o.from("color"))}
	}
	if _, err := report.NewWriter(o.format, report.Options{}); err != nil {
		return usageError{fmt.Errorf("--format: %w%s", err, o.from("format"))}
	}
	return nil
}

func (o *scanOptions) pdfLimits() pdf.Limits {
	return pdf.Limits{MaxPages: o.pdfPages, MaxTime: o.pdfTime, MaxBytes: o.pdfMax}
}

func (o *scanOptions) archiveLimits() archive.Limits {
	return archive.Limits{
		MaxDepth:      o.archiveDepth,
		MaxTotalBytes: o.archiveMax,
		MaxEntries:    o.archiveEntries,
		MaxRatio:      o.archiveRatio,
		MaxEntrySize:  o.maxSize,
	}
}

// maxWorkers bounds --workers: far more than a file share can feed.
const maxWorkers = 256

// untrustedDeny are the settings DIR/.datahygiene.yaml may not set: anyone
// who can write to the share can write that file, and must not be able to
// redirect the report, unmask values, lead the walk out of the tree, or
// make the scan read other files.
var untrustedDeny = []string{"output", "show-values", "follow-symlinks", "rules", "files-from", "state", "no-state", "baseline", "policy"}

// applyConfig reads the config files once and sets the flags the command
// line left alone from their scan: sections and DATAHYGIENE_* variables.
// root is the scan root, whose .datahygiene.yaml is read (untrusted).
// cmdOnly names the command's flags that are not scan settings.
func (o *scanOptions) applyConfig(fs *pflag.FlagSet, root string, cmdOnly ...string) error {
	loc := config.Locations{Root: root, Explicit: o.configFile, NoConfig: o.noConfig}
	userFile := "<config dir>/datahygiene/config.yaml"
	if dir, err := os.UserConfigDir(); err == nil {
		loc.UserConfigDir, userFile = dir, config.UserFile(dir)
	}
	srcs, err := config.Read(loc)
	if err != nil {
		return err
	}
	eff, err := config.Apply(fs, srcs, config.Options{
		Environ:         os.Environ(),
		UntrustedDeny:   untrustedDeny,
		CommandLineOnly: append([]string{"config", "no-config", "files-from"}, cmdOnly...),
		UserFile:        userFile,
	})
	if err != nil {
		return err
	}
	o.configSrcs, o.effective = srcs, eff
	return nil
}

// from says where a setting's value came from, for messages, when that
// was not the command line: " (from FILE:LINE)".
func (o *scanOptions) from(name string) string {
	if o.effective == nil {
		return ""
	}
	switch org := o.effective.Origin(name); org {
	case "", config.OriginDefault, config.OriginCommandLine:
		return ""
	default:
		return " (from " + org + ")"
	}
}

// configRoot is the folder whose .datahygiene.yaml applies: the one
// argument, or the current folder for several paths or --files-from.
func configRoot(o *scanOptions, args []string) string {
	if len(args) == 1 && o.filesFrom == "" {
		return args[0]
	}
	return "."
}

// newScanCmd builds `datahygiene scan`. runF replaces the real run in tests
// that only check flag parsing.
func newScanCmd(s streams, runF func(context.Context, *scanOptions, string) error) *cobra.Command {
	o := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan [flags] DIR | PATH...",
		Short: "Audit a folder for customer data and how it is kept",
		Long: `Scan walks DIR (a folder, a file share or a single file), reads text, CSV/TSV
and xlsx files, runs the detectors and reports every file holding customer
data, with the issues found. Several paths, or --files-from, scan just those
files and folders (paths reported as given, configuration read from the
current folder), as a pre-commit hook or CI job on changed files wants.

  unencrypted  customer data readable by anyone who can open the file
  unprotected  other users can read or change it: its permissions, its
               owner, its folder or where it lies (a shared folder)
  stale        kept longer than the policy allows for that kind of data
  prohibited   data the business has decided not to hold at all

Rules: the built-in detectors, then <config dir>/datahygiene/config.yaml,
then DIR/.datahygiene.yaml, then each --rules FILE, each overriding the
previous rule by rule (see 'datahygiene rules list').

Policy: what counts as each issue, retention per kind of data, severity
overrides and accepted exceptions come from the built-in policy, then the
policy: sections of the same files, then --policy FILE (see 'datahygiene
policy show' and docs/policy.md). Accepted issues are listed with their
reason and do not count towards the exit status.

Exit status:
  0  nothing at or above --fail-on
  1  a file's risk is at or above --fail-on
  2  usage, configuration, rule-file or policy error, or DIR cannot be scanned
Files that cannot be read are listed with status "error" and do not change
the exit status.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.applyConfig(cmd.Flags(), configRoot(o, args)); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			root, paths, err := scanTargets(s, o, args)
			if err != nil {
				return err
			}
			o.paths = paths
			if runF != nil {
				return runF(cmd.Context(), o, root)
			}
			return runScan(cmd.Context(), s, o, root)
		},
	}
	o.addFlags(cmd.Flags())
	return cmd
}

func runScan(ctx context.Context, s streams, o *scanOptions, root string) error {
	if _, err := os.Stat(root); err != nil {
		return fmt.Errorf("cannot scan %s: %w", root, unwrapPath(err))
	}
	rs, al, srcs, err := loadRules(o.configSrcs, o.ruleFiles)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(s, o, srcs, rs)
	if err != nil {
		return err
	}
	store, key, err := o.state.openWithKey()
	if err != nil {
		return err
	}
	if store != nil {
		defer store.Close()
	}
	if al.NeedsFingerprints() && key == nil {
		return usageError{fmt.Errorf("allow: entries with fingerprints need a fingerprint key: drop --no-state or set %s", keyEnv)}
	}
	var bl *baseline.Baseline
	if o.baselineFile != "" {
		if bl, err = baseline.Load(o.baselineFile); err != nil {
			return err
		}
	}
	rk := rootKey(root)
	var cache *state.Cache
	var rec *state.Recorder
	var prevResults []finding.FileResult
	if store != nil {
		release, err := store.Lock(rk)
		if err != nil {
			return lockHint(err)
		}
		defer release()
		hash := rulesHash(o, srcs, key)
		// Cached results hold no raw values, so --show-values reads all.
		if !o.full && !o.showValues {
			// Loaded while the walk starts; Lookup waits for it.
			if cache, err = store.LoadCache(rk, hash); err != nil {
				return err
			}
		}
		if o.newOnly {
			if prevResults, err = previousResults(store, rk); err != nil {
				return err
			}
		}
		rec, err = store.StartRun(state.RunInfo{
			Root: rk, ToolVersion: toolVersion(), RulesHash: hash, Full: o.full,
			Partial: o.paths != nil, Options: historyOptions(o),
		}, cache)
		if err != nil {
			return err
		}
		defer rec.Abort() // no-op once finished
	} else if o.newOnly {
		return usageError{errors.New("--new-only compares with the last run, which --no-state does not keep")}
	}
	if o.showValues {
		s.logger().warn("--show-values prints raw customer data; treat this output as sensitive")
	}
	out := &output{s: s, o: o}
	defer out.close()
	// A streaming format (ndjson) writes each file as it finishes, so its
	// output opens before the scan; the others open only once the scan
	// has succeeded, so a failed scan leaves no half-written report.
	// Filtering by baseline or --new-only needs the whole scan first.
	var st report.Streamer
	var streamErr error
	if report.Streams(o.format) && bl == nil && !o.newOnly && o.sink == nil {
		if st, err = out.streamer(); err != nil {
			return err
		}
	}
	popts := progress.Options{
		// A report streamed to the same terminal would interleave with
		// the progress line.
		Quiet: o.quiet || (st != nil && o.output == "" && isTerminal(s.out)),
	}
	if store != nil {
		// The last run's size gives the progress line an ETA.
		if last, err := store.LastRuns(rk, 1); err == nil && len(last) == 1 {
			popts.ExpectedFiles = last[0].Summary.FilesSeen
		}
	}
	prog := progress.New(s.errOut, popts)
	prog.Start()
	defer prog.Stop()
	assessOpts := assessOptions(pol, rs)
	rep, err := scan.Run(ctx, scan.Options{
		Root:    root,
		Paths:   o.paths,
		Workers: o.workers,
		Walk: walk.Options{
			Excludes:       o.excludes,
			FollowSymlinks: o.followSymlinks,
			OneFileSystem:  o.oneFileSystem,
			MaxFileSize:    o.maxSize,
		},
		Rules:      rs,
		Allow:      al,
		Archive:    o.archiveLimits(),
		PDF:        o.pdfLimits(),
		Detect:     detect.Options{ShowValues: o.showValues, MaxLocations: o.maxValues, FingerprintKey: key, IndexValues: store != nil && key != nil},
		ContentKey: key,
		Assess:     assessOpts,
		Tool:       report.Tool{Name: "datahygiene", Version: toolVersion()},
		Cache:      cache,
		Recorder:   rec,
		OnFile: func(r finding.FileResult) {
			prog.File(r.Path, r.Size)
			if st != nil {
				if err := st.File(r); err != nil && streamErr == nil {
					streamErr = err
				}
			}
		},
	})
	prog.Stop() // erase the line before the report is written
	switch {
	case errors.Is(err, scan.ErrState):
		s.logger().warn("%v", err)
	case err != nil:
		return err
	}
	if cache != nil {
		if err := cache.Err(); err != nil {
			s.logger().warn("%v: every file was read", err)
		}
	}
	if rec != nil {
		if err := rec.Finish(rep.Summary); err != nil {
			s.logger().warn("run not recorded: %v", err)
		}
		if o.format == "html" || o.sink != nil {
			// The HTML page charts the runs so far, this one included.
			if out.trend, err = trendOf(store, rk); err != nil {
				s.logger().warn("history for the trend: %v", err)
			}
		}
	}
	if o.newOnly {
		rep.Files = state.NewOnly(prevResults, rep.Files)
		rep.Tally()
	}
	if bl != nil {
		_, err := bl.Apply(rep, baseline.Options{Key: key, Reassess: func(r *finding.FileResult) { assess.Assess(r, statFacts(root, r), assessOpts) }})
		if err != nil {
			return err
		}
	}
	if o.sink != nil {
		if err := o.sink(rep, out.trend); err != nil {
			return err
		}
	} else if st != nil {
		if err := st.Close(rep); err != nil || streamErr != nil {
			return fmt.Errorf("writing report: %w", errors.Join(err, streamErr))
		}
	} else if err := out.write(rep); err != nil {
		return err
	}
	if err := out.close(); err != nil {
		return err
	}
	if lg := s.logger(); lg.explicit {
		sum := rep.Summary
		lg.log(slog.LevelInfo, "scan finished", slog.String("root", rk), slog.Int("files", sum.FilesSeen),
			slog.Int("cached", sum.FilesCached), slog.Int("with_data", sum.FilesWithFindings), slog.Int("findings", sum.Findings),
			slog.Int("errors", sum.Errors), slog.Duration("took", rep.FinishedAt.Sub(rep.StartedAt).Round(time.Millisecond)))
	}
	for _, f := range rep.Files {
		if f.Risk != finding.SeverityNone && f.Risk >= o.failSeverity {
			return errFindings
		}
	}
	return nil
}

// previousResults are the reported results of the last complete run of
// root, or none on a first run.
func previousResults(store *state.Store, root string) ([]finding.FileResult, error) {
	runs, err := store.LastRuns(root, 1)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return store.Results(runs[0].ID)
}

// output is where the report goes: stdout, or the --output file created
// on first use with owner-only permissions.
type output struct {
	s     streams
	o     *scanOptions
	file  *os.File
	trend []report.TrendPoint // past runs, for the html format
}

func (out *output) open() (io.Writer, report.Options, error) {
	var w io.Writer = out.s.out
	color := false
	if out.o.output != "" {
		f, err := createPrivate(out.o.output)
		if err != nil {
			return nil, report.Options{}, err
		}
		out.file, w = f, f
	} else {
		c := out.o.color
		color = c == "always" || (c == "auto" && os.Getenv("NO_COLOR") == "" && isTerminal(out.s.out))
	}
	return w, report.Options{Color: color, Verbose: out.o.verbose}, nil
}

// streamer opens the output for a report written file by file.
func (out *output) streamer() (report.Streamer, error) {
	w, opts, err := out.open()
	if err != nil {
		return nil, err
	}
	return report.NewStreamer(out.o.format, w, opts)
}

// write opens the output and writes the finished report.
func (out *output) write(rep *report.Report) error {
	w, opts, err := out.open()
	if err != nil {
		return err
	}
	wr, err := report.NewWriter(out.o.format, opts)
	if err != nil {
		return err
	}
	if out.o.format == "html" {
		wr = report.HTMLWriter{Trend: out.trend, Verbose: opts.Verbose}
	}
	if err := wr.Write(w, rep); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// close closes the report file once; later calls return nil.
func (out *output) close() error {
	if out.file == nil {
		return nil
	}
	err := out.file.Close()
	out.file = nil
	if err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// createPrivate creates (or truncates) a report file readable by its owner
// only: a report says where customer data is, which is sensitive itself.
func createPrivate(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating report: %w", err)
	}
	// An existing file keeps its mode on open; tighten it.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("creating report: %w", err)
	}
	return f, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// loadRules merges the built-in rules with the user's config files and
// --rules files, in that order.
// scanTargets turns the arguments and --files-from into the scan's root and
// explicit paths: one argument is a root; several, or a list, are paths
// under the current folder.
func scanTargets(s streams, o *scanOptions, args []string) (root string, paths []string, err error) {
	paths = args
	if o.filesFrom != "" {
		var data []byte
		if o.filesFrom == "-" {
			data, err = io.ReadAll(s.in)
		} else {
			data, err = os.ReadFile(o.filesFrom)
		}
		if err != nil {
			return "", nil, fmt.Errorf("--files-from: %w", err)
		}
		sep := "\n"
		if strings.Contains(string(data), "\x00") {
			sep = "\x00"
		}
		for _, p := range strings.Split(string(data), sep) {
			if p = strings.TrimRight(p, "\r"); strings.TrimSpace(p) != "" {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			// Nothing staged: nothing to scan, which is not an error.
			return ".", []string{}, nil
		}
	}
	switch {
	case len(paths) == 0:
		return "", nil, usageError{errors.New("scan: give a folder to scan, paths, or --files-from")}
	case len(paths) == 1 && o.filesFrom == "":
		return paths[0], nil, nil
	}
	return ".", paths, nil
}

// loadRules compiles the rules and the allowlist from the built-in
// detectors, then <config dir>/datahygiene/config.yaml, then
// ROOT/.datahygiene.yaml, then each --rules file. It also returns the
// sources it read, which identify the rules for the state's cache.
func loadRules(cfg []config.Source, files []string) (*ruleset.Ruleset, *allow.List, []ruleset.Source, error) {
	srcs, err := ruleset.Builtin()
	if err != nil {
		return nil, nil, nil, err
	}
	// The config files were read once by applyConfig; using the same
	// bytes means settings and rules cannot come from different versions.
	for _, c := range cfg {
		srcs = append(srcs, ruleset.Source{Name: c.Name, Data: c.Data})
	}
	for _, f := range files {
		src, err := ruleset.ReadFile(f)
		if err != nil {
			return nil, nil, nil, err
		}
		srcs = append(srcs, src)
	}
	rs, err := ruleset.Compile(srcs...)
	if err != nil {
		return nil, nil, nil, err
	}
	al, err := allow.Load(ruleset.IDs(rs.All()), srcs...)
	if err != nil {
		return nil, nil, nil, err
	}
	return rs, al, srcs, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// parseSize reads sizes like 512, 10KB, 10KiB, 1.5GB: SI units are powers
// of 1000, IEC units (and bare K, M, G) powers of 1024.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40}, {"b", 1},
	} {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("invalid size %q (e.g. 500MB, 2GiB; 0 for no limit)", s)
	}
	return int64(v * mult), nil
}

// parseAge reads retention periods: 90d, 12w, 2y, or a Go duration (36h).
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	day := 24 * time.Hour
	for suffix, unit := range map[string]time.Duration{"d": day, "w": 7 * day, "y": 365 * day} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("invalid age %q (e.g. 90d, 12w, 2y)", s)
			}
			return time.Duration(v * float64(unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid age %q (e.g. 90d, 12w, 2y)", s)
	}
	return d, nil
}
