"""The table sheets of cohort.xlsx: formats, headers, print set-up, inert cells, items.

Every table sheet gets its header, column widths, filter, frozen panes and A4
print set-up before its data (the workbook is written in constant-memory mode, so
each row must come after the formats it needs).  The overview adds a heat map of
completion and a green/red M&E share; the rules sheet a data bar of pass rates.
Cells from NGOs go through a fast writer that writes what
:func:`kuk_xlsx.outputs.report.write_inert` would: text as text, never a formula
or a link.  The long item rows stop at :data:`XLSX_ITEM_LIMIT`; the CSV has them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.items import ITEM_COLUMNS
from kuk_xlsx.cohort.rows import T
from kuk_xlsx.outputs.report import write_inert
from kuk_xlsx.write.safe import EXCEL_CELL_LIMIT, UNSTORABLE, clean_text

XLSX_ITEM_LIMIT = 10_000  # more item rows go to CSV only (the sheet says so)


class Formats:
    """The few formats of cohort.xlsx, made once per workbook."""

    def __init__(self, wb: Any) -> None:
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1}
        )
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.pct = wb.add_format({"num_format": "0%"})
        self.pct1 = wb.add_format({"num_format": "0.0%"})
        self.money = wb.add_format({"num_format": "#,##0"})
        self.count = wb.add_format({"num_format": "0"})
        self.bad = wb.add_format({"bg_color": "#FFC7CE"})
        self.good = wb.add_format({"bg_color": "#C6EFCE"})


def header_width(header: str, least: float) -> float:
    """A column wide enough for its header's longest word (a header breaks between
    words, never inside one: "Предупреждени-я"), and at least ``least``."""
    return max(least, max((len(w) for w in header.split()), default=0) * 1.15 + 2)


def table_setup(ws: Any, head: list[str], n_rows: int, fmt: Formats) -> None:
    """Header, widths, filters and print set-up; data rows follow in table_rows."""
    ws.set_row(0, 45)
    ws.set_column(0, 0, 28)
    for c, h in enumerate(head[1:], start=1):
        ws.set_column(c, c, header_width(h, 14))
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(n_rows, 1), len(head) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.repeat_columns(0)  # the NGO on every page printed across
    for c, h in enumerate(head):
        ws.write_string(0, c, h, fmt.head)


def table_rows(ws: Any, rows: list[list[Any]]) -> None:
    """The data rows under the header, every cell inert."""
    write = _inert_writer(ws)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            write(r, c, v)


def _inert_writer(ws: Any) -> Callable[[int, int, Any], None]:
    """``write(r, c, value)``: :func:`report.write_inert` without a format, for many cells.

    The same cells: plain text without control characters and within Excel's limit
    is written as it is (``isprintable()`` tells most of it without a regex), other
    text goes through ``clean_text``; numbers are numbers; None and "" are no cell
    (xlsxwriter writes no blank cell without a format); any other type is left to
    ``write_inert``.
    """
    write_string, write_number = ws.write_string, ws.write_number

    def write(r: int, c: int, v: Any) -> None:
        cls = v.__class__
        if cls is str:
            if not v:
                return
            if len(v) > EXCEL_CELL_LIMIT or (not v.isprintable() and UNSTORABLE.search(v)):
                v = clean_text(v)[0]
            write_string(r, c, v)
        elif cls is float or cls is int:
            write_number(r, c, v)
        elif v is not None:
            write_inert(ws, r, c, v)

    return write


def overview_formats(
    ws: Any, head: list[str], rows: list[list[Any]], cohort: Cohort, fmt: Formats
) -> None:
    """Completion heat map, money and share formats, the M&E share green or red."""
    n = max(len(rows), 1)
    first_step = 8
    last_step = first_step + len(cohort.tpl.steps)
    for c in range(first_step, last_step + 1):
        ws.set_column(c, c, header_width(head[c], 9), fmt.pct)
    ws.conditional_format(
        1,
        first_step,
        n,
        last_step,
        {
            "type": "3_color_scale",
            "min_color": "#F8696B",
            "mid_color": "#FFEB84",
            "max_color": "#63BE7B",
            "min_type": "num",
            "min_value": 0,
            "mid_type": "num",
            "mid_value": 0.5,
            "max_type": "num",
            "max_value": 1,
        },
    )
    ws.set_column(last_step + 1, last_step + 1, header_width(head[last_step + 1], 14), fmt.money)
    for c in range(last_step + 2, last_step + 5):
        ws.set_column(c, c, header_width(head[c], 10), fmt.pct1)
    ws.set_column(last_step + 7, last_step + 7, header_width(head[last_step + 7], 10), fmt.pct)
    share = last_step + 2
    col = column_letter(share)
    lo, hi = column_letter(share + 1), column_letter(share + 2)
    ws.conditional_format(
        1,
        share,
        n,
        share,
        {
            "type": "formula",
            "format": fmt.bad,
            "criteria": f'=AND({col}2<>"",OR({col}2<{lo}2,{col}2>{hi}2))',
        },
    )
    ws.conditional_format(
        1,
        share,
        n,
        share,
        {
            "type": "formula",
            "format": fmt.good,
            "criteria": f'=AND({col}2<>"",{col}2>={lo}2,{col}2<={hi}2)',
        },
    )


def rules_formats(ws: Any, rows: list[list[Any]], fmt: Formats) -> None:
    """Wrapped rule titles and a data bar on the pass rates."""
    ws.set_column(1, 1, 40, fmt.wrap)
    ws.set_column(5, 5, 10, fmt.pct)
    ws.conditional_format(
        1,
        5,
        max(len(rows), 1),
        5,
        {
            "type": "data_bar",
            "bar_color": "#63BE7B",
            "min_type": "num",
            "min_value": 0,
            "max_type": "num",
            "max_value": 1,
        },
    )


def column_letter(c: int) -> str:
    """The column's letters (0 -> A)."""
    from kuk_xlsx.write.xlsx import xl_col_to_name

    return xl_col_to_name(c)


def items_sheet(ws: Any, cohort: Cohort, fmt: Formats, lang: str) -> None:
    """The long rows of the included files, up to XLSX_ITEM_LIMIT, with a filter."""
    for c, h in enumerate(ITEM_COLUMNS):
        ws.write_string(0, c, h, fmt.head)
    write = _inert_writer(ws)
    r = 0
    for r, row in enumerate(cohort.items(), start=1):
        if r > XLSX_ITEM_LIMIT:
            ws.write_string(r, 0, T["items_cut"].get(lang).format(n=XLSX_ITEM_LIMIT))
            break
        for c, v in enumerate(row):
            write(r, c, v)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(min(r, XLSX_ITEM_LIMIT), 1), len(ITEM_COLUMNS) - 1)
    ws.set_column(0, 1, 24)
    ws.set_column(2, 5, 14)
    ws.set_column(6, 6, 60)
