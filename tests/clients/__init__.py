"""Client emulation: our filled workbooks rewritten as other spreadsheet programs save them (#15)."""
