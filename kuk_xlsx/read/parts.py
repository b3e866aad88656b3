"""The workbook package: the parts we parse ourselves, and python-calamine opened over the checked view.

python-calamine exposes neither defined names nor sheet states, so
``xl/workbook.xml`` (sheets, workbook-level defined names and where they point,
date1904), its relationships and ``docProps/custom.xml`` are parsed here, after the
preflight has checked the zip; a :class:`Package` holds what they say and the
view of checked parts that python-calamine reads instead of the file.  The parsed
workbook.xml is remembered by content across reads (a cohort's files share it).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from kuk_xlsx.package.preflight import (
    CheckedPackage,
    FileProblem,
    ReadError,
    ReaderView,
    check_package,
    reader_view,
)
from kuk_xlsx.read.a1 import split_destination
from kuk_xlsx.read.values import clean_text

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


@dataclass
class Package:
    sheets: list[tuple[str, str]]  # (name, state)
    names: dict[str, str]  # workbook-level defined name (lower) -> its formula text
    custom: dict[str, str]
    date1904: bool
    macros: bool
    checked: CheckedPackage
    parts: dict[str, str]  # sheet name -> its part in the zip
    view: ReaderView | None = None  # what python-calamine may read (see preflight)
    # the names' (sheet, 0-based range), None where broken (#REF!, a formula)
    destinations: dict[str, tuple[str, tuple[int, int, int, int]] | None] = field(
        default_factory=dict
    )


def read_package(data: bytes, path: str, unread: Iterable[str] = ()) -> Package:
    """Preflight the zip, read workbook.xml and custom.xml, scan every sheet but those
    in ``unread`` (never asked for), and build the view of checked parts that
    python-calamine reads instead of the file."""
    pkg = check_package(data, path, whole_grid=False)
    try:
        package = _read_package(pkg)
    except (KeyError, ET.ParseError) as exc:
        raise ReadError(FileProblem("damaged", path, detail=str(exc))) from None
    skip = set(unread)
    package.view = reader_view(
        pkg,
        [(name, package.parts.get(name, "")) for name, _ in package.sheets if name not in skip],
        package.date1904,
    )
    return package


def _fromstring(data: bytes) -> ET.Element:
    """Parse a part we read ourselves.  The preflight refused any DOCTYPE or ENTITY in
    it (so expat has nothing to expand or fetch), which keeps the C parser usable:
    defusedxml's pure-Python one costs more than the rest of the package read."""
    return ET.fromstring(data)


def _read_package(pkg: CheckedPackage) -> Package:
    sheet_ids, names, destinations, date1904 = _workbook_xml(pkg.read("xl/workbook.xml"))
    rels = _rels(pkg)
    sheets = [(name, state) for name, state, _ in sheet_ids]
    parts = {name: rels.get(rid, "") for name, _, rid in sheet_ids}
    custom = {}
    if "docProps/custom.xml" in pkg.parts:
        root = _fromstring(pkg.read("docProps/custom.xml"))
        for prop in root.iterfind("cp:property", NS):
            value = next(iter(prop), None)
            custom[prop.get("name", "")] = clean_text(value.text if value is not None else "")
    macros = pkg.find("xl/vbaProject.bin") is not None
    return Package(
        sheets, dict(names), custom, date1904, macros, pkg, parts, None, dict(destinations)
    )


_WorkbookXml = tuple[
    tuple[tuple[str, str, str], ...],
    dict[str, str],
    dict[str, tuple[str, tuple[int, int, int, int]] | None],
    bool,
]
_WORKBOOK_XML: dict[bytes, _WorkbookXml] = {}
_WORKBOOK_XML_KEPT = 16


def _workbook_xml(data: bytes) -> _WorkbookXml:
    """workbook.xml's sheets as (name, state, relationship id), its workbook-level
    defined names (lower case), where each of them points, and date1904.

    Remembered by content (the exact bytes, a few at a time): every file made from
    one template version, language and choice of modules carries the same
    workbook.xml, and a cohort reads hundreds of them; parsing its hundreds of
    names was a tenth of a read.  (``benchmarks/bench_read.py`` forgets them before
    every read it times: it measures a file read on its own.)"""
    found = _WORKBOOK_XML.get(data)
    if found is not None:
        return found
    if len(_WORKBOOK_XML) >= _WORKBOOK_XML_KEPT:
        del _WORKBOOK_XML[next(iter(_WORKBOOK_XML))]  # the oldest
    found = _WORKBOOK_XML[data] = _parse_workbook_xml(data)
    return found


def _parse_workbook_xml(data: bytes) -> _WorkbookXml:
    """See :func:`_workbook_xml`."""
    names: dict[str, str] = {}
    wb_xml = _fromstring(data)
    sheets = tuple(
        (s.get("name", ""), s.get("state", "visible"), s.get(f"{{{NS['r']}}}id", ""))
        for s in wb_xml.iterfind("m:sheets/m:sheet", NS)
    )
    tag = f"{{{NS['m']}}}definedName"
    for parent in wb_xml.iterfind("m:definedNames", NS):
        for dn in parent:  # (direct: ElementPath costs as much as the parse here)
            attrib = dn.attrib
            if dn.tag == tag and "localSheetId" not in attrib:
                names[attrib.get("name", "").lower()] = dn.text or ""
    pr = wb_xml.find("m:workbookPr", NS)
    date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
    # (all at once: one dict, where a read asked for two hundred of them one by one)
    destinations = {key: split_destination(text) for key, text in names.items()}
    return sheets, names, destinations, date1904


def forget_parsed_parts() -> None:
    """Forget the workbook.xml parts remembered across reads (benchmarks, tests)."""
    _WORKBOOK_XML.clear()


def _rels(pkg: CheckedPackage) -> dict[str, str]:
    """Relationship id -> the part it names, as it is spelt in the zip when it is there."""
    try:
        root = _fromstring(pkg.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target", "").replace("\\", "/")
        if rel.get("TargetMode", "") == "External" or "://" in target:
            out[rel.get("Id", "")] = ""  # never fetched: a sheet elsewhere is a missing sheet
            continue
        full = target.lstrip("/") if target.startswith("/") else "xl/" + target
        full = _normpath(full)
        found = pkg.find(full) or (pkg.find(target) if target.startswith("xl/") else None)
        out[rel.get("Id", "")] = found or full
    return out


def _normpath(path: str) -> str:
    """posixpath.normpath, skipped where it would change nothing (most paths)."""
    if not path or "/." in path or "//" in path or path[0] == "." or path[-1] == "/":
        return posixpath.normpath(path)
    return path


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic inside python-calamine (pyo3's PanicException is a BaseException)."""
    return type(exc).__name__ == "PanicException"


def _open_view(pkg: Package, name: str) -> Any:
    """python-calamine over the checked view of the package (never over the file as sent)."""
    from python_calamine import CalamineWorkbook

    assert pkg.view is not None
    try:
        return CalamineWorkbook.from_filelike(pkg.view.reader())
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise ReadError(FileProblem("damaged", name, detail=str(exc))) from None
