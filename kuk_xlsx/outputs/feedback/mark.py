"""Marking the step sheets: a fill by severity and a comment on every offending cell
(for a finding on a whole table: on its header row).

Dropdowns missing from a spec column (lost on the way through openpyxl or another
program) are rebuilt from the spec first, so the NGO can go on filling in the copy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from kuk_xlsx.checks.engine import Finding, Report
from kuk_xlsx.outputs.feedback.base import (
    AUTHOR,
    COMMENT_MARK,
    COMMENT_SEPARATOR,
    HIGHLIGHT,
    MAX_RANGE_CELLS,
    REVIEW_SHEET,
    SEVERITY_RANK,
    State,
)
from kuk_xlsx.outputs.report import MARK, SEVERITY
from kuk_xlsx.render import render
from kuk_xlsx.spec.template import Column, Template, column_name, list_name
from kuk_xlsx.write.safe import clean_text


def rebuild_validations(wb: Any, tpl: Template, report: Report) -> int:
    """Add the spec's dropdown or check to any spec column that has none; return how many."""
    plan = report.plan
    if plan is None:
        return 0
    names = {n.lower(): dn for n, dn in wb.defined_names.items()}
    added = 0
    for step in tpl.steps:
        if step.key not in plan.steps:
            continue
        for blk in step.blocks:
            for col in blk.columns:
                dn = names.get(column_name(step.key, blk.key, col.key).lower())
                if dn is None:
                    continue
                dv = _validation(col, tpl, names)
                if dv is None:
                    continue
                for sheet, ref in _destinations(dn):
                    if sheet not in wb.sheetnames:
                        continue
                    ws = wb[sheet]
                    first = ref.replace("$", "").split(":")[0]
                    if any(first in v.sqref for v in ws.data_validations.dataValidation):
                        continue
                    dv.add(ref.replace("$", ""))
                    ws.add_data_validation(dv)
                    added += 1
    return added


def _destinations(dn: Any) -> list[tuple[str, str]]:
    try:
        return list(dn.destinations)
    except Exception:
        return []


def _validation(col: Column, tpl: Template, names: dict[str, Any]) -> Any:
    """The data validation ``build`` gives a column of this type, as openpyxl's object."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.type == "choice" and col.choices:
        return DataValidation("list", formula1=list_name(col.choices), allow_blank=True)
    if col.type == "yes_no":
        return DataValidation("list", formula1=list_name("yes_no"), allow_blank=True)
    warn = {"allow_blank": True, "errorStyle": "warning"}
    if col.type == "ref" and col.ref:
        source = column_name(*col.ref.split("."))
        if source.lower() not in names:
            return None
        return DataValidation("list", formula1=source, **warn)
    if col.type == "months":
        return DataValidation("list", formula1='"x"', **warn)
    if col.type in ("number", "money"):
        return DataValidation("decimal", operator="greaterThanOrEqual", formula1="0", **warn)
    if col.type == "percent":
        return DataValidation("decimal", operator="between", formula1="0", formula2="1", **warn)
    if col.type == "date":
        return DataValidation("date", operator="greaterThan", formula1="32874", **warn)
    return None


# --- colours and comments in the step sheets -------------------------------------------


def _cells_of(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of ``B7`` or ``A5:C13``; None for anything else."""
    from openpyxl.utils.cell import range_boundaries

    try:
        c0, r0, c1, r1 = range_boundaries(ref.replace("$", "").strip())
    except (ValueError, TypeError):
        return None
    if None in (c0, r0, c1, r1):
        return None
    return c0, r0, c1, r1


def _anchor(ws: Any, row: int, col: int) -> tuple[int, int]:
    """The cell that shows a merged area (its top-left), or the cell itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _worst(severities: Iterable[str]) -> str:
    return min(severities, key=lambda s: SEVERITY_RANK[s])


def mark_cells(wb: Any, findings: list[Finding], lang: str, tpl: Template) -> State:
    """Fill every offending cell by its worst finding and comment on it; return the record."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.xml.functions import tostring

    severity_at: dict[tuple[str, int, int], list[str]] = {}
    notes: dict[tuple[str, int, int], list[Finding]] = {}
    for f in findings:
        if not f.sheet or not f.cell or f.sheet not in wb.sheetnames:
            continue
        ws = wb[f.sheet]
        if ws.sheet_state != "visible":
            continue
        bounds = _cells_of(f.cell)
        if bounds is None:
            continue
        c0, r0, c1, r1 = bounds
        row, col = _anchor(ws, r0, c0)
        notes.setdefault((f.sheet, row, col), []).append(f)
        # A finding on a whole table (an area of rows and columns, its header row
        # first) marks the header only, so a wrong cell inside still shows on its
        # own; a column of fields is marked whole.  The comment: on the first cell.
        count = 0
        for r in range(r0, r0 + 1 if r1 > r0 and c1 > c0 else r1 + 1):
            for c in range(c0, c1 + 1):
                if count >= MAX_RANGE_CELLS:
                    break
                severity_at.setdefault((f.sheet, r, c), []).append(f.severity)
                count += 1

    state = State([], [])
    for (sheet, r, c), severities in severity_at.items():
        cell = wb[sheet].cell(row=r, column=c)
        colour = HIGHLIGHT[_worst(severities)]
        original = tostring(cell.fill.to_tree()).decode() if cell.fill is not None else ""
        state.fills.append((sheet, f"{get_column_letter(c)}{r}", original, colour))
        cell.fill = PatternFill("solid", fgColor=colour, bgColor=colour)

    head = f"{COMMENT_MARK} {REVIEW_SHEET.get(lang)}"
    for (sheet, r, c), found in notes.items():
        cell = wb[sheet].cell(row=r, column=c)
        found = sorted(found, key=lambda f: SEVERITY_RANK[f.severity])
        parts = [head]
        for f in found:
            message, fix = render(f, lang, tpl)
            word = SEVERITY[f.severity].get(lang)
            parts.append(f"{MARK[f.severity]} {word}: {message}\n→ {fix}")
        text = "\n\n".join(parts)
        before = cell.comment
        if before is not None:
            state.comments.append(
                (sheet, cell.coordinate, str(before.text), str(before.author or ""))
            )
            text += COMMENT_SEPARATOR + str(before.text)
        else:
            state.comments.append((sheet, cell.coordinate, "", ""))
        text, _cut = clean_text(text)
        width, height = _comment_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return state


def _comment_size(text: str, width: int = 320) -> tuple[int, int]:
    """(width, height) in pixels for a comment box that shows ``text`` whole."""
    per_line = 46  # characters of 9 pt text in 320 px
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return width, min(800, 16 * lines + 12)
