"""Feedback copies: the NGO's own workbook with every finding marked inside it.

:func:`write_feedback` writes a copy of a validated workbook (never touching the
original) in which

* every offending cell is filled by severity and carries a comment with the
  message and the how-to-fix line in the language asked for;
* a review sheet, placed first, shows the organisation, the status, the counts, a
  traffic light per step and the findings (each cell a link to it), capped like
  the text report;
* everything the NGO needs to go on filling it in is kept: dropdowns, formulas
  and their last computed values, defined names, the hidden ``_lists`` and
  ``_meta`` sheets, conditional formats.  Macros are never kept (the copy of an
  ``.xlsm`` is an ``.xlsx``).

Running it again on a feedback copy does not stack: a very hidden sheet
``_feedback`` records which cells were coloured (with their original fill) and
which comments were written (with the comment that was there before), and both
are put back before the new feedback goes in.

openpyxl is imported here only.  It keeps validations, conditional formats, names,
comments, merged cells, links, print setup, pictures and charts; it drops cached
formula results (put back here from the original's XML, so the reader sees the
same totals), comment box sizes, drawn shapes and text boxes, form controls and
Excel 2010 extensions (sparklines, slicers, extended validations and formats).
Dropdowns missing from a spec column (lost that way, or by another program) are
rebuilt from the spec; the other losses are named on the review sheet.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kuk_xlsx.checks.engine import Finding, Report, render
from kuk_xlsx.outputs.report import CAP, MARK, REPORT_HEADERS, SEVERITY, TEXT, grouped, rule_title
from kuk_xlsx.package.preflight import ReadError, check_package
from kuk_xlsx.spec.template import (
    LANGS,
    LISTS_SHEET,
    META_SHEET,
    Column,
    Label,
    Template,
    column_name,
    list_name,
    load_template,
)
from kuk_xlsx.write.safe import OutputError, atomic_path, clean_text

AUTHOR = "kuk_xlsx"
STATE_SHEET = "_feedback"
STATE_VERSION = "1"
COMMENT_MARK = "kuk_xlsx ·"  # first words of every comment we write
COMMENT_SEPARATOR = "\n\n— — —\n"  # between our feedback and a comment that was there
MAX_RANGE_CELLS = 2_000  # a range finding colours at most this many cells

REVIEW_SHEET = Label(kk="Кері байланыс", ru="Обратная связь", en="Feedback")

# Fills in the step sheets (light, so the NGO's text stays readable) and the
# matching dark font for the same colour used as a label on the review sheet.
HIGHLIGHT = {"error": "FFB3B3", "warning": "FFD08A", "coaching": "BDD7EE"}
HIGHLIGHT_FONT = {"error": "9C0006", "warning": "7F4F00", "coaching": "1F4E78"}
LIGHT_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}
LIGHT_FONT = {"green": "006100", "amber": "9C5700", "red": "9C0006"}
HEADER_FILL = "D9E1F2"
NOTE_FILL = "DDEBF7"
LINK_FONT = "0563C1"
SEVERITY_RANK = {"error": 0, "warning": 1, "coaching": 2}

TEXT_FB = {
    "title": Label(
        kk="Жұмыс дәптері бойынша кері байланыс",
        ru="Обратная связь по рабочей тетради",
        en="Feedback on your workbook",
    ),
    "organisation": Label(kk="Ұйым", ru="Организация", en="Organisation"),
    "file": Label(kk="Файл", ru="Файл", en="File"),
    "status": Label(kk="Қорытынды", ru="Итог", en="Status"),
    "counts": Label(kk="Саны", ru="Всего", en="Counts"),
    "how": Label(
        kk=(
            "Ескерту бар ұяшықтар парақтарда боялған, әр ұяшықта түсініктеме бар: "
            "меңзерді ұяшықтың үстіне апарып оқыңыз. Төмендегі ұяшық мекенжайын басып, "
            "сол ұяшыққа өтіңіз. Осы көшірмені толтыруды жалғастыруға болады: тізімдер мен "
            "формулалар сақталған; келесі тексеруде түзетілген ұяшықтардың түсі кетеді."
        ),
        ru=(
            "Ячейки с замечаниями закрашены на листах, у каждой есть примечание: наведите на "
            "ячейку курсор, чтобы прочитать его. Нажмите на адрес ячейки ниже, чтобы перейти к "
            "ней. В этой копии можно продолжать работу: списки и формулы сохранены; при "
            "следующей проверке цвет исправленных ячеек исчезнет."
        ),
        en=(
            "Cells with findings are coloured on the sheets and carry a comment: point at the "
            "cell to read it. Click a cell address below to go to that cell. You can go on "
            "filling in this copy: the dropdowns and formulas are kept, and the colours of "
            "fixed cells go away at the next check."
        ),
    ),
    "colours": Label(kk="Түстер", ru="Цвета", en="Colours"),
    "legend_error": Label(
        kk="Түзету керек: жұмыс дәптері онсыз қабылданбайды.",
        ru="Нужно исправить: без этого тетрадь не принимается.",
        en="Must be fixed before the workbook is accepted.",
    ),
    "legend_warning": Label(
        kk="Тексеріңіз: бәлкім дұрыс шығар, бірақ қайта қараңыз.",
        ru="Проверьте: возможно, всё верно, но посмотрите ещё раз.",
        en="Check it: it may be right, but look again.",
    ),
    "legend_coaching": Label(
        kk="Кеңес: жоспарды күшейту үшін.",
        ru="Совет: как сделать план сильнее.",
        en="Advice to make the plan stronger.",
    ),
    "steps": Label(kk="Қадамдар", ru="Шаги", en="Steps"),
    "light": Label(kk="Бағдаршам", ru="Светофор", en="Traffic light"),
    "found": Label(kk="Табылғаны", ru="Найдено", en="Found"),
    "findings": Label(kk="Ескертулер", ru="Замечания", en="Findings"),
    "none": Label(
        kk="Ескерту жоқ — жарайсыз!",
        ru="Замечаний нет — отлично!",
        en="No findings — well done!",
    ),
    "more_rule": Label(
        kk="{more} — «{title}»; олар да парақтарда боялған",
        ru="{more} — «{title}»; они тоже закрашены на листах",
        en="{more} — “{title}”; they are coloured on the sheets too",
    ),
    "lost": Label(
        kk="Бұл көшірмеде жоқ: {what}. Олар өз файлыңызда сақталған.",
        ru="В этой копии нет: {what}. В вашем исходном файле они сохранены.",
        en="Not in this copy: {what}. They are still in your own file.",
    ),
}
STATUS_WORDS = {
    "OK": Label(kk="✓ Дұрыс", ru="✓ Без замечаний", en="✓ OK"),
    "WARNINGS": Label(kk="! Ескертулер бар", ru="! Есть предупреждения", en="! Warnings"),
    "ERRORS": Label(kk="✗ Қателер бар", ru="✗ Есть ошибки", en="✗ Errors"),
    "UNREADABLE": Label(kk="✗ Оқылмады", ru="✗ Не прочитан", en="✗ Unreadable"),
}
STATUS_LIGHT = {"OK": "green", "WARNINGS": "amber", "ERRORS": "red", "UNREADABLE": "red"}
LIGHT_WORDS = {
    "green": Label(kk="✓ Дұрыс", ru="✓ Хорошо", en="✓ Good"),
    "amber": Label(kk="! Тексеріңіз", ru="! Проверьте", en="! Check"),
    "red": Label(kk="✗ Түзетіңіз", ru="✗ Исправьте", en="✗ Fix"),
}
LOST_WORDS = {
    "macros": Label(kk="макростар", ru="макросы", en="macros"),
    "shapes": Label(
        kk="фигуралар мен мәтін өрістері", ru="фигуры и надписи", en="shapes and text boxes"
    ),
    "controls": Label(kk="басқару элементтері", ru="элементы управления", en="form controls"),
    "pictures": Label(kk="суреттер", ru="рисунки", en="pictures"),
    "charts": Label(kk="кейбір диаграммалар", ru="некоторые диаграммы", en="some charts"),
    "extensions": Label(
        kk="Excel-дің қосымша мүмкіндіктері (шағын диаграммалар, кесінділер)",
        ru="дополнительные возможности Excel (спарклайны, срезы)",
        en="Excel extras (sparklines, slicers)",
    ),
}

# Review sheet columns: step, cell, severity, message, fix (Excel width units).
WIDTHS = (26.0, 12.0, 17.0, 62.0, 50.0)


# --- the public function ------------------------------------------------------------


def feedback_path(report: Report, out_dir: Path | str) -> Path:
    """Where the feedback copy of ``report.file`` goes when it is the only input: same name, .xlsx."""
    return Path(out_dir) / _copy_name(Path(report.file))


def _copy_name(src: Path) -> str:
    return src.name if src.suffix.lower() == ".xlsx" else f"{src.stem}.xlsx"


def feedback_targets(inputs: Sequence[Path], out_dir: Path | str) -> dict[Path, Path]:
    """Each input's own feedback copy in ``out_dir``: never one path for two inputs.

    A name no other input has keeps it (``plan.xlsm`` → ``plan.xlsx``).  Inputs
    whose copies would share a name (``a/plan.xlsx`` and ``b/plan.xlsx``, or
    ``x.xlsx`` and ``x.xlsm``; compared as Windows does, ignoring case) keep
    their folders below the deepest folder they share, and a file that is not
    .xlsx keeps its old extension in the name: ``a/plan.xlsx``,
    ``b/plan.xlsx``, ``x.xlsm.xlsx``.  Raises :class:`OutputError` when a copy
    would land on an input file (a feedback folder inside the inputs).
    """
    out = Path(out_dir)
    groups: dict[str, list[Path]] = {}
    for src in inputs:
        groups.setdefault(_copy_name(src).casefold(), []).append(src)
    targets: dict[Path, Path] = {}
    for group in groups.values():
        if len(group) == 1:
            targets[group[0]] = out / _copy_name(group[0])
            continue
        folders = [src.resolve().parent for src in group]
        common = Path(os.path.commonpath(folders))
        for src, folder in zip(group, folders, strict=True):
            name = src.name if src.suffix.lower() == ".xlsx" else f"{src.name}.xlsx"
            targets[src] = out / folder.relative_to(common) / name
    seen: dict[str, Path] = {}
    for src, target in targets.items():
        key = str(target.resolve()).casefold()
        if key in seen:  # x.xlsm.xlsx beside an input literally named so: keep both
            target = target.with_name(f"{target.stem}-{len(seen)}.xlsx")
            targets[src] = target
            key = str(target.resolve()).casefold()
        seen[key] = src
    originals = {str(src.resolve()).casefold(): src for src in inputs}
    for src, target in targets.items():
        hit = originals.get(str(target.resolve()).casefold())
        if hit is not None:
            raise OutputError("outputs.feedback.over_input", path=target, src=src, input=hit)
    return targets


def write_feedback(
    report: Report,
    out_dir: Path | str,
    lang: str,
    template: Template | None = None,
    target: Path | None = None,
) -> Path:
    """Write a copy of the validated workbook with the feedback inside; return its path.

    The copy has the original's file name (an ``.xlsm`` becomes ``.xlsx``: macros
    are never kept) and is written atomically; the original is only read.  Raises
    :class:`OutputError` when the copy cannot be written (the original is
    unreadable, gone, or the target is the original itself or is locked).
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    tpl = template or load_template()
    src = Path(report.file)
    if report.plan is None:
        raise OutputError("outputs.feedback.unreadable", path=src)
    target = target or feedback_path(report, out_dir)
    if target.resolve() == src.resolve():
        raise OutputError("outputs.feedback.itself", path=target)
    if target.exists() and not _is_feedback_copy(target):
        raise OutputError("outputs.feedback.exists", path=target)
    try:
        data = src.read_bytes()
        check_package(data, str(src)).close()
    except OSError as exc:
        raise OutputError(
            "outputs.feedback.cannot_read", path=src, why=exc.strerror or exc
        ) from None
    except ReadError as exc:
        raise OutputError(
            "outputs.feedback.problem", path=src, why=exc.problem.message(lang)
        ) from None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = _load(data, src)
        lost = _package_losses(data)
        lost += _load_losses(str(w.message) for w in caught)
        _undo_previous(wb, tpl)
        _rebuild_validations(wb, tpl, report)
        state = _mark_cells(wb, report.findings, lang, tpl)
        review = _review_sheet(wb, report, lang, tpl, lost)
        _state_sheet(wb, review.title, state)
        _select(wb, review)
        buffer = io.BytesIO()
        try:
            wb.save(buffer)
        except Exception as exc:  # a feature openpyxl read but cannot write back
            raise OutputError("outputs.feedback.cannot_write", path=src, why=exc) from None
    out = _restore_cached_values(buffer.getvalue(), data)
    with atomic_path(target) as tmp:
        tmp.write_bytes(out)
    return target


