"""Reading table blocks: rows of cells under a header, down to the next block.

A table is found by its defined name, else by its headers; each column by its own
name, else by its header text (never by its position); the table ends at a totals
or next block's row.  What a table needs from the spec is worked out once per
template (:class:`_TablePlan`); every cell is typed by :meth:`_SheetReader.typed`.
Formula columns are recomputed from their inputs (the cached results are never
trusted), and the totals the file shows are kept only to compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kuk_xlsx.read.a1 import cell_ref, col_letter
from kuk_xlsx.read.model import BlockData, Row, Value
from kuk_xlsx.read.sheet import (
    MAX_ROWS,
    _SheetReader,
)
from kuk_xlsx.read.values import is_month_mark, normalise_label, parse_number
from kuk_xlsx.spec.model import template_cache
from kuk_xlsx.spec.template import Block, Column, Step, Template, block_name, column_name


class _Tables(_SheetReader):
    """Table blocks read into a :class:`BlockData`, row by row."""

    def read_file_totals(self, step: Step, blk: Block, sheet: str) -> None:
        """What the file shows in total cells (a cached or typed value), to compare only."""
        for tot in blk.totals:
            rng = self.name_range(column_name(step.key, blk.key, tot.key), sheet)
            if rng is None:
                continue
            raw = self.cell(sheet, rng[0], rng[1])
            number = parse_number(raw) if raw not in (None, "") else None
            key = f"{step.key}.{blk.key}.{tot.key}"
            if number is not None:
                self.plan.file_figures[key] = Value(
                    number, sheet, cell_ref(rng[0], rng[1]), raw=raw
                )
            formula = self.formulas(sheet).get((rng[0], rng[1]), "")
            rows = _summed_rows(formula, lambda name: self._name_rows(name, sheet))
            if rows is not None:
                self.plan.file_total_rows[key] = rows

    def _name_rows(self, name: str, sheet: str) -> tuple[int, int] | None:
        """A defined name's first and last row (1-based), where it is on ``sheet``."""
        rng = self.name_range(name, sheet)
        return (rng[0] + 1, rng[2] + 1) if rng is not None else None

    def read_table(self, step: Step, blk: Block, sheet: str, out: BlockData) -> None:
        plan = _table_plan(self.tpl, step, blk)
        area = self.name_range(plan.name, sheet)
        named = area is not None
        if area is None:
            area = self.find_header(sheet, blk)
            if area is None:
                return
            self.note(
                "name-fallback", sheet=sheet, step=step.key, note=f"{blk.key}: found by its headers"
            )
        header = area[0]
        cells = self.table_cells(step, blk, plan, sheet, area)
        stop = self.stop_row(plan, sheet, area, named)
        out.area = f"{cell_ref(header, area[1])}:{cell_ref(max(stop - 1, area[2]), area[3])}"
        out.header_row = header + 1
        at = [cell[0] for cell in cells]
        for c, _, key, _, month in cells:
            if month is None or month == 1:
                out.columns[key] = c
        formulas = [
            (col, used, formula, c)
            for col, used, formula in plan.formulas
            for c, k, *_ in cells
            if k is col
        ]
        grid = self.grid(sheet)
        if not at:
            return
        lo, hi = min(at), max(at) + 1
        typed_formulas = self.formulas(sheet)
        for r in range(header + 1, min(stop, len(grid))):
            line = grid[r]
            seg = line[lo:hi]
            if seg.count("") + seg.count(None) == len(seg):
                continue
            width = len(line)
            number = str(r + 1)
            values: dict[str, Value] = {}
            months: list[int] = []
            month_cells: list[str] = []
            for c, col, key, letters, month in cells:
                raw = line[c] if c < width else None
                if (raw is None or raw == "") and (r, c) not in typed_formulas:
                    continue  # (a formula with no cached result is still read)
                if month is not None:
                    if is_month_mark(raw):
                        months.append(month)
                        month_cells.append(letters + number)
                    continue
                value = self.typed(step, col, sheet, r, c, raw, letters + number)
                if value is not None:
                    values[key] = value
            if months:
                values[plan.months_key] = Value(months, sheet, month_cells[0])
            if formulas:
                self.recompute_row(step, sheet, r, values, formulas)
            if values:
                out.rows.append(Row(r + 1, values))

    def table_cells(
        self, step: Step, blk: Block, plan: _TablePlan, sheet: str, area: tuple[int, int, int, int]
    ) -> list[tuple[int, Column, str, str, int | None]]:
        """For every spec column the sheet has (a months column expanded), where it
        stands: (0-based sheet column, column, key, column letters, month or None).

        A column is found by its defined name, else by its header text in any
        language; never by its position.  A column found neither way is recorded in
        ``PlanData.missing_columns`` and read as having no values."""
        header = area[0]
        texts: dict[str, list[int]] | None = None
        taken: set[int] = set()  # header cells already given to a column
        out = []
        dest = self._dest
        missing: dict[str, bool] = {}
        for col, month, name in plan.columns:
            c: int | None = None
            found = dest.get(name)  # (name_range, inline: the plan's names are lower case)
            if found is not None and found[0] == sheet:
                c = found[1][1] + ((month or 1) - 1)
            else:
                if texts is None:
                    texts = {}
                    grid = self.grid(sheet)
                    row = grid[header] if header < len(grid) else []
                    for x in range(area[1], len(row)):  # (a column inserted after: too)
                        texts.setdefault(normalise_label(row[x]), []).append(x)
                wanted = (
                    col.label.all()
                    if month is None
                    else [t.format(n=month) for t in self.tpl.ui["month"].all()]
                    if "month" in self.tpl.ui
                    else ()
                )
                # two columns under one header text (a yes/no after each of two
                # lists): the first free one, in the spec's order, as laid out
                c = next(
                    (
                        x
                        for t in map(normalise_label, wanted)
                        for x in texts.get(t, ())
                        if x not in taken
                    ),
                    None,
                )
                if c is not None:
                    taken.add(c)
            if c is None:
                missing.setdefault(col.key, True)
                continue
            missing[col.key] = False
            out.append((c, col, col.key, col_letter(c), month))
        for key, lost in missing.items():
            if lost:
                self.plan.missing_columns.append((step.key, blk.key, key))
        return out

    def stop_row(
        self, plan: _TablePlan, sheet: str, area: tuple[int, int, int, int], named: bool
    ) -> int:
        """The first row after the table: a totals or next block's row, else the end.

        Rows inside a named range are the table's by definition (Excel and
        LibreOffice grow the name when rows are inserted inside it); only the
        rows after it are scanned, for rows people inserted just below.
        """
        markers = plan.markers
        grid = self.grid(sheet)
        end = min(len(grid), MAX_ROWS)
        start = area[2] + 1 if named else area[0] + 1
        for r in range(start, end):
            for v in grid[r]:
                if v.__class__ is str and v and normalise_label(v) in markers:
                    return r
        return max(end, start)

    def recompute_row(
        self,
        step: Step,
        sheet: str,
        r: int,
        values: dict[str, Value],
        formulas: list[tuple[Column, tuple[str, ...], _Formula, int]],
    ) -> None:
        """Formula columns: never trust the cached value; recompute from the inputs."""
        for col, used, formula, c in formulas:
            inputs = [values.get(k) for k in used]
            if not all(v is not None and v.ok and isinstance(v.value, float) for v in inputs):
                continue  # a typed amount (or nothing) stands as read
            env = {k: v.value for k, v in zip(used, inputs, strict=True) if v is not None}
            result = _evaluate(formula, env)
            found = values.get(col.key)
            if found is not None and found.ok and abs(float(found.value) - result) > 0.005:
                self.note(
                    "recomputed",
                    sheet=sheet,
                    cell=found.cell,
                    step=step.key,
                    column=col.key,
                    raw=found.value,
                    value=result,
                    note="the amount differs from quantity x unit cost",
                )
            values[col.key] = Value(
                result, sheet, cell_ref(r, c), raw=found.value if found else None
            )


