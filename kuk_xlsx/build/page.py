"""Printing a step sheet: A4 landscape, fit to width, page breaks between blocks, row heights.

:func:`print_setup` sets paper, margins, footer and the repeated header rows;
:class:`PageFit` places the page breaks so that no block is split over two
printed pages; :func:`text_height` guesses how tall a wrapped note must be, since
LibreOffice prints wrapped text only as tall as the row says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kuk_xlsx.write.xlsx import Worksheet


def print_setup(ws: Worksheet, repeat: tuple[int, int] | None) -> None:
    """A4 landscape, one page wide, sheet name and page number in the footer."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&L&A&R&P / &N")
    if repeat is not None:
        ws.repeat_rows(*repeat)


class PageFit:
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


def text_height(text: str, width_chars: float) -> float:
    """Row height in points for ``text`` wrapped in a merged cell ``width_chars`` wide."""
    per_line = max(int(width_chars * 1.25), 20)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return min(409.0, 13.5 * lines + 6)
