"""Sheet extents: how far a sheet's cells reach, scanned before any cell reader sees it.

python-calamine allocates a grid by the farthest cell reference it finds (and
aborts the whole process on one in XFD1048576), openpyxl builds every cell up to
it.  :func:`scan_sheet` checks a sheet part's cell and row references against
the rows and columns a workbook may use: with a few regex passes for a sheet
written the usual way (plain ``r`` on every tag), clipping cells beyond the
limits when it can, and otherwise the slow way (:func:`_slow_extent`, placing
cells as python-calamine does), refusing what goes beyond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kuk_xlsx.package.problems import LIMITS, Limits

UNBOUNDED = 1 << 40  # an extent that cannot be told: treated as beyond every limit

# A namespace prefix, as a tag may carry one (or, wrongly, several).
_P = rb"""(?:[^\s<>/!?:="']*:)*"""
# A cell or row tag with a prefix: then the sheet is scanned the slow way.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
# Attributes after a plain ``r``: name="value", single spaces, none of them another ``r``
# (nor a prefixed one: the slow scan counts those too).
_PLAIN_ATTRS = rb"""(?: (?!(?:[\w.-]+:)?r=)[\w:.-]+="[^"<]*")*\s*/?>"""  # openpyxl: " />"
# Every cell and row tag and every row end, for the slow scan.
# Every scan is linear in the part's size: a tag's match always ends where its scan
# stopped (at its ">", or at a quote left open: group 4 empty), so no tag is scanned
# twice; an attribute name starts only where a name may start (no retry inside a
# run of name characters).  tests/test_hostile.py counts the work on doubled input.
_ANY_TAG = re.compile(rb"<(/?)" + _P + rb"""(c|row)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)(>?)""")
_ATTR = re.compile(rb"""(?<![^\s=/>"'])([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(rb"([A-Za-z]{1,3})0*([1-9][0-9]{0,6})")
_ROWNUM = re.compile(rb"0*([1-9][0-9]{0,6})")
_VALUE_TAG = re.compile(rb"<(?:v|is)[\s/>]")
_SLOW_SCAN_TAGS = 2_000_000  # more cell and row tags than this: not scanned, not read


def _letters(n: int) -> str:
    """1-based column number -> letters."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _above(limit: str, low: str, high: str, first: str) -> bytes:
    """A regex for strings over ``limit`` in the order of their alphabet ``low``-``high``
    (``first``: what the first character may be): longer ones, or as long and greater
    at the first difference."""
    alts = [f"{first}[{low}-{high}]{{{len(limit)},}}"]
    for i, ch in enumerate(limit):
        if ch < high:
            rest = len(limit) - i - 1
            alts.append(f"{limit[:i]}[{chr(ord(ch) + 1)}-{high}][{low}-{high}]{{{rest}}}")
    return ("(?:" + "|".join(alts) + ")").encode()


def _at_most(limit: str, low: str, high: str, first: str) -> bytes:
    """A regex for non-empty strings up to ``limit`` (the complement of :func:`_above`
    among strings that start with ``first``)."""
    alts = [f"{first}[{low}-{high}]{{0,{len(limit) - 2}}}"] if len(limit) > 1 else []
    for i, ch in enumerate(limit):
        lo = low if i else first[1]
        if ch > lo:
            prev = chr(ord(ch) - 1)
            rest = len(limit) - i - 1
            alts.append(f"{limit[:i]}[{lo}-{prev}][{low}-{high}]{{{rest}}}")
    alts.append(limit)
    return ("(?:" + "|".join(alts) + ")").encode()


@dataclass(frozen=True)
class _Plain:
    """Regexes over sheets written the usual way: no prefixes, every cell and row tag
    with a plain ``r`` first (double quotes, single spaces, no second ``r``)."""

    off_cell: re.Pattern[bytes]  # a cell tag that is not plain, or beyond the limits
    off_row: re.Pattern[bytes]
    odd_cell: re.Pattern[bytes]  # a cell tag that is not plain (at any distance)
    odd_row: re.Pattern[bytes]
    far_rows: re.Pattern[bytes]  # a whole row beyond the limits (plain)
    far_cells: re.Pattern[bytes]  # a whole cell beyond the limits (plain)
    # Cheaper, for a reader placing cells by their own ``r`` (see :func:`scan_sheet`):
    first_r: re.Pattern[bytes]  # a cell tag whose first attribute is not a plain r within
    other_r: re.Pattern[bytes]  # an attribute r anywhere but first in a cell or row tag


_PLAIN_CACHE: dict[tuple[int, int], _Plain] = {}
_PLAIN_DEFAULT: list[_Plain] = []  # for LIMITS, which never change (frozen)


def _plain(limits: Limits) -> _Plain:
    if limits is LIMITS and _PLAIN_DEFAULT:  # (asked for every sheet read)
        return _PLAIN_DEFAULT[0]
    key = (limits.max_rows, limits.max_cols)
    if key in _PLAIN_CACHE:
        return _PLAIN_CACHE[key]
    row_limit, col_limit = str(limits.max_rows), _letters(limits.max_cols)
    rows_in = _at_most(row_limit, "0", "9", "[1-9]")
    cols_in = _at_most(col_limit, "A", "Z", "[A-Z]")
    rows_out = _above(row_limit, "0", "9", "[1-9]")
    cols_out = _above(col_limit, "A", "Z", "[A-Z]")
    any_row, any_col = rb"[1-9][0-9]{0,6}", rb"[A-Z]{1,3}"

    def off(name: bytes, ref: bytes) -> re.Pattern[bytes]:
        return re.compile(rb"<" + name + rb'(?=[\s/>])(?! r="' + ref + rb'"' + _PLAIN_ATTRS + rb")")

    def whole(name: bytes, ref: bytes) -> re.Pattern[bytes]:
        return re.compile(
            rb"<"
            + name
            + rb' r="'
            + ref
            + rb'"(?: [\w:.-]+="[^"<]*")*\s*(?:/>|>.*?</'
            + name
            + rb">)",
            re.S,
        )

    plain = _Plain(
        off_cell=off(b"c", cols_in + rows_in),
        off_row=off(b"row", rows_in),
        odd_cell=off(b"c", any_col + any_row),
        odd_row=off(b"row", any_row),
        far_rows=whole(b"row", rows_out),
        far_cells=whole(b"c", rb"(?:" + cols_out + rb"[0-9]+|[A-Z]+" + rows_out + rb")"),
        first_r=re.compile(rb'<c(?=[\s/>])(?! r="' + cols_in + rows_in + rb'")'),
        # an attribute name starts after white space or a closing quote; python-calamine
        # takes the last r of a tag.  A prefixed r (x:r) it ignores, but the slow scan
        # counts it (erring high): sent there too.  xmlns:r is the root's, or harmless.
        # (Literal "r" first: the regex engine jumps to them.)
        other_r=re.compile(rb"""r(?<=[\s"':]r)(?<!<c r)(?<!<row r)(?<!xmlns:r)\s*="""),
    )
    _PLAIN_CACHE[key] = plain
    if limits is LIMITS:
        _PLAIN_DEFAULT.append(plain)
    return plain


def _slow_extent(data: bytes, rows: bool = True) -> tuple[int, int]:
    """(rows, columns) a cell reader may place cells in, the way python-calamine does
    it (a cell's ``r``, else the next column of the current row; a row's ``r``, else
    the row after the last), erring high: every ``r`` counts, prefixed or repeated;
    an ``r`` it cannot read makes the extent :data:`UNBOUNDED`.  ``rows=False``: a
    row tag only moves the position (an empty far row places nothing)."""
    row = col = 0  # 0-based position of the next cell
    max_row = max_col = 0  # 1-based
    for n, m in enumerate(_ANY_TAG.finditer(data)):
        if n > _SLOW_SCAN_TAGS:
            return UNBOUNDED, UNBOUNDED
        closing, name, attrs, end = m.groups()
        if not end:
            if m.end() == len(data):
                break  # the part ends inside the tag: no reader places anything from here
            return UNBOUNDED, UNBOUNDED  # a quote left open: where cells go cannot be told
        if closing:
            if name == b"row":
                row, col = row + 1, 0
            continue
        refs = [
            a.group(2) if a.group(2) is not None else a.group(3)
            for a in _ATTR.finditer(attrs)
            if a.group(1) == b"r" or a.group(1).endswith(b":r")
        ]
        if name == b"row":
            numbers = [_ROWNUM.fullmatch(ref) for ref in refs]
            if not all(numbers):
                return UNBOUNDED, UNBOUNDED
            if numbers:
                row = max(int(num.group(1)) for num in numbers if num) - 1
            if rows:
                max_row = max(max_row, row + 1)
            if attrs.rstrip().endswith(b"/"):
                row, col = row + 1, 0
            continue
        r, c = row, col
        for i, ref in enumerate(refs):
            a1 = _A1.fullmatch(ref)
            if a1 is None:
                return UNBOUNDED, UNBOUNDED
            letters = a1.group(1).upper()
            cnum = 0
            for ch in letters:
                cnum = cnum * 26 + ch - 64
            rr, cc = int(a1.group(2)) - 1, cnum - 1
            r, c = (rr, cc) if i == 0 else (max(r, rr), max(c, cc))
        col = c + 1
        max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
    return max_row, max_col


class SheetScan(NamedTuple):
    """What the scan of one sheet part found, and what the cell reader is given.
    (A named tuple: one is made per sheet of every file read.)"""

    part: str
    rows: int  # 1-based bound on the rows the reader may see (UNBOUNDED: cannot tell)
    cols: int
    clipped: bool = False  # cells beyond the limits were dropped before reading
    lost_values: bool = False  # ... and some of them held values (not just formats)
    readable: bool = True  # False: over the limits and not clippable: not read at all


def scan_sheet(
    data: bytes, part: str, limits: Limits = LIMITS, *, rows: bool = True
) -> tuple[SheetScan, bytes]:
    """Scan a sheet part; return what was found and the bytes to hand to the reader.

    A sheet written the usual way (every cell and row with a plain ``r``) costs three
    regex passes.  With ``rows=False``, for a reader that places a cell by its own
    ``r`` (python-calamine), three cheaper ones: every cell tag starts with a plain
    ``r`` within the limits, and no tag has a second ``r`` (the one that reader would
    use); rows are not looked at, as a far row cannot place a cell that has its own
    ``r``.  Anything else is decided as with ``rows=True``.

    One with cells beyond the limits is clipped to them, and the
    clipped bytes are scanned again; one written some other way is scanned the
    slow way (as python-calamine places cells) and, when it goes beyond the limits,
    not read at all.
    """
    plain = _plain(limits)
    within = (limits.max_rows, limits.max_cols)
    if _PREFIXED.search(data) is None:
        if rows:
            if plain.off_cell.search(data) is None and plain.off_row.search(data) is None:
                return SheetScan(part, *within), data
        elif plain.first_r.search(data) is None and plain.other_r.search(data) is None:
            return SheetScan(part, *within), data
        if plain.odd_cell.search(data) is None and plain.odd_row.search(data) is None:
            clipped = plain.far_cells.sub(b"", plain.far_rows.sub(b"", data))
            if plain.off_cell.search(clipped) is None and plain.off_row.search(clipped) is None:
                lost = len(_VALUE_TAG.findall(clipped)) != len(_VALUE_TAG.findall(data))
                return SheetScan(part, *within, clipped=True, lost_values=lost), clipped
            return SheetScan(part, UNBOUNDED, UNBOUNDED, readable=False), b""
    extent_rows, extent_cols = _slow_extent(data, rows)
    if extent_rows > limits.max_rows or extent_cols > limits.max_cols:
        return SheetScan(part, extent_rows, extent_cols, readable=False), b""
    return SheetScan(part, extent_rows, extent_cols), data
