""".xlsx -> typed plan data.  python-calamine (fast values) is imported in this sub-package only.

Values come from python-calamine; defined names, sheet states and metadata come
from parsing ``xl/workbook.xml`` and ``docProps/custom.xml`` ourselves (calamine
does not expose names, and openpyxl's full load is 15-25x slower).  Each block is
located through its workbook-level defined name first; when the name is missing
or broken, through its header and label text in any language.  Every value the
reader had to normalise, and every fallback it used, is recorded as an
:class:`Interpretation`, so checks and people can see what was assumed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from kuk_xlsx.package.preflight import LIMITS, FileProblem, ReadError
from kuk_xlsx.read.a1 import cell_ref, col_letter
from kuk_xlsx.read.figures import compute_figures
from kuk_xlsx.read.model import BlockData, Interpretation, PlanData, Row, StepData, Value
from kuk_xlsx.read.parts import Package, _is_panic, _open_view, read_package
from kuk_xlsx.read.values import (
    SPACES,
    clean_text,
    is_month_mark,
    normalise_label,
    parse_date,
    parse_number,
    parse_yes_no,
    yes_no_text,
)
from kuk_xlsx.spec.template import (
    LANGS,
    LISTS_SHEET,
    META_SHEET,
    Block,
    Column,
    Step,
    Template,
    block_name,
    column_name,
    load_template,
)

_UNSET: Any = object()
_STRIP = SPACES + "\r\n"
_TEXT_KINDS = frozenset({"text", "long_text", "ref"})
_NUMBER_KINDS = frozenset({"number", "money", "percent"})
_PLAIN_NUMBER_KINDS = frozenset({"number", "money"})  # (a percent over 1 is scaled)
# How read_table types a column's common values inline (see _TablePlan.kinds).
_TEXT, _PLAIN_NUMBER, _YES_NO, _CHOICE, _OTHER = "text", "number", "yes_no", "choice", "other"


def _kind(column_type: str) -> str:
    if column_type in _TEXT_KINDS:
        return _TEXT
    if column_type in _PLAIN_NUMBER_KINDS:
        return _PLAIN_NUMBER
    return {"yes_no": _YES_NO, "choice": _CHOICE}.get(column_type, _OTHER)


MAX_ROWS = LIMITS.max_rows  # a step sheet never needs more; beyond is reported, not read
MAX_COLS = LIMITS.max_cols
META_KEYS = (
    "template_id",
    "template_version",
    "spec_hash",
    "language",
    "level",
    "org_id",
    "org_name",
)

# --- reading -----------------------------------------------------------------


def read_workbook(path: Path | str, template: Template | None = None) -> PlanData:
    """Read a filled (or blank) training workbook into :class:`PlanData`.

    Raises :class:`ReadError` when the file cannot be read as a workbook at all.
    """
    path = Path(path)
    data = read_bounded(path)
    return read_workbook_bytes(data, str(path), template)


def read_bounded(path: Path, limit: int = LIMITS.max_file_bytes) -> bytes:
    """The file's bytes, refusing (without reading it all) one over ``limit``, and
    anything but a regular file (a pipe or a device could keep us waiting)."""

    def not_regular() -> ReadError:
        return ReadError(FileProblem("unreadable", str(path), detail="not a regular file"))

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise not_regular()  # (never opened: opening a device can do something)
        # os-level: no buffered file object for one read of a small file; not
        # blocking, should the file have been swapped for a pipe since
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise not_regular()
            # ask for the size the file has (and one byte more), never for the whole
            # limit; a file still growing (being saved as we read) is read on, up to it
            want = min(info.st_size, limit) + 1
            chunks: list[bytes] = []
            got = 0
            while got <= limit:
                piece = os.read(fd, want - got if got < want else min(1 << 20, limit + 1 - got))
                if not piece:
                    break
                chunks.append(piece)
                got += len(piece)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ReadError(FileProblem("unreadable", str(path), detail=exc.strerror or "")) from None
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)  # (one piece: not copied)
    if len(data) > limit:
        size = path.stat().st_size if path.is_file() else len(data)
        raise ReadError(
            FileProblem("too-large", str(path), limit="max_file_bytes", found=size, maximum=limit)
        )
    return data


def read_workbook_bytes(data: bytes, name: str, template: Template | None = None) -> PlanData:
    """Like :func:`read_workbook`, for bytes already in memory."""
    tpl = template or load_template()
    pkg = read_package(data, name, unread=(LISTS_SHEET,))  # the dropdowns: never read
    wb = _open_view(pkg, name)
    try:
        return _Reader(tpl, pkg, wb, name).read()
    except (ValueError, KeyError, ET.ParseError) as exc:
        raise ReadError(FileProblem("damaged", name, detail=str(exc))) from None


def released_hashes(tpl: Template) -> frozenset[str]:
    """The spec hashes of the released versions of ``tpl`` that this reader knows.

    A template folder describes one version (``version`` in template.toml) and its
    hash is computed from the folder itself; no list of earlier releases' hashes is
    kept, so the only released hash known is the template's own."""
    return frozenset({tpl.spec_hash})