def _is_feedback_copy(path: Path) -> bool:
    """Whether ``path`` is a feedback copy we wrote (it holds our very hidden record sheet).

    Only such a file is replaced by a new copy: anything else already in the
    feedback folder (an NGO's original, a trainer's own file) is never overwritten.
    """
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 4_000_000:
                return False
            root = fromstring(zf.read(info))
    except Exception:  # not a zip, no workbook part, damaged or hostile XML: not ours
        return False
    return any(
        el.tag.endswith("}sheet")
        and str(el.get("name", "")).startswith(STATE_SHEET)
        and el.get("state") == "veryHidden"
        for el in root.iter()
    )


def _load(data: bytes, src: Path) -> Any:
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


# --- inert writing -----------------------------------------------------------------


def put(cell: Any, value: Any) -> Any:
    """Set a cell so that text never becomes a formula, a link or a number."""
    if value is None or value == "":
        cell.value = None
        return cell
    if isinstance(value, bool | int | float):
        cell.value = value
        return cell
    text, _cut = clean_text(str(value))
    cell.value = text
    cell.data_type = "s"
    return cell


def sheet_ref(sheet: str, ref: str = "A1") -> str:
    """``'Sheet name'!B7`` (quotes doubled inside), as an internal link's location."""
    return "'" + sheet.replace("'", "''") + "'!" + ref


