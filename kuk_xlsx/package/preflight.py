"""Checks before any XML parser or cell reader sees a file.

Trainers open attachments from many senders.  A file is typed by its magic
bytes, its zip directory is checked against size limits, every XML part's prolog
is refused if it declares a DOCTYPE or ENTITY (Excel never writes them), and
the sheets' cell references are scanned so that no reader allocates a grid by a
reference we have not checked (python-calamine aborts the whole process on a
single value in XFD1048576).

The cell reader never sees the file as sent: :func:`reader_view` builds a small
zip from the parts checked here (workbook, shared strings, styles, sheets), with
every sheet scanned and clipped to the rows and columns a workbook may use.  So
what python-calamine reads is exactly what was checked, whatever tricks the
original zip plays (two central directories, duplicate or look-alike part names,
sizes that lie, references without ``r`` or with odd quoting).

This module holds :func:`check_package`, the checks in the order they run; the
pieces it calls live beside it: :mod:`~kuk_xlsx.package.problems` (limits and
messages), :mod:`~kuk_xlsx.package.sniff` (file kinds),
:mod:`~kuk_xlsx.package.container` (the zip directory and its parts),
:mod:`~kuk_xlsx.package.prolog` (XML prologs), :mod:`~kuk_xlsx.package.sheetscan`
(sheet extents) and :mod:`~kuk_xlsx.package.view` (the reader view).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from kuk_xlsx.package.container import (
    _ZIP_ERRORS,
    CheckedPackage,
    _declared_directory,
)
from kuk_xlsx.package.problems import LIMITS, FileProblem, Limits, ReadError
from kuk_xlsx.package.prolog import check_xml, usual_prolog
from kuk_xlsx.package.sheetscan import scan_sheet
from kuk_xlsx.package.sniff import sniff
from kuk_xlsx.package.strict import is_strict, transitional
from kuk_xlsx.package.view import _VIEW_PARTS, ReaderView, reader_view

# The preflight's entry points, importable from here as before the split.
__all__ = [
    "LIMITS",
    "CheckedPackage",
    "FileProblem",
    "Limits",
    "ReadError",
    "ReaderView",
    "check_package",
    "reader_view",
    "usual_prolog",
]

# Small parts that we parse ourselves: read whole once, checked, kept.
_KEPT_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/custom.xml")

_PARSED_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "docProps/custom.xml",
    "docProps/core.xml",
    "docProps/app.xml",
}


def check_package(
    data: bytes, path: str, limits: Limits = LIMITS, *, whole_grid: bool = True
) -> CheckedPackage:
    """Preflight ``data`` and return the open zip; raise :class:`ReadError`.

    ``whole_grid`` (the default) is for readers that build every cell of a sheet,
    formatted or not, up to its farthest one (openpyxl): then a sheet reaching
    beyond ``max_rows`` x ``max_cols``, or more than ``max_cells`` cells in all, is
    refused too.  Our own reader passes ``False``: :func:`reader_view` clips.
    """
    sniff(data, path)

    def fail(code: str, detail: str = "", limit: str = "", found: int = 0) -> ReadError:
        maximum = getattr(limits, limit) if limit else 0
        return ReadError(FileProblem(code, path, detail, limit, found, maximum))

    if len(data) > limits.max_file_bytes:
        raise fail("too-large", limit="max_file_bytes", found=len(data))
    # Before zipfile lists a central directory (200,000 entries take a second).
    declared = _declared_directory(data)
    if declared is not None:
        entries, directory_size = declared
        if entries > limits.max_entries or directory_size > limits.max_entries * 512:
            # (a directory too big for its count holds at least size / 46 entries)
            found = entries if entries > limits.max_entries else directory_size // 46
            raise fail("too-large", limit="max_entries", found=found)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS:
        raise fail("truncated") from None
    entries = zf.NameToInfo
    if len(infos) > limits.max_entries:
        raise fail("too-large", limit="max_entries", found=len(infos))
    folded = {info.filename.replace("\\", "/").lower(): info.filename for info in infos}
    sizes = [info.file_size for info in infos]
    usual = (
        len(folded) == len(infos)
        and not any(info.flag_bits & 1 for info in infos)
        and {info.compress_type for info in infos} <= {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
        and max(sizes, default=0) <= min(limits.max_part_bytes, 1 << 20)
    )
    total = sum(sizes)
    # (the loop below says which part is wrong, first one first; most packages need
    # only the checks above, which cost a third of it)
    seen: set[str] = set()
    for info in () if usual else infos:
        name = info.filename
        key = name.replace("\\", "/").lower()
        if key in seen:  # OPC: part names are unique ignoring case
            raise fail("damaged", f"{name}: the part is there twice")
        seen.add(key)
        if info.flag_bits & 1:
            raise fail("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail("damaged", f"{name}: compression method {info.compress_type}")
        if info.file_size > limits.max_part_bytes:
            raise fail("too-large", name, "max_part_bytes", info.file_size)
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise fail("too-large", name, "max_ratio", ratio)
    if total > limits.max_total_bytes:
        raise fail("too-large", limit="max_total_bytes", found=total)
    checked = CheckedPackage(entries, {}, path, data, limits, folded, zf)
    if "mimetype" in folded and b"opendocument" in checked.read_raw(folded["mimetype"], 200):
        raise fail("ods")
    if checked.find("xl/workbook.xml") is None and checked.find("xl/workbook.bin") is not None:
        raise fail("xlsb")
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if checked.find(required) is None:
            raise fail("not-workbook", required)
    # The parts our readers parse; sheets are checked as their extent is scanned.
    for name in _PARSED_PARTS:
        actual = checked.find(name)
        if actual is None:
            continue
        whole = name in _KEPT_PARTS or (not whole_grid and name in _VIEW_PARTS)
        if name in _KEPT_PARTS:
            size = checked.entries[actual].file_size
            if size > limits.max_parsed_part_bytes:
                raise fail("too-large", actual, "max_parsed_part_bytes", size)
        head = checked.read_raw(actual, -1 if whole else 4096)
        check_xml(head, actual, path, whole)
        if whole:
            checked.parts[name] = head
    if is_strict(checked.parts["xl/workbook.xml"][:4096]):
        # read on as transitional: the parts kept so far now, every later read as it is
        # read (their prologs were checked as sent; the URIs replaced add no markup)
        checked.strict = True
        checked.parts = {name: transitional(part) for name, part in checked.parts.items()}
    _check_whole_parts(checked, whole_grid)
    if whole_grid:
        _check_whole_grid(checked)
    return checked


_CELL_TAG = re.compile(rb"<(?:[^\s<>/!?:=\"']*:)*c[\s/>]")
_RELATIONSHIP = re.compile(rb"<(?:[^\s<>/!?:=\"']*:)*Relationship\s[^>]*>")
_REL_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")
_REL_TYPE = re.compile(rb"""\sType\s*=\s*["'][^"']*/worksheet["']""", re.IGNORECASE)


_OVERRIDE = re.compile(rb"<(?:[^\s<>/!?:=\"']*:)*Override\s[^>]*>")
_CONTENT_TYPE = re.compile(rb"""\sContentType\s*=\s*["'][^"']*\.(sharedStrings|styles)\+xml["']""")
_USUAL_NAME = {b"sharedStrings": "xl/sharedStrings.xml", b"styles": "xl/styles.xml"}
_PART_NAME = re.compile(rb"""\sPartName\s*=\s*["']([^"']*)["']""")


def _to_last_tag_end(data: bytes) -> bytes:
    """``data`` up to its last ">": a tag pattern ending in ``[^>]*>`` then always
    finds its end, so no start is scanned to the end of the part and back (linear)."""
    return data[: data.rfind(b">") + 1]


def _check_whole_parts(pkg: CheckedPackage, whole_grid: bool) -> None:
    """The shared strings and the styles are parsed whole, by calamine and by
    openpyxl: bound their size, wherever [Content_Types].xml puts them (openpyxl
    finds the shared strings there, not by their usual name)."""
    limits = pkg.limits
    found = {pkg.find(name): kind for kind, name in _USUAL_NAME.items() if pkg.find(name)}
    types = pkg.find("[Content_Types].xml")
    if types is not None:
        size = pkg.entries[types].file_size
        if size > limits.max_parsed_part_bytes:
            raise ReadError(
                FileProblem(
                    "too-large",
                    pkg.path,
                    types,
                    "max_parsed_part_bytes",
                    size,
                    limits.max_parsed_part_bytes,
                )
            )
        for tag in _OVERRIDE.findall(_to_last_tag_end(pkg.read(types))):
            override = _CONTENT_TYPE.search(tag)
            if override is None:
                continue
            name = _PART_NAME.search(tag)
            part = pkg.find(name.group(1).decode("utf-8", "replace").lstrip("/")) if name else None
            if part is not None:
                found[part] = override.group(1)
                usual = _USUAL_NAME[override.group(1)]
                if pkg.find(usual) is None:
                    pkg.located[usual] = part
    for part, kind in found.items():
        size = pkg.entries[part].file_size
        checks = [("max_shared_strings_bytes", kind == b"sharedStrings")]
        if whole_grid:
            checks += [
                ("max_copy_styles_bytes", kind == b"styles"),
                ("max_copy_shared_strings_bytes", kind == b"sharedStrings"),
            ]
        for limit, applies in checks:
            if applies and size > getattr(limits, limit):
                raise ReadError(
                    FileProblem("too-large", pkg.path, part, limit, size, getattr(limits, limit))
                )


def _check_whole_grid(pkg: CheckedPackage) -> None:
    """Every sheet within the area and the cell count, for readers that build them all."""
    limits = pkg.limits
    sheets = {
        n for k, n in pkg.folded.items() if k.startswith("xl/worksheets/") and k.endswith(".xml")
    }
    rels = pkg.parts.get("xl/_rels/workbook.xml.rels", b"")
    for rel in _RELATIONSHIP.findall(_to_last_tag_end(rels)):
        target = _REL_TARGET.search(rel)
        if target is None or _REL_TYPE.search(rel) is None:
            continue
        name = target.group(1).decode("utf-8", "replace").replace("\\", "/")
        full = posixpath.normpath(name.lstrip("/") if name.startswith("/") else "xl/" + name)
        found = pkg.find(full) or pkg.find(name)
        if found is not None:
            sheets.add(found)
    cells = 0
    for part in sorted(sheets):
        data = pkg.read_raw(part)
        check_xml(data, part, pkg.path, whole=True)
        # (an empty far row, as LibreOffice writes after a row deletion, places no cell
        # for openpyxl either: only cells count, with or without their own r)
        scan, _ = scan_sheet(data, part, limits, rows=False)
        if not scan.readable or scan.clipped:
            raise ReadError(FileProblem("too-large", pkg.path, part, limit="area"))
        cells += len(_CELL_TAG.findall(data))
        if cells > limits.max_cells:
            raise ReadError(
                FileProblem(
                    "too-large", pkg.path, limit="max_cells", found=cells, maximum=limits.max_cells
                )
            )
