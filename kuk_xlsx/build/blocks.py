"""The two fixed-shape input blocks: a list of fields, and a grid of fixed rows.

A fields block is one labelled input cell per column (the profile, the goal
statements), each cell under its own defined name and pre-filled from the data
given or, on the profile, from the roster.  A grid block has the spec's fixed
rows down the side and its columns across, with a name for every cell, for each
column and for the whole block.  Tables, whose rows participants fill, are in
:mod:`.tables`.
"""

from __future__ import annotations

import math

from kuk_xlsx.build.page import text_height
from kuk_xlsx.build.state import BuildState
from kuk_xlsx.build.styles import HEADER_FILL, header_format, input_format
from kuk_xlsx.build.validation import validate
from kuk_xlsx.spec.template import Block, Column, block_name, column_name


def fields_block(b: BuildState, blk: Block, row: int) -> int:
    """Write a fields block from ``row``; return the row after it."""
    ws = b.ws
    label_fmt = b.fmt.get(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1)
    for col in blk.columns:
        label = col.label.get(b.lang) + (" *" if col.required else "")
        ws.write_string(row, 0, label, label_fmt)
        fmt = input_format(b.fmt, col)
        given = b.data.get(b.step.key, {}).get(blk.key, {})
        value = given.get(col.key) if col.key in given else prefill(b, col)
        if b.last_col > 1:
            ws.merge_range(row, 1, row, b.last_col, "", fmt)
        b.write_value(row, 1, col, value, fmt)
        label_lines = math.ceil(len(label) / 38)
        height = max(36 if col.type == "long_text" else 18, 13.5 * label_lines + 4)
        if col.type == "long_text" and isinstance(
            value, str
        ):  # an answer given (samples, migrate):
            # the row grows to show it, in print too (no program grows a row set high)
            height = max(height, text_height(value, b.span_width - b.label_width))
        b.set_height(row, height)
        name = column_name(b.step.key, blk.key, col.key)
        b.define(name, row, 1)
        validate(b, col, row, 1, row, 1)
        if col.hint is not None:
            ws.write_comment(row, 1, col.hint.get(b.lang), {"author": "kuk_xlsx"})
        row += 1
    return row


def prefill(b: BuildState, col: Column) -> str:
    """The roster's value for a profile field (the level for ``level``); else empty."""
    if b.step.module != "core":
        return ""
    if col.key == "level":
        return b.level
    return str(getattr(b.org, col.key, "") or "")


def grid_block(b: BuildState, blk: Block, row: int) -> int:
    """Write a grid block from ``row``; return the row after it."""
    ws = b.ws
    hfmt = header_format(b.fmt)
    ws.write_blank(row, 0, None, hfmt)
    for c, col in enumerate(blk.columns, start=1):
        ws.write_string(row, c, col.label.get(b.lang) + (" *" if col.required else ""), hfmt)
    b.set_height(row, 30)
    top = row
    for fixed in blk.fixed_rows:
        row += 1
        ws.write_string(
            row,
            0,
            fixed.label.get(b.lang),
            b.fmt.get(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1),
        )
        b.set_height(row, 80)
        values = b.data.get(b.step.key, {}).get(blk.key, {}).get(fixed.key, {})
        for c, col in enumerate(blk.columns, start=1):
            b.write_value(row, c, col, values.get(col.key), input_format(b.fmt, col))
            name = column_name(b.step.key, blk.key, f"{fixed.key}_{col.key}")
            b.define(name, row, c)
    b.define(block_name(b.step.key, blk.key), top, 0, row, len(blk.columns))
    for c, col in enumerate(blk.columns, start=1):
        b.define(column_name(b.step.key, blk.key, col.key), top + 1, c, row, c)
    return row + 1