# --- what openpyxl cannot copy ---------------------------------------------------------

_SHAPE = re.compile(rb"<(?:\w+:)?(?:sp|cxnSp|grpSp)[\s>]")


def _package_losses(data: bytes) -> list[str]:
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


def _load_losses(messages: Iterable[str]) -> list[str]:
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


# --- undoing an earlier feedback ------------------------------------------------------


@dataclass
class _State:
    """What one feedback run changed, so the next run can put it back."""

    fills: list[tuple[str, str, str, str]]  # sheet, cell, original fill XML, our colour
    comments: list[tuple[str, str, str, str]]  # sheet, cell, original text, original author


def _state_sheets(wb: Any) -> list[Any]:
    """Our record sheets: very hidden, headed as we head them; an NGO's own sheet
    that happens to be called ``_feedback`` is theirs and stays untouched."""
    found = []
    for ws in wb.worksheets:
        if ws.sheet_state != "veryHidden" or not ws.title.startswith(STATE_SHEET):
            continue
        head = [c.value for c in next(ws.iter_rows(min_row=1, max_row=2, max_col=2), ())]
        second = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2, max_col=1), ())]
        if head[:1] == ["kind"] and second == ["version"]:
            found.append(ws)
    return found


def _read_state(wb: Any, keep: set[str]) -> tuple[list[str], _State]:
    """What earlier feedback runs wrote; ``keep`` names sheets never to be taken as a review."""
    state = _State([], [])
    reviews: list[str] = []
    ours = {label for label in REVIEW_SHEET.all()}
    for ws in _state_sheets(wb):
        for row in ws.iter_rows(min_row=2, values_only=True):
            kind, *rest = [("" if v is None else str(v)) for v in (*row, "", "", "", "")][:5]
            if kind == "review" and rest[0] in ours and rest[0] not in keep:
                reviews.append(rest[0])
            elif kind == "fill":
                state.fills.append((rest[0], rest[1], rest[2], rest[3]))
            elif kind == "comment":
                state.comments.append((rest[0], rest[1], rest[2], rest[3]))
    return reviews, state


