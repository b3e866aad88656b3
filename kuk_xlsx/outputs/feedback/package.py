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
anything reaching outside the workbook (:mod:`.links` takes it out), threaded
comments, and XML its text edits could misread (CDATA, prefixes mixed with other
markup).  An earlier feedback run is undone here first (:mod:`.unmark`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.outputs.feedback.base import AUTHOR, STATE_SHEET, State, record_states
from kuk_xlsx.outputs.feedback.links import (
    outward,
    outward_name,
    safe_hyperlink,
)
from kuk_xlsx.outputs.feedback.mark import comment_text, plan_marks, wanted_validations
from kuk_xlsx.outputs.feedback.review import WIDTHS, Grid, Look, review_grid
from kuk_xlsx.outputs.feedback.undo import record_rows
from kuk_xlsx.outputs.feedback.unmark import (
    SHARED,
    earlier_run,
    restore_comments,
    restore_fills,
    shared_strings,
)
from kuk_xlsx.outputs.feedback.xmlbook import Workbook, drop_rels, drop_sheets, drop_types
from kuk_xlsx.outputs.feedback.xmlnotes import (
    cell_xml,
    comment_texts,
    comments_xml,
    new_sheet,
    vml_without,
    vml_xml,
)
from kuk_xlsx.outputs.feedback.xmlparts import REL, NotHere, Styles, _root_is, solid_fill
from kuk_xlsx.outputs.feedback.xmlsheet import SheetXml, validation_xml
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


def _notes_of(
    pkg: Parts, part: str, sx: SheetXml
) -> tuple[str, str | None, dict[str, tuple[str, str, str]], str | None, str | None]:
    """A sheet's relationships part (its path, text, entries), comments part and their
    drawing (None where the sheet has none)."""
    rels_path = rels_part_of(part)
    rels_text = pkg.text(rels_path) if rels_path in pkg.names else None
    rels = relationships(rels_text) if rels_text else {}
    folder = part.rpartition("/")[0]
    comments = next(
        (resolve(folder, t) for kind, t, _ in rels.values() if kind == _T["comments"]), None
    )
    vml_rid = sx.has_legacy_drawing()
    vml = resolve(folder, rels[vml_rid][1]) if vml_rid in rels else None
    if (comments is None) != (vml is None):
        raise NotHere("comments without their drawing")
    return rels_path, rels_text, rels, comments, vml


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


def _sheet_parts(book: Workbook, rels: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Each worksheet's name -> its part."""
    return {
        name: resolve("xl", rels[rid][1])
        for name, _state, rid in book.sheets
        if rid in rels and rels[rid][0] == _T["sheet"]
    }


def _undo_earlier(
    pkg: Parts,
    book: Workbook,
    book_rels: str,
    part_of: dict[str, str],
    styles: Styles,
    sheet: Callable[[str], SheetXml],
    tpl: Template,
) -> tuple[Workbook, str]:
    """The package with an earlier feedback run taken out (:mod:`.unmark`): its review and
    record sheets gone, its fills and comments back as they were; the workbook and its
    relationships after."""
    shared_part = next(
        (resolve("xl", t) for kind, t, _ in relationships(book_rels).values() if kind == SHARED),
        None,
    )
    strings: list[list[str]] = []

    def shared() -> list[str]:
        if not strings:
            strings.append(shared_strings(pkg.text(shared_part)) if shared_part else [])
        return strings[0]

    drop, state = earlier_run(book.sheets, part_of, pkg.text, shared, tpl)
    if not drop:
        return book, book_rels
    for name, cells in restore_fills(state, styles).items():
        if name in part_of and name not in drop:
            sheet(name).restyle(cells)
    for name, part in part_of.items():
        if name in drop:
            continue
        _, _, _, comments, vml = _notes_of(pkg, part, sheet(name))
        undone = restore_comments(pkg.text(comments), name, state) if comments else None
        if undone is not None and comments and vml:
            pkg.put(comments, undone[0])
            pkg.put(vml, vml_without(pkg.text(vml), undone[1]))
    parts, ids = set(), set()
    for name, _state, rid in book.sheets:
        if name not in drop:
            continue
        part, rels = part_of[name], rels_part_of(part_of[name])
        if rels in pkg.names:
            if any(mode != "External" for _, _, mode in relationships(pkg.text(rels)).values()):
                raise NotHere("an earlier sheet of ours with parts of its own")
            parts.add(rels)
        parts.add(part)
        ids.add(rid)
    for part in parts:
        pkg.remove(part)
    pkg.put("[Content_Types].xml", drop_types(pkg.text("[Content_Types].xml"), parts))
    return Workbook(drop_sheets(book.text, book.sheets, set(drop))), drop_rels(book_rels, ids)


def package_copy(checked: CheckedPackage, report: Report, lang: str, tpl: Template) -> bytes:
    """The feedback copy of the checked package (validated as ``report``) as bytes.

    Raises :class:`NotHere` when the file needs openpyxl's writer instead.
    """
    pkg = Parts(checked)
    _refuse_what_openpyxl_handles(pkg)
    if "xl/workbook.xml" not in pkg.names:
        raise NotHere("workbook part elsewhere")
    book = Workbook(pkg.text("xl/workbook.xml"))
    _refuse_outward(book.text, _NAME, outward_name)
    book_rels_text = pkg.text("xl/_rels/workbook.xml.rels")
    book_rels = relationships(book_rels_text)
    part_of = _sheet_parts(book, book_rels)
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

    states = {n: s for n, s, _ in book.sheets}
    ours = record_states(states)
    if any(n.startswith(STATE_SHEET) and s in ours for n, s in states.items()):
        book, book_rels_text = _undo_earlier(pkg, book, book_rels_text, part_of, styles, sheet, tpl)
        book_rels = relationships(book_rels_text)
        part_of = _sheet_parts(book, book_rels)
    visible = {n for n, s, _ in book.sheets if s == "visible" and n in part_of}

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
        rels_path, rels_text, rels, comments_part, vml_part = _notes_of(pkg, part, sx)
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
