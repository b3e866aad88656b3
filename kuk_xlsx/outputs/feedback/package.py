"""The feedback copy written into the NGO's own package, part by part.

Every part of the checked package is copied as it is; only the parts that carry a
mark are rewritten, as text, where they change (:mod:`.xmlparts`): the step sheets
with findings (a cell's style, a new cell, a dropdown the spec wants back, the
comment drawing), ``styles.xml`` (our highlight fills and the review sheet's
looks), the comments and their drawings, ``workbook.xml`` (our two sheets, the
review sheet selected, sheet-scoped names moved one place on), its relationships,
``[Content_Types].xml``, and a sheet whose tab was selected.  The review sheet and
the record sheet are new parts.  So nothing the NGO's program wrote is lost —
Excel 2010 validations, sparklines, shapes, slicers, pictures, cached values — and
the cost grows with the marks, not with the workbook.

What this writer does not do it refuses with :class:`NotHere`, and openpyxl's
writer (:mod:`.copy`) takes the file as before: macros (the copy must drop them),
anything reaching outside the workbook (:mod:`.links` takes it out), an earlier
feedback run to undo, threaded comments, and XML written with prefixes or without
cell references.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.outputs.feedback.base import AUTHOR, STATE_SHEET, State, sheet_ref
from kuk_xlsx.outputs.feedback.copy import xml_fromstring
from kuk_xlsx.outputs.feedback.links import (
    outward,
    outward_name,
    safe_hyperlink,
)
from kuk_xlsx.outputs.feedback.mark import comment_text, plan_marks, wanted_validations
from kuk_xlsx.outputs.feedback.review import WIDTHS, Grid, Look, review_grid
from kuk_xlsx.outputs.feedback.undo import record_rows
from kuk_xlsx.outputs.feedback.xmlnotes import (
    cell_xml,
    comment_texts,
    comments_xml,
    new_sheet,
    vml_xml,
)
from kuk_xlsx.outputs.feedback.xmlparts import (
    MAIN,
    REL,
    NotHere,
    SheetXml,
    Styles,
    _root_is,
    _set_attr,
    solid_fill,
    validation_xml,
)
from kuk_xlsx.outputs.feedback.zipcopy import (
    PKG_REL,
    Parts,
    relationships,
    rels_part_of,
    resolve,
)
from kuk_xlsx.package.container import CheckedPackage
from kuk_xlsx.read.a1 import cell_ref, parse_range
from kuk_xlsx.spec.template import Template

_T = {
    "sheet": f"{REL}/worksheet",
    "styles": f"{REL}/styles",
    "comments": f"{REL}/comments",
    "vml": f"{REL}/vmlDrawing",
}
_CT = {
    "sheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "comments": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
    "main": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_HANDED_ON = re.compile(
    r"(?:^|/)(?:vbaProject\.bin|externalLinks/|connections\.xml|queryTables/|threadedComments/)",
    re.I,
)
_FORMULA = re.compile(r"<(?:f|formula|formula1|formula2|xm:f)\b[^>]*>([^<]*)</", re.S)
_NAME = re.compile(r"<definedName\b[^>]*>([^<]*)</definedName>")


def _add_rel(text: str | None, rid: str, kind: str, target: str) -> str:
    rel = f'<Relationship Id="{rid}" Type="{_T[kind]}" Target="{target}"/>'
    if text is None:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL}">{rel}</Relationships>'
        )
    _root_is(text, "Relationships")
    at = text.rindex("</Relationships>")
    return text[:at] + rel + text[at:]


def _free_id(used: set[str]) -> str:
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    used.add(f"rId{n}")
    return f"rId{n}"


def _refuse_what_openpyxl_handles(pkg: Parts) -> None:
    """Files whose copy must change more than marks: openpyxl's writer takes them."""
    for name in pkg.names:
        if _HANDED_ON.search(name):
            raise NotHere(f"{name}: handled by the full writer")
        if name.endswith(".rels"):
            if "TargetMode" not in pkg.text(name):
                continue
            for _kind, target, mode in relationships(pkg.text(name)).values():
                if mode == "External" and not safe_hyperlink(target):
                    raise NotHere("an outward link")
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _refuse_outward(pkg.text(name), _FORMULA, _outward_formula)
    types = pkg.text("[Content_Types].xml")
    _root_is(types, "Types")
    if _CT["main"] not in types:
        raise NotHere("not a plain workbook (macros or a template)")