def _is_ours(comment: Any) -> bool:
    return (
        comment is not None
        and comment.author == AUTHOR
        and str(comment.text).startswith(COMMENT_MARK)
    )


def _undo_previous(wb: Any, tpl: Template) -> None:
    """Remove an earlier review sheet, our comments and colours; put back what was there."""
    from openpyxl.comments import Comment
    from openpyxl.styles.fills import Fill
    from openpyxl.xml.functions import fromstring

    reviews, state = _read_state(wb, _template_sheets(tpl))
    for name in reviews:
        if name in wb.sheetnames:
            del wb[name]
    for ws in _state_sheets(wb):
        del wb[ws.title]
    for sheet, ref, xml, ours in state.fills:
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        now = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fgColor else None
        if not isinstance(now, str) or now[-6:].upper() != ours.upper():
            continue  # the NGO recoloured it since: theirs stays
        try:
            original = Fill.from_tree(fromstring(xml)) if xml else None
        except Exception:
            original = None
        cell.fill = original if original is not None else Fill.from_tree(_no_fill())
    originals = {(s, r): (text, author) for s, r, text, author in state.comments}
    for ws in wb.worksheets:
        for (sheet, ref), (text, author) in _our_comments(ws, originals):
            cell = ws[ref]
            if (sheet, ref) in originals:
                cell.comment = Comment(text, author) if text else None
            else:
                # no record (the state sheet was lost): keep what followed our part
                _, sep, rest = str(cell.comment.text).partition(COMMENT_SEPARATOR)
                cell.comment = Comment(rest, "") if sep and rest else None


