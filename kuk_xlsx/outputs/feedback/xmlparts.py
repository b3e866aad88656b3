"""The parts a package-level feedback copy rewrites, edited as text where they change.

Each class takes one part's XML text and changes only what feedback needs, leaving
every other byte as the NGO's program wrote it: :class:`Styles` appends fills,
fonts, borders and cell formats; :class:`SheetXml` restyles cells, adds cells,
validations and the comment drawing, and clears a tab selection; :func:`comments_xml`
and :func:`vml_xml` merge our comments with the ones already there;
:func:`new_sheet` writes the review and record sheets.  Anything these edits could
not do faithfully raises :class:`NotHere`, and openpyxl's writer takes the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kuk_xlsx.read.a1 import cell_ref, parse_range

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

    def fill_colour(self, index: int) -> str:
        """The RGB of the fill cell format ``index`` shows ('' for none or a theme colour)."""
        fill = self.fill_of(index)
        if 'patternType="none"' in fill or "<fgColor" not in fill:
            return ""
        rgb = re.search(r'<fgColor\b[^>]*\brgb="([0-9A-Fa-f]{6,8})"', fill)
        return rgb.group(1)[-6:].upper() if rgb else ""

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


# --- worksheets --------------------------------------------------------------------------

# CT_Worksheet's children in the order the schema requires.
_ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]
_RANK = {name: i for i, name in enumerate(_ORDER)}
_TAG = re.compile(
    r"<(/?)([\w:.-]+)(?:\s[^>]*?)?(/?)>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", re.S
)
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(/>|>.*?</c>)", re.S)
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_DV_SQREF = re.compile(r'<dataValidation\b[^>]*?\ssqref="([^"]*)"')
_X14_DVS = re.compile(r"<(?:\w+:)?dataValidations\b[^>]*>(.*?)</(?:\w+:)?dataValidations>", re.S)


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class SheetXml:
    """One worksheet's XML: its top-level elements located, cells restyled or added."""

    def __init__(self, text: str) -> None:
        _root_is(text, "worksheet")
        self.text = text
        m = re.search(r"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", text, re.S)
        if m is None:
            raise NotHere("worksheet without sheetData")
        self.data_span = m.span()
        self.data_inner = m.span(1) if m.group(1) is not None else None
        self._top: dict[str, tuple[int, int]] | None = None

    @property
    def top(self) -> dict[str, tuple[int, int]]:
        """Each top-level element's (start, end), found when an edit first needs them."""
        if self._top is None:
            self._top = self._top_level()
        return self._top

    def _top_level(self) -> dict[str, tuple[int, int]]:
        """Each top-level element's (start, end); sheetData is skipped, not tokenised."""
        found: dict[str, tuple[int, int]] = {"sheetData": self.data_span}
        for lo, hi in ((0, self.data_span[0]), (self.data_span[1], len(self.text))):
            depth, start, name = 0, 0, ""
            for m in _TAG.finditer(self.text, lo, hi):
                closing, tag, empty = m.group(1), m.group(2), m.group(3)
                if tag is None:
                    continue
                if tag == "worksheet" or tag.endswith(":worksheet"):
                    continue
                if closing:
                    depth -= 1
                    if depth == 0:
                        found.setdefault(name, (start, m.end()))
                elif empty:
                    if depth == 0:
                        found.setdefault(tag, (m.start(), m.end()))
                else:
                    if depth == 0:
                        start, name = m.start(), tag
                    depth += 1
        return found

    def part(self, name: str) -> str:
        span = self.top.get(name)
        return self.text[span[0] : span[1]] if span else ""

    def merged(self) -> list[tuple[int, int, int, int]]:
        out = []
        outside = self.text[self.data_span[1] :]  # mergeCells come after sheetData
        for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', outside):
            got = parse_range(ref)
            if got is not None:
                r0, c0, r1, c1 = got
                out.append((r0 + 1, c0 + 1, r1 + 1, c1 + 1))
        return out

    def validated(self) -> list[tuple[int, int, int, int]]:
        """Every area a validation covers, the x14 ones Excel keeps in extLst included."""
        outside = self.text[: self.data_span[0]] + self.text[self.data_span[1] :]
        refs = _DV_SQREF.findall(outside)
        for block in _X14_DVS.findall(outside):
            refs += re.findall(r"<(?:\w+:)?sqref>([^<]*)</", block)
        areas = []
        for ref in " ".join(refs).split():
            got = parse_range(ref)
            if got is not None:
                areas.append(got)
        return areas

    def has_legacy_drawing(self) -> str | None:
        tag = self.part("legacyDrawing")
        return _get_attr(tag, "r:id") if tag else None

    def restyle(
        self, cells: dict[tuple[int, int], Callable[[int], int]]
    ) -> dict[tuple[int, int], int]:
        """Give each (row, col) the style its function returns for the style it had (a cell
        that is not in the file is added, styled like its row or column); return the old
        styles.  Rows and cells are kept in order and every other byte as it was."""
        if not cells or (self.data_inner is None and not cells):
            return {}
        by_row: dict[int, dict[int, Callable[[int], int]]] = {}
        for (r, c), fn in cells.items():
            by_row.setdefault(r, {})[c] = fn
        col_styles = self._col_styles()
        before: dict[tuple[int, int], int] = {}
        if self.data_inner is None:
            inner, (lo, hi) = "", self.data_span
            opening = "<sheetData>"
        else:
            lo, hi = self.data_inner
            inner = self.text[lo:hi]
            opening = ""
        pieces: list[str] = []
        at = 0
        pending = sorted(by_row)
        for m in _ROW.finditer(inner):
            r_text = _get_attr(m.group(1), "r")
            if r_text is None or not r_text.isdigit():
                raise NotHere("a row without its number")
            r = int(r_text)
            while pending and pending[0] < r:
                new = pending.pop(0)
                pieces.append(inner[at : m.start()])
                at = m.start()
                pieces.append(self._new_row(new, by_row[new], col_styles, 0, before))
            if pending and pending[0] == r:
                pending.pop(0)
                pieces.append(inner[at : m.start()])
                pieces.append(self._patch_row(m, r, by_row[r], col_styles, before))
                at = m.end()
        pieces.append(inner[at:])
        for new in pending:
            pieces.append(self._new_row(new, by_row[new], col_styles, 0, before))
        body = "".join(pieces)
        if self.data_inner is None:
            body = opening + body + "</sheetData>"
        self._replace(lo, hi, body)
        return before

    def _col_styles(self) -> list[tuple[int, int, int]]:
        out = []
        for tag in re.findall(r"<col\b[^>]*>", self.part("cols")):
            style = _get_attr(tag, "style")
            lo, hi = _get_attr(tag, "min"), _get_attr(tag, "max")
            if style and lo and hi and style.isdigit() and lo.isdigit() and hi.isdigit():
                out.append((int(lo), int(hi), int(style)))
        return out

    @staticmethod
    def _base_style(c: int, row_style: int, col_styles: list[tuple[int, int, int]]) -> int:
        if row_style:
            return row_style
        for lo, hi, style in col_styles:
            if lo <= c <= hi:
                return style
        return 0

    def _patch_row(
        self,
        m: re.Match[str],
        r: int,
        want: dict[int, Callable[[int], int]],
        col_styles: list[tuple[int, int, int]],
        before: dict[tuple[int, int], int],
    ) -> str:
        attrs, body = m.group(1), m.group(2) or ""
        row_style = 0
        if _get_attr(attrs, "customFormat") in ("1", "true"):
            row_style = int(_get_attr(attrs, "s") or 0)
        pieces: list[str] = []
        at = 0
        pending = sorted(want)
        for cm in _CELL.finditer(body):
            ref = _get_attr(cm.group(1), "r")
            got = _REF.match(ref or "")
            if got is None:
                raise NotHere("a cell without its reference")
            c = _col_number(got.group(1))
            while pending and pending[0] < c:
                new = pending.pop(0)
                pieces.append(body[at : cm.start()])
                at = cm.start()
                pieces.append(self._new_cell(r, new, want[new], row_style, col_styles, before))
            if pending and pending[0] == c:
                pending.pop(0)
                old = int(_get_attr(cm.group(1), "s") or 0)
                before[(r, c)] = old
                tag = "<c" + cm.group(1) + ">"
                tag = _set_attr(tag, "s", str(want[c](old)))
                pieces.append(body[at : cm.start()])
                pieces.append(tag[:-1] + cm.group(2))
                at = cm.end()
        pieces.append(body[at:])
        for new in pending:
            pieces.append(self._new_cell(r, new, want[new], row_style, col_styles, before))
        start = f"<row{attrs}>"
        start = _set_attr(start, "spans", None)  # spans are optional; a stale one misleads
        return start + "".join(pieces) + "</row>"

    def _new_row(
        self,
        r: int,
        want: dict[int, Callable[[int], int]],
        col_styles: list[tuple[int, int, int]],
        row_style: int,
        before: dict[tuple[int, int], int],
    ) -> str:
        cells = "".join(
            self._new_cell(r, c, want[c], row_style, col_styles, before) for c in sorted(want)
        )
        return f'<row r="{r}">{cells}</row>'

    def _new_cell(
        self,
        r: int,
        c: int,
        fn: Callable[[int], int],
        row_style: int,
        col_styles: list[tuple[int, int, int]],
        before: dict[tuple[int, int], int],
    ) -> str:
        old = self._base_style(c, row_style, col_styles)
        before[(r, c)] = old
        return f'<c r="{cell_ref(r - 1, c - 1)}" s="{fn(old)}"/>'

    def _replace(self, lo: int, hi: int, new: str) -> None:
        self.text = self.text[:lo] + new + self.text[hi:]
        m = re.search(r"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", self.text, re.S)
        assert m is not None
        self.data_span = m.span()
        self.data_inner = m.span(1) if m.group(1) is not None else None
        self._top = None

    def insert(self, name: str, xml: str) -> None:
        """Put a new top-level element where the schema wants it."""
        rank = _RANK[name]
        after = [span[0] for tag, span in self.top.items() if _RANK.get(tag, -1) > rank]
        at = min(after) if after else self.text.rindex("</")  # else before </worksheet>
        self._replace(at, at, xml)

    def add_validations(self, items: Iterable[str]) -> None:
        xml = "".join(items)
        if not xml:
            return
        old = self.part("dataValidations")
        if not old:
            n = xml.count("<dataValidation ")
            self.insert("dataValidations", f'<dataValidations count="{n}">{xml}</dataValidations>')
            return
        lo, hi = self.top["dataValidations"]
        if old.endswith("/>"):
            new = old[:-2] + ">" + xml + "</dataValidations>"
        else:
            new = old[: -len("</dataValidations>")] + xml + "</dataValidations>"
        count = new.count("<dataValidation ") + new.count("<dataValidation>")
        head = new[: new.index(">") + 1]
        new = _set_attr(head, "count", str(count)) + new[len(head) :]
        self._replace(lo, hi, new)

    def add_legacy_drawing(self, rid: str) -> None:
        self.insert("legacyDrawing", f'<legacyDrawing xmlns:r="{REL}" r:id="{rid}"/>')

    def unselect(self) -> bool:
        """Clear a tab selection (so only our review sheet is selected); whether it changed."""
        head = self.text[: self.data_span[0]]  # sheetViews come before sheetData
        new = _TAB_SELECTED.sub(r"\1", head)
        if new == head:
            return False
        self._replace(0, len(head), new)
        return True


