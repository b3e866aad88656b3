"""The parts of a package-level feedback copy that hold text: the comments (ours beside
the NGO's), their VML drawing, and the review and record sheets we add."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from kuk_xlsx.outputs.feedback.xmlparts import (
    MAIN,
    PROLOG,
    REL,
    NotHere,
    _attr,
    _get_attr,
    _root_is,
    xml_text,
)
from kuk_xlsx.read.a1 import cell_ref
from kuk_xlsx.write.safe import clean_text

# --- comments and their drawing ----------------------------------------------------------

_COMMENT = re.compile(r"<comment\b([^>]*)>(.*?)</comment>", re.S)


def comment_texts(text: str) -> dict[str, tuple[str, str]]:
    """cell -> (plain text, author) of every comment in a comments part."""
    from kuk_xlsx.outputs.feedback.copy import xml_fromstring

    _root_is(text, "comments")
    root = xml_fromstring(text.lstrip("\ufeff").encode("utf-8"))
    ns = f"{{{MAIN}}}"
    authors = [a.text or "" for a in root.iter(f"{ns}author")]
    out = {}
    for c in root.iter(f"{ns}comment"):
        body = c.find(f"{ns}text")
        words: list[str] = []
        if body is not None:
            for child in body:
                if child.tag == f"{ns}t":
                    words.append(child.text or "")
                elif child.tag == f"{ns}r":
                    words += [t.text or "" for t in child.iter(f"{ns}t")]
        aid = int(c.get("authorId", "0") or 0)
        out[c.get("ref", "")] = ("".join(words), authors[aid] if 0 <= aid < len(authors) else "")
    return out


def comments_xml(old: str | None, ours: dict[str, str], author: str) -> str:
    """A comments part: ``old``'s comments kept as written, except on the cells in ``ours``
    (cell -> our full text), which get ours by ``author``."""
    if old is None:
        kept, head, tail = "", "", ""
        names: list[str] = []
    else:
        m = re.search(r"<authors\b[^>]*?(?:/>|>(.*?)</authors>)", old, re.S)
        lst = re.search(r"<commentList\b[^>]*?(?:/>|>(.*?)</commentList>)", old, re.S)
        if m is None or lst is None:
            raise NotHere("comments without authors or list")
        names = re.findall(r"<author>(.*?)</author>|<author/>", m.group(1) or "", re.S)
        kept = "".join(
            c.group(0)
            for c in _COMMENT.finditer(lst.group(1) or "")
            if _get_attr(c.group(1), "ref") not in ours
        )
        head, tail = old[: m.start()], old[lst.end() :]
    if escape(author) in names:  # names as written, escaped
        aid = names.index(escape(author))
    else:
        names.append(escape(author))
        aid = len(names) - 1
    authors_xml = "<authors>" + "".join(f"<author>{n}</author>" for n in names) + "</authors>"
    added = "".join(
        f'<comment ref="{ref}" authorId="{aid}"><text><t xml:space="preserve">'
        f"{xml_text(body)}</t></text></comment>"
        for ref, body in ours.items()
    )
    lists = f"<commentList>{kept}{added}</commentList>"
    if old is None:
        return f'{PROLOG}<comments xmlns="{MAIN}">{authors_xml}{lists}</comments>'
    return head + authors_xml + lists + tail


def without_comments(old: str, refs: set[str]) -> str:
    """A comments part without the comments on the cells ``refs``."""
    _root_is(old, "comments")
    return _COMMENT.sub(lambda c: "" if _get_attr(c.group(1), "ref") in refs else c.group(0), old)


_SHAPE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)
_SHAPE_TYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _note_shape(shape_id: int, r: int, c: int, width: int, height: int) -> str:
    """A hidden note box for the cell at 1-based (r, c), ``width`` x ``height`` pixels."""
    cols = max(2, round(width / 64))
    rows = max(2, round(height / 20))
    anchor = f"{c}, 15, {max(r - 2, 0)}, 10, {c + cols}, 15, {max(r - 2, 0) + rows}, 4"
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;'
        f"margin-left:59.25pt;margin-top:1.5pt;width:{width * 0.75:g}pt;"
        f'height:{height * 0.75:g}pt;z-index:1;visibility:hidden" fillcolor="#ffffe1"'
        ' o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black"'
        ' obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
        '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note">'
        f"<x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor>"
        f"<x:AutoFill>False</x:AutoFill><x:Row>{r - 1}</x:Row><x:Column>{c - 1}</x:Column>"
        "</x:ClientData></v:shape>"
    )


def _shape_cell(shape: str) -> tuple[int, int] | None:
    """The 1-based (row, col) a note box belongs to."""
    row = re.search(r"<x:Row>\s*(\d+)\s*</x:Row>", shape)
    col = re.search(r"<x:Column>\s*(\d+)\s*</x:Column>", shape)
    return (int(row.group(1)) + 1, int(col.group(1)) + 1) if row and col else None


def vml_without(old: str, cells: set[tuple[int, int]]) -> str:
    """A comments drawing without the note boxes of ``cells``."""
    if not all(f'xmlns:{p}="' in old for p in ("v", "o", "x")) or "</xml>" not in old:
        raise NotHere("a comments drawing we cannot change")
    return _SHAPE.sub(lambda m: "" if _shape_cell(m.group(0)) in cells else m.group(0), old)


def vml_xml(old: str | None, ours: dict[tuple[int, int], tuple[int, int]], idmap: int) -> str:
    """A comments drawing: ``old``'s shapes kept except on our cells ((row, col) -> box
    size), which get new boxes."""
    if old is None:
        head = (
            '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
            'office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
            + _SHAPE_TYPE
        )
        tail, first = "</xml>", idmap * 1024 + 1
    else:
        if not all(f'xmlns:{p}="' in old for p in ("v", "o", "x")) or "</xml>" not in old:
            raise NotHere("a comments drawing we cannot extend")

        cut = old.rindex("</xml>")
        head = _SHAPE.sub(
            lambda m: "" if _shape_cell(m.group(0)) in ours else m.group(0), old[:cut]
        )
        tail = old[cut:]
        if "_x0000_t202" not in head:
            head += _SHAPE_TYPE
        used = [int(n) for n in re.findall(r'id="_x0000_s(\d+)"', old)]
        first = max([idmap * 1024, *used]) + 1
    shapes = [
        _note_shape(first + i, r, c, w, h)
        for i, ((r, c), (w, h)) in enumerate(sorted(ours.items()))
    ]
    return head + "".join(shapes) + tail


# --- new sheets --------------------------------------------------------------------------


def cell_xml(r: int, c: int, value: Any, style: int) -> str:
    """One cell of a sheet we write: text is always an inline string (never a formula),
    its control characters taken out and cut to what a cell holds."""
    ref = cell_ref(r - 1, c - 1)
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    text = clean_text(str(value))[0]
    return (
        f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'
    )


def new_sheet(
    rows: dict[int, list[str]],
    *,
    heights: dict[int, float] | None = None,
    widths: Iterable[float] = (),
    selected: bool = False,
    grid_lines: bool = True,
    merges: Iterable[str] = (),
    links: dict[str, str] | None = None,
    page: str = "",
    breaks: Iterable[int] = (),
) -> str:
    """A worksheet of ours: ``rows`` are row -> cell XML (from :func:`cell_xml`)."""
    heights = heights or {}
    view = ' tabSelected="1"' if selected else ""
    view += "" if grid_lines else ' showGridLines="0"'
    out = [f'{PROLOG}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">']
    if page:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    out.append(f'<sheetViews><sheetView{view} workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    if cols:
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    for r in sorted(set(rows) | set(heights)):
        ht = heights.get(r)
        attrs = f' ht="{ht:g}" customHeight="1"' if ht else ""
        out.append(f'<row r="{r}"{attrs}>{"".join(rows.get(r, []))}</row>')
    out.append("</sheetData>")
    merged = list(merges)
    if merged:
        items = "".join(f'<mergeCell ref="{m}"/>' for m in merged)
        out.append(f'<mergeCells count="{len(merged)}">{items}</mergeCells>')
    if links:
        items = "".join(
            f'<hyperlink ref="{ref}" location={_attr(loc)}/>' for ref, loc in links.items()
        )
        out.append(f"<hyperlinks>{items}</hyperlinks>")
    out.append(page or "")
    found = list(breaks)
    if found:
        items = "".join(f'<brk id="{b}" max="16383" man="1"/>' for b in found)
        out.append(
            f'<rowBreaks count="{len(found)}" manualBreakCount="{len(found)}">{items}</rowBreaks>'
        )
    out.append("</worksheet>")
    return "".join(out)