def _template_sheets(tpl: Template) -> set[str]:
    """Every sheet name the template gives a step, in any language, and its own sheets."""
    names = {META_SHEET, LISTS_SHEET}
    for step in tpl.steps:
        names.update(step.sheet.all())
    return names


def _our_comments(
    ws: Any, originals: dict[tuple[str, str], tuple[str, str]]
) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
    found = [
        c.coordinate
        for row in ws.iter_rows()
        for c in row
        if getattr(c, "comment", None) is not None and _is_ours(c.comment)
    ]
    for ref in found:
        yield (ws.title, ref), originals.get((ws.title, ref), ("", ""))


def _no_fill() -> Any:
    from openpyxl.xml.functions import fromstring

    return fromstring(
        '<fill xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<patternFill patternType="none"/></fill>'
    )


# --- dropdowns rebuilt from the spec ------------------------------------------------


def _rebuild_validations(wb: Any, tpl: Template, report: Report) -> int:
    """Add the spec's dropdown or check to any spec column that has none; return how many."""
    plan = report.plan
    if plan is None:
        return 0
    names = {n.lower(): dn for n, dn in wb.defined_names.items()}
    added = 0
    for step in tpl.steps:
        if step.key not in plan.steps:
            continue
        for blk in step.blocks:
            for col in blk.columns:
                dn = names.get(column_name(step.key, blk.key, col.key).lower())
                if dn is None:
                    continue
                dv = _validation(col, tpl, names)
                if dv is None:
                    continue
                for sheet, ref in _destinations(dn):
                    if sheet not in wb.sheetnames:
                        continue
                    ws = wb[sheet]
                    first = ref.replace("$", "").split(":")[0]
                    if any(first in v.sqref for v in ws.data_validations.dataValidation):
                        continue
                    dv.add(ref.replace("$", ""))
                    ws.add_data_validation(dv)
                    added += 1
    return added


def _destinations(dn: Any) -> list[tuple[str, str]]:
    try:
        return list(dn.destinations)
    except Exception:
        return []