_TAB_SELECTED = re.compile(r'(<sheetView\b[^>]*?)\s+tabSelected\s*=\s*"(?:1|true)"')


def validation_xml(ref: str, rule: dict[str, Any]) -> str:
    """A ``<dataValidation>`` for ``rule`` (the DataValidation arguments of mark._rule)."""
    attrs = [f'type="{rule["type"]}"']
    if rule.get("operator"):
        attrs.append(f'operator="{rule["operator"]}"')
    if rule.get("errorStyle"):
        attrs.append(f'errorStyle="{rule["errorStyle"]}"')
    if rule.get("allow_blank"):
        attrs.append('allowBlank="1"')
    attrs += ['showInputMessage="1"', 'showErrorMessage="1"', f'sqref="{ref}"']
    body = f"<formula1>{escape(rule['formula1'])}</formula1>"
    if rule.get("formula2"):
        body += f"<formula2>{escape(rule['formula2'])}</formula2>"
    return f"<dataValidation {' '.join(attrs)}>{body}</dataValidation>"


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
        authors_xml, kept, head, tail = "", "", "", ""
        names: list[str] = []
    else:
        m = re.search(r"<authors\b[^>]*?(?:/>|>(.*?)</authors>)", old, re.S)
        lst = re.search(r"<commentList\b[^>]*?(?:/>|>(.*?)</commentList>)", old, re.S)
        if m is None or lst is None:
            raise NotHere("comments without authors or list")
        names = re.findall(r"<author>(.*?)</author>|<author/>", m.group(1) or "", re.S)
        authors_xml = ""
        kept = "".join(
            c.group(0)
            for c in _COMMENT.finditer(lst.group(1) or "")
            if _get_attr(c.group(1), "ref") not in ours
        )
        head, tail = old[: m.start()], old[lst.end() :]
    plain = [re.sub(r"&amp;", "&", n) for n in names]  # as a guard for our own name only
    if author in plain:
        aid = plain.index(author)
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
        body, tail, first = "", "</xml>", idmap * 1024 + 1
    else:
        if not all(f'xmlns:{p}="' in old for p in ("v", "o", "x")) or "</xml>" not in old:
            raise NotHere("a comments drawing we cannot extend")

        def keep(m: re.Match[str]) -> str:
            row = re.search(r"<x:Row>\s*(\d+)\s*</x:Row>", m.group(0))
            col = re.search(r"<x:Column>\s*(\d+)\s*</x:Column>", m.group(0))
            if row and col and (int(row.group(1)) + 1, int(col.group(1)) + 1) in ours:
                return ""
            return m.group(0)

        cut = old.rindex("</xml>")
        head, tail = _SHAPE.sub(keep, old[:cut]), old[cut:]
        if "_x0000_t202" not in head:
            head += _SHAPE_TYPE
        body = ""
        used = [int(n) for n in re.findall(r'id="_x0000_s(\d+)"', old)]
        first = max([idmap * 1024, *used]) + 1
    shapes = [
        _note_shape(first + i, r, c, w, h)
        for i, ((r, c), (w, h)) in enumerate(sorted(ours.items()))
    ]
    return head + body + "".join(shapes) + tail


# --- new sheets --------------------------------------------------------------------------


def cell_xml(r: int, c: int, value: Any, style: int) -> str:
    """One cell of a sheet we write: text is always an inline string (never a formula)."""
    ref = cell_ref(r - 1, c - 1)
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{xml_text(str(value))}</t></is></c>'


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
