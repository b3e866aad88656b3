"""What Excel (Windows, Mac, "Strict Open XML") writes, done to our filled workbooks.

Each function takes a :class:`~tests.clients.zipxml.Book` already carrying Excel's
cached formula results (:func:`tests.clients.cached.cache_results`) and rewrites it
as Excel saves such a file.  Sources: ECMA-376, and readers' issue trackers
(openpyxl, calamine, exceljs, ExcelDataReader) where these shapes broke readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from tests.clients.zipxml import MAIN, REL, Book, attr, found, rewrite_cells, set_attr

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"


def _names(book: Book) -> dict[str, str]:
    return dict(
        re.findall(
            r'<definedName name="([^"]+)">([^<]*)</definedName>', book.text("xl/workbook.xml")
        )
    )


def x14_validations(book: Book) -> None:
    """A list dropdown whose items are on another sheet is saved by Excel 2010+ in
    ``extLst/x14:dataValidations`` with the range written out (openpyxl drops these);
    the other validations stay where they were."""
    names = _names(book)
    for part in book.sheets().values():
        xml = book.text(part)
        block = re.search(r"<dataValidations\b.*?</dataValidations>", xml, re.S)
        if block is None:
            continue
        items = re.findall(r"<dataValidation\b.*?</dataValidation>", block.group(0), re.S)
        lists = [i for i in items if 'type="list"' in i]
        if not lists:
            continue
        ext = []
        for item in lists:
            sqref = found(r'sqref="([^"]+)"', item)
            f1 = found(r"<formula1>(.*?)</formula1>", item)
            ext.append(
                '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
                f'showErrorMessage="1"><x14:formula1><xm:f>{names.get(f1, f1)}</xm:f>'
                f"</x14:formula1><xm:sqref>{sqref}</xm:sqref></x14:dataValidation>"
            )
        rest = [i for i in items if i not in lists]
        kept = f'<dataValidations count="{len(rest)}">{"".join(rest)}</dataValidations>'
        x14 = (
            f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
            f'<x14:dataValidations count="{len(ext)}" xmlns:xm="{XM}">{"".join(ext)}'
            "</x14:dataValidations></ext></extLst>"
        )
        xml = xml.replace(block.group(0), kept if rest else "")
        book.put(part, xml.replace("</worksheet>", x14 + "</worksheet>"))


def _add_names(book: Book, names: str) -> None:
    book.edit("xl/workbook.xml", lambda x: x.replace("<definedNames>", "<definedNames>" + names))


def filter_database(book: Book) -> None:
    """An autofilter on the budget table: ``_xlnm._FilterDatabase``, sheet-scoped and
    hidden, beside the sheet's ``<autoFilter>``."""
    sheets = list(book.sheets())
    budget = next(s for s in sheets if s.startswith("14 "))
    i = sheets.index(budget)
    _add_names(
        book,
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{budget}'!$A$5:$F$23</definedName>",
    )
    part = book.sheet(budget)
    book.edit(part, lambda x: x.replace("</sheetData>", '</sheetData><autoFilter ref="A5:F23"/>'))


def shadowing_names(book: Book) -> None:
    """Sheet-scoped names with the names of our workbook-level ones (Excel makes them when
    a sheet is copied within the workbook, or from another copy of it), pointing
    elsewhere, written before the workbook-level ones as Excel sorts them."""
    wanted = ["kuk_budget_items", "kuk_budget_items_quantity", "kuk_goals_goals"]
    scoped = "".join(
        f'<definedName name="{n}" localSheetId="0">\'_lists\'!$A$1:$B$2</definedName>'
        for n in wanted
    )
    _add_names(book, scoped)


def ref_names(book: Book) -> None:
    """Leftover names Excel keeps after the sheets they pointed at were deleted."""
    _add_names(
        book,
        '<definedName name="OldBudget">#REF!$A$1:$F$20</definedName>'
        '<definedName name="Prices">#REF!</definedName>'
        '<definedName name="_xlnm.Print_Area" localSheetId="0">#REF!$A$1:$B$40</definedName>'
        "<definedName name=\"Total2025\">'14 Бюджет'!#REF!</definedName>",
    )


def shared_formulas(book: Book) -> None:
    """The budget's amount column as one shared formula (``t="shared"``): the first cell
    holds the text, the others only ``si``."""
    part = next(p for s, p in book.sheets().items() if s.startswith("14 "))
    first: list[str] = []

    def one(attrs: str, content: str | None) -> str | None:
        if content is None:
            return None
        m = re.match(r'<f>IF\(OR\(D(\d+)="",E\1=""\),"",D\1\*E\1\)</f>(.*)', content, re.S)
        if m is None:
            return None
        if not first:
            first.append(m.group(1))
            f = f'<f t="shared" ref="F{m.group(1)}:F23" si="0">{content[3 : content.index("</f>")]}</f>'
        else:
            f = '<f t="shared" si="0"/>'
        return f"<c{attrs}>{f}{m.group(2)}</c>"

    book.edit(part, lambda x: rewrite_cells(x, one))
    assert first


