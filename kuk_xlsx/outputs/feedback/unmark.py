"""Undoing an earlier feedback run inside the package: the package writer's :mod:`.undo`.

A feedback copy sent back for a second round holds our review sheet, our very hidden
record sheet, our fills and our comments.  Before the new marks go in, this puts the
package back as the NGO's file was, by the same rules as :mod:`.undo`: only a record
sheet that is (very) hidden and headed as we head it counts; a review sheet goes only
when the record names it, it carries one of our names and our title is in its A1, and
it is no step sheet; a fill goes back only where the cell still has our colour (an
NGO's recolouring stays); a comment goes back only where it is ours (our author, our
mark).  What it cannot undo safely it hands to openpyxl's writer (:class:`NotHere`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kuk_xlsx.catalogue import label
from kuk_xlsx.outputs.feedback.base import (
    AUTHOR,
    COMMENT_MARK,
    COMMENT_SEPARATOR,
    REVIEW_SHEET,
    STATE_SHEET,
    State,
    record_states,
)
from kuk_xlsx.outputs.feedback.copy import xml_fromstring
from kuk_xlsx.outputs.feedback.undo import template_sheets
from kuk_xlsx.outputs.feedback.xmlnotes import comment_texts, comments_xml, without_comments
from kuk_xlsx.outputs.feedback.xmlparts import MAIN, REL, NotHere
from kuk_xlsx.read.a1 import parse_range
from kuk_xlsx.spec.template import Template

_NS = f"{{{MAIN}}}"
_NO_FILL = '<fill><patternFill patternType="none"/></fill>'
SHARED = f"{REL}/sharedStrings"  # the shared strings' relationship type


def sheet_rows(text: str, shared: Callable[[], list[str]]) -> dict[tuple[int, int], str]:
    """(row, col) -> the text of each cell of a small sheet of ours (the record, a review
    sheet's A1): inline strings as we write them, shared strings as openpyxl and
    LibreOffice write them, plain values."""
    root = xml_fromstring(text.lstrip("\ufeff").encode("utf-8"))
    cells: dict[tuple[int, int], str] = {}
    for c in root.iter(f"{_NS}c"):
        got = parse_range(c.get("r", ""))
        if got is None:
            raise NotHere("a cell of our sheet without its reference")
        kind = c.get("t", "n")
        if kind == "inlineStr":
            box = c.find(f"{_NS}is")
            value = "".join(_texts(box)) if box is not None else ""
        else:
            v = c.find(f"{_NS}v")
            value = v.text or "" if v is not None else ""
            if kind == "s":
                strings = shared()
                index = int(value) if value.isdigit() else -1
                value = strings[index] if 0 <= index < len(strings) else ""
        cells[(got[0] + 1, got[1] + 1)] = value
    return cells


def _texts(item: Any) -> list[str]:
    """The text runs of a string item, phonetic runs left out."""
    return [t.text or "" for t in item.iter(f"{_NS}t") if t not in _phonetic(item)]


def _phonetic(item: Any) -> set[Any]:
    return {t for ph in item.iter(f"{_NS}rPh") for t in ph.iter(f"{_NS}t")}


def shared_strings(text: str) -> list[str]:
    root = xml_fromstring(text.lstrip("\ufeff").encode("utf-8"))
    return ["".join(_texts(si)) for si in root.iter(f"{_NS}si")]


def _rows(cells: dict[tuple[int, int], str]) -> list[list[str]]:
    """The first five columns of each row, in order."""
    rows: dict[int, list[str]] = {}
    for (r, c), value in cells.items():
        if c <= 5:
            rows.setdefault(r, [""] * 5)[c - 1] = value
    return [rows[r] for r in sorted(rows)]


def earlier_run(
    sheets: list[tuple[str, str, str]],
    part_of: dict[str, str],
    text: Callable[[str], str],
    shared: Callable[[], list[str]],
    tpl: Template,
) -> tuple[list[str], State]:
    """The sheets an earlier feedback run added (its records and its review sheets) and
    the fills and comments it recorded; ([], empty) when no record of ours is there."""
    keep = template_sheets(tpl)
    ours = set(REVIEW_SHEET.all())
    titles = set(label("outputs.review.title").all())
    drop: list[str] = []
    state = State([], [])
    reviews: list[str] = []
    states = record_states({name: kind for name, kind, _ in sheets})
    for name, kind, _rid in sheets:
        if kind not in states or not name.startswith(STATE_SHEET) or name not in part_of:
            continue
        rows = _rows(sheet_rows(text(part_of[name]), shared))
        if len(rows) < 2 or rows[0][0] != "kind" or rows[1][0] != "version":
            continue  # not a record of ours: the NGO's own, left alone
        drop.append(name)
        for kind_, *rest in rows[2:]:
            if kind_ == "review":
                reviews.append(rest[0])
            elif kind_ == "fill":
                state.fills.append((rest[0], rest[1], rest[2], rest[3]))
            elif kind_ == "comment":
                state.comments.append((rest[0], rest[1], rest[2], rest[3]))
    for name in reviews:
        base = re.sub(r" \([0-9]+\)$", "", name)  # "Feedback (2)" beside an NGO's own
        if base not in ours or name in keep or name not in part_of or name in drop:
            continue
        first = sheet_rows(text(part_of[name]), shared).get((1, 1), "")
        if first in titles:
            drop.append(name)
    return drop, state


def restore_fills(state: State, styles: Any) -> dict[str, dict[tuple[int, int], Callable]]:
    """sheet -> (row, col) -> the function giving a cell back its recorded fill, where it
    still has our colour."""

    def back(original: str, ours: str) -> Callable[[int], int]:
        def fn(old: int) -> int:
            rgb = re.search(r'<fgColor\b[^>]*\brgb="([0-9A-Fa-f]{6,8})"', styles.fill_of(old))
            if rgb is None or rgb.group(1)[-6:].upper() != ours.upper():
                return old  # the NGO recoloured it since: theirs stays
            return styles.with_fill(old, original or _NO_FILL)

        return fn

    out: dict[str, dict[tuple[int, int], Callable]] = {}
    for sheet, ref, original, ours in state.fills:
        got = parse_range(ref)
        if got is None or not _is_fill(original):
            continue
        out.setdefault(sheet, {})[(got[0] + 1, got[1] + 1)] = back(original, ours)
    return out


def _is_fill(xml: str) -> bool:
    """A recorded fill we may put back into styles.xml as written: empty (no fill), or one
    ``<fill>`` element and nothing else (the record comes back in the NGO's file, so
    it is parsed, never trusted: a forged one could carry other markup)."""
    if not xml:
        return True
    try:
        root = xml_fromstring(xml.encode("utf-8"))
    except Exception:  # not XML, two elements, an entity: not ours
        return False
    return root.tag == "fill" and all(
        child.tag in ("patternFill", "gradientFill") for child in root
    )


def restore_comments(
    comments: str, sheet: str, state: State
) -> tuple[str, set[tuple[int, int]]] | None:
    """The comments part with our comments taken out: each goes back to the comment the
    record says was there, or to what followed ours (no record), or away; and the cells
    whose comment went away (their note boxes go too).  None when none was ours."""
    originals = {(s, r): (t, a) for s, r, t, a in state.comments}
    found = comment_texts(comments)
    back: dict[str, dict[str, str]] = {}
    gone: set[str] = set()
    for ref, (body, author) in found.items():
        if author != AUTHOR or not body.startswith(COMMENT_MARK):
            continue
        if (sheet, ref) in originals:
            before, who = originals[(sheet, ref)]
        else:  # no record (it was lost): keep what followed our part
            _, sep, before = body.partition(COMMENT_SEPARATOR)
            before, who = (before, "") if sep else ("", "")
        gone.add(ref)
        if before:
            back.setdefault(who, {})[ref] = before
    if not gone:
        return None
    text = without_comments(comments, gone)
    for who, texts in back.items():
        text = comments_xml(text, texts, who)
    cells = set()
    for ref in gone - {r for texts in back.values() for r in texts}:
        got = parse_range(ref)
        if got is not None:
            cells.add((got[0] + 1, got[1] + 1))
    return text, cells
