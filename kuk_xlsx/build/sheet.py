"""One step sheet, top to bottom: title, notes, blocks, contents, freeze, print and protection.

:func:`step_sheet` sets the column widths the step's blocks need, writes the
title and the instructions and example notes (on the profile also the training
goal and how-to), then each block (:mod:`.blocks`, :mod:`.tables`) with a page
break before any block that would not fit on the printed page, and on the profile
the linked list of step sheets.  The panes freeze under the first table's header
when it is near the top, and with ``protect`` everything but the input cells is
locked.
"""

from __future__ import annotations

from kuk_xlsx.build.blocks import fields_block, grid_block
from kuk_xlsx.build.page import PageFit, print_setup, text_height
from kuk_xlsx.build.state import BuildState
from kuk_xlsx.build.styles import EXAMPLE_FILL, INSTR_FILL
from kuk_xlsx.build.tables import table_block
from kuk_xlsx.spec.template import Step


def step_sheet(b: BuildState, step: Step) -> None:
    """Add and write the sheet of ``step``."""
    ws = b.wb.add_worksheet(step.sheet.get(b.lang))
    b.ws = ws
    b.step = step
    widths = column_widths(b, step)
    last_col = max(len(widths) - 1, 1)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    b.span_width = sum(widths)
    b.label_width = widths[0]
    b.last_col = last_col
    b.heights = {}

    row = 0
    number = b.t("step", n=step.number_in(b.lang)) if step.number != "0" else ""
    title = f"{number} · {step.title.get(b.lang)}" if number else step.title.get(b.lang)
    ws.merge_range(0, 0, 0, last_col, title, b.fmt.get(bold=True, font_size=14))
    b.set_height(0, 24)
    row = 1
    if step.module == "core":
        row = cover_texts(b, row)
    row = note_row(b, row, b.t("instructions"), step.instructions.get(b.lang), INSTR_FILL)
    row = note_row(b, row, b.t("example"), step.example.get(b.lang), EXAMPLE_FILL, True)
    row += 1
    freeze_at: int | None = None
    repeat: tuple[int, int] | None = None
    page = PageFit(widths)
    page.add(0, row, b.heights)
    tables = [blk for blk in step.blocks if blk.kind == "table"]
    for blk in step.blocks:
        start = row
        if blk.title is not None:
            ws.merge_range(
                row,
                0,
                row,
                last_col,
                blk.title.get(b.lang),
                b.fmt.get(bold=True, font_size=12),
            )
            row += 1
        if blk.kind == "fields":
            row = fields_block(b, blk, row)
        elif blk.kind == "table":
            if freeze_at is None:
                freeze_at = row + 1
                # repeating one table's header is right only with one table
                repeat = (row, row) if len(tables) == 1 else None
            row = table_block(b, blk, row)
        else:
            row = grid_block(b, blk, row)
        # start a new printed page rather than split a block across two (never
        # right after the instructions: that would leave a page of them alone)
        if page.add(start, row, b.heights, may_break=blk is not step.blocks[0]):
            ws.set_h_pagebreaks([*page.breaks])
        row += 1
    if step.module == "core":
        start = row
        row = contents(b, row)
        if page.add(start, row, b.heights):
            ws.set_h_pagebreaks([*page.breaks])
    # Freeze under the first table's header when it is near the top, so the
    # headers stay in view while typing; otherwise keep the title in view.
    ws.freeze_panes(freeze_at if freeze_at is not None and freeze_at <= 12 else 1, 0)
    print_setup(ws, repeat)
    if b.protect:
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


def column_widths(b: BuildState, step: Step) -> list[float]:
    """Each column's width: the widest any block of ``step`` wants there."""
    widths: list[float] = []

    def put(i: int, w: float) -> None:
        while len(widths) <= i:
            widths.append(8.0)
        widths[i] = max(widths[i], w)

    months = int(b.tpl.rules.get("schedule_months", 6))
    for blk in step.blocks:
        if blk.kind == "fields":
            put(0, 36)
            if all(other.kind == "fields" for other in step.blocks):
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


def cover_texts(b: BuildState, row: int) -> int:
    """The training goal and how-to notes of the first sheet; return the next row."""
    row = note_row(b, row, b.t("training_goal"), b.tpl.training_goal.get(b.lang), INSTR_FILL)
    return note_row(b, row, b.t("how_to"), b.tpl.how_to.get(b.lang), INSTR_FILL)


def contents(b: BuildState, row: int) -> int:
    """The list of step sheets, each a link, under the profile on the first sheet."""
    ws = b.ws
    ws.write_string(row, 0, b.t("contents"), b.fmt.get(bold=True, font_size=12))
    row += 1
    link = b.fmt.get(font_color="blue", underline=1)
    for step in b.steps:
        if step.module == "core":
            continue
        sheet = step.sheet.get(b.lang).replace("'", "''")
        ws.write_url(row, 0, f"internal:'{sheet}'!A1", link, string=step.sheet.get(b.lang))
        ws.write_string(row, 1, step.title.get(b.lang))
        row += 1
    return row


def note_row(b: BuildState, row: int, head: str, text: str, fill: str, italic: bool = False) -> int:
    """A merged, wrapped note across the sheet, as tall as its text; return the next row."""
    body = f"{head}: {text}"
    fmt = b.fmt.get(text_wrap=True, bg_color=fill, italic=italic, border=1, border_color="#BFBFBF")
    b.ws.merge_range(row, 0, row, b.last_col, body, fmt)
    b.set_height(row, text_height(body, b.span_width))
    return row + 1
