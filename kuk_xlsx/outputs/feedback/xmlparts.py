"""The parts a package-level feedback copy rewrites, edited as text where they change.

Each class takes one part's XML text and changes only what feedback needs, leaving
every other byte as the NGO's program wrote it: :class:`Styles` appends fills,
fonts, borders and cell formats; the worksheets' edits are in :mod:`.xmlsheet`, the
workbook's in :mod:`.xmlbook`, the comments, their drawing and our new sheets in
:mod:`.xmlnotes`.  Anything these edits could
not do faithfully raises :class:`NotHere`, and openpyxl's writer takes the file.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class NotHere(Exception):
    """The package writer cannot keep its promises for this file (the reason says why)."""


# --- text --------------------------------------------------------------------------------

_ESCAPED_CHAR = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def xml_text(value: str) -> str:
    """``value`` as element text: escaped, and an ``_x0041_`` shown as typed, never decoded
    into a character by Excel (it reads ``_xHHHH_`` in cell text as an escape)."""
    return escape(_ESCAPED_CHAR.sub(r"_x005F_\1", value))


def _attr(value: str) -> str:
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


_ROOT = re.compile(r"\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<([\w:.-]+)([^>]*)>", re.S)


def unprefixed(text: str) -> str:
    """SpreadsheetML written with a prefix for its namespace (``<x:worksheet
    xmlns:x="…/main">``, as the Open XML SDK writes it) as the same XML with that
    namespace as the default one, which is what the text edits here know; any other
    text as it is.  A part that mixes in unprefixed elements, prefixed attributes,
    CDATA or a default namespace of its own is refused (the meaning could change)."""
    m = _ROOT.match(text)
    if m is None or ":" not in m.group(1):
        return text
    prefix = m.group(1).split(":")[0]
    if f'xmlns:{prefix}="{MAIN}"' not in m.group(2):
        return text  # another vocabulary (VML, drawings): not ours to rewrite
    if (
        re.search(r"\sxmlns\s*=", m.group(2))
        or re.search(r"<[A-Za-z_][\w.-]*[\s/>]", text)
        or re.search(rf"\s{re.escape(prefix)}:[\w.-]+\s*=", text)
        or "<![CDATA[" in text
    ):
        raise NotHere(f"{prefix}: prefixed XML mixed with other markup")
    text = re.sub(rf"<(/?){re.escape(prefix)}:", r"<\1", text)
    return text.replace(f'xmlns:{prefix}="{MAIN}"', f'xmlns="{MAIN}"', 1)


def _root_is(text: str, name: str) -> None:
    """Refuse a part whose root element is prefixed or not ``name`` (our edits assume it)."""
    m = re.match(r"\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<([\w:.-]+)[\s/>]", text, re.S)
    if m is None or m.group(1) != name:
        raise NotHere(f"root {m.group(1) if m else '?'} is not {name}")


def _set_attr(tag: str, name: str, value: str | None) -> str:
    """A start tag with attribute ``name`` set (or removed when ``value`` is None)."""
    pattern = re.compile(rf'(?<![\w:]){re.escape(name)}\s*=\s*("[^"]*"|\'[^\']*\')')
    tag = pattern.sub("", tag) if value is None else tag
    if value is None:
        return re.sub(r"\s+(/?>)$", r"\1", tag) if tag.endswith(">") else tag
    if pattern.search(tag):
        return pattern.sub(f'{name}="{value}"', tag, count=1)
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def _get_attr(tag: str, name: str) -> str | None:
    m = re.search(rf'(?<![\w:]){re.escape(name)}\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', tag)
    if m is None:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


# --- styles ------------------------------------------------------------------------------


_BLOCKS = {"fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}


class Styles:
    """``xl/styles.xml``: look up a cell format's fill, add fills, fonts, borders and formats."""

    def __init__(self, text: str) -> None:
        _root_is(text, "styleSheet")
        self.text = text
        self.items: dict[str, list[str]] = {}
        self.added: dict[str, int] = {}
        self.spans: dict[str, tuple[int, int]] = {}
        for block, item in _BLOCKS.items():
            m = re.search(rf"<{block}\b[^>]*?(?:/>|>(.*?)</{block}>)", text, re.S)
            if m is None:
                raise NotHere(f"styles without {block}")
            body = m.group(1) or ""
            found = re.findall(rf"<{item}\b[^>]*?(?:/>|>.*?</{item}>)", body, re.S)
            self.items[block] = found
            self.added[block] = 0
            self.spans[block] = m.span()
        self._memo: dict[tuple[Any, ...], int] = {}

    def xf(self, index: int) -> str:
        xfs = self.items["cellXfs"]
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def fill_of(self, index: int) -> str:
        """The fill XML of cell format ``index`` (as the record keeps it for undo)."""
        fill_id = int(_get_attr(self._start(self.xf(index)), "fillId") or 0)
        fills = self.items["fills"]
        return fills[fill_id] if 0 <= fill_id < len(fills) else fills[0]

    @staticmethod
    def _start(xml: str) -> str:
        return xml[: xml.index(">") + 1]

    def add(self, block: str, xml: str) -> int:
        """The index of ``xml`` in ``block``, appending it when it is not there yet."""
        key = (block, xml)
        if key not in self._memo:
            self.items[block].append(xml)
            self.added[block] += 1
            self._memo[key] = len(self.items[block]) - 1
        return self._memo[key]

    def with_fill(self, index: int, fill_xml: str) -> int:
        """A cell format like ``index`` (number format, font, border, alignment, protection)
        but with ``fill_xml`` as its fill."""
        fill_id = self.add("fills", fill_xml)
        xml = self.xf(index)
        start = self._start(xml)
        new = _set_attr(_set_attr(start, "fillId", str(fill_id)), "applyFill", "1")
        return self.add("cellXfs", new + xml[len(start) :])

    def format(self, font: str, fill: str | None, border: str | None, align: str) -> int:
        """A new cell format from a font, fill and border XML and an ``<alignment>``."""
        ids = {
            "fontId": self.add("fonts", font),
            "fillId": self.add("fills", fill) if fill else 0,
            "borderId": self.add("borders", border) if border else 0,
        }
        attrs = " ".join(f'{k}="{v}"' for k, v in ids.items())
        xml = (
            f'<xf numFmtId="0" {attrs} xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
            f' applyAlignment="1">{align}</xf>'
        )
        return self.add("cellXfs", xml)

    def result(self) -> str | None:
        """The new ``styles.xml`` text, or None when nothing was added."""
        if not any(self.added.values()):
            return None
        text = self.text
        for block in sorted(self.spans, key=lambda b: self.spans[b][0], reverse=True):
            if not self.added[block]:
                continue
            start, end = self.spans[block]
            old = text[start:end]
            head = re.match(rf"<{block}\b[^>]*?(?=/?>)", old)
            assert head is not None
            tag = _set_attr(head.group(0) + ">", "count", str(len(self.items[block])))
            text = text[:start] + tag + "".join(self.items[block]) + f"</{block}>" + text[end:]
        return text


def solid_fill(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
        f'<bgColor rgb="FF{rgb}"/></patternFill></fill>'
    )
