"""An extra sheet of plain text a caller adds to a built workbook: a title, a note, a table.

What a migration could not carry over (see :mod:`kuk_xlsx.migrate`) is listed
this way, on the first sheet of the new workbook.  Every cell is written as a
string (never a formula, a link or a number) after :func:`clean_text`, because
its texts come from an NGO's own file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuk_xlsx.build.page import print_setup, text_height
from kuk_xlsx.build.styles import HEADER_FILL, INSTR_FILL, Formats, header_format
from kuk_xlsx.write.safe import clean_text
from kuk_xlsx.write.xlsx import Workbook


@dataclass(frozen=True)
class Appendix:
    """A sheet of text rows: its name, a title, a note under it, a header and the rows.

    ``widths`` are the columns' widths in characters (one per header cell).
    """

    name: str
    title: str
    note: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]


def appendix_sheet(wb: Workbook, fmt: Formats, appendix: Appendix) -> None:
    """Add ``appendix`` as a sheet of ``wb``, shown when the workbook opens.

    ``fmt`` is the builder's format cache.
    """
    ws = wb.add_worksheet(appendix.name[:31])
    last = len(appendix.header) - 1
    for c, width in enumerate(appendix.widths):
        ws.set_column(c, c, width)
    span = sum(appendix.widths)
    ws.merge_range(0, 0, 0, last, _text(appendix.title), fmt.get(bold=True, font_size=14))
    ws.set_row(0, 24)
    note = _text(appendix.note)
    note_fmt = fmt.get(text_wrap=True, bg_color=INSTR_FILL, border=1)
    ws.merge_range(1, 0, 1, last, note, note_fmt)
    ws.set_row(1, text_height(note, span))
    hfmt = header_format(fmt)
    for c, label in enumerate(appendix.header):
        ws.write_string(3, c, _text(label), hfmt)
    ws.set_row(3, 30)
    cell = fmt.get(text_wrap=True, border=1, border_color="#BFBFBF")
    for r, row in enumerate(appendix.rows, start=4):
        texts = [_text(v) for v in row]
        for c, value in enumerate(texts):
            ws.write_string(r, c, value, cell)
        tall = max(
            (text_height(v, w) for v, w in zip(texts, appendix.widths, strict=False)),
            default=15.0,
        )
        ws.set_row(r, max(15.0, tall - 4))
    ws.freeze_panes(4, 0)
    print_setup(ws, (3, 3))
    ws.set_tab_color(HEADER_FILL)
    ws.activate()
    ws.set_first_sheet()


def _text(value: str) -> str:
    return clean_text(str(value))[0]
