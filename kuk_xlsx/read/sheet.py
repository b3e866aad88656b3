"""The reader's shared core: one read's state, a sheet's grid of values, and one cell typed.

:class:`_SheetReader` holds what every part of a read needs: the template, the
package, python-calamine's workbook and the :class:`PlanData` being filled; a
sheet's values (read once, never beyond the limits); where a defined name points;
a block's header row found by its labels; and :meth:`_SheetReader.typed`, which
types one cell for its spec column and notes every value it had to interpret.  The
step, field and table readers (``locate``, ``fields``, ``tables``) build on it.
"""

from __future__ import annotations

import re
from typing import Any

from kuk_xlsx.package.preflight import LIMITS, FileProblem, ReadError
from kuk_xlsx.read.a1 import col_letter, parse_range
from kuk_xlsx.read.model import Interpretation, PlanData, Value
from kuk_xlsx.read.parts import Package, _is_panic
from kuk_xlsx.read.values import (
    SPACES,
    clean_text,
    evaluate_formula,
    normalise_label,
    parse_date,
    parse_number,
    parse_yes_no,
)
from kuk_xlsx.spec.model import template_cache
from kuk_xlsx.spec.template import Block, Column, Step, Template

_UNSET: Any = object()
_STRIP = SPACES + "\r\n"
_TEXT_KINDS = frozenset({"text", "long_text", "ref"})
_NUMBER_KINDS = frozenset({"number", "money", "percent"})
_PLAIN_NUMBER_KINDS = frozenset({"number", "money"})  # (a percent over 1 is scaled)

# The reference of the cell tag a formula sits in (a shared formula's dependants,
# <f t="shared" si="0"/>, carry no text: their cached results are used).
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_FORMULA = re.compile(rb"<f(?:\s[^<>]*)?>([^<]*)</f>")

MAX_ROWS = LIMITS.max_rows  # a step sheet never needs more; beyond is reported, not read
MAX_COLS = LIMITS.max_cols


