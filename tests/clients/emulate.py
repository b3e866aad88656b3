"""The client-emulation fixtures: one per way another program saves our workbook (#15).

Each :class:`Client` names a behaviour, the source workbook it starts from (one of
:mod:`tests.clients.source`'s fully filled ones), the change that makes it (see
:mod:`tests.clients.excel` and :mod:`tests.clients.others`), and what a reader is
expected to make of it: the interpretations the change makes the reader record,
the findings it adds (each a true description of what the client did, said in
the ``why`` line), whether values are stored another way (their ``raw`` may
differ, never their value), and which feedback writer takes the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kuk_xlsx.read.model import PlanData
from kuk_xlsx.spec.template import LANGS, load_template
from tests.clients import excel, others
from tests.clients.cached import cache_results
from tests.clients.zipxml import Book

_TPL = load_template()
YES_NO = {lang: tuple(c.label.get(lang) for c in _TPL.choices["yes_no"].choices) for lang in LANGS}


@dataclass(frozen=True)
class Client:
    name: str
    lang: str
    change: Callable[[Book], None]
    why: str  # the program and what it does
    cached: bool = True  # the program saved formula results
    notes: frozenset[str] = field(default_factory=frozenset)  # interpretation codes added
    findings: frozenset[str] = field(default_factory=frozenset)  # finding codes added
    raw_changed: bool = False  # values stored in another representation
    writer: str = "package"  # the feedback writer that takes it: package / openpyxl
    # LibreOffice 7.4 itself loses cells of this shape when it opens the original: its
    # copy of our feedback copy is compared with its copy of the original
    libreoffice_loses: bool = False
    sheet_suffix: str = ""  # every step sheet renamed by the NGO, by this suffix
    marker: bytes = b""  # bytes the fixture must hold (it really has the client's shape)
    absent: bytes = b""  # ... and must not hold (in a part or a part's name)


def _reorder(book: Book) -> None:
    others.renumber_sheets(book, [(i * 7) % 23 + 30 for i in range(len(book.sheets()))])
    names = list(book.parts)
    book.parts = {
        n: book.parts[n] for n in sorted(names, key=lambda n: (n.endswith(".rels"), n[::-1]))
    }


def _booleans(lang: str) -> Callable[[Book], None]:
    return lambda book: others.booleans_as_numbers(book, *YES_NO[lang])


CLIENTS = [
    Client(
        "excel_x14_validations",
        "en",
        excel.x14_validations,
        "Excel 2010+: dropdowns from another sheet in extLst/x14",
        marker=b"<x14:dataValidation ",
    ),
    Client(
        "excel_filter_database",
        "kk",
        excel.filter_database,
        "Excel: an autofilter's hidden _xlnm._FilterDatabase name",
        marker=b"_xlnm._FilterDatabase",
    ),
    Client(
        "excel_shadowing_names",
        "ru",
        excel.shadowing_names,
        "Excel: sheet-scoped names shadowing our global ones",
        marker=b'name="kuk_budget_items" localSheetId="0"',
    ),
    Client(
        "excel_ref_names",
        "kk",
        excel.ref_names,
        "Excel: leftover #REF! names",
        marker=b'<definedName name="Prices">#REF!<',
    ),
    Client(
        "excel_shared_formulas",
        "en",
        excel.shared_formulas,
        "Excel: a column of formulas as one shared formula",
        marker=b'<f t="shared" si="0"/>',
    ),
    Client(
        "excel_xlfn_prefixes",
        "ru",
        excel.xlfn_prefixes,
        "Excel 2010+: _xlfn. prefixed functions",
        marker=b"_xlfn.IFS(",
    ),
    Client(
        "excel_mac_date1904",
        "kk",
        excel.date1904("1"),
        "Excel for Mac: the 1904 date system",
        marker=b'date1904="1"',
    ),
    Client(
        "excel_mac_date1904_true",
        "en",
        excel.date1904("true"),
        'Excel for Mac: date1904="true"',
        marker=b'date1904="true"',
    ),
    Client(
        "excel_strict",
        "ru",
        excel.strict,
        "Excel: Strict Open XML Spreadsheet",
        notes=frozenset({"strict-ooxml"}),
        marker=b'conformance="strict"',
        absent=b"schemas.openxmlformats.org/spreadsheetml",
    ),
    Client(
        "excel_markup_compatibility",
        "kk",
        excel.markup_compatibility,
        "Excel 2016: mc:Ignorable, x14ac and xr attributes",
        marker=b'x14ac:dyDescent="0.25"',
    ),
    Client(
        "google_sheets",
        "kk",
        others.google_sheets,
        "Google Sheets: download as .xlsx",
        notes=frozenset({"hidden-sheets-shown"}),
        marker=b"__xludf.DUMMYFUNCTION",
        absent=b"docProps/",
    ),
    Client(
        "numbers",
        "ru",
        others.numbers,
        "Apple Numbers: export to Excel",
        marker=b'<sheet name="Export Summary"',
    ),
    Client(
        "booleans_as_numbers",
        "kk",
        _booleans("kk"),
        "LibreOffice: booleans as 1/0 with a TRUE/FALSE format; Excel, gnumeric: t=b",
        raw_changed=True,
        marker=b'formatCode="&quot;TRUE&quot;;&quot;TRUE&quot;;&quot;FALSE&quot;"',
    ),
    Client(
        "custom_date_formats",
        "ru",
        others.custom_date_formats,
        "LibreOffice/Excel in kk/ru locales: dates under custom formats",
        marker=b"[$-F800]dddd",
    ),
    Client(
        "formulas_without_values",
        "en",
        others.formulas_without_values,
        "converters: formulas with no cached <v>",
        cached=False,
        absent=b"</f><v>",
    ),
    Client(
        "inline_strings",
        "kk",
        others.inline_strings,
        "streaming writers: inlineStr and str cells",
        marker=b't="inlineStr"><is>',
    ),
    Client(
        "inline_strings_stray_value",
        "ru",
        lambda book: others.inline_strings(book, stray=True),
        "R readxl test files: inlineStr with a <v> before its <is>",
        marker=b't="inlineStr"><v>0</v><is>',
        libreoffice_loses=True,
    ),
    Client(
        "rich_text_and_phonetic",
        "ru",
        others.rich_text_and_phonetic,
        "Excel: rich-text runs and phonetic runs in shared strings",
        marker=b'<rPh sb="0"',
    ),
    Client(
        "no_references",
        "en",
        others.no_references,
        "streaming writers: rows and cells without r",
        marker=b"<row spans=",
    ),
    Client(
        "x_prefixed",
        "kk",
        others.x_prefixed,
        "Open XML SDK: x:-prefixed SpreadsheetML",
        marker=b"<x:c r=",
    ),
    Client(
        "absolute_targets",
        "ru",
        others.absolute_targets,
        "various: absolute part names in relationships",
        marker=b'Target="/xl/worksheets/sheet1.xml"',
    ),
    Client(
        "parts_renamed_reordered",
        "en",
        _reorder,
        "Excel after moving sheets: parts named and ordered unlike the sheets",
        marker=b'Target="worksheets/sheet30.xml"',
    ),
    Client(
        "bom_and_pretty",
        "kk",
        others.bom_and_pretty,
        "various: UTF-8 BOM and pretty-printed XML",
        marker=b"\xef\xbb\xbf<?xml",
    ),
    Client(
        "wps_properties",
        "ru",
        others.wps_properties,
        "WPS Office: its own custom properties beside ours",
        marker=b"KSOProductBuildVer",
    ),
    Client(
        "shared_strings_elsewhere",
        "en",
        others.shared_strings_elsewhere,
        ".NET/Java writers: shared strings under another part name",
        marker=b"strings/shared.xml",
        absent=b"xl/sharedStrings.xml",
    ),
    Client(
        "understated_dimension",
        "kk",
        others.understated_dimension,
        'older SheetJS and others: <dimension ref="A1"/> on every sheet',
        marker=b'<dimension ref="A1"/>',
    ),
    Client(
        "libreoffice_formula_markup",
        "ru",
        others.libreoffice_formula_markup,
        'LibreOffice: <f aca="false">, t="n" on empty cells, no spans',
        marker=b'<f aca="false">',
    ),
    Client(
        "onlyoffice_moved_sheets",
        "kk",
        others.onlyoffice_moved_sheets,
        "ONLYOFFICE: names of a moved sheet saved as #REF!",
        notes=frozenset({"name-fallback", "sheet-by-name"}),
        marker=b'<definedName name="kuk_budget_items">#REF!',
    ),
    Client(
        "gnumeric_comments",
        "en",
        others.gnumeric_comments,
        "gnumeric: comments with an empty author list",
        marker=b"<authors/>",
    ),
    Client(
        "onlyoffice_moved_renamed_sheets",
        "kk",
        lambda book: others.onlyoffice_moved_sheets(book, suffix=" (2027)"),
        "ONLYOFFICE: #REF! names, and every step sheet renamed by the NGO",
        notes=frozenset({"name-fallback", "sheet-by-title"}),
        marker=b' (2027)" sheetId=',
        sheet_suffix=" (2027)",
    ),
]
BY_NAME = {c.name: c for c in CLIENTS}


def build(client: Client, source: Path, plan: PlanData, target: Path) -> Path:
    """Write ``client``'s fixture made from ``source`` (read as ``plan``) to ``target``."""
    book = Book(source.read_bytes())
    if client.cached:
        cache_results(book, plan)
    client.change(book)
    target.write_bytes(book.to_bytes())
    return target