_Formula = tuple[tuple[str | float, ...], ...]  # a sum of products of columns and constants


_SUM_CALL = re.compile(r"^\s*(SUM|SUMIF|SUMIFS)\((.*)\)\s*$", re.I | re.S)
_ARG = re.compile(r'"(?:[^"]|"")*"|[^,"]+')
_RANGE_ROWS = re.compile(
    r"^(?:'[^']*'!|[^!'\s]+!)?\$?[A-Z]{1,3}\$?(\d+):\$?[A-Z]{1,3}\$?(\d+)$", re.I
)


def _summed_rows(
    formula: str, name_rows: Callable[[str], tuple[int, int] | None]
) -> tuple[int, int] | None:
    """The first and last row (1-based) a total's formula adds up, where it is a plain
    ``SUM``, ``SUMIF`` or ``SUMIFS`` of one range or defined name (``name_rows`` gives a
    name's rows); ``None`` for anything else (the file is then not asked which rows)."""
    call = _SUM_CALL.match(formula.lstrip("="))
    if call is None:
        return None
    args = [a.strip() for a in _ARG.findall(call.group(2))]
    kind = call.group(1).upper()
    # the range summed: SUM's first, SUMIF's third (else its first), SUMIFS's first
    summed = args[2] if kind == "SUMIF" and len(args) == 3 else args[0] if args else ""
    rows = _RANGE_ROWS.match(summed)
    if rows is not None:
        first, last = int(rows.group(1)), int(rows.group(2))
        return (min(first, last), max(first, last))
    return name_rows(summed)


