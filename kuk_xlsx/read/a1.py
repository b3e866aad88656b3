"""A1 references: column letters, cell references, ranges and the destinations of defined names.

The small arithmetic every other part of the reader shares: 0-based row and
column indexes to ``A1`` text and back, and a defined name's formula text
(``'My sheet'!$A$1:$B$2``) split into its sheet and its 0-based range.  No file is
read here.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _col_letter(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


_LETTERS = [_col_letter(i) for i in range(1024)]


def col_letter(c: int) -> str:
    """0-based column index -> letters."""
    return _LETTERS[c] if c < 1024 else _col_letter(c)


def cell_ref(r: int, c: int) -> str:
    """0-based row and column -> A1."""
    return f"{col_letter(c)}{r + 1}"


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``$A$1:$B$2`` -> 0-based (r0, c0, r1, c1); ``None`` for anything else."""
    m = _REF.match(ref.strip())
    if not m:
        return None

    def col(s: str) -> int:
        n = 0
        for ch in s:
            n = n * 26 + ord(ch) - 64
        return n - 1

    r0, c0 = int(m.group(2)) - 1, col(m.group(1))
    r1, c1 = (int(m.group(4)) - 1, col(m.group(3))) if m.group(3) else (r0, c0)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


@lru_cache(maxsize=1 << 14)
def split_destination(text: str) -> tuple[str, tuple[int, int, int, int]] | None:
    """``'My sheet'!$A$1`` or ``Sheet1!A1`` -> (sheet, range); ``None`` for #REF! or formulas."""
    text = text.strip().lstrip("=")
    if "#REF" in text.upper() or "!" not in text:
        return None
    sheet, _, ref = text.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    rng = parse_range(ref)
    if not sheet or rng is None:
        return None
    return sheet, rng
