package xmlscan

// Window is the scanner's read window, for tests that check its bound.
func (s *Scanner) Window() []byte { return s.buf }

// WantText reports what SetWantText last chose.
func (s *Scanner) WantText() bool { return s.wantText }