def _validation(col: Column, tpl: Template, names: dict[str, Any]) -> Any:
    """The data validation ``build`` gives a column of this type, as openpyxl's object."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.type == "choice" and col.choices:
        return DataValidation("list", formula1=list_name(col.choices), allow_blank=True)
    if col.type == "yes_no":
        return DataValidation("list", formula1=list_name("yes_no"), allow_blank=True)
    warn = {"allow_blank": True, "errorStyle": "warning"}
    if col.type == "ref" and col.ref:
        source = column_name(*col.ref.split("."))
        if source.lower() not in names:
            return None
        return DataValidation("list", formula1=source, **warn)
    if col.type == "months":
        return DataValidation("list", formula1='"x"', **warn)
    if col.type in ("number", "money"):
        return DataValidation("decimal", operator="greaterThanOrEqual", formula1="0", **warn)
    if col.type == "percent":
        return DataValidation("decimal", operator="between", formula1="0", formula2="1", **warn)
    if col.type == "date":
        return DataValidation("date", operator="greaterThan", formula1="32874", **warn)
    return None


# --- colours and comments in the step sheets -------------------------------------------


def _cells_of(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of ``B7`` or ``A5:C13``; None for anything else."""
    from openpyxl.utils.cell import range_boundaries

    try:
        c0, r0, c1, r1 = range_boundaries(ref.replace("$", "").strip())
    except (ValueError, TypeError):
        return None
    if None in (c0, r0, c1, r1):
        return None
    return c0, r0, c1, r1


def _anchor(ws: Any, row: int, col: int) -> tuple[int, int]:
    """The cell that shows a merged area (its top-left), or the cell itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _worst(severities: Iterable[str]) -> str:
    return min(severities, key=lambda s: SEVERITY_RANK[s])


def _mark_cells(wb: Any, findings: list[Finding], lang: str, tpl: Template) -> _State:
    """Fill every offending cell by its worst finding and comment on it; return the record."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.xml.functions import tostring

    severity_at: dict[tuple[str, int, int], list[str]] = {}
    notes: dict[tuple[str, int, int], list[Finding]] = {}
    for f in findings:
        if not f.sheet or not f.cell or f.sheet not in wb.sheetnames:
            continue
        ws = wb[f.sheet]
        if ws.sheet_state != "visible":
            continue
        bounds = _cells_of(f.cell)
        if bounds is None:
            continue
        c0, r0, c1, r1 = bounds
        row, col = _anchor(ws, r0, c0)
        notes.setdefault((f.sheet, row, col), []).append(f)
        count = 0
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if count >= MAX_RANGE_CELLS:
                    break
                severity_at.setdefault((f.sheet, r, c), []).append(f.severity)
                count += 1

    state = _State([], [])
    for (sheet, r, c), severities in severity_at.items():
        cell = wb[sheet].cell(row=r, column=c)
        colour = HIGHLIGHT[_worst(severities)]
        original = tostring(cell.fill.to_tree()).decode() if cell.fill is not None else ""
        state.fills.append((sheet, f"{get_column_letter(c)}{r}", original, colour))
        cell.fill = PatternFill("solid", fgColor=colour, bgColor=colour)

    head = f"{COMMENT_MARK} {REVIEW_SHEET.get(lang)}"
    for (sheet, r, c), found in notes.items():
        cell = wb[sheet].cell(row=r, column=c)
        found = sorted(found, key=lambda f: SEVERITY_RANK[f.severity])
        parts = [head]
        for f in found:
            message, fix = render(f, lang, tpl)
            word = SEVERITY[f.severity].get(lang)
            parts.append(f"{MARK[f.severity]} {word}: {message}\n→ {fix}")
        text = "\n\n".join(parts)
        before = cell.comment
        if before is not None:
            state.comments.append(
                (sheet, cell.coordinate, str(before.text), str(before.author or ""))
            )
            text += COMMENT_SEPARATOR + str(before.text)
        else:
            state.comments.append((sheet, cell.coordinate, "", ""))
        text, _cut = clean_text(text)
        width, height = _comment_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return state


def _comment_size(text: str, width: int = 320) -> tuple[int, int]:
    """(width, height) in pixels for a comment box that shows ``text`` whole."""
    per_line = 46  # characters of 9 pt text in 320 px
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return width, min(800, 16 * lines + 12)


# --- the review sheet ----------------------------------------------------------------


def _light(severities: Iterable[str]) -> str:
    found = set(severities)
    if "error" in found:
        return "red"
    return "amber" if found else "green"


