"""Table blocks: a header, a fixed number of input rows, row formulas, totals and the M&E band.

A table has one column per spec column (a ``months`` column spreads over one
cell per month), a defined name for the block and for each column's input range,
and pre-filled rows when data is given.  Computed columns get a per-row formula
that stays blank until its inputs are filled; totals are live ``SUM``/``SUMIF``
formulas, and a banded share gets its limits from the profile's programme level
and turns green or red against them.  Formulas are written with an empty cached
value, so Excel and LibreOffice compute them on opening.
"""

from __future__ import annotations

import math

from kuk_xlsx.build.options import BuildError
from kuk_xlsx.build.state import BuildState
from kuk_xlsx.build.styles import (
    BAD_FILL,
    GOOD_FILL,
    MONTH_FILL,
    MONTH_MARK,
    header_format,
    input_format,
)
from kuk_xlsx.build.validation import validate
from kuk_xlsx.spec.template import Block, Column, Total, block_name, column_name
from kuk_xlsx.write.xlsx import xl_rowcol_to_cell


def table_block(b: BuildState, blk: Block, row: int) -> int:
    """Write a table block (header at ``row``) with its totals; return the row after it."""
    ws = b.ws
    header = row
    cols = b.tpl.expanded(blk)
    hfmt = header_format(b.fmt)
    for c, (col, month) in enumerate(cols):
        text = b.t("month", n=month) if month else col.label.get(b.lang)
        if col.required and not month:
            text += " *"
        ws.write_string(header, c, text, hfmt)
        if col.hint is not None and not month:
            ws.write_comment(header, c, col.hint.get(b.lang), {"author": "kuk_xlsx"})
    b.set_height(header, 42)
    first, last = header + 1, header + blk.rows
    col_index = {}
    for c, (col, _month) in enumerate(cols):
        col_index.setdefault(col.key, c)
    given = b.data.get(b.step.key, {}).get(blk.key, [])
    if len(given) > blk.rows:
        raise BuildError(
            f"{b.step.key}.{blk.key}: {len(given)} rows given, the table has {blk.rows}"
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
        b.set_height(r, max(30 if tall else 18, min(409.0, 12.5 * lines + 5)))
        for c, (col, month) in enumerate(cols):
            fmt = input_format(b.fmt, col)
            value = values.get(col.key)
            if month is not None:
                value = MONTH_MARK if value and month in value else None
            if col.formula and value is None:
                ws.write_formula(r, c, row_formula(col, r, col_index), fmt, "")
            else:
                b.write_value(r, c, col, value, fmt)
    b.define(block_name(b.step.key, blk.key), header, 0, last, len(cols) - 1)
    for col in blk.columns:
        c0 = col_index[col.key]
        c1 = c0 + (len([1 for k, m in cols if k.key == col.key]) - 1)
        b.define(column_name(b.step.key, blk.key, col.key), first, c0, last, c1)
        validate(b, col, first, c0, last, c1)
        if col.type == "months":
            ws.conditional_format(
                first,
                c0,
                last,
                c1,
                {"type": "no_blanks", "format": b.wb.add_format({"bg_color": MONTH_FILL})},
            )
    row = last + 1
    for tot in blk.totals:
        row = total_row(b, blk, tot, row, col_index)
    return row


def row_formula(col: Column, r: int, col_index: dict[str, int]) -> str:
    """``col``'s formula for row ``r``, blank while any cell it uses is blank."""
    formula = col.formula or ""
    cells = {k: xl_rowcol_to_cell(r, c) for k, c in col_index.items()}
    used = [cells[k] for k in col_index if "{" + k + "}" in formula]
    blank_test = ",".join(f'{cell}=""' for cell in used)
    return f'=IF(OR({blank_test}),"",{formula.format(**cells)})'


def total_row(b: BuildState, blk: Block, tot: Total, row: int, col_index: dict[str, int]) -> int:
    """A total (sum, or a SUMIF share) under the table, and its band; return the next row."""
    ws = b.ws
    c = col_index[tot.column]
    label_fmt = b.fmt.get(bold=True, align="right")
    value_fmt = b.fmt.get(bold=True, num_format="0.0%" if tot.percent else "#,##0", border=1)
    ws.write_string(row, max(c - 1, 0), tot.label.get(b.lang), label_fmt)
    amounts = column_name(b.step.key, blk.key, tot.column)
    if tot.kind == "sum":
        formula = f"=SUM({amounts})"
    else:
        wcol = blk.column(tot.where_column or "")
        choices = b.tpl.choices[wcol.choices or ""]
        label = next(ch.label.get(b.lang) for ch in choices.choices if ch.key == tot.where_choice)
        where = column_name(b.step.key, blk.key, wcol.key)
        sumif = f'SUMIF({where},"{label}",{amounts})'
        formula = f'=IF(SUM({amounts})=0,"",{sumif}/SUM({amounts}))' if tot.percent else f"={sumif}"
    ws.write_formula(row, c, formula, value_fmt, "")
    name = column_name(b.step.key, blk.key, tot.key)
    b.define(name, row, c)
    row += 1
    if tot.band:
        row = band_rows(b, blk, tot, row, c, name)
    return row


def band_rows(b: BuildState, blk: Block, tot: Total, row: int, c: int, share_name: str) -> int:
    """Live band limits chosen by the profile's programme level, and the share coloured."""
    ws = b.ws
    lo_n, hi_n = b.tpl.rules[f"{tot.band}_national"]
    lo_r, hi_r = b.tpl.rules[f"{tot.band}_regional"]
    regional = b.tpl.choices["programme_level"].choices[1].label.get(b.lang)
    level_cell = column_name("profile", "org", "level")
    pct = b.fmt.get(num_format="0%", border=1)
    ws.write_string(row, max(c - 2, 0), b.t("me_band"), b.fmt.get(bold=True, align="right"))
    lo_name = column_name(b.step.key, blk.key, f"{tot.key}_min")
    hi_name = column_name(b.step.key, blk.key, f"{tot.key}_max")
    ws.write_formula(row, c - 1, f'=IF({level_cell}="{regional}",{lo_r},{lo_n})', pct, lo_n)
    ws.write_formula(row, c, f'=IF({level_cell}="{regional}",{hi_r},{hi_n})', pct, hi_n)
    b.define(lo_name, row, c - 1)
    b.define(hi_name, row, c)
    share = xl_rowcol_to_cell(row - 1, c)
    lo = xl_rowcol_to_cell(row, c - 1, True, True)
    hi = xl_rowcol_to_cell(row, c, True, True)
    good = b.wb.add_format({"bg_color": GOOD_FILL})
    bad = b.wb.add_format({"bg_color": BAD_FILL})
    b.ws.conditional_format(
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
    b.ws.conditional_format(
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
        f'"{b.t("band_ok")}","{b.t("band_out")}"))'
    )
    ws.write_formula(row, c + 1, status, b.fmt.get(italic=True), "")
    return row + 1
