package inventory

import (
	"encoding/json"
	"errors"
	"io"
)

// jsonWriter writes the inventory as one indented JSON object and a
// newline; docs/inventory.md documents the fields.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, inv *Inventory) error {
	if inv == nil {
		return errors.New("json inventory: no inventory")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Folder names are read by people too; "a&b" beats "a\u0026b".
	enc.SetEscapeHTML(false)
	return enc.Encode(inv)
}
