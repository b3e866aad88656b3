"""Structural comparison of two .xlsx files: which part differs, and where in it.

A golden test that only says "bytes differ" leaves the reader to unzip both files
by hand.  :func:`xlsx_diff` unzips both and compares them part by part: part
names, then each part's content; XML parts element by element (tag, attributes,
text, children), so a difference is reported as the part name, the sheet's name
for a worksheet, the cell, and the path of the first differing element or
attribute, e.g.::

    xl/worksheets/sheet3.xml (sheet '14 Бюджет'), cell D7:
      /worksheet/sheetData/row[@r=7]/c[@r=D7]/v: text '1500' != '1600'

Shared strings are resolved in worksheets (a cell whose text changed names the
cell, not only an index into xl/sharedStrings.xml, which is reported as well).
Volatile bits (docProps/core.xml's created/modified times) and zip metadata
(entry dates, compression, order) are ignored: two files are the same when
every part says the same.

    assert_same_xlsx(committed, fresh, "run python -m kuk_xlsx.build.blanks")
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import ParseError, fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DCTERMS = "{http://purl.org/dc/terms/}"
# part name -> element tags whose text (and attributes) are not compared
VOLATILE: dict[str, frozenset[str]] = {
    "docProps/core.xml": frozenset({f"{DCTERMS}created", f"{DCTERMS}modified"}),
}
XML_SUFFIXES = (".xml", ".rels", ".vml")
# attributes that name an element among its siblings better than its position
KEYS = ("r", "name", "sheetId", "Id", "PartName", "Extension", "sqref", "ref", "id")

Source = Path | bytes


def read_parts(source: Source) -> dict[str, bytes]:
    """Every part of a zip package, by name (a path or the file's bytes)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
    except zipfile.BadZipFile as err:
        name = source if isinstance(source, Path) else "<bytes>"
        raise AssertionError(f"{name} is not a zip package: {err}") from None


def xlsx_diff(expected: Source, actual: Source, *, limit: int = 10) -> list[str]:
    """What differs between two packages, one line (or two) per part, at most
    ``limit`` parts; empty when they are the same."""
    a, b = read_parts(expected), read_parts(actual)
    out = [f"part only in the expected file: {n}" for n in a if n not in b]
    out += [f"part only in the actual file: {n}" for n in b if n not in a]
    sheets = _sheet_names(a) | _sheet_names(b)
    strings = (_shared_strings(a), _shared_strings(b))
    for name in (n for n in a if n in b):
        if a[name] == b[name] and not name.startswith("xl/worksheets/"):
            continue
        if len(out) >= limit:
            out.append("... (more parts differ)")
            break
        where = _part_diff(name, a[name], b[name], strings)
        if where is None:
            continue
        label = name + (f" (sheet {sheets[name]!r})" if name in sheets else "")
        path, what = where
        cell = _cell_of(path)
        if cell:
            label += f", cell {cell}"
        out.append(f"{label}:\n  {path}: {what}" if path else f"{label}: {what}")
    return out


def assert_same_xlsx(expected: Source, actual: Source, hint: str = "") -> None:
    """Fail naming the differing parts (and cells) unless both packages say the same."""
    diffs = xlsx_diff(expected, actual)
    if diffs:
        head = f"{_name(expected)} and {_name(actual)} differ"
        raise AssertionError("\n".join([head + (f" ({hint})" if hint else "") + ":", *diffs]))


# --- one part ----------------------------------------------------------------------------


def _part_diff(
    name: str, a: bytes, b: bytes, strings: tuple[list[str], list[str]]
) -> tuple[str, str] | None:
    """(element path, what differs) for one part, None when it says the same."""
    if not name.endswith(XML_SUFFIXES):
        return None if a == b else ("", f"bytes differ ({len(a):,} != {len(b):,} bytes)")
    try:
        ta, tb = fromstring(a), fromstring(b)
    except ParseError:
        return None if a == b else ("", _line_diff(a, b))
    if name.startswith("xl/worksheets/"):
        _resolve_strings(ta, strings[0])
        _resolve_strings(tb, strings[1])
    return _element_diff(ta, tb, "/" + _local(ta.tag), VOLATILE.get(name, frozenset()))


def _element_diff(
    a: Element, b: Element, path: str, volatile: frozenset[str]
) -> tuple[str, str] | None:
    if a.tag != b.tag:
        return path, f"element <{_local(a.tag)}> != <{_local(b.tag)}>"
    if a.tag in volatile:
        return None
    for key in sorted(set(a.attrib) | set(b.attrib)):
        va, vb = a.get(key), b.get(key)
        if va != vb:
            return f"{path}/@{_local(key)}", f"{_show(va)} != {_show(vb)}"
    if (a.text or "") != (b.text or ""):
        return path, f"text {_show(a.text or '')} != {_show(b.text or '')}"
    ka, kb = list(a), list(b)
    for i, (ca, cb) in enumerate(zip(ka, kb, strict=False)):
        found = _element_diff(ca, cb, f"{path}/{_step(ca, ka, i)}", volatile)
        if found:
            return found
        if (ca.tail or "").strip() != (cb.tail or "").strip():
            return f"{path}/{_step(ca, ka, i)}", (
                f"text after it {_show(ca.tail or '')} != {_show(cb.tail or '')}"
            )
    if len(ka) != len(kb):
        longer, i = (ka, len(kb)) if len(ka) > len(kb) else (kb, len(ka))
        side = "expected" if longer is ka else "actual"
        return path, (
            f"{len(ka)} child elements != {len(kb)}; first extra in the {side} file: "
            f"<{_step(longer[i], longer, i)}>"
        )
    return None


def _line_diff(a: bytes, b: bytes) -> str:
    la = a.decode("utf-8", "replace").splitlines()
    lb = b.decode("utf-8", "replace").splitlines()
    for i, (x, y) in enumerate(zip(la, lb, strict=False), 1):
        if x != y:
            return f"line {i}: {_show(x)} != {_show(y)}"
    return f"{len(la)} lines != {len(lb)}"


# --- names and paths ---------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _step(el: Element, siblings: list[Element], i: int) -> str:
    """``c[@r=B5]``, ``sheet[@name=X]``, or ``tag[n]`` (1-based) among same-tag siblings."""
    tag = _local(el.tag)
    for key in KEYS:
        value = el.get(key, el.get(f"{REL}{key}"))
        if value is not None:
            return f"{tag}[@{key}={value}]"
    same = [s for s in siblings if s.tag == el.tag]
    return tag if len(same) == 1 else f"{tag}[{same.index(el) + 1}]"


def _cell_of(path: str) -> str:
    """The cell reference in an element path (``.../c[@r=B5]/v`` -> ``B5``)."""
    for step in reversed(path.split("/")):
        if step.startswith("c[@r="):
            return step[5:-1]
    return ""


def _show(value: str | None, width: int = 80) -> str:
    if value is None:
        return "(none)"
    text = repr(value)
    return text if len(text) <= width else text[: width - 5] + "...'"


def _name(source: Source) -> str:
    return str(source) if isinstance(source, Path) else "<bytes>"


# --- workbook structure ------------------------------------------------------------------


def _sheet_names(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet part name -> the sheet's name (as in the workbook's tabs)."""
    try:
        book = fromstring(parts["xl/workbook.xml"])
        rels = fromstring(parts["xl/_rels/workbook.xml.rels"])
    except (KeyError, ParseError):
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        t = target.get(sheet.get(f"{REL}id"), "")
        if t:
            part = t.lstrip("/") if t.startswith("/") else posixpath.normpath(f"xl/{t}")
            out[part] = sheet.get("name", "")
    return out


def _shared_strings(parts: dict[str, bytes]) -> list[str]:
    try:
        sst = fromstring(parts["xl/sharedStrings.xml"])
    except (KeyError, ParseError):
        return []
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in sst]


def _resolve_strings(sheet: Element, strings: list[str]) -> None:
    """Replace each shared-string cell's index by the string it stands for."""
    for c in sheet.iter(f"{MAIN}c"):
        if c.get("t") == "s":
            v = c.find(f"{MAIN}v")
            if v is not None and (v.text or "").strip().isdigit():
                i = int(v.text or "")
                v.text = strings[i] if i < len(strings) else f"(shared string {i} missing)"
