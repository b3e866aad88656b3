"""Stage 2 — build: the training workbook from the spec (xlsxwriter)."""
