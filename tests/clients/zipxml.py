"""A workbook package as a list of parts, rewritten as text the way another program saves it.

The emulations in :mod:`tests.clients.emulate` work on a :class:`Book`: its parts
in zip order, each a name and bytes, and what a client changes is done to them
as text (regular expressions over the XML we wrote, whose shape we know), so
that every byte a client would not touch stays as it was.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape, unescape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_SHEET = re.compile(
    r'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"[^>]*/>'
)  # x:sheet too
_RELATION = re.compile(r"<Relationship\b[^>]*>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


class Book:
    """A package's parts in zip order; edits are made to them in place."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.parts: dict[str, bytes] = {i.filename: zf.read(i) for i in zf.infolist()}

    # --- parts ----------------------------------------------------------------------
    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, text: str | bytes) -> None:
        self.parts[name] = text.encode("utf-8") if isinstance(text, str) else text

    def edit(self, name: str, change: Callable[[str], str]) -> None:
        self.put(name, change(self.text(name)))

    def xml_parts(self) -> Iterator[str]:
        """Every XML part's name (rels included), in zip order."""
        yield from [n for n in self.parts if n.endswith((".xml", ".rels", ".vml"))]

    def drop(self, name: str) -> None:
        del self.parts[name]

    def rename(self, old: str, new: str) -> None:
        self.parts = {(new if n == old else n): b for n, b in self.parts.items()}

    def to_bytes(self, order: list[str] | None = None) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name in order or list(self.parts):
                out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), self.parts[name])
        return buffer.getvalue()

    # --- what the package says --------------------------------------------------------
    def rels(self, name: str) -> list[dict[str, str]]:
        """The relationships of a .rels part, each as its attributes."""
        return [dict(_ATTR.findall(tag)) for tag in _RELATION.findall(self.text(name))]

    def sheets(self) -> dict[str, str]:
        """Sheet name -> its part, in workbook order."""
        targets = {r["Id"]: r["Target"] for r in self.rels("xl/_rels/workbook.xml.rels")}
        out = {}
        for name, rid in _SHEET.findall(self.text("xl/workbook.xml")):
            target = targets[rid]
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[unescape(name, {"&quot;": '"'})] = posixpath.normpath(path)
        return out

    def sheet(self, name: str) -> str:
        return self.sheets()[name]

    def shared_strings(self) -> list[str]:
        """The shared strings' plain text, in order."""
        xml = self.text("xl/sharedStrings.xml")
        return [
            unescape("".join(re.findall(r"<t\b[^>]*>([^<]*)</t>", si)))
            for si in re.findall(r"<si>(.*?)</si>", xml, re.S)
        ]

    def date_styles(self) -> set[int]:
        """The cellXfs indexes whose number format shows a date."""
        styles = self.text("xl/styles.xml")
        custom = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
        xfs = re.search(r"<cellXfs\b.*?</cellXfs>", styles, re.S)
        assert xfs is not None
        out = set()
        for i, fmt in enumerate(re.findall(r'<xf numFmtId="(\d+)"', xfs.group(0))):
            code = custom.get(fmt, "")
            if 14 <= int(fmt) <= 22 or re.search(r"[dy]", re.sub(r'"[^"]*"|\[[^]]*]', "", code)):
                out.add(i)
        return out


def xml_text(value: str) -> str:
    """``value`` as element text."""
    return escape(value)


def cells(xml: str) -> Iterator[re.Match[str]]:
    """Every cell element of a sheet (empty or not) as a match: group 1 its attributes,
    group 2 its content (None when empty)."""
    yield from re.finditer(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", xml, re.S)


def found(pattern: str, text: str) -> str:
    """The first group of ``pattern``'s first match in ``text`` (which must match)."""
    m = re.search(pattern, text)
    assert m is not None, pattern
    return m.group(1)


def attr(attrs: str, name: str) -> str | None:
    m = re.search(rf'\b{name}="([^"]*)"', attrs)
    return m.group(1) if m else None


def set_attr(attrs: str, name: str, value: str | None) -> str:
    """``attrs`` with ``name`` set to ``value`` (or taken out when ``None``)."""
    attrs = re.sub(rf'\s{name}="[^"]*"', "", attrs)
    return attrs if value is None else f'{attrs} {name}="{value}"'


def rewrite_cells(xml: str, change: Callable[[str, str | None], str | None]) -> str:
    """``xml`` with each cell passed through ``change(attrs, content)``, which returns the
    new cell element, or ``None`` to keep it."""

    def one(m: re.Match[str]) -> str:
        new = change(m.group(1), m.group(2))
        return m.group(0) if new is None else new

    return re.sub(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", one, xml, flags=re.S)
