"""One build in progress: its options, the open workbook and sheet, and the cell primitives.

:class:`BuildState` holds what every part of the builder reads (the template,
language, steps, organisation, level, pre-filled data) and what the sheet being
written has set (worksheet, step, column span, row heights).  Its methods are the
small cell-level steps all blocks share: a UI string, a row height, a defined name,
a pre-filled value written as its column type wants.  The block writers in
:mod:`.blocks` and :mod:`.tables` take the state explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from kuk_xlsx.build.options import BuildError, Organisation, PlanValues
from kuk_xlsx.build.styles import Formats
from kuk_xlsx.spec.template import Column, Step, Template
from kuk_xlsx.write.xlsx import Workbook, Worksheet, xl_rowcol_to_cell


class BuildState:
    """The builder's state; ``wb`` and ``fmt`` are set when writing starts, the rest per sheet."""

    wb: Workbook
    fmt: Formats
    ws: Worksheet
    step: Step
    last_col: int
    span_width: float
    label_width: float  # the first column's: a fields block's labels
    heights: dict[int, float]

    def __init__(
        self,
        tpl: Template,
        lang: str,
        steps: Sequence[Step],
        org: Organisation,
        level: str,
        protect: bool,
        data: PlanValues,
    ) -> None:
        self.data = data
        self.tpl = tpl
        self.lang = lang
        self.steps = steps
        self.org = org
        self.level = level
        self.protect = protect
        self.step_keys = {s.key for s in steps}

    def t(self, key: str, **kw: object) -> str:
        text = self.tpl.text(key, self.lang)
        return text.format(**kw) if kw else text

    def set_height(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.heights[row] = height

    def write_value(self, r: int, c: int, col: Column, value: Any, fmt: object) -> None:
        """Write a pre-filled value as its column type wants; text always as a string."""
        ws = self.ws
        if value is None or value == "" or value == []:
            ws.write_blank(r, c, None, fmt)
        elif col.type == "yes_no" and isinstance(value, bool):
            key = "yes" if value else "no"
            ws.write_string(r, c, self.choice_label("yes_no", key), fmt)
        elif col.type == "choice" and col.choices:
            ws.write_string(r, c, self.choice_label(col.choices, str(value)), fmt)
        elif col.type == "date" and isinstance(value, date):
            ws.write_datetime(r, c, datetime.combine(value, time()), fmt)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_string(r, c, str(value), fmt)

    def choice_label(self, list_key: str, key: str) -> str:
        for ch in self.tpl.choices[list_key].choices:
            if ch.key == key:
                return ch.label.get(self.lang)
        raise BuildError(f"{key!r} is not a choice of {list_key}")

    def define(
        self, name: str, r0: int, c0: int, r1: int | None = None, c1: int | None = None
    ) -> None:
        sheet = self.ws.get_name().replace("'", "''")
        ref = xl_rowcol_to_cell(r0, c0, True, True)
        if r1 is not None and (r1, c1) != (r0, c0):
            ref += ":" + xl_rowcol_to_cell(r1, c1 if c1 is not None else c0, True, True)
        self.wb.define_name(name, f"='{sheet}'!{ref}")
