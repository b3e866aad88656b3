""".xlsx -> typed plan data: the entry points, and the read that puts the parts together.

Values come from python-calamine; defined names, sheet states and metadata come
from parsing ``xl/workbook.xml`` and ``docProps/custom.xml`` ourselves (calamine
does not expose names, and openpyxl's full load is 15-25x slower).  Each block is
located through its workbook-level defined name first; when the name is missing
or broken, through its header and label text in any language.  Every value the
reader had to normalise, and every fallback it used, is recorded as an
:class:`Interpretation`, so checks and people can see what was assumed.

The read is split by what it does: :mod:`.parts` (the package's XML, the checked
view), :mod:`.locate` (which template, language, sheet), :mod:`.fields` and
:mod:`.tables` (the blocks), :mod:`.sheet` (a sheet's grid, one cell typed), and
:mod:`.model` (the :class:`PlanData` returned).  python-calamine is imported only in
this sub-package.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from xml.etree import ElementTree as ET

from kuk_xlsx.package.preflight import LIMITS, FileProblem, ReadError
from kuk_xlsx.read.fields import _Fields
from kuk_xlsx.read.figures import compute_figures
from kuk_xlsx.read.locate import _Locate
from kuk_xlsx.read.model import BlockData, PlanData, StepData
from kuk_xlsx.read.parts import _is_panic, _open_view, read_package
from kuk_xlsx.read.sheet import MAX_ROWS
from kuk_xlsx.read.tables import _Tables
from kuk_xlsx.read.values import clean_text
from kuk_xlsx.read.versions import to_current
from kuk_xlsx.spec.template import (
    LISTS_SHEET,
    Block,
    Step,
    Template,
    load_template,
    released_template,
)


def read_workbook(
    path: Path | str, template: Template | None = None, *, own_keys: bool = False
) -> PlanData:
    """Read a filled (or blank) training workbook into :class:`PlanData`.

    A workbook of an earlier released version is read by that version's layout and
    its data given in ``template``'s keys; with ``own_keys``, in its own version's
    keys (``migrate`` maps them itself, to list what a later version dropped).
    Raises :class:`ReadError` when the file cannot be read as a workbook at all.
    """
    path = Path(path)
    data = read_bounded(path)
    return read_workbook_bytes(data, str(path), template, own_keys=own_keys)


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


def read_workbook_bytes(
    data: bytes, name: str, template: Template | None = None, *, own_keys: bool = False
) -> PlanData:
    """Like :func:`read_workbook`, for bytes already in memory."""
    tpl = template or load_template()
    pkg = read_package(data, name, unread=(LISTS_SHEET,))  # the dropdowns: never read
    wb = _open_view(pkg, name)
    try:
        return _Reader(tpl, pkg, wb, name).read(own_keys)
    except (ValueError, KeyError, ET.ParseError) as exc:
        raise ReadError(FileProblem("damaged", name, detail=str(exc))) from None


class _Reader(_Locate, _Fields, _Tables):
    """One read: identify the workbook, find each step's sheet, read its blocks."""

    def read(self, own_keys: bool = False) -> PlanData:
        self.identify()
        current = self.tpl
        # a workbook of an earlier released version: read by its own layout (its
        # sheets, headers and dropdown labels), then moved to the current keys
        old = released_template(current, self.plan.template_version)
        if old is not None:
            self.tpl = old
        if self.pkg.checked.strict:
            self.note("strict-ooxml", note="Strict Open XML, read as the usual (transitional) kind")
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
        if old is not None and not own_keys:
            self.plan = to_current(self.plan, old, current)
            self.tpl = current
        self.plan.figures = compute_figures(self.tpl, self.plan)
        return self.plan

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
