"""A worksheet's XML as the package writer edits it: cells restyled or added in order,
dropdowns added, the comment drawing linked, the tab unselected; every other byte kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from kuk_xlsx.outputs.feedback.xmlparts import REL, NotHere, _get_attr, _root_is, _set_attr
from kuk_xlsx.read.a1 import cell_ref, parse_range

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
        r = 0
        for m in _ROW.finditer(inner):
            r_text = _get_attr(m.group(1), "r")
            if r_text is not None and not r_text.isdigit():
                raise NotHere("a row number we cannot read")
            # a row without its number is the one after the last: nothing is ever inserted
            # before it (there is no room), so it keeps its place
            r = int(r_text) if r_text is not None else r + 1
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
        c = 0
        pending = sorted(want)
        for cm in _CELL.finditer(body):
            ref = _get_attr(cm.group(1), "r")
            got = _REF.match(ref or "")
            if ref is not None and got is None:
                raise NotHere("a cell reference we cannot read")
            c = _col_number(got.group(1)) if got else c + 1  # none: the one after the last
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
                if ref is None:
                    tag = _set_attr(tag, "r", cell_ref(r - 1, c - 1))
                pieces.append(body[at : cm.start()])
                pieces.append(tag[:-1] + cm.group(2))
                at = cm.end()
        pieces.append(body[at:])
        for new in pending:
            pieces.append(self._new_cell(r, new, want[new], row_style, col_styles, before))
        start = _set_attr(f"<row{attrs}>", "r", str(r))
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