def _lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.2), 8)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _review_sheet(wb: Any, report: Report, lang: str, tpl: Template, lost: list[str]) -> Any:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.pagebreak import Break

    name = REVIEW_SHEET.get(lang)
    base, n = name, 2
    while name in wb.sheetnames:  # a sheet of the NGO's own with our name: never replaced
        name = f"{base} ({n})"
        n += 1
    ws = wb.create_sheet(name, 0)
    plan = report.plan
    thin = Side(style="thin", color="BFBFBF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    centre_top = Alignment(horizontal="center", vertical="top", wrap_text=True)
    middle = Alignment(vertical="center", wrap_text=True)
    normal = Font(name="Calibri", size=10)
    bold = Font(name="Calibri", size=10, bold=True)
    link = Font(name="Calibri", size=10, color=LINK_FONT, underline="single")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    heights: dict[int, float] = {}

    def fill(colour: str) -> PatternFill:
        return PatternFill("solid", fgColor=colour, bgColor=colour)

    def write(
        row: int,
        col: int,
        value: Any,
        font: Font = normal,
        align: Alignment = top,
        colour: str | None = None,
        span: int = 1,
        border: bool = True,
    ) -> Any:
        cell = put(ws.cell(row=row, column=col), value)
        cell.font = font
        cell.alignment = align
        if colour:
            cell.fill = fill(colour)
        if span > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
        for c in range(col, col + span):
            if border:
                ws.cell(row=row, column=c).border = box
            if colour and c > col:
                ws.cell(row=row, column=c).fill = fill(colour)
        width = sum(WIDTHS[col - 1 : col - 1 + span])
        size = font.size or 10
        line = 12.75 * size / 10
        need = _lines("" if value is None else str(value), width * 10 / size) * line + 4
        heights[row] = max(heights.get(row, 15.0), need)
        return cell

    def link_to(cell: Any, sheet: str, ref: str) -> None:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=sheet_ref(sheet, ref))
        cell.font = link

    t = {k: v.get(lang) for k, v in TEXT_FB.items()}
    row = 1
    write(row, 1, t["title"], Font(name="Calibri", size=14, bold=True), span=5, border=False)
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
        STATUS_WORDS[report.status].get(lang),
        Font(name="Calibri", size=11, bold=True, color=LIGHT_FONT[status_light]),
        centre,
        LIGHT_FILL[status_light],
        span=2,
    )
    write(row, 4, TEXT["counts"].get(lang).format(**report.counts()), span=2)
    row += 1
    write(row, 1, t["how"], colour=NOTE_FILL, span=5)
    row += 1
    if lost:
        what = ", ".join(LOST_WORDS[k].get(lang) for k in dict.fromkeys(lost))
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
            Font(name="Calibri", size=10, bold=True, color=HIGHLIGHT_FONT[sev]),
            centre,
            HIGHLIGHT[sev],
            span=2,
        )
        write(row, 4, t[f"legend_{sev}"], span=2)
        row += 1

    # --- a traffic light per step
    row += 1
    write(row, 1, t["steps"], Font(name="Calibri", size=12, bold=True), span=5, border=False)
    row += 1
    header = Font(name="Calibri", size=10, bold=True)
    write(row, 1, REPORT_HEADERS[lang][5], header, middle, HEADER_FILL)
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
        if sheet and sheet in wb.sheetnames and wb[sheet].sheet_state == "visible":
            link_to(cell, sheet, "A1")
        write(
            row,
            2,
            LIGHT_WORDS[light].get(lang),
            Font(name="Calibri", size=10, bold=True, color=LIGHT_FONT[light]),
            centre,
            LIGHT_FILL[light],
            span=2,
        )
        counts = {"error": 0, "warning": 0, "coaching": 0}
        for f in found:
            counts[f.severity] += 1
        write(row, 4, TEXT["counts"].get(lang).format(**counts) if found else "—", span=2)
        row += 1

    # --- the findings, capped like the text report
    row += 1
    if _starts_low(heights, row):
        ws.row_breaks.append(Break(id=row - 1))  # title and header not alone at a page end
    write(row, 1, t["findings"], Font(name="Calibri", size=12, bold=True), span=5, border=False)
    row += 1
    heads = REPORT_HEADERS[lang]
    for col, text in enumerate((heads[5], heads[7], heads[3], heads[11], heads[12]), start=1):
        write(row, col, text, header, centre if col == 3 else middle, HEADER_FILL)
    findings_header = row
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
            if f.cell and f.sheet in wb.sheetnames and wb[f.sheet].sheet_state == "visible":
                link_to(cell, f.sheet, f.cell.replace("$", ""))
            write(
                row,
                3,
                SEVERITY[f.severity].get(lang),
                Font(name="Calibri", size=10, bold=True, color=HIGHLIGHT_FONT[f.severity]),
                centre_top,
                HIGHLIGHT[f.severity],
            )
            write(row, 4, message)
            write(row, 5, fix)
            row += 1
        for code, n in more.items():
            more_text = TEXT["more"].get(lang).format(n=n)
            write(row, 1, label)
            write(row, 2, "")
            write(row, 3, "")
            text = t["more_rule"].format(more=more_text, title=rule_title(code, lang))
            write(row, 4, text, Font(name="Calibri", size=10, italic=True), span=2)
            row += 1

    for r, h in heights.items():
        ws.row_dimensions[r].height = round(min(409.0, h), 1)
    ws.row_dimensions[1].height = 24
    ws.sheet_view.showGridLines = False
    ws.print_title_rows = f"{findings_header}:{findings_header}"
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
        return TEXT["file_level"].get(lang)
    sheet = _sheet_of(report, step)
    return sheet or tpl.step(step).sheet.get(lang)