class _SheetReader:
    """One read's state, and what every block reader asks of a sheet."""

    def __init__(self, tpl: Template, pkg: Package, wb: Any, path: str) -> None:
        self.tpl = tpl
        self.pkg = pkg
        self.wb = wb
        self.plan = PlanData(path=path, macros=pkg.macros)
        self.grids: dict[str, list[list[Any]]] = {}
        self.cells_read = 0  # the area of the grids read so far (see LIMITS.max_read_cells)
        self._formulas: dict[str, dict[tuple[int, int], str]] = {}
        self._meta: dict[str, str] | None = None
        self._expected: set[str] | None = None
        self._owners: dict[str, str] | None = None  # sheet -> step, by defined names
        self._dest = pkg.destinations
        self._sheet_names = [name for name, _ in pkg.sheets]
        self._present = set(self._sheet_names)

    def note(self, code: str, **kw: Any) -> None:
        self.plan.interpretations.append(Interpretation(code, **kw))

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.grids:
            self.grids[sheet] = self._read_grid(sheet)
        return self.grids[sheet]

    def _read_grid(self, sheet: str) -> list[list[Any]]:
        """The sheet's values from A1, never beyond MAX_ROWS x MAX_COLS.

        The preflight scanned every sheet: cells beyond the area were dropped before
        python-calamine sees the sheet (noted when they held values).  A sheet that
        could not be clipped safely, or that python-calamine cannot read, makes the
        file unreadable rather than a step look empty."""
        assert self.pkg.view is not None
        scan = self.pkg.view.sheets.get(sheet)
        path = self.plan.path
        if scan is None:
            return []
        if not scan.readable or scan.rows > MAX_ROWS or scan.cols > MAX_COLS:
            raise ReadError(FileProblem("too-large", path, sheet, limit="area"))
        if scan.lost_values:
            area = f"row {MAX_ROWS} or column {col_letter(MAX_COLS - 1)}"
            self.note("outside-area", sheet=sheet, note=f"data beyond {area} ignored")
        try:
            grid = self.wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            raise ReadError(FileProblem("damaged", path, f"{sheet}: {exc}"[:300])) from None
        # (the scan bounds one sheet's area; this bounds all the sheets one read holds)
        self.cells_read += len(grid) * (len(grid[0]) if grid else 0)
        if self.cells_read > LIMITS.max_read_cells:
            raise ReadError(
                FileProblem(
                    "too-large",
                    path,
                    limit="max_read_cells",
                    found=self.cells_read,
                    maximum=LIMITS.max_read_cells,
                )
            )
        return grid

    def formulas(self, sheet: str) -> dict[tuple[int, int], str]:
        """The formulas in a sheet's cells by (row, column), 0-based: the cell reader
        gives only their cached results, which a returned file's are never trusted."""
        found = self._formulas.get(sheet)
        if found is None:
            assert self.pkg.view is not None
            xml = self.pkg.view.xml.get(sheet, b"")
            found = self._formulas[sheet] = {}
            # (linear on any sheet: each formula's text ends at the next "<", and the
            # look back for its cell never goes behind the formula before it)
            last = 0
            for m in _FORMULA.finditer(xml):
                start = xml.rfind(b"<c ", max(last, m.start() - 512), m.start())
                last = m.end()
                cell = _CELL_REF.search(xml, start, m.start()) if start != -1 else None
                at = parse_range(cell.group(1).decode()) if cell is not None else None
                if at is not None:
                    found[at[:2]] = m.group(1).decode("utf-8", "replace")
        return found

    def typed_formula(
        self, step: Step, col: Column, sheet: str, r: int, c: int, formula: str, raw: Any
    ) -> Value | None:
        """A number cell holding a formula the NGO typed: evaluated here when it is
        plain arithmetic (noted), else its cached result, noted as not checked."""
        ref = f"{col_letter(c)}{r + 1}"
        number = evaluate_formula(formula)
        if number is not None:
            self.note_value("formula-evaluated", step, col, sheet, ref, f"={formula}", number)
            return Value(number, sheet, ref, f"={formula}")
        shown = "—" if raw is None or raw == "" else raw  # (no result stored at all)
        self.note_value("formula-not-checked", step, col, sheet, ref, f"={formula}", shown)
        if raw is None or raw == "":
            return None
        return self.typed(step, col, sheet, r, c, raw, ref, formulas=False)

    def cell(self, sheet: str, r: int, c: int) -> Any:
        grid = self.grid(sheet)
        if r < len(grid) and c < len(grid[r]):
            return grid[r][c]
        return None

    def name_range(self, name: str, sheet: str) -> tuple[int, int, int, int] | None:
        dest = self.destination(name)
        if dest is None or dest[0] != sheet:
            return None
        return dest[1]

    def destination(self, name: str) -> tuple[str, tuple[int, int, int, int]] | None:
        """A defined name's (sheet, range); ``None`` if absent or broken (#REF!, a formula)."""
        return self._dest.get(name.lower())

    def find_header(
        self, sheet: str, blk: Block, first_col: int = 0
    ) -> tuple[int, int, int, int] | None:
        """Find a block's header row by its column labels in any language.

        A block with a title is looked for below its title, when the sheet shows it:
        tables with the same columns stand one under another on a sheet (the
        stakeholders by kind, the plan's two parts), and only the title tells
        them apart."""
        wanted = [
            {normalise_label(t) for t in c.label.all()} for c in blk.columns if c.type != "months"
        ]
        grid = self.grid(sheet)
        best: tuple[int, int, int] | None = None  # (hits, row, first column)
        start = self.title_row(sheet, blk) + 1 if blk.title is not None else 0
        for r in range(start, len(grid)):
            row = grid[r]
            texts = [normalise_label(v) for v in row]
            hits = [next((i for i, t in enumerate(texts) if t in w), None) for w in wanted]
            found = [h for h in hits if h is not None]
            if found and len(found) >= max(1, (len(wanted) + 1) // 2):
                # the row most like this block's header (another block may share labels)
                if best is None or len(found) > best[0]:
                    best = (len(found), r, min(found))
                if len(found) == len(wanted):
                    break
        if best is None:
            return None
        _, r, first = best
        c0 = max(first - first_col, 0)
        width = len(self.tpl.expanded(blk)) + first_col
        return (r, c0, r + (len(blk.fixed_rows) if blk.kind == "grid" else 0), c0 + width - 1)

    def title_row(self, sheet: str, blk: Block) -> int:
        """The row showing ``blk``'s title (0-based), or -1."""
        if blk.title is None:
            return -1
        titles = {normalise_label(t) for t in blk.title.all()}
        for r, row in enumerate(self.grid(sheet)):
            if any(v.__class__ is str and v and normalise_label(v) in titles for v in row[:3]):
                return r
        return -1

    # --- one cell -----------------------------------------------------------------
    def typed(
        self,
        step: Step,
        col: Column,
        sheet: str,
        r: int,
        c: int,
        raw: Any = _UNSET,
        ref: str = "",
        formulas: bool = True,
    ) -> Value | None:
        """The typed value of one cell for its column, or None when the cell is empty.

        The one place a cell's value is typed: fields, grids and every table cell come
        here.  The commonest cells (text in a text column, a finite number in a
        number column) are tried first; ``ref`` is the cell's A1 name when the
        caller has it already."""
        if raw is _UNSET:
            raw = self.cell(sheet, r, c)
        kind = col.type
        if formulas and kind in _NUMBER_KINDS and not col.formula:
            in_sheet = self._formulas.get(sheet)
            if in_sheet is None:
                in_sheet = self.formulas(sheet)
            if in_sheet and (r, c) in in_sheet:
                return self.typed_formula(step, col, sheet, r, c, in_sheet[(r, c)], raw)
        if raw is None or raw == "":
            return None
        if raw.__class__ is str and kind in _TEXT_KINDS:  # most cells NGOs fill
            text = raw.strip(_STRIP)
            if not text:
                return None
            return Value(
                text, sheet, ref or f"{col_letter(c)}{r + 1}", raw if raw != text else None
            )
        if raw.__class__ is float and kind in _PLAIN_NUMBER_KINDS and raw - raw == 0.0:
            return Value(raw, sheet, ref or f"{col_letter(c)}{r + 1}")
        is_str = raw.__class__ is str
        text = raw.strip(_STRIP) if is_str else clean_text(raw)
        if not text:
            return None
        ref = ref or f"{col_letter(c)}{r + 1}"
        if kind in _TEXT_KINDS:
            return Value(text, sheet, ref, raw if is_str and raw != text else None)
        if kind == "choice":
            key = match_choice(self.tpl, col.choices or "", text)
            if key is None and col.choices == "yes_no":
                # a yes/no dropdown holding a boolean (TRUE/FALSE, or LibreOffice's 1/0
                # under a TRUE/FALSE format): the answer it shows
                yn = parse_yes_no(raw)
                key = None if yn is None else ("yes" if yn else "no")
            if key is not None:
                return Value(key, sheet, ref, raw)
            self.note_value(
                "choice-unknown",
                step,
                col,
                sheet,
                ref,
                raw,
                text,
                "a value outside the dropdown list",
            )
            return Value(text, sheet, ref, raw, False)
        if kind in _NUMBER_KINDS:
            number = parse_number(raw)
            if number is None:
                self.note_value("not-a-number", step, col, sheet, ref, raw, None)
                return Value(text, sheet, ref, raw, False)
            if kind == "percent" and not is_str and number > 1:
                number /= 100
                self.note_value(
                    "percent-scaled",
                    step,
                    col,
                    sheet,
                    ref,
                    raw,
                    number,
                    "a number over 1 in a percent column read as per cent",
                )
            elif is_str:
                self.note_value("number-from-text", step, col, sheet, ref, raw, number)
            return Value(number, sheet, ref, raw if is_str else None)
        if kind == "yes_no":
            yn = parse_yes_no(raw)
            if yn is None:
                self.note_value("not-yes-no", step, col, sheet, ref, raw, None)
                return Value(text, sheet, ref, raw, False)
            return Value(yn, sheet, ref, raw)
        if kind == "date":
            d = parse_date(raw, self.pkg.date1904)
            if d is None:
                self.note_value("not-a-date", step, col, sheet, ref, raw, None)
                return Value(text, sheet, ref, raw, False)
            if is_str:
                self.note_value("date-from-text", step, col, sheet, ref, raw, d)
            return Value(d, sheet, ref, raw if is_str else None)
        return Value(text, sheet, ref)

    def note_value(
        self,
        code: str,
        step: Step,
        col: Column,
        sheet: str,
        ref: str,
        raw: Any,
        value: Any,
        note: str = "",
    ) -> None:
        """Record how one cell's value was interpreted."""
        self.note(
            code,
            sheet=sheet,
            cell=ref,
            step=step.key,
            column=col.key,
            raw=raw,
            value=value,
            note=note,
        )


def match_choice(tpl: Template, list_key: str, raw: object) -> str | None:
    """The choice key for a label typed in any language (or the key itself)."""
    if not list_key:
        return None
    return _choice_index(tpl, list_key).get(normalise_label(raw))


@template_cache
def _choice_index(tpl: Template, list_key: str) -> dict[str, str]:
    """A dropdown list's keys by their folded labels in every language (and themselves)."""
    index: dict[str, str] = {}
    if not list_key:
        return index
    for ch in tpl.choices[list_key].choices:
        index[normalise_label(ch.key)] = ch.key
        for text in ch.label.all():
            index[normalise_label(text)] = ch.key
    return index