class _Reader:
    def __init__(self, tpl: Template, pkg: Package, wb: Any, path: str) -> None:
        self.tpl = tpl
        self.pkg = pkg
        self.wb = wb
        self.plan = PlanData(path=path, macros=pkg.macros)
        self.grids: dict[str, list[list[Any]]] = {}
        self._meta: dict[str, str] | None = None
        self._expected: set[str] | None = None
        self._dest = pkg.destinations
        self._sheet_names = [name for name, _ in pkg.sheets]
        self._present = set(self._sheet_names)

    def note(self, code: str, **kw: Any) -> None:
        self.plan.interpretations.append(Interpretation(code, **kw))

    def read(self) -> PlanData:
        self.identify()
        if self.plan.macros:
            self.note("macros-ignored", note="the workbook has macros; they were not run")
        expected = [s for s in self.tpl.steps if s.key in self.expected_step_keys()]
        self.plan.expected_steps = [s.key for s in expected]
        for step in expected:
            sheet = self.find_sheet(step)
            if sheet is None:
                self.plan.missing_steps.append(step.key)
                self.note("step-missing", step=step.key, note=step.sheet.get(self.lang))
                continue
            data = StepData(step.key, sheet)
            for blk in step.blocks:
                data.blocks[blk.key] = self.read_block(step, blk, sheet)
            self.plan.steps[step.key] = data
        self.plan.figures = compute_figures(self.tpl, self.plan)
        return self.plan

    # --- which template, language, organisation -------------------------------
    @property
    def lang(self) -> str:
        return self.plan.language if self.plan.language in LANGS else "kk"

    def identify(self) -> None:
        meta = self.meta_sheet_values()
        props = {k[4:]: v for k, v in self.pkg.custom.items() if k.startswith("kuk_")}
        for key in META_KEYS:
            a, b = meta.get(key, ""), props.get(key, "")
            if a and b and a != b:
                self.note(
                    "meta-mismatch",
                    column=key,
                    raw=b,
                    value=a,
                    note="the meta sheet and the document properties disagree; the meta sheet wins",
                )
            setattr(self.plan, key, a or b)
        if not meta and props:
            self.note("meta-sheet-missing", note="template identified from the document properties")
        if not meta and not props:
            self.note("not-identified", note="no meta sheet and no document properties")
        if self.plan.language not in LANGS:
            self.plan.language = self.guess_language()
        visible = dict(self.pkg.sheets).get(META_SHEET)
        if visible == "visible":
            self.note(
                "meta-sheet-visible",
                sheet=META_SHEET,
                note="the hidden meta sheet was made visible",
            )
        # The spec declares one released version (its own) and its hash: a file
        # whose hash is not that one was made from a spec we cannot vouch for.
        if self.plan.spec_hash and self.plan.spec_hash not in released_hashes(self.tpl):
            self.plan.spec_known = False
            if self.plan.template_version == self.tpl.version:
                self.note("spec-hash-differs", raw=self.plan.spec_hash, value=self.tpl.spec_hash)

    def meta_sheet_values(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = {}
            if META_SHEET in dict(self.pkg.sheets):
                grid = self.grid(META_SHEET)
                self._meta = {
                    clean_text(r[0]): clean_text(r[1])
                    for r in grid
                    if len(r) > 1 and clean_text(r[0])
                }
        return self._meta

    def guess_language(self) -> str:
        names = {normalise_label(n) for n, _ in self.pkg.sheets}
        best, score = "kk", 0
        for lang in LANGS:
            hits = sum(normalise_label(s.sheet.get(lang)) in names for s in self.tpl.steps)
            if hits > score:
                best, score = lang, hits
        return best

    def expected_step_keys(self) -> set[str]:
        if self._expected is not None:
            return self._expected
        listed = {k for k in self.meta_value("steps").split(",") if k}
        known = {s.key for s in self.tpl.steps}
        self._expected = (listed & known) or known
        return self._expected

    def meta_value(self, key: str) -> str:
        return self.meta_sheet_values().get(key) or self.pkg.custom.get(f"kuk_{key}", "")

    # --- locating a step's sheet -------------------------------------------------
    def sheet_names(self) -> list[str]:
        return self._sheet_names

    def find_sheet(self, step: Step) -> str | None:
        names = self.sheet_names()
        present = self._present
        # 1. through the defined names of its blocks (survive renames and reorders)
        for key in _step_names(self.tpl, step):
            dest = self.destination(key)
            if dest and dest[0] in present:
                return dest[0]
        # 2. by the sheet name in any language
        wanted = {normalise_label(t) for t in step.sheet.all()}
        for name in names:
            if normalise_label(name) in wanted:
                self.note(
                    "sheet-by-name",
                    sheet=name,
                    step=step.key,
                    note="no defined name; found by sheet name",
                )
                return name
        # 3. by the step title in the top rows
        titles = {normalise_label(t) for t in step.title.all()}
        for name in names:
            if name in (LISTS_SHEET, META_SHEET):
                continue
            for row in self.grid(name)[:3]:
                for v in row[:2]:
                    text = normalise_label(v)
                    if text and any(t in text for t in titles):
                        self.note(
                            "sheet-by-title",
                            sheet=name,
                            step=step.key,
                            note="found by the title on the sheet",
                        )
                        return name
        return None

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
            return self.wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            raise ReadError(FileProblem("damaged", path, f"{sheet}: {exc}"[:300])) from None

    def cell(self, sheet: str, r: int, c: int) -> Any:
        grid = self.grid(sheet)
        if r < len(grid) and c < len(grid[r]):
            return grid[r][c]
        return None

    # --- blocks ------------------------------------------------------------------
    def name_range(self, name: str, sheet: str) -> tuple[int, int, int, int] | None:
        dest = self.destination(name)
        if dest is None or dest[0] != sheet:
            return None
        return dest[1]

    def destination(self, name: str) -> tuple[str, tuple[int, int, int, int]] | None:
        """A defined name's (sheet, range); ``None`` if absent or broken (#REF!, a formula)."""
        return self._dest.get(name.lower())

    def read_block(self, step: Step, blk: Block, sheet: str) -> BlockData:
        out = BlockData(blk.key, blk.kind, sheet)
        if blk.kind == "fields":
            self.read_fields(step, blk, sheet, out)
        elif blk.kind == "grid":
            self.read_grid(step, blk, sheet, out)
        else:
            self.read_table(step, blk, sheet, out)
            self.read_file_totals(step, blk, sheet)
        return out

    def read_file_totals(self, step: Step, blk: Block, sheet: str) -> None:
        """What the file shows in total cells (a cached or typed value), to compare only."""
        for tot in blk.totals:
            rng = self.name_range(column_name(step.key, blk.key, tot.key), sheet)
            if rng is None:
                continue
            raw = self.cell(sheet, rng[0], rng[1])
            number = parse_number(raw) if raw not in (None, "") else None
            if number is not None:
                key = f"{step.key}.{blk.key}.{tot.key}"
                self.plan.file_figures[key] = Value(
                    number, sheet, cell_ref(rng[0], rng[1]), raw=raw
                )

    def read_fields(self, step: Step, blk: Block, sheet: str, out: BlockData) -> None:
        for col in blk.columns:
            rng = self.name_range(column_name(step.key, blk.key, col.key), sheet)
            if rng is None:
                rng = self.find_label(sheet, col)
                if rng is None:
                    continue
                self.note(
                    "name-fallback",
                    sheet=sheet,
                    step=step.key,
                    column=col.key,
                    cell=cell_ref(rng[0], rng[1]),
                    note="found by its label",
                )
            out.cells[col.key] = cell_ref(rng[0], rng[1])
            value = self.typed(step, col, sheet, rng[0], rng[1])
            if value is not None:
                out.fields[col.key] = value

    def find_label(self, sheet: str, col: Column) -> tuple[int, int, int, int] | None:
        labels = {normalise_label(t) for t in col.label.all()}
        for r, row in enumerate(self.grid(sheet)):
            for c, v in enumerate(row[:3]):
                if normalise_label(v) in labels:
                    for c2 in range(c + 1, min(len(row), c + 4)):
                        return (r, c2, r, c2)
        return None

    def read_grid(self, step: Step, blk: Block, sheet: str, out: BlockData) -> None:
        area = self.name_range(block_name(step.key, blk.key), sheet)
        if area is None:
            area = self.find_header(sheet, blk, first_col=1)
            if area is None:
                return
            self.note(
                "name-fallback", sheet=sheet, step=step.key, note=f"{blk.key}: found by its headers"
            )
        r0, c0 = area[0], area[1]
        out.area = f"{cell_ref(r0, c0)}:{cell_ref(area[2], area[3])}"
        row_labels = {fr.key: {normalise_label(t) for t in fr.label.all()} for fr in blk.fixed_rows}
        for i, fr in enumerate(blk.fixed_rows):
            r = r0 + 1 + i
            # rows may have been inserted: find the row by its label below the header
            for rr in range(r0 + 1, min(r0 + 40, len(self.grid(sheet)))):
                if normalise_label(self.cell(sheet, rr, c0)) in row_labels[fr.key]:
                    r = rr
                    break
            for j, col in enumerate(blk.columns):
                out.cells[f"{fr.key}.{col.key}"] = cell_ref(r, c0 + 1 + j)
                value = self.typed(step, col, sheet, r, c0 + 1 + j)
                if value is not None:
                    out.fields[f"{fr.key}.{col.key}"] = value

    def find_header(
        self, sheet: str, blk: Block, first_col: int = 0
    ) -> tuple[int, int, int, int] | None:
        """Find a block's header row by its column labels in any language."""
        wanted = [
            {normalise_label(t) for t in c.label.all()} for c in blk.columns if c.type != "months"
        ]
        grid = self.grid(sheet)
        best: tuple[int, int, int] | None = None  # (hits, row, first column)
        for r, row in enumerate(grid):
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
        for c, _, key, _, _, month, _ in cells:
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
            for c, col, key, letters, kind, month, choices in cells:
                if c >= width:
                    continue
                raw = line[c]
                if raw is None or raw == "":
                    continue
                if month is not None:
                    if is_month_mark(raw):
                        months.append(month)
                        month_cells.append(letters + number)
                    continue
                # The common cases inline, each giving what typed() gives; anything
                # else (and every value needing a note) goes through typed().
                if raw.__class__ is str:
                    if kind is _TEXT:  # most cells NGOs fill are text
                        text = raw.strip(_STRIP)
                        if text:
                            values[key] = Value(
                                text, sheet, letters + number, raw if raw != text else None
                            )
                        continue
                    if kind is _YES_NO:
                        yn = yes_no_text(raw)
                        if yn is not None:
                            values[key] = Value(yn, sheet, letters + number, raw)
                            continue
                    elif kind is _CHOICE:
                        found = choices.get(normalise_label(raw))
                        if found is not None:
                            values[key] = Value(found, sheet, letters + number, raw)
                            continue
                elif raw.__class__ is float and kind is _PLAIN_NUMBER and raw - raw == 0.0:
                    values[key] = Value(raw, sheet, letters + number)
                    continue
                value = self.typed(step, col, sheet, r, c, raw)
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
    ) -> list[tuple[int, Column, str, str, str, int | None, dict[str, str]]]:
        """For every spec column the sheet has (a months column expanded), where it
        stands and how its cells are read: (0-based sheet column, column, key, column
        letters, how it is typed, month or None, choices by folded label).

        A column is found by its defined name, else by its header text in any
        language; never by its position.  A column found neither way is recorded in
        ``PlanData.missing_columns`` and read as having no values."""
        header = area[0]
        texts: dict[str, int] | None = None
        out = []
        dest = self._dest
        missing: dict[str, bool] = {}
        for col, month, name, kind, choices in plan.columns:
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
                        texts.setdefault(normalise_label(row[x]), x)
                wanted = (
                    col.label.all()
                    if month is None
                    else [t.format(n=month) for t in self.tpl.ui["month"].all()]
                    if "month" in self.tpl.ui
                    else ()
                )
                c = next((texts[t] for t in map(normalise_label, wanted) if t in texts), None)
            if c is None:
                missing.setdefault(col.key, True)
                continue
            missing[col.key] = False
            out.append((c, col, col.key, col_letter(c), kind, month, choices))
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

    # --- one cell -----------------------------------------------------------------
    def typed(
        self, step: Step, col: Column, sheet: str, r: int, c: int, raw: Any = _UNSET
    ) -> Value | None:
        """The typed value of one cell for its column, or None when the cell is empty."""
        if raw is _UNSET:
            raw = self.cell(sheet, r, c)
        if raw is None or raw == "":
            return None
        if raw.__class__ is float and col.type in _PLAIN_NUMBER_KINDS and raw - raw == 0.0:
            # the common case, first: a finite number in a number or money column
            return Value(raw, sheet, f"{col_letter(c)}{r + 1}")
        is_str = raw.__class__ is str
        text = raw.strip(_STRIP) if is_str else clean_text(raw)
        if not text:
            return None
        ref = f"{col_letter(c)}{r + 1}"
        kind = col.type
        if kind in _TEXT_KINDS:
            return Value(text, sheet, ref, raw if is_str and raw != text else None)
        if kind == "choice":
            key = match_choice(self.tpl, col.choices or "", text)
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


