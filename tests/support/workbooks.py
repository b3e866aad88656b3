"""Editing our workbooks in tests the way another program would (openpyxl)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl


def edit(
    path: Path, change: Callable[[openpyxl.Workbook], None], name: str = "edited.xlsx"
) -> Path:
    """Open ``path`` with openpyxl, apply ``change``, save beside it as ``name``."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    out = path.with_name(name)
    wb.save(out)
    return out


def named_cell(wb: openpyxl.Workbook, name: str, row_offset: int = 0, col_offset: int = 0) -> Any:
    """The first cell of a workbook-level defined name, moved by the offsets."""
    ((sheet, ref),) = wb.defined_names[name].destinations
    ws = wb[sheet]
    first = ws[ref.replace("$", "").split(":")[0]]
    return ws.cell(row=first.row + row_offset, column=first.column + col_offset)
