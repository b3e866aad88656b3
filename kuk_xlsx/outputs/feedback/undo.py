"""Undoing an earlier feedback run, and the record that lets the next run undo this one.

Running feedback on a feedback copy does not stack: our very hidden sheet
``_feedback`` (hidden or shown, after another program saved it) records which cells were coloured
(with their original fill) and which comments were written (with the comment that
was there before), and both are put back before the new feedback goes in.  Only what is provably ours is
undone: a record sheet that is (very) hidden and headed as we head it, comments by
our author starting with our mark, and a review sheet that carries one of our
review-sheet names and our title; a sheet the template gives a step is never
removed, whatever a record says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kuk_xlsx.catalogue import label
from kuk_xlsx.outputs.feedback.base import (
    AUTHOR,
    COMMENT_MARK,
    COMMENT_SEPARATOR,
    REVIEW_SHEET,
    STATE_SHEET,
    STATE_VERSION,
    State,
    put,
    record_states,
)
from kuk_xlsx.spec.template import LISTS_SHEET, META_SHEET, Template


def _state_sheets(wb: Any) -> list[Any]:
    """Our record sheets: very hidden (or as another program saved them, see
    :func:`.base.record_states`), headed as we head them; an NGO's own sheet that
    happens to be called ``_feedback`` is theirs and stays untouched."""
    found = []
    states = record_states({ws.title: ws.sheet_state for ws in wb.worksheets})
    for ws in wb.worksheets:
        if ws.sheet_state not in states or not ws.title.startswith(STATE_SHEET):
            continue
        head = [c.value for c in next(ws.iter_rows(min_row=1, max_row=2, max_col=2), ())]
        second = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2, max_col=1), ())]
        if head[:1] == ["kind"] and second == ["version"]:
            found.append(ws)
    return found


def _read_state(wb: Any, keep: set[str]) -> tuple[list[str], State]:
    """What earlier feedback runs wrote; ``keep`` names sheets never to be taken as a review."""
    state = State([], [])
    reviews: list[str] = []
    ours = set(REVIEW_SHEET.all())
    for ws in _state_sheets(wb):
        for row in ws.iter_rows(min_row=2, max_col=5, values_only=True):
            kind, *rest = [("" if v is None else str(v)) for v in (*row, "", "", "", "")][:5]
            name = re.sub(r" \([0-9]+\)$", "", rest[0])  # "Feedback (2)" beside an NGO's own
            if kind == "review" and name in ours and rest[0] not in keep:
                reviews.append(rest[0])
            elif kind == "fill":
                state.fills.append((rest[0], rest[1], rest[2], rest[3]))
            elif kind == "comment":
                state.comments.append((rest[0], rest[1], rest[2], rest[3]))
    return reviews, state


def _is_ours(comment: Any) -> bool:
    return (
        comment is not None
        and comment.author == AUTHOR
        and str(comment.text).startswith(COMMENT_MARK)
    )


def undo_previous(wb: Any, tpl: Template) -> None:
    """Remove an earlier review sheet, our comments and colours; put back what was there."""
    from openpyxl.comments import Comment
    from openpyxl.styles.fills import Fill
    from openpyxl.xml.functions import fromstring

    reviews, state = _read_state(wb, template_sheets(tpl))
    titles = set(label("outputs.review.title").all())
    for name in reviews:
        if name in wb.sheetnames and wb[name]["A1"].value in titles:
            del wb[name]  # a review sheet we wrote: our name, our title in A1
    for ws in _state_sheets(wb):
        del wb[ws.title]
    for sheet, ref, xml, ours in state.fills:
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        now = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fgColor else None
        if not isinstance(now, str) or now[-6:].upper() != ours.upper():
            continue  # the NGO recoloured it since: theirs stays
        try:
            original = Fill.from_tree(fromstring(xml)) if xml else None
        except Exception:
            original = None
        cell.fill = original if original is not None else Fill.from_tree(_no_fill())
    originals = {(s, r): (text, author) for s, r, text, author in state.comments}
    for ws in wb.worksheets:
        for (sheet, ref), (text, author) in _our_comments(ws, originals):
            cell = ws[ref]
            if (sheet, ref) in originals:
                cell.comment = Comment(text, author) if text else None
            else:
                # no record (the state sheet was lost): keep what followed our part
                _, sep, rest = str(cell.comment.text).partition(COMMENT_SEPARATOR)
                cell.comment = Comment(rest, "") if sep and rest else None


def template_sheets(tpl: Template) -> set[str]:
    """Every sheet name the template gives a step, in any language, and its own sheets."""
    names = {META_SHEET, LISTS_SHEET}
    for step in tpl.steps:
        names.update(step.sheet.all())
    return names


def _our_comments(
    ws: Any, originals: dict[tuple[str, str], tuple[str, str]]
) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
    found = [
        c.coordinate
        for c in list(ws._cells.values())  # the cells that exist: iter_rows() would make
        # every cell of the sheet's area (10,000 x 78 on a far cell: 780,000 of them)
        if getattr(c, "comment", None) is not None and _is_ours(c.comment)
    ]
    for ref in found:
        yield (ws.title, ref), originals.get((ws.title, ref), ("", ""))


def _no_fill() -> Any:
    from openpyxl.xml.functions import fromstring

    return fromstring(
        '<fill xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<patternFill patternType="none"/></fill>'
    )


# --- the record for the next run ---------------------------------------------------------


def record_rows(review: str, state: State) -> list[tuple[str, ...]]:
    """The rows of this run's record (review sheet, fills, comments), as the next run reads them."""
    rows: list[tuple[str, ...]] = [
        ("kind", "sheet", "cell", "original", "ours"),
        ("version", STATE_VERSION, "", "", ""),
        ("review", review, "", "", ""),
    ]
    rows += [("fill", *f) for f in state.fills]
    rows += [("comment", *c) for c in state.comments]
    return rows


def write_record(wb: Any, review: str, state: State) -> None:
    """Add the very hidden record of this run to the openpyxl workbook ``wb``."""
    ws = wb.create_sheet(STATE_SHEET)
    ws.sheet_state = "veryHidden"
    for r, values in enumerate(record_rows(review, state), start=1):
        for c, value in enumerate(values, start=1):
            if value:
                put(ws.cell(row=r, column=c), value)