_STEP_NAMES: dict[tuple[int, str], tuple[Template, tuple[str, ...]]] = {}


def _step_names(tpl: Template, step: Step) -> tuple[str, ...]:
    """The defined names of a step's blocks and their columns, in the order tried."""
    cached = _STEP_NAMES.get((id(tpl), step.key))
    if cached is None or cached[0] is not tpl:
        keys = tuple(
            key
            for blk in step.blocks
            for key in (
                block_name(step.key, blk.key),
                *(column_name(step.key, blk.key, c.key) for c in blk.columns),
            )
        )
        cached = _STEP_NAMES[(id(tpl), step.key)] = (tpl, keys)
    return cached[1]


@dataclass(frozen=True)
class _TablePlan:
    """What reading one table needs from the spec, worked out once per template."""

    name: str  # the block's defined name
    # the columns as they stand (a months column expanded): column, month or None,
    # defined name (lower case), how it is typed (_TEXT, ...), choices by folded label
    columns: tuple[tuple[Column, int | None, str, str, dict[str, str]], ...]
    formulas: tuple[tuple[Column, tuple[str, ...], _Formula], ...]  # columns used, compiled
    markers: frozenset[str]  # texts that end the table (see _stop_markers)
    months_key: str  # the months column's key ("" without one)


def _table_plan(tpl: Template, step: Step, blk: Block) -> _TablePlan:
    # kept on the block, as Template.expanded does (with its template, checked)
    cached: tuple[Template, _TablePlan] | None = blk.__dict__.get("_read_plan")
    if cached is None or cached[0] is not tpl:
        expanded = tpl.expanded(blk)
        plan = _TablePlan(
            name=block_name(step.key, blk.key).lower(),
            columns=tuple(
                (
                    col,
                    month,
                    column_name(step.key, blk.key, col.key).lower(),
                    _kind(col.type),
                    _choice_index(tpl, col.choices or ""),
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
        cached = blk.__dict__["_read_plan"] = (tpl, plan)
    return cached[1]


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


_CHOICE_INDEX: dict[tuple[int, str], tuple[Template, dict[str, str]]] = {}


def match_choice(tpl: Template, list_key: str, raw: object) -> str | None:
    """The choice key for a label typed in any language (or the key itself)."""
    if not list_key:
        return None
    return _choice_index(tpl, list_key).get(normalise_label(raw))


def _choice_index(tpl: Template, list_key: str) -> dict[str, str]:
    """A dropdown list's keys by their folded labels in every language (and themselves)."""
    if not list_key:
        return {}
    cached = _CHOICE_INDEX.get((id(tpl), list_key))
    if cached is None or cached[0] is not tpl:
        index: dict[str, str] = {}
        for ch in tpl.choices[list_key].choices:
            index[normalise_label(ch.key)] = ch.key
            for text in ch.label.all():
                index[normalise_label(text)] = ch.key
        cached = _CHOICE_INDEX[(id(tpl), list_key)] = (tpl, index)
    return cached[1]


def first_sheet_rows(path: Path) -> list[list[str]]:
    """The first sheet's cells as text (used for rosters)."""
    data = read_bounded(Path(path))
    pkg = read_package(data, str(path))
    wb = _open_view(pkg, str(path))
    first = pkg.sheets[0][0] if pkg.sheets else ""
    assert pkg.view is not None
    scan = pkg.view.sheets.get(first)
    if scan is None:
        return []
    if not scan.readable or scan.lost_values:
        raise ReadError(
            FileProblem(
                "too-large",
                str(path),
                first,
                limit="max_rows",
                found=max(scan.rows, MAX_ROWS + 1),
                maximum=MAX_ROWS,
            )
        )
    try:
        grid = wb.get_sheet_by_name(first).to_python(skip_empty_area=False)
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise ReadError(FileProblem("damaged", str(path), detail=str(exc))) from None
    return [[clean_text(v) for v in row] for row in grid]
