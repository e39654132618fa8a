package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// logger is the tool's voice on stderr. Text, for people: lower case,
// "datahygiene: warning: ...", as age's tui.go sets the rules. JSON, for
// log collectors (--log-format json): one slog record per line.
type logger struct {
	w        io.Writer
	format   string // "text" or "json"
	explicit bool   // --log-format was given: also log the run's outcome
}

func (l *logger) addFlag(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&l.format, "log-format", "text", "messages on stderr as text or json (one object per line, for log collectors)")
}

func (l *logger) log(level slog.Level, msg string, attrs ...slog.Attr) {
	if l.format == "json" {
		slog.New(slog.NewJSONHandler(l.w, &slog.HandlerOptions{Level: slog.LevelDebug})).LogAttrs(context.Background(), level, msg, attrs...)
		return
	}
	name := map[slog.Level]string{slog.LevelError: "error", slog.LevelWarn: "warning", slog.LevelInfo: "info"}[level]
	if level == slog.LevelDebug {
		name = "hint"
	}
	line := "datahygiene: " + name + ": " + msg
	for _, a := range attrs {
		line += fmt.Sprintf(" %s=%v", a.Key, a.Value)
	}
	fmt.Fprintln(l.w, line)
}

func (l *logger) warn(format string, args ...any) {
	l.log(slog.LevelWarn, fmt.Sprintf(format, args...))
}
func (l *logger) errorf(format string, args ...any) {
	l.log(slog.LevelError, fmt.Sprintf(format, args...))
}

// hint suggests a fix; it is logged at debug level in JSON.
func (l *logger) hint(msg string) { l.log(slog.LevelDebug, msg) }
