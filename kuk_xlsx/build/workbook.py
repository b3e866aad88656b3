"""Spec -> .xlsx: the training workbook.  Written with xlsxwriter through :mod:`kuk_xlsx.write.xlsx`.

Every input block and key cell gets a workbook-level defined name from
:mod:`kuk_xlsx.spec.template` (the reader relies on them); dropdowns come from a hidden
lists sheet; totals and the M&E share are live formulas written with an empty
cached value, so LibreOffice and Excel compute them instead of showing 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


from kuk_xlsx import __version__
from kuk_xlsx.write.safe import atomic_path
from kuk_xlsx.write.xlsx import Workbook, Worksheet, new_workbook, xl_col_to_name, xl_rowcol_to_cell
from kuk_xlsx.spec.template import (
    LANGS,
    LISTS_SHEET,
    META_SHEET,
    Block,
    Column,
    Step,
    Template,
    Total,
    block_name,
    column_name,
    list_name,
    load_template,
)

LEVELS = ("national", "regional")
MONTH_MARK = "x"

# Colours: inputs light yellow (the "type here" convention of many NGO forms),
# instructions light blue, examples light grey, headers grey-blue.
INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#D9E1F2"
INSTR_FILL = "#DDEBF7"
EXAMPLE_FILL = "#F2F2F2"
GOOD_FILL = "#C6EFCE"
BAD_FILL = "#FFC7CE"
MONTH_FILL = "#A9D08E"


PlanValues = dict[str, dict[str, Any]]


class BuildError(Exception):
    """The options given cannot make a workbook (unknown module, language, ...)."""


@dataclass(frozen=True)
class Organisation:
    """What a roster says about one organisation; fields match roster keys in the spec."""

    id: str = ""
    name: str = ""
    region: str = ""
    contact_person: str = ""
    contact: str = ""


@dataclass
class _Formats:
    wb: Workbook
    cache: dict[tuple, object] = field(default_factory=dict)

    def get(self, **props: object) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
            self.cache[key] = self.wb.add_format({**base, **props})
        return self.cache[key]


def select_steps(tpl: Template, modules: Iterable[str] | None) -> list[Step]:
    """Steps for the given modules or step keys (``None``: all).  The profile is always in."""
    if not modules:
        return list(tpl.steps)
    wanted = {m.strip() for m in modules if m.strip()}
    known = set(tpl.modules) | {s.key for s in tpl.steps}
    unknown = sorted(wanted - known)
    if unknown:
        raise BuildError(
            f"unknown module or step {', '.join(unknown)}; "
            f"modules: {', '.join(tpl.modules)}; steps: {', '.join(s.key for s in tpl.steps)}"
        )
    return [s for s in tpl.steps if s.module == "core" or s.module in wanted or s.key in wanted]


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
) -> Path:
    """Write a blank (or roster pre-filled) training workbook to ``target``, atomically.

    ``modules`` picks module names (``strategy``, ``project``, ...) or step keys;
    ``level`` (``national``/``regional``) sets the M&E band; ``protect`` locks
    everything but the input cells (rows may still be inserted and deleted).
    ``data`` pre-fills input cells (samples, tests): ``data[step][block]`` is a
    list of row dicts for a table, a dict of values for fields, and a dict of
    fixed row -> {column: value} for a grid.  Choice values are choice keys;
    yes/no values are booleans; month columns take a list of month numbers.
    """
    tpl = template or load_template()
    if lang not in LANGS:
        raise BuildError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    if level not in LEVELS:
        raise BuildError(f"unknown programme level {level!r}; use national or regional")
    steps = select_steps(tpl, modules)
    target = Path(target)
    with atomic_path(target) as tmp:
        _Builder(tpl, lang, steps, org or Organisation(), level, protect, data or {}).write(tmp)
    return target


class _Builder:
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

    def write(self, path: Path) -> None:
        wb = new_workbook(path, in_memory=True)
        self.wb = wb
        self.fmt = _Formats(wb)
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
        for step in self.steps:
            self.step_sheet(step)
        self.lists_sheet()
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

    def lists_sheet(self) -> None:
        ws = self.wb.add_worksheet(LISTS_SHEET)
        bold = self.fmt.get(bold=True)
        for col, (key, clist) in enumerate(self.tpl.choices.items()):
            ws.write_string(0, col, key, bold)
            labels = clist.labels(self.lang)
            for row, label in enumerate(labels, start=1):
                ws.write_string(row, col, label)
            letter = xl_col_to_name(col)
            self.wb.define_name(
                list_name(key), f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
            )
            ws.set_column(col, col, 30)
        ws.hide()

    # --- a step sheet ------------------------------------------------------
    def step_sheet(self, step: Step) -> None:
        ws = self.wb.add_worksheet(step.sheet.get(self.lang))
        self.ws = ws
        self.step = step
        widths = self.column_widths(step)
        last_col = max(len(widths) - 1, 1)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        self.span_width = sum(widths)
        self.last_col = last_col
        self.heights: dict[int, float] = {}

        row = 0
        number = self.t("step", n=step.number) if step.number != "0" else ""
        title = f"{number} · {step.title.get(self.lang)}" if number else step.title.get(self.lang)
        ws.merge_range(0, 0, 0, last_col, title, self.fmt.get(bold=True, font_size=14))
        self.set_height(0, 24)
        row = 1
        if step.module == "core":
            row = self.cover_texts(row)
        row = self.note_row(
            row, self.t("instructions"), step.instructions.get(self.lang), INSTR_FILL
        )
        row = self.note_row(row, self.t("example"), step.example.get(self.lang), EXAMPLE_FILL, True)
        row += 1
        freeze_at: int | None = None
        repeat: tuple[int, int] | None = None
        page = _PageFit(widths)
        page.add(0, row, self.heights)
        tables = [b for b in step.blocks if b.kind == "table"]
        for blk in step.blocks:
            start = row
            if blk.title is not None:
                ws.merge_range(
                    row,
                    0,
                    row,
                    last_col,
                    blk.title.get(self.lang),
                    self.fmt.get(bold=True, font_size=12),
                )
                row += 1
            if blk.kind == "fields":
                row = self.fields_block(blk, row)
            elif blk.kind == "table":
                if freeze_at is None:
                    freeze_at = row + 1
                    # repeating one table's header is right only with one table
                    repeat = (row, row) if len(tables) == 1 else None
                row = self.table_block(blk, row)
            else:
                row = self.grid_block(blk, row)
            # start a new printed page rather than split a block across two (never
            # right after the instructions: that would leave a page of them alone)
            if page.add(start, row, self.heights, may_break=blk is not step.blocks[0]):
                ws.set_h_pagebreaks([*page.breaks])
            row += 1
        if step.module == "core":
            start = row
            row = self.contents(row)
            if page.add(start, row, self.heights):
                ws.set_h_pagebreaks([*page.breaks])
        # Freeze under the first table's header when it is near the top, so the
        # headers stay in view while typing; otherwise keep the title in view.
        ws.freeze_panes(freeze_at if freeze_at is not None and freeze_at <= 12 else 1, 0)
        self.print_setup(ws, repeat)
        if self.protect:
            ws.protect(
                "",
                {
                    "insert_rows": True,
                    "delete_rows": True,
                    "format_columns": True,
                    "format_rows": True,
                    "select_locked_cells": True,
                    "select_unlocked_cells": True,
                },
            )

    def column_widths(self, step: Step) -> list[float]:
        widths: list[float] = []

        def put(i: int, w: float) -> None:
            while len(widths) <= i:
                widths.append(8.0)
            widths[i] = max(widths[i], w)

        months = int(self.tpl.rules.get("schedule_months", 6))
        for blk in step.blocks:
            if blk.kind == "fields":
                put(0, 36)
                if all(b.kind == "fields" for b in step.blocks):
                    put(1, 80)
                continue
            col = 1 if blk.kind == "grid" else 0
            if blk.kind == "grid":
                put(0, 18)
            for c in blk.columns:
                for _ in range(months if c.type == "months" else 1):
                    put(col, c.width)
                    col += 1
        return widths

    def set_height(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.heights[row] = height

    def cover_texts(self, row: int) -> int:
        row = self.note_row(
            row, self.t("training_goal"), self.tpl.training_goal.get(self.lang), INSTR_FILL
        )
        return self.note_row(row, self.t("how_to"), self.tpl.how_to.get(self.lang), INSTR_FILL)

    def contents(self, row: int) -> int:
        """The list of step sheets, each a link, under the profile on the first sheet."""
        ws = self.ws
        ws.write_string(row, 0, self.t("contents"), self.fmt.get(bold=True, font_size=12))
        row += 1
        link = self.fmt.get(font_color="blue", underline=1)
        for step in self.steps:
            if step.module == "core":
                continue
            sheet = step.sheet.get(self.lang).replace("'", "''")
            ws.write_url(row, 0, f"internal:'{sheet}'!A1", link, string=step.sheet.get(self.lang))
            ws.write_string(row, 1, step.title.get(self.lang))
            row += 1
        return row

    def note_row(self, row: int, head: str, text: str, fill: str, italic: bool = False) -> int:
        body = f"{head}: {text}"
        fmt = self.fmt.get(
            text_wrap=True, bg_color=fill, italic=italic, border=1, border_color="#BFBFBF"
        )
        self.ws.merge_range(row, 0, row, self.last_col, body, fmt)
        self.set_height(row, _text_height(body, self.span_width))
        return row + 1

    # --- blocks ------------------------------------------------------------
    def input_format(self, col: Column) -> object:
        props: dict[str, object] = {
            "bg_color": INPUT_FILL,
            "border": 1,
            "border_color": "#BFBFBF",
            "locked": False,
            "text_wrap": col.type in ("long_text", "text", "choice", "ref"),
        }
        num = {"money": "#,##0", "percent": "0.0%", "date": "dd.mm.yyyy", "number": "General"}
        if col.type in num:
            props["num_format"] = num[col.type]
        if col.type in ("yes_no", "months"):
            props["align"] = "center"
        return self.fmt.get(**props)

    def header_format(self) -> object:
        return self.fmt.get(
            bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1, valign="vcenter"
        )

    def fields_block(self, blk: Block, row: int) -> int:
        ws = self.ws
        label_fmt = self.fmt.get(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1)
        for col in blk.columns:
            label = col.label.get(self.lang) + (" *" if col.required else "")
            ws.write_string(row, 0, label, label_fmt)
            fmt = self.input_format(col)
            given = self.data.get(self.step.key, {}).get(blk.key, {})
            value = given.get(col.key) if col.key in given else self.prefill(col)
            if self.last_col > 1:
                ws.merge_range(row, 1, row, self.last_col, "", fmt)
            self.write_value(row, 1, col, value, fmt)
            label_lines = math.ceil(len(label) / 38)
            self.set_height(row, max(36 if col.type == "long_text" else 18, 13.5 * label_lines + 4))
            name = column_name(self.step.key, blk.key, col.key)
            self.define(name, row, 1)
            self.validate(col, row, 1, row, 1)
            if col.hint is not None:
                ws.write_comment(row, 1, col.hint.get(self.lang), {"author": "kuk_xlsx"})
            row += 1
        return row

    def prefill(self, col: Column) -> str:
        if self.step.module != "core":
            return ""
        if col.key == "level":
            return self.level
        return str(getattr(self.org, col.key, "") or "")

    def table_block(self, blk: Block, row: int) -> int:
        ws = self.ws
        header = row
        cols = self.tpl.expanded(blk)
        hfmt = self.header_format()
        for c, (col, month) in enumerate(cols):
            text = self.t("month", n=month) if month else col.label.get(self.lang)
            if col.required and not month:
                text += " *"
            ws.write_string(header, c, text, hfmt)
            if col.hint is not None and not month:
                ws.write_comment(header, c, col.hint.get(self.lang), {"author": "kuk_xlsx"})
        self.set_height(header, 42)
        first, last = header + 1, header + blk.rows
        col_index = {}
        for c, (col, _month) in enumerate(cols):
            col_index.setdefault(col.key, c)
        given = self.data.get(self.step.key, {}).get(blk.key, [])
        if len(given) > blk.rows:
            raise BuildError(
                f"{self.step.key}.{blk.key}: {len(given)} rows given, the table has {blk.rows}"
            )
        tall = any(col.type == "long_text" for col, _ in cols)
        for r in range(first, last + 1):
            values = given[r - first] if r - first < len(given) else {}
            # LibreOffice prints wrapped text only as tall as the row says, so a
            # pre-filled row gets the height its longest text needs
            lines = max(
                (
                    math.ceil(len(str(v)) / max(blk.column(k).width * 1.1, 1))
                    for k, v in values.items()
                    if k in col_index and isinstance(v, str)
                ),
                default=1,
            )
            self.set_height(r, max(30 if tall else 18, min(409.0, 12.5 * lines + 5)))
            for c, (col, month) in enumerate(cols):
                fmt = self.input_format(col)
                value = values.get(col.key)
                if month is not None:
                    value = MONTH_MARK if value and month in value else None
                if col.formula and value is None:
                    ws.write_formula(r, c, self.row_formula(col, r, col_index), fmt, "")
                else:
                    self.write_value(r, c, col, value, fmt)
        self.define(block_name(self.step.key, blk.key), header, 0, last, len(cols) - 1)
        for col in blk.columns:
            c0 = col_index[col.key]
            c1 = c0 + (len([1 for k, m in cols if k.key == col.key]) - 1)
            self.define(column_name(self.step.key, blk.key, col.key), first, c0, last, c1)
            self.validate(col, first, c0, last, c1)
            if col.type == "months":
                ws.conditional_format(
                    first,
                    c0,
                    last,
                    c1,
                    {"type": "no_blanks", "format": self.wb.add_format({"bg_color": MONTH_FILL})},
                )
        row = last + 1
        for tot in blk.totals:
            row = self.total_row(blk, tot, row, col_index)
        return row

    def row_formula(self, col: Column, r: int, col_index: dict[str, int]) -> str:
        formula = col.formula or ""
        cells = {k: xl_rowcol_to_cell(r, c) for k, c in col_index.items()}
        used = [cells[k] for k in col_index if "{" + k + "}" in formula]
        blank_test = ",".join(f'{cell}=""' for cell in used)
        return f'=IF(OR({blank_test}),"",{formula.format(**cells)})'

    def total_row(self, blk: Block, tot: Total, row: int, col_index: dict[str, int]) -> int:
        ws = self.ws
        c = col_index[tot.column]
        label_fmt = self.fmt.get(bold=True, align="right")
        value_fmt = self.fmt.get(bold=True, num_format="0.0%" if tot.percent else "#,##0", border=1)
        ws.write_string(row, max(c - 1, 0), tot.label.get(self.lang), label_fmt)
        amounts = column_name(self.step.key, blk.key, tot.column)
        if tot.kind == "sum":
            formula = f"=SUM({amounts})"
        else:
            wcol = blk.column(tot.where_column or "")
            choices = self.tpl.choices[wcol.choices or ""]
            label = next(
                ch.label.get(self.lang) for ch in choices.choices if ch.key == tot.where_choice
            )
            where = column_name(self.step.key, blk.key, wcol.key)
            sumif = f'SUMIF({where},"{label}",{amounts})'
            formula = (
                f'=IF(SUM({amounts})=0,"",{sumif}/SUM({amounts}))' if tot.percent else f"={sumif}"
            )
        ws.write_formula(row, c, formula, value_fmt, "")
        name = column_name(self.step.key, blk.key, tot.key)
        self.define(name, row, c)
        row += 1
        if tot.band:
            row = self.band_rows(blk, tot, row, c, name)
        return row

    def band_rows(self, blk: Block, tot: Total, row: int, c: int, share_name: str) -> int:
        """Live band limits chosen by the profile's programme level, and the share coloured."""
        ws = self.ws
        lo_n, hi_n = self.tpl.rules[f"{tot.band}_national"]
        lo_r, hi_r = self.tpl.rules[f"{tot.band}_regional"]
        regional = self.tpl.choices["programme_level"].choices[1].label.get(self.lang)
        level_cell = column_name("profile", "org", "level")
        pct = self.fmt.get(num_format="0%", border=1)
        ws.write_string(
            row, max(c - 2, 0), self.t("me_band"), self.fmt.get(bold=True, align="right")
        )
        lo_name = column_name(self.step.key, blk.key, f"{tot.key}_min")
        hi_name = column_name(self.step.key, blk.key, f"{tot.key}_max")
        ws.write_formula(row, c - 1, f'=IF({level_cell}="{regional}",{lo_r},{lo_n})', pct, lo_n)
        ws.write_formula(row, c, f'=IF({level_cell}="{regional}",{hi_r},{hi_n})', pct, hi_n)
        self.define(lo_name, row, c - 1)
        self.define(hi_name, row, c)
        share = xl_rowcol_to_cell(row - 1, c)
        lo = xl_rowcol_to_cell(row, c - 1, True, True)
        hi = xl_rowcol_to_cell(row, c, True, True)
        good = self.wb.add_format({"bg_color": GOOD_FILL})
        bad = self.wb.add_format({"bg_color": BAD_FILL})
        self.ws.conditional_format(
            row - 1,
            c,
            row - 1,
            c,
            {
                "type": "formula",
                "criteria": f'=AND({share}<>"",{share}>={lo},{share}<={hi})',
                "format": good,
            },
        )
        self.ws.conditional_format(
            row - 1,
            c,
            row - 1,
            c,
            {
                "type": "formula",
                "criteria": f'=AND({share}<>"",OR({share}<{lo},{share}>{hi}))',
                "format": bad,
            },
        )
        status = (
            f'=IF({share}="","",IF(AND({share}>={lo},{share}<={hi}),'
            f'"{self.t("band_ok")}","{self.t("band_out")}"))'
        )
        ws.write_formula(row, c + 1, status, self.fmt.get(italic=True), "")
        return row + 1

    def grid_block(self, blk: Block, row: int) -> int:
        ws = self.ws
        hfmt = self.header_format()
        ws.write_blank(row, 0, None, hfmt)
        for c, col in enumerate(blk.columns, start=1):
            ws.write_string(row, c, col.label.get(self.lang) + (" *" if col.required else ""), hfmt)
        self.set_height(row, 30)
        top = row
        for fixed in blk.fixed_rows:
            row += 1
            ws.write_string(
                row,
                0,
                fixed.label.get(self.lang),
                self.fmt.get(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1),
            )
            self.set_height(row, 80)
            values = self.data.get(self.step.key, {}).get(blk.key, {}).get(fixed.key, {})
            for c, col in enumerate(blk.columns, start=1):
                self.write_value(row, c, col, values.get(col.key), self.input_format(col))
                name = column_name(self.step.key, blk.key, f"{fixed.key}_{col.key}")
                self.define(name, row, c)
        self.define(block_name(self.step.key, blk.key), top, 0, row, len(blk.columns))
        for c, col in enumerate(blk.columns, start=1):
            self.define(column_name(self.step.key, blk.key, col.key), top + 1, c, row, c)
        return row + 1

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

    # --- names and validation ----------------------------------------------
    def define(
        self, name: str, r0: int, c0: int, r1: int | None = None, c1: int | None = None
    ) -> None:
        sheet = self.ws.get_name().replace("'", "''")
        ref = xl_rowcol_to_cell(r0, c0, True, True)
        if r1 is not None and (r1, c1) != (r0, c0):
            ref += ":" + xl_rowcol_to_cell(r1, c1 if c1 is not None else c0, True, True)
        self.wb.define_name(name, f"='{sheet}'!{ref}")

    def validate(self, col: Column, r0: int, c0: int, r1: int, c1: int) -> None:
        opts: dict[str, object] | None = None
        if col.type == "choice" and col.choices:
            opts = {"validate": "list", "source": f"={list_name(col.choices)}"}
        elif col.type == "yes_no":
            opts = {"validate": "list", "source": f"={list_name('yes_no')}"}
        elif col.type == "ref" and col.ref:
            ref_step, ref_block, ref_col = col.ref.split(".")
            if ref_step in self.step_keys:
                # A warning, not a stop: the list is empty until step 7 is filled.
                opts = {
                    "validate": "list",
                    "source": f"={column_name(ref_step, ref_block, ref_col)}",
                    "error_type": "warning",
                }
        elif col.type == "months":
            opts = {"validate": "list", "source": [MONTH_MARK], "error_type": "warning"}
        elif col.type in ("number", "money"):
            opts = {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning"}
        elif col.type == "percent":
            opts = {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": 1,
                "error_type": "warning",
            }
        elif col.type == "date":
            opts = {
                "validate": "date",
                "criteria": ">",
                "value": datetime(1990, 1, 1),
                "error_type": "warning",
            }
        if opts is not None:
            opts.setdefault("ignore_blank", True)
            self.ws.data_validation(r0, c0, r1, c1, opts)

    def print_setup(
        self, ws: Worksheet, repeat: tuple[int, int] | None
    ) -> None:
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L&A&R&P / &N")
        if repeat is not None:
            ws.repeat_rows(*repeat)


class _PageFit:
    """Where to break printed pages so that no block is split (A4 landscape, fit to width)."""

    PRINTABLE_WIDTH_PT = 784.0
    PRINTABLE_HEIGHT_PT = 440.0

    def __init__(self, widths: Sequence[float]) -> None:
        width_pt = sum(w * 7 + 5 for w in widths) * 0.75
        scale = min(1.0, self.PRINTABLE_WIDTH_PT / max(width_pt, 1.0))
        self.capacity = self.PRINTABLE_HEIGHT_PT / scale
        self.used = 0.0
        self.breaks: list[int] = []

    def add(self, first: int, last: int, heights: dict[int, float], may_break: bool = True) -> bool:
        """Account rows first..last-1; return True when a break was added before ``first``."""
        height = sum(heights.get(r, 15.0) for r in range(first, last))
        fits_a_page = height <= self.capacity
        over = self.used + height > self.capacity
        if over and may_break and self.used > 0 and first > 0 and fits_a_page:
            self.breaks.append(first)
            self.used = height
            return True
        # a block taller than a page flows on; count what spills onto the last page
        self.used = (self.used + height) % self.capacity if not fits_a_page else self.used + height
        return False


def _text_height(text: str, width_chars: float) -> float:
    """Row height in points for ``text`` wrapped in a merged cell ``width_chars`` wide."""
    per_line = max(int(width_chars * 1.25), 20)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return min(409.0, 13.5 * lines + 6)