def _compile(formula: str) -> _Formula:
    """Products and sums of column values (the only per-row formulas the spec allows),
    as terms of factors: a column's key, or a number."""
    terms = []
    for term in formula.split("+"):
        factors: list[str | float] = []
        for factor in term.split("*"):
            m = re.fullmatch(r"\{(\w+)\}", factor.strip())
            factors.append(m.group(1) if m else float(factor))
        terms.append(tuple(factors))
    return tuple(terms)


def _evaluate(formula: _Formula, env: dict[str, float]) -> float:
    total = 0.0
    for term in formula:
        product = 1.0
        for factor in term:
            product *= env[factor] if isinstance(factor, str) else factor
        total += product
    return total


@dataclass(frozen=True)
class _TablePlan:
    """What reading one table needs from the spec, worked out once per template."""

    name: str  # the block's defined name
    # the columns as they stand (a months column expanded): column, month or None,
    # defined name (lower case); each cell is typed by _SheetReader.typed
    columns: tuple[tuple[Column, int | None, str], ...]
    formulas: tuple[tuple[Column, tuple[str, ...], _Formula], ...]  # columns used, compiled
    markers: frozenset[str]  # texts that end the table (see _stop_markers)
    months_key: str  # the months column's key ("" without one)


@template_cache
def _table_plan(tpl: Template, step: Step, blk: Block) -> _TablePlan:
    expanded = tpl.expanded(blk)
    return _TablePlan(
        name=block_name(step.key, blk.key).lower(),
        columns=tuple(
            (
                col,
                month,
                column_name(step.key, blk.key, col.key).lower(),
            )
            for col, month in expanded
        ),
        formulas=tuple(
            (col, tuple(re.findall(r"\{(\w+)\}", col.formula)), _compile(col.formula))
            for col in blk.columns
            if col.formula
        ),
        markers=_stop_markers(tpl, step, blk),
        months_key=next((col.key for col, month in expanded if month is not None), ""),
    )


def _stop_markers(tpl: Template, step: Step, blk: Block) -> frozenset[str]:
    """Texts that end a table: block titles, total labels, other blocks' headers."""
    markers: set[str] = set()
    for other in step.blocks:
        if other.title is not None:
            markers |= {normalise_label(t) for t in other.title.all()}
        for tot in other.totals:
            markers |= {normalise_label(t) for t in tot.label.all()}
        if other is not blk:
            for col in other.columns:
                markers |= {normalise_label(t) for t in col.label.all()}
    return frozenset(markers)