# --- the record for the next run ---------------------------------------------------------


def _state_sheet(wb: Any, review: str, state: _State) -> None:
    ws = wb.create_sheet(STATE_SHEET)
    ws.sheet_state = "veryHidden"
    rows: list[tuple[str, ...]] = [
        ("kind", "sheet", "cell", "original", "ours"),
        ("version", STATE_VERSION, "", "", ""),
        ("review", review, "", "", ""),
    ]
    rows += [("fill", *f) for f in state.fills]
    rows += [("comment", *c) for c in state.comments]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value:
                put(ws.cell(row=r, column=c), value)


def _select(wb: Any, review: Any) -> None:
    """Open on the review sheet, with no other tab selected (no grouped sheets)."""
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    review.sheet_view.tabSelected = True
    wb.active = wb.worksheets.index(review)
    for view in wb.views:
        view.firstSheet = 0
        view.activeTab = wb.worksheets.index(review)


# --- cached formula values ---------------------------------------------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _fromstring(data: bytes) -> Any:
    try:
        from defusedxml.ElementTree import fromstring
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        from xml.etree.ElementTree import fromstring
    return fromstring(data)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip path of its XML."""
    wb = _fromstring(zf.read("xl/workbook.xml"))
    try:
        rels_root = _fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    rels = {}
    for rel in rels_root:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        rels[rel.get("Id", "")] = _normalise(path)
    out = {}
    for s in wb.iter(f"{{{_NS_MAIN}}}sheet"):
        target = rels.get(s.get(f"{{{_NS_REL}}}id", ""), "")
        if target:
            out[s.get("name", "")] = target
    return out


def _normalise(path: str) -> str:
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def _cached_values(data: bytes) -> dict[str, dict[str, tuple[str, str]]]:
    """Sheet -> {cell: (type, cached text)} for every formula cell with a cached result."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for sheet, part in _sheet_parts(zf).items():
            try:
                root = _fromstring(zf.read(part))
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


def _restore_cached_values(out: bytes, original: bytes) -> bytes:
    """Put the original's last computed formula results back into the copy.

    openpyxl keeps formulas but not their results.  Excel recalculates on open,
    but our reader (and any viewer that does not calculate) reads the results
    stored in the file; the inputs are unchanged, so the original's results hold.
    """
    cached = _cached_values(original)
    if not cached:
        return out
    src = zipfile.ZipFile(io.BytesIO(out))
    parts = _sheet_parts(src)
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


__all__ = [
    "AUTHOR",
    "REVIEW_SHEET",
    "STATE_SHEET",
    "feedback_path",
    "feedback_targets",
    "write_feedback",
]
