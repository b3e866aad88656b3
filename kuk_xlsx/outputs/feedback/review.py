"""The review sheet, placed first: organisation, status, counts, a traffic light per
step, the links taken out of the copy, and the findings (each cell a link to it),
capped like the text report."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kuk_xlsx.catalogue import labels, text
from kuk_xlsx.checks.engine import Finding, Report
from kuk_xlsx.outputs.feedback.base import (
    HEADER_FILL,
    HIGHLIGHT,
    HIGHLIGHT_FONT,
    LIGHT_FILL,
    LIGHT_FONT,
    LINK_FONT,
    NOTE_FILL,
    REVIEW_SHEET,
    STATUS_LIGHT,
    put,
    sheet_ref,
)
from kuk_xlsx.outputs.feedback.links import MAX_SHOWN, Cut, describe
from kuk_xlsx.outputs.report import CAP, SEVERITY, grouped, rule_title
from kuk_xlsx.render import render
from kuk_xlsx.spec.template import Template

# Review sheet columns: step, cell, severity, message, fix (Excel width units).
WIDTHS = (26.0, 12.0, 17.0, 62.0, 50.0)


def _light(severities: Iterable[str]) -> str:
    found = set(severities)
    if "error" in found:
        return "red"
    return "amber" if found else "green"


def _lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.2), 8)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


@dataclass(frozen=True)
class Look:
    """How a review-sheet cell looks, for either writer (openpyxl's or the package's)."""

    size: float = 10
    bold: bool = False
    italic: bool = False
    colour: str | None = None  # font colour
    underline: bool = False
    fill: str | None = None
    border: bool = True
    horizontal: str | None = None  # None or "center"
    vertical: str = "top"  # "top" or "center"


@dataclass
class Grid:
    """The review sheet as cells, merges, links and page settings, before any writer."""

    name: str
    cells: dict[tuple[int, int], tuple[Any, Look]] = field(default_factory=dict)
    merges: list[tuple[int, int, int]] = field(default_factory=list)  # row, first col, last col
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # cell -> 'Sheet'!A1
    heights: dict[int, float] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)  # a page break after these rows
    title_row: int = 0  # repeated on every printed page


def review_name(lang: str, taken: Iterable[str]) -> str:
    """Our review sheet's name in ``lang``, never one of the NGO's sheets (``taken``)."""
    names = set(taken)
    name = REVIEW_SHEET.get(lang)
    base, n = name, 2
    while name in names:  # a sheet of the NGO's own with our name: never replaced
        name = f"{base} ({n})"
        n += 1
    return name


def review_grid(
    report: Report,
    lang: str,
    tpl: Template,
    lost: list[str],
    cuts: Sequence[Cut],
    sheets: Iterable[str],
    visible: set[str],
) -> Grid:
    """The review sheet's content: ``sheets`` are the workbook's sheet names (ours must
    differ), ``visible`` the ones a link may lead to."""
    grid = Grid(review_name(lang, sheets))
    plan = report.plan
    top = Look()
    centre = Look(horizontal="center", vertical="center")
    centre_top = Look(horizontal="center")
    middle = Look(vertical="center")
    normal = Look()
    bold = Look(bold=True)
    heights = grid.heights

    def write(
        row: int,
        col: int,
        value: Any,
        font: Look = normal,
        align: Look = top,
        colour: str | None = None,
        span: int = 1,
        border: bool = True,
    ) -> tuple[int, int]:
        look = replace(
            font,
            horizontal=align.horizontal,
            vertical=align.vertical,
            fill=colour,
            border=border,
        )
        grid.cells[(row, col)] = (value, look)
        if span > 1:
            grid.merges.append((row, col, col + span - 1))
            for c in range(col + 1, col + span):
                grid.cells[(row, c)] = (None, look)
        width = sum(WIDTHS[col - 1 : col - 1 + span])
        size = font.size
        line = 12.75 * size / 10
        need = _lines("" if value is None else str(value), width * 10 / size) * line + 4
        heights[row] = max(heights.get(row, 15.0), need)
        return row, col

    def link_to(at: tuple[int, int], sheet: str, ref: str) -> None:
        grid.links[at] = sheet_ref(sheet, ref)
        value, look = grid.cells[at]
        grid.cells[at] = (value, replace(look, colour=LINK_FONT, underline=True))

    t = {k: v.get(lang) for k, v in labels("outputs.review").items()}
    row = 1
    write(row, 1, t["title"], Look(size=14, bold=True), span=5, border=False)
    row += 1
    org = plan.org_name if plan is not None else ""
    write(row, 1, t["organisation"], bold, colour=HEADER_FILL)
    write(row, 2, org, bold, span=4)
    row += 1
    write(row, 1, t["file"], bold, colour=HEADER_FILL)
    write(row, 2, Path(report.file).name, span=4)
    row += 1
    status_light = STATUS_LIGHT[report.status]
    write(row, 1, t["status"], bold, colour=HEADER_FILL)
    write(
        row,
        2,
        text(f"outputs.status.{report.verdict}", lang, n=report.counts()["coaching"]),
        Look(size=11, bold=True, colour=LIGHT_FONT[status_light]),
        centre,
        LIGHT_FILL[status_light],
        span=2,
    )
    write(row, 4, text("outputs.text.counts", lang, **report.counts()), span=2)
    row += 1
    write(row, 1, t["how"], colour=NOTE_FILL, span=5)
    row += 1
    if lost:
        what = ", ".join(text(f"outputs.lost.{k}", lang) for k in dict.fromkeys(lost))
        write(row, 1, t["lost"].format(what=what), bold, colour=LIGHT_FILL["amber"], span=5)
        row += 1
    for i, sev in enumerate(("error", "warning", "coaching")):
        if i == 0:
            write(row, 1, t["colours"], bold, colour=HEADER_FILL)
        else:
            write(row, 1, "", colour=HEADER_FILL)
        write(
            row,
            2,
            SEVERITY[sev].get(lang),
            Look(bold=True, colour=HIGHLIGHT_FONT[sev]),
            centre,
            HIGHLIGHT[sev],
            span=2,
        )
        write(row, 4, t[f"legend_{sev}"], span=2)
        row += 1

    # --- a traffic light per step
    row += 1
    write(row, 1, t["steps"], Look(size=12, bold=True), span=5, border=False)
    row += 1
    header = Look(bold=True)
    write(row, 1, text("outputs.headers.step", lang), header, middle, HEADER_FILL)
    write(row, 2, t["light"], header, centre, HEADER_FILL, span=2)
    write(row, 4, t["found"], header, middle, HEADER_FILL, span=2)
    row += 1
    by_step: dict[str, list[Finding]] = {}
    order = {s.key: i for i, s in enumerate(tpl.steps)}
    for f in report.findings:
        by_step.setdefault(f.step if f.step in order else "", []).append(f)
    steps = [s.key for s in tpl.steps if plan is not None and s.key in plan.expected_steps]
    if plan is not None:
        steps += [k for k in plan.steps if k not in steps]
    if "" in by_step:
        steps.insert(0, "")
    for key in steps:
        found = by_step.get(key, [])
        light = _light(f.severity for f in found)
        sheet = _sheet_of(report, key)
        label = _step_label(report, key, lang, tpl)
        cell = write(row, 1, label)
        if sheet and sheet in visible:
            link_to(cell, sheet, "A1")
        write(
            row,
            2,
            text(f"outputs.light.{light}", lang),
            Look(bold=True, colour=LIGHT_FONT[light]),
            centre,
            LIGHT_FILL[light],
            span=2,
        )
        counts = {"error": 0, "warning": 0, "coaching": 0}
        for f in found:
            counts[f.severity] += 1
        write(row, 4, text("outputs.text.counts", lang, **counts) if found else "—", span=2)
        row += 1

    # --- the links taken out of the copy, each a warning
    if cuts:
        row += 1
        head = Look(size=12, bold=True, colour=HIGHLIGHT_FONT["warning"])
        write(row, 1, text("outputs.links.heading", lang), head, span=5, border=False)
        row += 1
        write(row, 1, text("outputs.links.note", lang), colour=LIGHT_FILL["amber"], span=5)
        row += 1
        heads = ("step", "cell", "severity")
        for col, key in enumerate(heads, start=1):
            write(row, col, text(f"outputs.headers.{key}", lang), header, middle, HEADER_FILL)
        write(row, 4, text("outputs.links.done", lang), header, middle, HEADER_FILL)
        write(row, 5, text("outputs.links.link", lang), header, middle, HEADER_FILL)
        row += 1
        warning = Look(bold=True, colour=HIGHLIGHT_FONT["warning"])
        for cut in cuts[:MAX_SHOWN]:
            cell = write(row, 1, cut.sheet or text("outputs.links.workbook_level", lang))
            if cut.sheet in visible:
                link_to(cell, cut.sheet, "A1")
            cell = write(row, 2, cut.cell)
            if cut.cell and cut.sheet in visible:
                link_to(cell, cut.sheet, cut.cell)
            severity = SEVERITY["warning"].get(lang)
            write(row, 3, severity, warning, centre_top, HIGHLIGHT["warning"])
            write(row, 4, describe(cut, lang))
            write(row, 5, cut.target[:500])
            row += 1
        if len(cuts) > MAX_SHOWN:
            more = text("outputs.text.more", lang, n=len(cuts) - MAX_SHOWN)
            write(row, 4, more, Look(italic=True), span=2)
            row += 1

    # --- the findings, capped like the text report
    row += 1
    if _starts_low(heights, row):
        grid.breaks.append(row - 1)  # title and header not alone at a page end
    write(row, 1, t["findings"], Look(size=12, bold=True), span=5, border=False)
    row += 1
    heads = [
        text(f"outputs.headers.{k}", lang) for k in ("step", "cell", "severity", "message", "fix")
    ]
    for col, head in enumerate(heads, start=1):
        write(row, col, head, header, centre if col == 3 else middle, HEADER_FILL)
    grid.title_row = row
    row += 1
    if not report.findings:
        write(row, 1, t["none"], bold, colour=LIGHT_FILL["green"], span=5)
        row += 1
    for step, shown, more in grouped(report.findings, tpl, CAP):
        label = _step_label(report, step, lang, tpl)
        for f in shown:
            message, fix = render(f, lang, tpl)
            write(row, 1, label)
            cell = write(row, 2, f.cell)
            if f.cell and f.sheet in visible:
                link_to(cell, f.sheet, f.cell.replace("$", ""))
            write(
                row,
                3,
                SEVERITY[f.severity].get(lang),
                Look(bold=True, colour=HIGHLIGHT_FONT[f.severity]),
                centre_top,
                HIGHLIGHT[f.severity],
            )
            write(row, 4, message)
            write(row, 5, fix)
            row += 1
        for code, n in more.items():
            more_text = text("outputs.text.more", lang, n=n)
            write(row, 1, label)
            write(row, 2, "")
            write(row, 3, "")
            note = t["more_rule"].format(more=more_text, title=rule_title(code, lang))
            write(row, 4, note, Look(italic=True), span=2)
            row += 1

    for r, h in heights.items():
        heights[r] = round(min(409.0, h), 1)
    heights[1] = 24
    return grid


def review_sheet(
    wb: Any,
    report: Report,
    lang: str,
    tpl: Template,
    lost: list[str],
    cuts: Sequence[Cut] = (),
) -> Any:
    """Add the review sheet first in the openpyxl workbook ``wb``; return it.

    ``lost`` are kinds of content the copy cannot carry, ``cuts`` the outward
    links taken out of it (each listed as a warning).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.pagebreak import Break

    visible = {ws.title for ws in wb.worksheets if ws.sheet_state == "visible"}
    grid = review_grid(report, lang, tpl, lost, cuts, wb.sheetnames, visible)
    ws = wb.create_sheet(grid.name, 0)
    thin = Side(style="thin", color="BFBFBF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for (row, col), (value, look) in grid.cells.items():
        cell = put(ws.cell(row=row, column=col), value)
        cell.font = Font(
            name="Calibri",
            size=look.size,
            bold=look.bold,
            italic=look.italic,
            color=look.colour,
            underline="single" if look.underline else None,
        )
        cell.alignment = Alignment(
            horizontal=look.horizontal, vertical=look.vertical, wrap_text=True
        )
        if look.fill:
            cell.fill = PatternFill("solid", fgColor=look.fill, bgColor=look.fill)
        if look.border:
            cell.border = box
    for row, first, last in grid.merges:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    for (row, col), location in grid.links.items():
        cell = ws.cell(row=row, column=col)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location)
    for row in grid.breaks:
        ws.row_breaks.append(Break(id=row))
    for r, h in grid.heights.items():
        ws.row_dimensions[r].height = h
    ws.sheet_view.showGridLines = False
    ws.print_title_rows = f"{grid.title_row}:{grid.title_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "&P / &N"
    return ws


