"""``xl/workbook.xml`` and its relationships: the sheets, names and views, and the edits a
feedback copy makes to them (our two sheets in, an earlier run's out)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from kuk_xlsx.outputs.feedback.base import sheet_ref
from kuk_xlsx.outputs.feedback.copy import xml_fromstring
from kuk_xlsx.outputs.feedback.xmlparts import MAIN, REL, NotHere, _get_attr, _root_is, _set_attr


class Workbook:
    """``xl/workbook.xml``: its sheets, names and views, and the edits feedback makes."""

    def __init__(self, text: str) -> None:
        _root_is(text, "workbook")
        self.text = text
        root = xml_fromstring(text.lstrip("\ufeff").encode("utf-8"))
        ns = f"{{{MAIN}}}"
        self.sheets = [
            (s.get("name", ""), s.get("state", "visible"), s.get(f"{{{REL}}}id", ""))
            for s in root.iter(f"{ns}sheet")
        ]
        self.ids = [int(s.get("sheetId", "0") or 0) for s in root.iter(f"{ns}sheet")]
        self.names = {
            (d.get("name") or "").lower(): (d.text or "")
            for d in root.iter(f"{ns}definedName")
            if d.get("localSheetId") is None
        }
        if re.search(r"<sheets\b[^>]*>.*?</sheets>", text, re.S) is None:
            raise NotHere("no sheets")
        self.r_declared = f'xmlns:r="{REL}"' in text[: text.index("<sheets")]

    def add_sheets(self, review: tuple[str, str], record: tuple[str, str], title_row: int) -> str:
        """``workbook.xml`` with our review sheet first and the record sheet last."""
        text = self.text
        r = "" if self.r_declared else f' xmlns:r="{REL}"'
        first = max(self.ids, default=0) + 1

        def sheet(name: str, rid: str, n: int, state: str = "") -> str:
            return f'<sheet{r} name={quoteattr(name)} sheetId="{n}"{state} r:id="{rid}"/>'

        m = re.search(r"<sheets\b[^>]*>", text)
        assert m is not None
        text = text[: m.end()] + sheet(review[0], review[1], first) + text[m.end() :]
        at = text.index("</sheets>")
        text = text[:at] + sheet(record[0], record[1], first + 1, ' state="veryHidden"') + text[at:]
        # sheet-scoped names follow their sheet one place on
        names = re.search(r"<definedNames\b[^>]*>(.*?)</definedNames>", text, re.S)
        titles = (
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">'
            f"{escape(sheet_ref(review[0], f'${title_row}:${title_row}'))}</definedName>"
        )
        if names is None:
            at = text.index("</sheets>") + len("</sheets>")
            text = text[:at] + f"<definedNames>{titles}</definedNames>" + text[at:]
        else:
            body = re.sub(
                r'(<definedName\b[^>]*?\blocalSheetId=")(\d+)(")',
                lambda x: f"{x.group(1)}{int(x.group(2)) + 1}{x.group(3)}",
                names.group(1),
            )
            text = text[: names.start(1)] + titles + body + text[names.end(1) :]
        return _open_on_first(text)


def _open_on_first(text: str) -> str:
    """The workbook opening on its first sheet (ours), with it in view."""
    view = re.search(r"<workbookView\b[^>]*>", text)
    if view is None:
        at = text.index("<sheets")
        return text[:at] + '<bookViews><workbookView activeTab="0"/></bookViews>' + text[at:]
    tag = _set_attr(_set_attr(view.group(0), "activeTab", "0"), "firstSheet", None)
    return text[: view.start()] + tag + text[view.end() :]


def drop_sheets(book: str, sheets: list[tuple[str, str, str]], drop: set[str]) -> str:
    """``workbook.xml`` without the sheets named in ``drop``: their ``<sheet>`` entries,
    the names scoped to them, and the other sheet-scoped names moved to their new place."""
    gone = [i for i, (name, _, _) in enumerate(sheets) if name in drop]
    m = re.search(r"<sheets\b[^>]*>(.*?)</sheets>", book, re.S)
    if m is None:
        raise NotHere("no sheets")
    entries = list(re.finditer(r"<sheet\b[^>]*?(?:/>|>.*?</sheet>)", m.group(1), re.S))
    if len(entries) != len(sheets):
        raise NotHere("sheets we cannot match")
    inner = "".join(e.group(0) for i, e in enumerate(entries) if i not in gone)
    book = book[: m.start(1)] + inner + book[m.end(1) :]

    def scoped(d: re.Match[str]) -> str:
        local = _get_attr(d.group(1), "localSheetId")
        if local is None or not local.isdigit():
            return d.group(0)
        k = int(local)
        if k in gone:
            return ""
        tag = _set_attr(
            f"<definedName{d.group(1)}>", "localSheetId", str(k - sum(g < k for g in gone))
        )
        return tag + d.group(0)[len(f"<definedName{d.group(1)}>") :]

    return re.sub(r"<definedName\b([^>]*)>.*?</definedName>", scoped, book, flags=re.S)


def drop_rels(rels: str, ids: set[str]) -> str:
    """A relationships part without the relationships ``ids``."""
    return re.sub(
        r"<Relationship\b[^>]*?/>",
        lambda r: "" if _get_attr(r.group(0), "Id") in ids else r.group(0),
        rels,
    )


def drop_types(types: str, parts: set[str]) -> str:
    """``[Content_Types].xml`` without the overrides naming ``parts``."""
    named = {"/" + p.lower() for p in parts}
    return re.sub(
        r"<Override\b[^>]*?/>",
        lambda o: "" if (_get_attr(o.group(0), "PartName") or "").lower() in named else o.group(0),
        types,
    )
