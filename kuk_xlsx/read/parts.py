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
import re
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
    usual_prolog,
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


# Defined names as our builder and Excel write them: one <definedName> after another,
# attributes in this order (what they hold is checked after: simple classes are fast).
_NAMED = re.compile(r'<definedName name="([^"]*)"([^>]*)>([^<]*)</definedName>')
_NAMED_TAGS = len('<definedName name="">') + len("</definedName>")
_NAMED_ATTRS = re.compile(r'(?: localSheetId="[0-9]+")?(?: hidden="(?:0|1|true|false)")?')
_XML_CONTROLS = bytes(i for i in range(32) if i not in (9, 10, 13))


def _parse_workbook_xml(data: bytes, quick: bool = True) -> _WorkbookXml:
    """See :func:`_workbook_xml`.  Hundreds of names made ElementTree build hundreds of
    elements (most of a cold read of the part): ``quick``, when the names are written
    the usual way, they are taken by one regex and ElementTree parses the rest."""
    names: dict[str, str] = {}
    cut = _quick_defined_names(data, names) if quick else None
    wb_xml = _fromstring(cut or data)
    if cut is not None and wb_xml.find("m:definedNames", NS) is None:
        return _parse_workbook_xml(data, quick=False)  # not where ElementTree looks
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


def _quick_defined_names(data: bytes, names: dict[str, str]) -> bytes | None:
    """Put the workbook-level defined names into ``names`` and return ``data`` with
    them cut out (an empty ``<definedNames/>`` in their place) when they are written
    the usual way (see _NAMED); ``None`` (and ``names`` untouched) otherwise.

    What is cut out is exactly a run of such elements holding nothing XML forbids or
    that expat would change (an entity, a carriage return, a tab or line end in a
    name), so the document is well-formed when what is left is; ElementTree parses
    that, and the caller checks that the empty element is where ElementTree looks
    (not in a comment or CDATA, not in another namespace).  Anything less usual goes
    to ElementTree whole."""
    start = data.find(b"<definedNames>")
    end = data.rfind(b"</definedNames>")  # (near the end; a second pair is cut in too)
    if start < 0 or end < start:
        return None
    head, tail = data[:start], data[end + len(b"</definedNames>") :]
    region = data[start + len(b"<definedNames>") : end]
    if (
        not usual_prolog(head)  # UTF-8, no byte-order mark, no DTD before the root
        or b"&" in region
        or b"\r" in region
        or (b"]" in region and b"]]>" in region)  # (one byte first: memchr)
        or len(region.translate(None, _XML_CONTROLS)) != len(region)
    ):
        return None
    try:
        text = region.decode()
    except UnicodeDecodeError:
        return None
    found = _NAMED.findall(text)
    if not found or "\ufffe" in text or "\uffff" in text:
        return None
    keys, attrs, values = zip(*found, strict=True)
    joined = "\0".join(keys)  # (no NUL in them: refused above)
    if (
        len(joined)
        + 1
        - len(keys)
        + len("".join(attrs))
        + len("".join(values))
        + _NAMED_TAGS * len(found)
        != len(text)  # something else between them
        or any(ch in joined for ch in "<\t\n")  # (expat would change tabs and line ends)
    ):
        return None
    if attrs.count("") != len(attrs):  # a few, local ones mostly (print titles)
        odd = [(i, a) for i, a in enumerate(attrs) if a]
        if any(_NAMED_ATTRS.fullmatch(a) is None for _, a in odd):
            return None
        keys, values = list(keys), list(values)
        for i, a in reversed(odd):
            if "localSheetId" in a:
                del keys[i], values[i]
        joined = "\0".join(keys)
    if keys:
        names.update(zip(joined.lower().split("\0"), values, strict=True))
    return head + b"<definedNames/>" + tail


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
