"""build: the training workbook from the spec (xlsxwriter)."""
