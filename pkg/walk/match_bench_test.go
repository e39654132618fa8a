package walk

import "testing"

// BenchmarkMatch times the per-entry exclude check on its own, without
// the file system: the walk calls Match once per file and folder.
func BenchmarkMatch(b *testing.B) {
	m := ParsePatterns([]string{"*.log", "node_modules/", "/build", "**/tmp", "doc/**/*.pdf", "[Tt]humbs.db", "!keep.log"}, "")
	paths := []string{"src/main.go", "a/b/c/debug.log", "doc/x/y/z/manual.pdf", "web/node_modules", "x/y/Thumbs.db", "deep/er/and/deeper/still/file.txt"}
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range paths {
			m.Match(p, i == 3)
		}
	}
}
