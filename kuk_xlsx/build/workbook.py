"""Spec -> .xlsx: the training workbook.  Written with xlsxwriter through :mod:`kuk_xlsx.write.xlsx`.

Every input block and key cell gets a workbook-level defined name from
:mod:`kuk_xlsx.spec.template` (the reader relies on them); dropdowns come from a hidden
lists sheet; totals and the M&E share are live formulas written with an empty
cached value, so LibreOffice and Excel compute them instead of showing 0.

This module is the builder's public face: :func:`build_workbook` and the
workbook's properties and metadata sheet.  The options live in :mod:`.options`,
the builder's state in :mod:`.state`, the looks in :mod:`.styles`, a step sheet
in :mod:`.sheet`, its blocks in :mod:`.blocks` and :mod:`.tables`, dropdowns
and validation in :mod:`.validation` and printing in :mod:`.page`; the public
names of options and styles are importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from pathlib import Path

from kuk_xlsx import __version__
from kuk_xlsx.build.appendix import Appendix, appendix_sheet
from kuk_xlsx.build.options import LEVELS, BuildError, Organisation, PlanValues, select_steps
from kuk_xlsx.build.sheet import step_sheet
from kuk_xlsx.build.state import BuildState
from kuk_xlsx.build.styles import (
    BAD_FILL,
    EXAMPLE_FILL,
    GOOD_FILL,
    HEADER_FILL,
    INPUT_FILL,
    INSTR_FILL,
    MONTH_FILL,
    MONTH_MARK,
    Formats,
)
from kuk_xlsx.build.validation import lists_sheet
from kuk_xlsx.spec.template import LANGS, META_SHEET, Template, load_template
from kuk_xlsx.write.safe import atomic_path
from kuk_xlsx.write.xlsx import new_workbook

__all__ = [
    "BAD_FILL",
    "EXAMPLE_FILL",
    "GOOD_FILL",
    "HEADER_FILL",
    "INPUT_FILL",
    "INSTR_FILL",
    "LEVELS",
    "MONTH_FILL",
    "MONTH_MARK",
    "Appendix",
    "BuildError",
    "Organisation",
    "PlanValues",
    "build_workbook",
    "select_steps",
]


def build_workbook(
    target: Path | str,
    *,
    lang: str = "kk",
    modules: Iterable[str] | None = None,
    org: Organisation | None = None,
    level: str = "national",
    protect: bool = False,
    template: Template | None = None,
    data: PlanValues | None = None,
    appendix: Appendix | None = None,
) -> Path:
    """Write a blank (or roster pre-filled) training workbook to ``target``, atomically.

    ``modules`` picks module names (``strategy``, ``project``, ...) or step keys;
    ``level`` (``national``/``regional``) sets the M&E band; ``protect`` locks
    everything but the input cells (rows may still be inserted and deleted).
    ``data`` pre-fills input cells (samples, tests): ``data[step][block]`` is a
    list of row dicts for a table, a dict of values for fields, and a dict of
    fixed row -> {column: value} for a grid.  Choice values are choice keys;
    yes/no values are booleans; month columns take a list of month numbers.
    ``appendix`` adds a sheet of plain text first (what a migration did not carry).
    """
    tpl = template or load_template()
    if lang not in LANGS:
        raise BuildError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    if level not in LEVELS:
        raise BuildError(f"unknown programme level {level!r}; use national or regional")
    steps = select_steps(tpl, modules)
    target = Path(target)
    with atomic_path(target) as tmp:
        builder = _Builder(tpl, lang, steps, org or Organisation(), level, protect, data or {})
        builder.appendix = appendix
        builder.write(tmp)
    return target


class _Builder(BuildState):
    """Writes the whole workbook: properties, the step sheets, the lists and metadata sheets."""

    appendix: Appendix | None = None

    def write(self, path: Path) -> None:
        wb = new_workbook(path, in_memory=True)
        self.wb = wb
        self.fmt = Formats(wb)
        released = datetime.combine(self.tpl.released, time())
        wb.set_properties(
            {
                "title": self.tpl.title.get(self.lang),
                "subject": self.tpl.id,
                "author": "kuk_xlsx",
                "company": "",
                "created": released,
                "comments": f"kuk_xlsx {__version__}",
            }
        )
        wb.set_calc_mode("auto")
        for key, value in self.meta().items():
            wb.set_custom_property(f"kuk_{key}", value, "text")
        if self.appendix is not None:
            appendix_sheet(wb, self.fmt, self.appendix)
        for step in self.steps:
            step_sheet(self, step)
        lists_sheet(self)
        self.meta_sheet()
        wb.close()

    # --- metadata ----------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return {
            "template_id": self.tpl.id,
            "template_version": self.tpl.version,
            "spec_hash": self.tpl.spec_hash,
            "language": self.lang,
            "level": self.level,
            "org_id": self.org.id,
            "org_name": self.org.name,
            "steps": ",".join(s.key for s in self.steps),
            "generator": f"kuk_xlsx {__version__}",
        }

    def meta_sheet(self) -> None:
        ws = self.wb.add_worksheet(META_SHEET)
        bold = self.fmt.get(bold=True)
        ws.write_string(0, 0, "key", bold)
        ws.write_string(0, 1, "value", bold)
        for i, (key, value) in enumerate(self.meta().items(), start=1):
            ws.write_string(i, 0, key)
            ws.write_string(i, 1, value)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 40)
        ws.hide()
