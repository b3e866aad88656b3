"""Nothing in a feedback copy reaches outside it: every outward link is taken out, and listed.

An NGO's workbook may link to the laptop or the office network it was made on:
formulas reading another workbook (``[1]Sheet!A1`` with an ``externalLink``
part naming ``file:///C:/…`` or ``\\\\server\\share\\…``), DDE formulas that start
another program (``cmd|'/c …'!A0``), ``WEBSERVICE``/``HYPERLINK``/``RTD``/
``CALL``/``REGISTER``/``IMAGE`` formulas, hyperlinks to files and network
folders, defined names and dropdowns fed from another workbook, data connections
and web queries.  A copy that travels from trainer to NGO must not carry them
(opening it would ask to update links, reach the network or run a program), so
in the copy

* formulas of those kinds are replaced by their last computed value (from the
  original's XML), or by their own text when the file holds no value;
* the ``externalLink`` parts, names and dropdowns that use them, and hyperlinks to
  anything but ``http(s):`` and ``mailto:`` are removed;
* data connections and web queries (which openpyxl cannot carry) are named.

Each is a :class:`Cut`, listed on the review sheet as a warning.  The NGO's own
file keeps everything.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from kuk_xlsx.catalogue import text
from kuk_xlsx.outputs.feedback.copy import xml_fromstring

# What each kind of cut says is in the catalogue as outputs.links.<kind>.
KINDS = ("workbook", "formula", "dde", "function", "hyperlink", "name", "list", "connection", "web")
MAX_SHOWN = 40  # cuts listed one by one on the review sheet; the rest are counted

_STRINGS = re.compile(r'"(?:[^"]|"")*"')
_EXTERNAL_REF = re.compile(r"(?<![\w\]\[])'?\[[0-9]+\]")  # [1]Sheet!A1, '[2]My sheet'!B3, [1]!Name
_OUTWARD_FUNCTIONS = re.compile(
    r"(?<![\w.])(?:_xlfn\.|_xludf\.)?(HYPERLINK|WEBSERVICE|RTD|CALL|REGISTER(?:\.ID)?|IMAGE|EXEC)"
    r"\s*\(",
    re.IGNORECASE,
)
_INTERNAL_HYPERLINK = re.compile(r'HYPERLINK\s*\(\s*"#', re.IGNORECASE)

_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Cut:
    """One outward link taken out of the copy (or not carried), for the review sheet."""

    kind: str  # one of KINDS
    sheet: str = ""  # "" for the workbook as a whole
    cell: str = ""
    target: str = ""  # the link, path, formula or name as it was written (shown as text)
    name: str = ""  # the function, defined name or connection it concerns
    kept: str = ""  # for formulas: "value" (the last value stays) or "text" (the formula text)


def outward(formula: str) -> tuple[str, str] | None:
    """(kind, function name) when ``formula`` reaches outside the workbook, else None.

    Text inside string literals does not count (``="a|b"`` is not DDE), and a
    ``HYPERLINK("#Sheet!A1", …)`` to a place in the same workbook is kept.
    """
    if not any(mark in formula for mark in "[|("):
        return None  # no reference to another workbook, no DDE, no function: a plain range
    # literals blanked out, same length, so a position in `bare` is one in `formula`
    bare = _STRINGS.sub(lambda s: '"' + "_" * (len(s.group(0)) - 2) + '"', formula)
    if _EXTERNAL_REF.search(bare):
        return "formula", ""
    if "|" in bare:  # outside strings, a pipe is only ever DDE: program|topic!item
        return "dde", ""
    for m in _OUTWARD_FUNCTIONS.finditer(bare):
        name = m.group(1).upper()
        if name == "HYPERLINK" and _INTERNAL_HYPERLINK.match(formula, m.start(1)):
            continue
        return "function", name
    return None


def outward_name(written: str) -> bool:
    """Whether a defined name's formula text reaches outside the workbook (a formula that
    does, a network folder or a file)."""
    return outward(written) is not None or written.lstrip("=").startswith(("\\\\", "file:"))


def safe_hyperlink(target: str) -> bool:
    """Whether an external hyperlink may stay in the copy: a web page or an e-mail address."""
    return target.strip().lower().startswith(_SAFE_SCHEMES)


def neutralise(wb: Any, cached: dict[str, dict[str, tuple[str, str]]]) -> list[Cut]:
    """Take every outward link out of the openpyxl workbook ``wb``; return what was cut.

    ``cached`` is the original's last computed results (sheet -> cell -> (type,
    text)), used in place of a formula that reached outside.
    """
    cuts: list[Cut] = []
    for ws in wb.worksheets:
        values = cached.get(ws.title, {})
        for cell in list(ws._cells.values()):  # only the cells that exist, not the whole grid
            if cell.data_type == "f":
                cut = _formula_cell(ws.title, cell, values)
                if cut is not None:
                    cuts.append(cut)
            link = cell.hyperlink
            if link is not None and link.target and not safe_hyperlink(str(link.target)):
                cuts.append(Cut("hyperlink", ws.title, cell.coordinate, str(link.target)))
                cell.hyperlink = None
        cuts += _validations(ws)
        cuts += _names(ws.defined_names, ws.title)
    cuts += _names(wb.defined_names, "")
    for book in getattr(wb, "_external_links", []):
        target = getattr(getattr(book, "file_link", None), "Target", "") or ""
        cuts.append(Cut("workbook", target=str(target)))
    wb._external_links = []
    return cuts


def _formula_cell(sheet: str, cell: Any, values: dict[str, tuple[str, str]]) -> Cut | None:
    value = cell.value
    formula = value if isinstance(value, str) else str(getattr(value, "text", "") or "")
    found = outward(formula)
    if found is None:
        return None
    kind, name = found
    last = values.get(cell.coordinate)
    if last is None:
        cell.value = formula
        cell.data_type = "s"  # the formula's own text, inert
        kept = "text"
    else:
        _set_result(cell, *last)
        kept = "value"
    return Cut(kind, sheet, cell.coordinate, formula, name, kept)


def _set_result(cell: Any, kind: str, text: str) -> None:
    """Put a cached result (its XML type and text) into ``cell`` as a plain value."""
    if kind == "n":
        try:
            number = float(text)
        except ValueError:
            cell.value, cell.data_type = text, "s"
            return
        cell.value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    elif kind == "b":
        cell.value = text.strip() in ("1", "true")
    else:  # "str" or an error such as #REF!: kept as the text it showed
        cell.value = text
        cell.data_type = "s"


def _names(names: Any, sheet: str) -> list[Cut]:
    cuts = []
    for key, dn in list(names.items()):
        written = str(getattr(dn, "attr_text", "") or "")
        if outward_name(written):
            cuts.append(Cut("name", sheet, "", written, str(key)))
            del names[key]
    return cuts


def _validations(ws: Any) -> list[Cut]:
    dvs = ws.data_validations
    cuts, keep = [], []
    for dv in dvs.dataValidation:
        formulas = [str(f) for f in (dv.formula1, dv.formula2) if f]
        bad = next((f for f in formulas if outward(f) is not None), None)
        if bad is None:
            keep.append(dv)
        else:
            first = str(dv.sqref).split()[0] if dv.sqref else ""
            cuts.append(Cut("list", ws.title, first, bad))
    dvs.dataValidation = keep
    return cuts


def connections(data: bytes) -> list[Cut]:
    """Data connections and web queries in the original package (never in the copy)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            info = zf.getinfo("xl/connections.xml")
        except KeyError:
            return []
        if info.file_size > 4_000_000:
            return [Cut("connection")]
        try:
            root = xml_fromstring(zf.read(info))
        except Exception:  # damaged or hostile XML: still a connection the copy drops
            return [Cut("connection")]
    cuts = []
    for conn in root:
        if not str(conn.tag).endswith("}connection"):
            continue
        name = str(conn.get("name", "") or "")
        web = next((el for el in conn if str(el.tag).endswith("}webPr")), None)
        if web is not None:
            cuts.append(Cut("web", target=str(web.get("url", "") or ""), name=name))
        else:
            cuts.append(Cut("connection", target=str(conn.get("sourceFile", "") or ""), name=name))
    return cuts or [Cut("connection")]


def describe(cut: Cut, lang: str) -> str:
    """What was done about ``cut``, in ``lang``, for the review sheet."""
    name = cut.name or cut.target or "…"
    fields = {"name": name} if cut.kind in _NAMED else {}
    what = text(f"outputs.links.{cut.kind}", lang, **fields)
    if cut.kept:
        return text(f"outputs.links.as_{cut.kept}", lang, what=what)
    return what


_NAMED = {"function", "name", "connection", "web"}