def _outward_formula(written: str) -> bool:
    return outward(written) is not None


def _refuse_outward(xml: str, found: re.Pattern[str], reaches: Callable[[str], bool]) -> None:
    """NotHere when a formula or name (each ``found`` in ``xml``) ``reaches`` outside.
    Each is read as an XML parser reads it (entities and character references); a part
    that hides text in CDATA, which the regular expressions do not see, goes to
    openpyxl, whose XML parser sees what Excel sees."""
    if "<![CDATA[" in xml:
        raise NotHere("CDATA in a part with formulas")
    for m in found.finditer(xml):
        if reaches(_unescape(m.group(1))):
            raise NotHere("a formula or name reaching outside")


_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    """XML text as its parser reads it: the five named entities and character references."""

    def one(m: re.Match[str]) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if code > 0x10FFFF:
            raise NotHere("a character reference out of range")
        return chr(code)

    return _ENTITY.sub(one, text)


class _Workbook:
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


def _add_types(text: str, parts: dict[str, str], vml: bool) -> str:
    """``[Content_Types].xml`` naming our new parts (part -> kind)."""
    add = "".join(
        f'<Override PartName="/{part}" ContentType="{_CT[kind]}"/>' for part, kind in parts.items()
    )
    if vml and not re.search(r'<Default\b[^>]*Extension="vml"', text, re.I):
        add = f'<Default Extension="vml" ContentType="{_CT["vml"]}"/>' + add
    at = text.rindex("</Types>")
    return text[:at] + add + text[at:]


# --- the review and record sheets as XML ---------------------------------------------------

_BOX = (
    "<border>"
    + "".join(
        f'<{s} style="thin"><color rgb="FFBFBFBF"/></{s}>'
        for s in ("left", "right", "top", "bottom")
    )
    + "<diagonal/></border>"
)
_PAGE = (
    '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddFooter>&amp;L&amp;A&amp;R&amp;P / &amp;N</oddFooter></headerFooter>"
)


def _look_style(styles: Styles, look: Look) -> int:
    font = "<font>" + ("<b/>" if look.bold else "") + ("<i/>" if look.italic else "")
    font += "<u/>" if look.underline else ""
    font += f'<sz val="{look.size:g}"/>'
    font += f'<color rgb="FF{look.colour}"/>' if look.colour else ""
    font += '<name val="Calibri"/><family val="2"/></font>'
    align = "<alignment"
    align += f' horizontal="{look.horizontal}"' if look.horizontal else ""
    align += f' vertical="{look.vertical}" wrapText="1"/>'
    fill = solid_fill(look.fill) if look.fill else None
    return styles.format(font, fill, _BOX if look.border else None, align)


def _review_xml(grid: Grid, styles: Styles) -> str:
    memo: dict[Look, int] = {}
    rows: dict[int, list[str]] = {}
    for (r, c), (value, look) in sorted(grid.cells.items()):
        if look not in memo:
            memo[look] = _look_style(styles, look)
        rows.setdefault(r, []).append(cell_xml(r, c, value, memo[look]))
    return new_sheet(
        rows,
        heights=grid.heights,
        widths=WIDTHS,
        selected=True,
        grid_lines=False,
        merges=[f"{cell_ref(r - 1, a - 1)}:{cell_ref(r - 1, b - 1)}" for r, a, b in grid.merges],
        links={cell_ref(r - 1, c - 1): loc for (r, c), loc in grid.links.items()},
        page=_PAGE,
        breaks=grid.breaks,
    )