# A4 landscape, fitted to the width of WIDTHS: how many points of rows fit on a page.
_PAGE_ROWS_PT = 440.0 / min(1.0, 784.0 / (sum(w * 7 + 5 for w in WIDTHS) * 0.75))


def _starts_low(heights: dict[int, float], row: int, need: float = 90.0) -> bool:
    """Whether a section starting at ``row`` would leave its title and first lines alone."""
    used = sum(heights.get(r, 15.0) for r in range(1, row)) % _PAGE_ROWS_PT
    return used + need > _PAGE_ROWS_PT


def _sheet_of(report: Report, step: str) -> str:
    plan = report.plan
    return plan.steps[step].sheet if plan is not None and step in plan.steps else ""


def _step_label(report: Report, step: str, lang: str, tpl: Template) -> str:
    if not step:
        return text("outputs.text.file_level", lang)
    sheet = _sheet_of(report, step)
    return sheet or tpl.step(step).sheet.get(lang)


def select_review(wb: Any, review: Any) -> None:
    """Open on the review sheet, with no other tab selected (no grouped sheets)."""
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    review.sheet_view.tabSelected = True
    wb.active = wb.worksheets.index(review)
    for view in wb.views:
        view.firstSheet = 0
        view.activeTab = wb.worksheets.index(review)
