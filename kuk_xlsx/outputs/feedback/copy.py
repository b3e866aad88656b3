"""Loading the NGO's workbook for a copy, what the copy cannot carry, and saving it whole.

openpyxl keeps validations, conditional formats, names, comments, merged cells,
links, print setup, pictures and charts; it drops cached formula results (put
back here from the original's XML, so the reader sees the same totals), comment
box sizes, drawn shapes and text boxes, form controls, data connections and
Excel 2010 extensions (sparklines, slicers, extended validations and formats).
The losses are named on the review sheet.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kuk_xlsx.write.safe import OutputError


def load(data: bytes, src: Path) -> Any:
    """The NGO's workbook as an openpyxl workbook to copy into (macros dropped, external links kept
    for :mod:`.links` to take out); :class:`OutputError` when openpyxl cannot open it."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(data), keep_vba=False, rich_text=True, keep_links=True
        )
    except Exception as exc:  # openpyxl raises many kinds for odd files
        raise OutputError("outputs.feedback.cannot_copy", path=src, why=exc) from None
    wb.template = False  # a copy is always a plain workbook
    wb.vba_archive = None
    return wb


# --- what openpyxl cannot copy ---------------------------------------------------------

_SHAPE = re.compile(rb"<(?:\w+:)?(?:sp|cxnSp|grpSp)[\s>]")


def package_losses(data: bytes) -> list[str]:
    """Kinds of content in the original package that the copy cannot carry."""
    lost: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            lost.append("macros")
        drawings = [n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
        if any(_SHAPE.search(zf.read(n)) for n in drawings):
            lost.append("shapes")
        if any(n.startswith("xl/ctrlProps/") for n in names):
            lost.append("controls")
        if any(n.startswith("xl/media/") for n in names) and not _has_pillow():
            lost.append("pictures")  # openpyxl drops pictures without Pillow
    return lost


def _has_pillow() -> bool:
    try:
        from openpyxl.drawing.image import PILImage
    except ImportError:  # pragma: no cover
        return False
    return PILImage is not None


def load_losses(messages: Iterable[str]) -> list[str]:
    """Kinds of content openpyxl said (as warnings) it dropped while loading."""
    lost: list[str] = []
    for text in messages:
        if "extension is not supported" in text:
            lost.append("extensions")
        elif "Shapes and drawings will be lost" in text:
            lost.append("shapes")
        elif "Unable to read chart" in text:
            lost.append("charts")
    return lost


# --- cached formula values ---------------------------------------------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xml_fromstring(data: bytes) -> Any:
    """Parse a package part with defusedxml (no entities, no external DTDs)."""
    try:
        from defusedxml.ElementTree import fromstring
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        from xml.etree.ElementTree import fromstring
    return fromstring(data)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip path of its XML."""
    wb = xml_fromstring(zf.read("xl/workbook.xml"))
    try:
        rels_root = xml_fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    rels = {}
    for rel in rels_root:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        rels[rel.get("Id", "")] = normalise(path)
    out = {}
    for s in wb.iter(f"{{{_NS_MAIN}}}sheet"):
        target = rels.get(s.get(f"{{{_NS_REL}}}id", ""), "")
        if target:
            out[s.get("name", "")] = target
    return out


def normalise(path: str) -> str:
    """A zip path with ``.`` and ``..`` resolved (``xl/worksheets/../x`` -> ``xl/x``)."""
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def cached_values(data: bytes) -> dict[str, dict[str, tuple[str, str]]]:
    """Sheet -> {cell: (type, cached text)} for every formula cell with a cached result."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for sheet, part in sheet_parts(zf).items():
            try:
                root = xml_fromstring(zf.read(part))
            except KeyError:
                continue
            values: dict[str, tuple[str, str]] = {}
            for c in root.iter(f"{{{_NS_MAIN}}}c"):
                f = c.find(f"{{{_NS_MAIN}}}f")
                v = c.find(f"{{{_NS_MAIN}}}v")
                kind = c.get("t", "n")
                if f is None or v is None or not v.text or kind not in _RESULT_TYPES:
                    continue
                values[c.get("r", "")] = (kind, v.text)
            if values:
                out[sheet] = values
    return out


# openpyxl writes a formula cell as <c r="F24" s="3"><f>...</f><v /></c> (or <v></v>).
_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]{1,3}[0-9]{1,7})"(?P<attrs>[^>]*?)>'
    r"(?P<f><f(?:\s[^>]*)?>[^<]*</f>|<f(?:\s[^>]*)?/>)"
    r"(?:<v\s*/>|<v></v>)</c>"
)
_RESULT_TYPES = {"n": "", "b": ' t="b"', "e": ' t="e"', "str": ' t="str"'}


def restore_cached_values(
    out: bytes, original: bytes, cached: dict[str, dict[str, tuple[str, str]]] | None = None
) -> bytes:
    """Put the original's last computed formula results back into the copy.

    openpyxl keeps formulas but not their results.  Excel recalculates on open,
    but our reader (and any viewer that does not calculate) reads the results
    stored in the file; the inputs are unchanged, so the original's results hold.
    """
    if cached is None:
        cached = cached_values(original)
    if not cached:
        return out
    src = zipfile.ZipFile(io.BytesIO(out))
    parts = sheet_parts(src)
    patched: dict[str, bytes] = {}
    for sheet, values in cached.items():
        part = parts.get(sheet)
        if part is None:
            continue
        xml = src.read(part).decode("utf-8")

        def fill(m: re.Match[str], values: dict[str, tuple[str, str]] = values) -> str:
            got = values.get(m.group("ref"))
            if got is None:
                return m.group(0)
            kind, text = got
            t = _RESULT_TYPES.get(kind, ' t="str"')
            attrs = re.sub(r'\st="[^"]*"', "", m.group("attrs"))
            return f'<c r="{m.group("ref")}"{attrs}{t}>{m.group("f")}<v>{escape(text)}</v></c>'

        new = _FORMULA_CELL.sub(fill, xml)
        if new != xml:
            patched[part] = new.encode("utf-8")
    if not patched:
        src.close()
        return out
    buffer = io.BytesIO()
    with src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = patched.get(info.filename, src.read(info.filename))
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