def _record_xml(review: str, state: State) -> str:
    """The very hidden record of this run as a sheet of ours (rows from :mod:`.undo`)."""
    table = record_rows(review, state)
    rows = {
        r: [cell_xml(r, c, v, 0) for c, v in enumerate(values, start=1) if v]
        for r, values in enumerate(table, start=1)
    }
    return new_sheet(rows)


# --- the copy --------------------------------------------------------------------------------


def package_copy(checked: CheckedPackage, report: Report, lang: str, tpl: Template) -> bytes:
    """The feedback copy of the checked package (validated as ``report``) as bytes.

    Raises :class:`NotHere` when the file needs openpyxl's writer instead.
    """
    pkg = Parts(checked)
    _refuse_what_openpyxl_handles(pkg)
    if "xl/workbook.xml" not in pkg.names:
        raise NotHere("workbook part elsewhere")
    book = _Workbook(pkg.text("xl/workbook.xml"))
    _refuse_outward(book.text, _NAME, outward_name)
    if any(n.startswith(STATE_SHEET) and s == "veryHidden" for n, s, _ in book.sheets):
        raise NotHere("an earlier feedback copy to undo")
    book_rels_text = pkg.text("xl/_rels/workbook.xml.rels")
    book_rels = relationships(book_rels_text)
    part_of = {
        name: resolve("xl", book_rels[rid][1])
        for name, _state, rid in book.sheets
        if rid in book_rels and book_rels[rid][0] == _T["sheet"]
    }
    visible = {n for n, s, _ in book.sheets if s == "visible" and n in part_of}
    styles_part = next(
        (resolve("xl", t) for kind, t, _ in book_rels.values() if kind == _T["styles"]), None
    )
    if styles_part is None:
        raise NotHere("no styles")
    styles = Styles(pkg.text(styles_part))
    sheets: dict[str, SheetXml] = {}

    def sheet(name: str) -> SheetXml:
        if name not in sheets:
            sheets[name] = SheetXml(pkg.text(part_of[name]))
        return sheets[name]

    marks = plan_marks(report.findings, lang, tpl, visible, lambda s: sheet(s).merged())

    # dropdowns the spec wants where another program dropped them
    wanted: dict[str, list[str]] = {}
    for name, ref, rule in wanted_validations(tpl, report, book.names):
        if name not in part_of:
            continue
        got = parse_range(ref.split(":")[0])
        assert got is not None
        r, c = got[0], got[1]
        if any(a <= r <= b and x <= c <= y for a, x, b, y in sheet(name).validated()):
            continue
        wanted.setdefault(name, []).append(validation_xml(ref, rule))
    for name, items in wanted.items():
        sheet(name).add_validations(items)

    # fills
    state = State([], [])
    by_sheet: dict[str, dict[tuple[int, int], Callable[[int], int]]] = {}
    colours: dict[tuple[str, int, int], str] = {}
    for (name, r, c), colour in marks.fills.items():
        fill = solid_fill(colour)
        by_sheet.setdefault(name, {})[(r, c)] = lambda old, fill=fill: styles.with_fill(old, fill)
        colours[(name, r, c)] = colour
    for name, cells in by_sheet.items():
        before = sheet(name).restyle(cells)
        for (r, c), old in sorted(before.items()):
            colour = colours[(name, r, c)]
            state.fills.append((name, cell_ref(r - 1, c - 1), styles.fill_of(old), colour))

    # comments, beside any the sheet had
    new_types: dict[str, str] = {}
    vml_added = False
    notes: dict[str, dict[tuple[int, int], str]] = {}
    for (name, r, c), ours in marks.notes.items():
        notes.setdefault(name, {})[(r, c)] = ours
    idmap = 1 + max(
        [
            int(n)
            for p in pkg.names
            if p.endswith(".vml")
            for n in re.findall(r'<o:idmap\b[^>]*data="(\d+)', pkg.text(p))
        ]
        or [0]
    )
    for name, cells in notes.items():
        part = part_of[name]
        sx = sheet(name)
        rels_path = rels_part_of(part)
        rels_text = pkg.text(rels_path) if rels_path in pkg.names else None
        rels = relationships(rels_text) if rels_text else {}
        folder = part.rpartition("/")[0]
        comments_part = next(
            (resolve(folder, t) for kind, t, _ in rels.values() if kind == _T["comments"]), None
        )
        vml_rid = sx.has_legacy_drawing()
        vml_part = resolve(folder, rels[vml_rid][1]) if vml_rid in rels else None
        if (comments_part is None) != (vml_part is None):
            raise NotHere("comments without their drawing")
        old = comment_texts(pkg.text(comments_part)) if comments_part else {}
        texts: dict[str, str] = {}
        boxes: dict[tuple[int, int], tuple[int, int]] = {}
        for (r, c), ours in sorted(cells.items()):
            ref = cell_ref(r - 1, c - 1)
            before, author = old.get(ref, ("", ""))
            state.comments.append((name, ref, before, author))
            body, width, height = comment_text(ours, before)
            texts[ref] = body
            boxes[(r, c)] = (width, height)
        if comments_part is None or vml_part is None:
            comments_part = pkg.free("xl/comments%d.xml")
            vml_part = pkg.free("xl/drawings/vmlDrawing%d.vml")
            used = set(rels)
            c_id, v_id = _free_id(used), _free_id(used)
            rels_text = _add_rel(rels_text, c_id, "comments", "../" + comments_part[3:])
            rels_text = _add_rel(rels_text, v_id, "vml", "../" + vml_part[3:])
            pkg.put(rels_path, rels_text)
            sx.add_legacy_drawing(v_id)
            new_types[comments_part] = "comments"
            vml_added = True
            pkg.put(comments_part, comments_xml(None, texts, AUTHOR))
            pkg.put(vml_part, vml_xml(None, boxes, idmap))
            idmap += 1
        else:
            pkg.put(comments_part, comments_xml(pkg.text(comments_part), texts, AUTHOR))
            pkg.put(vml_part, vml_xml(pkg.text(vml_part), boxes, idmap))

    # only our review sheet selected
    for name, part in part_of.items():
        if name in sheets or "tabSelected" in pkg.text(part):
            sx = sheet(name)
            changed = sx.unselect()
            if changed or sx.text != pkg.text(part):
                pkg.put(part, sx.text)

    # the review and record sheets
    grid = review_grid(report, lang, tpl, [], [], [n for n, _, _ in book.sheets], visible)
    review_part = pkg.free("xl/worksheets/sheet%d.xml")
    record_part = pkg.free("xl/worksheets/sheet%d.xml")
    pkg.put(review_part, _review_xml(grid, styles))
    pkg.put(record_part, _record_xml(grid.name, state))
    new_types[review_part] = "sheet"
    new_types[record_part] = "sheet"
    used = set(book_rels)
    review_id, record_id = _free_id(used), _free_id(used)
    rels_text = _add_rel(book_rels_text, review_id, "sheet", review_part[3:])
    pkg.put("xl/_rels/workbook.xml.rels", _add_rel(rels_text, record_id, "sheet", record_part[3:]))
    record_name = STATE_SHEET
    n = 2
    while record_name in part_of:  # an NGO's own visible sheet called _feedback stays
        record_name = f"{STATE_SHEET}{n}"
        n += 1
    pkg.put(
        "xl/workbook.xml",
        book.add_sheets((grid.name, review_id), (record_name, record_id), grid.title_row),
    )
    new_styles = styles.result()
    if new_styles is not None:
        pkg.put(styles_part, new_styles)
    pkg.put(
        "[Content_Types].xml", _add_types(pkg.text("[Content_Types].xml"), new_types, vml_added)
    )
    return pkg.zip()
