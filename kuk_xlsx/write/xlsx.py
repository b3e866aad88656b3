"""The one module that imports xlsxwriter: every workbook we write starts here.

Build (the training workbook), the validation report and the cohort workbook
all open their file with :func:`new_workbook`, so the options that keep NGO text
inert (never a formula, a link or a number) cannot be forgotten by one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# Text written with write() or a table stays text: a cell from an NGO must
# never turn into a formula, a link or a number.
# Text stays text (never a formula, link or number); an infinite or NaN number (a
# sum that overflowed) is written as an error cell instead of stopping the output.
INERT_XLSX = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}

__all__ = [
    "INERT_XLSX",
    "Workbook",
    "Worksheet",
    "new_workbook",
    "xl_col_to_name",
    "xl_rowcol_to_cell",
]


def new_workbook(path: Path | str, **options: Any) -> Workbook:
    """An xlsxwriter workbook at ``path`` with text kept inert, plus ``options``."""
    return xlsxwriter.Workbook(str(path), {**INERT_XLSX, **options})
