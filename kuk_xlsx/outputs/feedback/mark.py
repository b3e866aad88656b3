"""Marking the step sheets: a fill by severity and a comment on every offending cell
(for a finding on a whole table: on its header row).

Dropdowns missing from a spec column (lost on the way through openpyxl or another
program) are rebuilt from the spec first, so the NGO can go on filling in the copy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
from kuk_xlsx.read.a1 import cell_ref, parse_range, split_destination
from kuk_xlsx.render import render
from kuk_xlsx.spec.template import Column, Template, column_name, list_name
from kuk_xlsx.write.safe import clean_text


def wanted_validations(
    tpl: Template, report: Report, names: dict[str, str]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(sheet, range, rule) for the dropdown or check of every spec column the workbook
    names; ``names`` are its defined names (lower-cased) and their formula text.  A rule
    holds openpyxl ``DataValidation`` arguments; the package writer writes the same."""
    plan = report.plan
    if plan is None:
        return []
    wanted = []
    for step in tpl.steps:
        if step.key not in plan.steps:
            continue
        for blk in step.blocks:
            for col in blk.columns:
                written = names.get(column_name(step.key, blk.key, col.key).lower())
                place = split_destination(written) if written else None
                if place is None:
                    continue
                rule = _rule(col, tpl, names)
                if rule is None:
                    continue
                sheet, (r0, c0, r1, c1) = place
                ref = (
                    cell_ref(r0, c0)
                    if (r0, c0) == (r1, c1)
                    else (f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}")
                )
                wanted.append((sheet, ref, rule))
    return wanted


def rebuild_validations(wb: Any, tpl: Template, report: Report) -> int:
    """Add the spec's dropdown or check to any spec column that has none; return how many."""
    from openpyxl.worksheet.datavalidation import DataValidation

    names = {n.lower(): str(dn.attr_text or "") for n, dn in wb.defined_names.items()}
    added = 0
    for sheet, ref, rule in wanted_validations(tpl, report, names):
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        first = ref.split(":")[0]
        if any(first in v.sqref for v in ws.data_validations.dataValidation):
            continue
        dv = DataValidation(**rule)
        dv.add(ref)
        ws.add_data_validation(dv)
        added += 1
    return added


def _rule(col: Column, tpl: Template, names: dict[str, str]) -> dict[str, Any] | None:
    """The data validation ``build`` gives a column of this type, as DataValidation arguments."""
    if col.type == "choice" and col.choices:
        return {"type": "list", "formula1": list_name(col.choices), "allow_blank": True}
    if col.type == "yes_no":
        return {"type": "list", "formula1": list_name("yes_no"), "allow_blank": True}
    warn = {"allow_blank": True, "errorStyle": "warning"}
    if col.type == "ref" and col.ref:
        source = column_name(*col.ref.split("."))
        if source.lower() not in names:
            return None
        return {"type": "list", "formula1": source, **warn}
    if col.type == "months":
        return {"type": "list", "formula1": '"x"', **warn}
    if col.type in ("number", "money"):
        return {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0", **warn}
    if col.type == "percent":
        return {
            "type": "decimal",
            "operator": "between",
            "formula1": "0",
            "formula2": "1",
            **warn,
        }
    if col.type == "date":
        return {"type": "date", "operator": "greaterThan", "formula1": "32874", **warn}
    return None


# --- colours and comments in the step sheets -------------------------------------------


def _cells_of(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row), 1-based, of ``B7`` or ``A5:C13``; else None."""
    got = parse_range(ref.replace("$", ""))
    if got is None:
        return None
    r0, c0, r1, c1 = got
    return c0 + 1, r0 + 1, c1 + 1, r1 + 1


Merged = list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col), 1-based


def _anchor(merged: Merged, row: int, col: int) -> tuple[int, int]:
    """The cell that shows a merged area (its top-left), or the cell itself."""
    for r0, c0, r1, c1 in merged:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return r0, c0
    return row, col


def _worst(severities: Iterable[str]) -> str:
    return min(severities, key=lambda s: SEVERITY_RANK[s])


@dataclass
class Marks:
    """What a feedback run puts into the step sheets, before any writer.

    ``fills``: (sheet, row, col) -> our colour; ``notes``: (sheet, row, col) -> our
    comment (an earlier comment on the cell is added after it by the writer)."""

    fills: dict[tuple[str, int, int], str]
    notes: dict[tuple[str, int, int], str]


def plan_marks(
    findings: list[Finding],
    lang: str,
    tpl: Template,
    visible: set[str],
    merged: Callable[[str], Merged],
) -> Marks:
    """The cells to colour (by their worst finding) and to comment on, in visible sheets."""
    severity_at: dict[tuple[str, int, int], list[str]] = {}
    found_at: dict[tuple[str, int, int], list[Finding]] = {}
    for f in findings:
        if not f.sheet or not f.cell or f.sheet not in visible:
            continue
        bounds = _cells_of(f.cell)
        if bounds is None:
            continue
        c0, r0, c1, r1 = bounds
        row, col = _anchor(merged(f.sheet), r0, c0)
        found_at.setdefault((f.sheet, row, col), []).append(f)
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
    fills = {at: HIGHLIGHT[_worst(sev)] for at, sev in severity_at.items()}
    head = f"{COMMENT_MARK} {REVIEW_SHEET.get(lang)}"
    notes = {}
    for at, found in found_at.items():
        parts = [head]
        for f in sorted(found, key=lambda f: SEVERITY_RANK[f.severity]):
            message, fix = render(f, lang, tpl)
            word = SEVERITY[f.severity].get(lang)
            parts.append(f"{MARK[f.severity]} {word}: {message}\n→ {fix}")
        notes[at] = "\n\n".join(parts)
    return Marks(fills, notes)


def comment_text(ours: str, before: str) -> tuple[str, int, int]:
    """Our comment with the one that was on the cell after it; (text, width, height)."""
    text = ours + COMMENT_SEPARATOR + before if before else ours
    text, _cut = clean_text(text)
    width, height = _comment_size(text)
    return text, width, height


def mark_cells(wb: Any, findings: list[Finding], lang: str, tpl: Template) -> State:
    """Fill every offending cell by its worst finding and comment on it; return the record."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.xml.functions import tostring

    visible = {ws.title for ws in wb.worksheets if ws.sheet_state == "visible"}

    def merged(sheet: str) -> Merged:
        return [(m.min_row, m.min_col, m.max_row, m.max_col) for m in wb[sheet].merged_cells]

    marks = plan_marks(findings, lang, tpl, visible, merged)
    state = State([], [])
    for (sheet, r, c), colour in marks.fills.items():
        cell = wb[sheet].cell(row=r, column=c)
        original = tostring(cell.fill.to_tree()).decode() if cell.fill is not None else ""
        state.fills.append((sheet, f"{get_column_letter(c)}{r}", original, colour))
        cell.fill = PatternFill("solid", fgColor=colour, bgColor=colour)

    for (sheet, r, c), ours in marks.notes.items():
        cell = wb[sheet].cell(row=r, column=c)
        before = cell.comment
        if before is not None:
            state.comments.append(
                (sheet, cell.coordinate, str(before.text), str(before.author or ""))
            )
        else:
            state.comments.append((sheet, cell.coordinate, "", ""))
        text, width, height = comment_text(ours, str(before.text) if before is not None else "")
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return state


def _comment_size(text: str, width: int = 320) -> tuple[int, int]:
    """(width, height) in pixels for a comment box that shows ``text`` whole."""
    per_line = 46  # characters of 9 pt text in 320 px
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return width, min(800, 16 * lines + 12)