def xlfn_prefixes(book: Book) -> None:
    """Functions newer than Excel 2007 saved with ``_xlfn.``: the M&E band's status
    cell as Excel 2019 writes an IFS, the total as AGGREGATE (same results)."""
    part = next(p for s, p in book.sheets().items() if s.startswith("14 "))

    def change(xml: str) -> str:
        xml = xml.replace(
            "<f>SUM(kuk_budget_items_amount)</f>",
            "<f>_xlfn.AGGREGATE(9,6,kuk_budget_items_amount)</f>",
        )
        return re.sub(
            r'<f>IF\((F\d+)="","",IF\(AND\(([^)]*)\),("[^"]*"),("[^"]*")\)\)</f>',
            r'<f>_xlfn.IFS(\1="","",AND(\2),\3,TRUE,\4)</f>',
            xml,
        )

    book.edit(part, change)
    assert "_xlfn.IFS" in book.text(part) and "_xlfn.AGGREGATE" in book.text(part)


def date1904(flag: str) -> Callable[[Book], None]:
    """Excel for Mac's 1904 date system (``date1904="1"``, or ``"true"`` as some Mac
    versions write it): every date cell's serial is 1,462 days smaller."""

    def change(book: Book) -> None:
        dates = book.date_styles()

        def one(attrs: str, content: str | None) -> str | None:
            s = attr(attrs, "s")
            if content is None or s is None or int(s) not in dates or attr(attrs, "t"):
                return None
            v = re.fullmatch(r"<v>(\d+(?:\.\d+)?)</v>", content)
            if v is None:
                return None
            serial = float(v.group(1)) - 1462
            assert serial >= 0  # (the 1904 system has no earlier day)
            return f"<c{attrs}><v>{serial:g}</v></c>"

        for part in book.sheets().values():
            book.edit(part, lambda x: rewrite_cells(x, one))
        book.edit(
            "xl/workbook.xml",
            lambda x: re.sub(r"<workbookPr\b", f'<workbookPr date1904="{flag}"', x, count=1),
        )

    return change


STRICT = {
    MAIN: "http://purl.oclc.org/ooxml/spreadsheetml/main",
    REL: "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "http://purl.oclc.org/ooxml/officeDocument/customProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
}


def strict(book: Book) -> None:
    """ "Strict Open XML Spreadsheet": purl.oclc.org namespaces and relationship types,
    ``conformance="strict"``, and every date cell as ISO 8601 text (``t="d"``)."""
    dates = book.date_styles()

    def iso(attrs: str, content: str | None) -> str | None:
        s = attr(attrs, "s")
        if content is None or s is None or int(s) not in dates or attr(attrs, "t"):
            return None
        v = re.fullmatch(r"<v>(\d+)</v>", content)
        if v is None:
            return None
        day = date(1899, 12, 30) + timedelta(days=int(v.group(1)))
        return f"<c{set_attr(attrs, 't', 'd')}><v>{day.isoformat()}T00:00:00</v></c>"

    for part in book.sheets().values():
        book.edit(part, lambda x: rewrite_cells(x, iso))
    for part in list(book.xml_parts()):
        text = book.text(part)
        text = text.replace(f"{REL}/custom-properties", f"{REL}/customProperties")
        text = text.replace(f"{REL}/extended-properties", f"{REL}/extendedProperties")
        for old, new in STRICT.items():
            text = text.replace(old, new)
        book.put(part, text)
    book.edit(
        "xl/workbook.xml", lambda x: x.replace("<workbook ", '<workbook conformance="strict" ', 1)
    )


def markup_compatibility(book: Book) -> None:
    """Excel 2016's own markup on every sheet: ``mc:Ignorable`` namespaces, ``x14ac``
    and ``xr`` attributes on rows and the root, ``xr:uid`` (prefixed attributes a
    regex-based reader may take for a cell reference)."""
    ns = (
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
        ' xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"'
        ' mc:Ignorable="x14ac xr"'
        ' xr:uid="{00000000-0001-0000-0000-000000000000}"'
    )
    for part in book.sheets().values():
        xml = book.text(part)
        xml = xml.replace(
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"',
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"{ns}',
            1,
        )
        xml = re.sub(r"<row (r=\"\d+\")", r'<row \1 x14ac:dyDescent="0.25"', xml)
        xml = xml.replace("<sheetFormatPr ", '<sheetFormatPr x14ac:dyDescent="0.25" ')
        book.put(part, xml)
