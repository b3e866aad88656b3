"""Validation: one small check per rule, findings as data.

A bad cell yields a :class:`Finding`; validation never stops at the first one.
A file that cannot be read at all yields one file-level finding.  Messages are
rendered from a finding's fields only at output time (:func:`render`), in the
language asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kuk_xlsx.checks.catalogue import (
    AREA_WORDS,
    CATALOGUE,
    MONTH_NAMES,
    PROCESS_WORDS,
    TIME_WORDS,
)
from kuk_xlsx.package.preflight import FileProblem, ReadError
from kuk_xlsx.read.a1 import col_letter
from kuk_xlsx.read.figures import band, funding_by_source, programme_level
from kuk_xlsx.read.model import BlockData, PlanData, Row
from kuk_xlsx.read.reader import read_workbook, read_workbook_bytes
from kuk_xlsx.read.sheet import MAX_COLS, MAX_ROWS
from kuk_xlsx.read.values import normalise_label
from kuk_xlsx.spec.template import META_SHEET, Block, Column, Step, Template, load_template


@dataclass
class Finding:
    """One problem, located as Excel shows it; the message is rendered later."""

    code: str
    step: str = ""
    sheet: str = ""
    cell: str = ""
    column: str = ""  # the column's key in the spec
    value: Any = None
    expected: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code].severity


@dataclass
class Report:
    """Everything validation found in one file."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    problem: FileProblem | None = None
    plan: PlanData | None = None

    @property
    def status(self) -> str:
        """``UNREADABLE``, ``ERRORS``, ``WARNINGS`` or ``OK`` (coaching never lowers it)."""
        if self.problem is not None:
            return "UNREADABLE"
        severities = {f.severity for f in self.findings}
        if "error" in severities:
            return "ERRORS"
        if "warning" in severities:
            return "WARNINGS"
        return "OK"

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        out = {"error": 0, "warning": 0, "coaching": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


class Context:
    """What a check needs: the spec, the plan, the language labels are shown in."""

    def __init__(self, tpl: Template, plan: PlanData) -> None:
        self.tpl = tpl
        self.plan = plan
        self.lang = plan.language if plan.language in ("kk", "ru", "en") else "kk"
        self.empty_steps: set[str] = set()

    def present(self, step: str) -> bool:
        return step in self.plan.steps and step not in self.empty_steps

    def rows(self, step: str, block: str) -> list[Any]:
        blk = self.plan.block(step, block) if self.present(step) else None
        return blk.rows if blk else []


Check = Callable[[Context], Iterable[Finding]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a check; they run in the order they are defined."""
    CHECKS.append(fn)
    return fn


# --- validate ------------------------------------------------------------------------


def validate(
    path: Path | str, template: Template | None = None, data: bytes | None = None
) -> Report:
    """Read and check one workbook; never raises for a bad file.

    ``data``: the file's bytes when the caller has read them already (the cohort
    hashes them too), so the file is read once.
    """
    tpl = template or load_template()
    report = Report(str(path))
    try:
        plan = (
            read_workbook(path, tpl) if data is None else read_workbook_bytes(data, str(path), tpl)
        )
    except ReadError as exc:
        report.problem = exc.problem
        report.findings.append(
            Finding("KUK-FILE-UNREADABLE", value=exc.problem.code, params=exc.problem.fields())
        )
        return report
    report.plan = plan
    report.findings = validate_plan(plan, tpl)
    return report


def validate_plan(plan: PlanData, tpl: Template | None = None) -> list[Finding]:
    """All findings for a plan already read."""
    tpl = tpl or load_template()
    ctx = Context(tpl, plan)
    if not plan.steps or (plan.template_id and plan.template_id != tpl.id):
        return [Finding("KUK-FILE-NOT-TEMPLATE", value=plan.template_id)]
    out: list[Finding] = []
    for fn in CHECKS:
        out.extend(fn(ctx))
    return out


# --- file level ------------------------------------------------------------------------


@check
def file_level(ctx: Context) -> Iterator[Finding]:
    plan, tpl = ctx.plan, ctx.tpl
    if plan.template_version and plan.template_version != tpl.version:
        yield Finding("KUK-FILE-VERSION", value=plan.template_version, expected=tpl.version)
    meta = sorted({i.column or i.code for i in plan.interpretations if i.code.startswith("meta")})
    if meta:
        yield Finding("KUK-FILE-META", sheet=META_SHEET, value=", ".join(meta))
    if plan.macros:
        yield Finding("KUK-FILE-MACROS")
    for step in plan.missing_steps:
        yield Finding("KUK-STEP-MISSING", step=step, expected=tpl.step(step).sheet.get(ctx.lang))
    for i in plan.interpretations:
        if i.code == "outside-area":
            yield Finding(
                "KUK-FILE-OUTSIDE-AREA",
                sheet=i.sheet,
                value=f"{MAX_ROWS} / {col_letter(MAX_COLS - 1)}",
            )


_VALUE_CODES = {
    "choice-unknown": "KUK-VALUE-NOT-IN-LIST",
    "not-a-number": "KUK-VALUE-NOT-NUMBER",
    "not-yes-no": "KUK-VALUE-NOT-YES-NO",
    "not-a-date": "KUK-VALUE-NOT-DATE",
    "number-from-text": "KUK-VALUE-INTERPRETED",
    "date-from-text": "KUK-VALUE-INTERPRETED",
    "percent-scaled": "KUK-VALUE-INTERPRETED",
    "recomputed": "KUK-VALUE-INTERPRETED",
}


@check
def interpreted_values(ctx: Context) -> Iterator[Finding]:
    """Values the reader could not take as typed, or had to interpret."""
    for i in ctx.plan.interpretations:
        code = _VALUE_CODES.get(i.code)
        if code is None:
            continue
        expected = i.value
        if code == "KUK-VALUE-NOT-IN-LIST":
            step = ctx.tpl.step(i.step)
            col = next(c for b in step.blocks for c in b.columns if c.key == i.column)
            expected = ", ".join(ctx.tpl.choices[col.choices or ""].labels(ctx.lang))
        yield Finding(
            code,
            step=i.step,
            sheet=i.sheet,
            cell=i.cell,
            column=i.column,
            value=i.raw,
            expected=expected,
        )


# --- completeness ----------------------------------------------------------------------


def _step_is_empty(data: Any) -> bool:
    return not any(b.rows or b.fields for b in data.blocks.values())


def _needs_input(step: Step) -> bool:
    return any(b.min_rows > 0 or any(c.required for c in b.columns) for b in step.blocks)


@check
def completeness(ctx: Context) -> Iterator[Finding]:
    """Required fields, minimum rows, and required cells in started rows; an empty step once."""
    for step in ctx.tpl.steps:
        data = ctx.plan.steps.get(step.key)
        if data is None:
            continue
        if _step_is_empty(data):
            ctx.empty_steps.add(step.key)
            if _needs_input(step):
                first = next((b.area for b in data.blocks.values() if b.area), "")
                first = first or next(
                    (c for b in data.blocks.values() for c in b.cells.values()), ""
                )
                yield Finding(
                    "KUK-STEP-EMPTY",
                    step=step.key,
                    sheet=data.sheet,
                    cell=first,
                    expected=data.sheet,
                )
            continue
        for blk in step.blocks:
            got = data.blocks.get(blk.key)
            if got is None:
                continue
            yield from _block_completeness(step, blk, got)


SMART = ("specific", "measurable", "area", "realistic", "time_bound")
# Required cells a more specific rule asks for in its own words (one finding per cell):
# an unanswered SMART column is KUK-GOALS-SMART-ANSWERED, not also KUK-REQUIRED-CELL.
ASKED_ELSEWHERE = {("goals", "goals", key) for key in SMART}


def _block_completeness(step: Step, blk: Block, got: BlockData) -> Iterator[Finding]:
    if blk.kind in ("fields", "grid"):
        keys = (
            [(c.key, c) for c in blk.columns]
            if blk.kind == "fields"
            else [(f"{r.key}.{c.key}", c) for r in blk.fixed_rows for c in blk.columns]
        )
        for key, col in keys:
            if col.required and key not in got.fields:
                yield Finding(
                    "KUK-REQUIRED-FIELD",
                    step=step.key,
                    sheet=got.sheet,
                    cell=got.cells.get(key, ""),
                    column=key,
                )
        return
    if len(got.rows) < blk.min_rows:
        yield Finding(
            "KUK-MIN-ROWS",
            step=step.key,
            sheet=got.sheet,
            cell=got.area,
            column=blk.key,
            value=len(got.rows),
            expected=blk.min_rows,
        )
    for row in got.rows:
        for col in blk.columns:
            if (step.key, blk.key, col.key) in ASKED_ELSEWHERE:
                continue
            if col.required and col.key not in row.values and not _input_unreadable(col, row):
                yield Finding(
                    "KUK-REQUIRED-CELL",
                    step=step.key,
                    sheet=got.sheet,
                    cell=got.cell_of(row.number, col.key),
                    column=col.key,
                    params={"row": row.number},
                )


def _input_unreadable(col: Column, row: Row) -> bool:
    """A formula column left empty because one of its inputs is not a number: that
    input is reported already (KUK-VALUE-NOT-NUMBER), so its result is not asked for."""
    inputs = re.findall(r"\{(\w+)\}", col.formula or "")
    return any(k in row.values and not row.values[k].ok for k in inputs)


# --- stakeholders ---------------------------------------------------------------------------


@check
def stakeholder_categories(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("stakeholders"):
        return
    found = {
        r.values["category"].value
        for r in ctx.rows("stakeholders", "map")
        if "category" in r.values
    }
    missing = [c for c in ctx.tpl.choices["stakeholder_category"].choices if c.key not in found]
    if missing:
        blk = ctx.plan.block("stakeholders", "map")
        yield Finding(
            "KUK-STAKEHOLDER-CATEGORIES",
            step="stakeholders",
            sheet=blk.sheet if blk else "",
            cell=blk.area if blk else "",
            column="category",
            value=", ".join(c.label.get(ctx.lang) for c in missing),
            params={"missing": [c.key for c in missing]},
        )


@check
def stakeholder_detail(ctx: Context) -> Iterator[Finding]:
    # an empty step 3a is one KUK-STEP-EMPTY, not a warning per stakeholder as well
    if not ctx.present("stakeholders") or not ctx.present("stakeholder_detail"):
        return
    for row in ctx.rows("stakeholders", "map"):
        cat, name = row.values.get("category"), row.values.get("name")
        if cat is None or name is None or not cat.ok:
            continue
        detail = ctx.plan.block("stakeholder_detail", str(cat.value))
        names = (
            {normalise_label(v.value) for v in detail.column_values("name")} if detail else set()
        )
        if normalise_label(name.value) not in names:
            label = next(
                c.label.get(ctx.lang)
                for c in ctx.tpl.choices["stakeholder_category"].choices
                if c.key == cat.value
            )
            yield Finding(
                "KUK-STAKEHOLDER-DETAIL",
                step="stakeholder_detail",
                sheet=name.sheet,
                cell=name.cell,
                column="name",
                value=name.value,
                expected=label,
            )


# --- SWOT -------------------------------------------------------------------------------------


@check
def swot_quadrants(ctx: Context) -> Iterator[Finding]:
    quadrants = [
        ("swot_internal", "items", "strength"),
        ("swot_internal", "items", "weakness"),
        ("swot_external", "trends", "opportunities"),
        ("swot_external", "trends", "threats"),
    ]
    for step_key, block, col in quadrants:
        if not ctx.present(step_key):
            continue
        blk = ctx.plan.block(step_key, block)
        if blk is not None and not blk.column_values(col):
            yield Finding(
                "KUK-SWOT-QUADRANT",
                step=step_key,
                sheet=blk.sheet,
                cell=f"{blk.cell_of(blk.header_row + 1, col)}",
                column=col,
            )


@check
def pest_spheres(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("swot_external"):
        return
    want = int(ctx.tpl.rules["pest_trends_per_sphere"])
    rows = ctx.rows("swot_external", "trends")
    blk = ctx.plan.block("swot_external", "trends")
    for sphere in ctx.tpl.choices["pest_sphere"].choices:
        count = sum(
            1 for r in rows if "sphere" in r.values and r.values["sphere"].value == sphere.key
        )
        if count < want:
            yield Finding(
                "KUK-SWOT-PEST-SPHERE",
                step="swot_external",
                sheet=blk.sheet if blk else "",
                cell=blk.area if blk else "",
                column="sphere",
                value=sphere.label.get(ctx.lang),
                expected=want,
                params={"count": count, "sphere": sphere.key},
            )


@check
def critical_weaknesses(ctx: Context) -> Iterator[Finding]:
    rows = ctx.rows("swot_internal", "items")
    weak = [r for r in rows if "weakness" in r.values]
    if weak and not any(
        r.values.get("weakness_critical") and r.values["weakness_critical"].value is True
        for r in weak
    ):
        blk = ctx.plan.block("swot_internal", "items")
        assert blk is not None
        yield Finding(
            "KUK-SWOT-CRITICAL",
            step="swot_internal",
            sheet=blk.sheet,
            cell=blk.cell_of(weak[0].number, "weakness_critical"),
            column="weakness_critical",
        )


# --- key success factors ------------------------------------------------------------------------


@check
def success_factor_count(ctx: Context) -> Iterator[Finding]:
    if "success_factors" not in ctx.plan.steps:
        return
    blk = ctx.plan.block("success_factors", "factors")
    count = sum(len(r.values) for r in blk.rows) if blk else 0
    lo, hi = ctx.tpl.rules["success_factors_min"], ctx.tpl.rules["success_factors_max"]
    if not lo <= count <= hi:
        yield Finding(
            "KUK-KSF-COUNT",
            step="success_factors",
            sheet=blk.sheet if blk else "",
            cell=blk.area if blk else "",
            value=count,
            expected=f"{lo}–{hi}",
        )


# --- goals ---------------------------------------------------------------------------------


_NUMBER = re.compile(r"\d")


# A letter (any script); digits, spaces, dashes and punctuation all end a word.
_LETTER = r"[^\W\d_]"


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Each word matches at the start of a word only ("city" not in "capacity"); a word
    listed with a trailing space must also end there ("жас " not in "жасау")."""
    parts = [
        re.escape(normalise_label(w)) + (f"(?!{_LETTER})" if w.endswith(" ") else "") for w in words
    ]
    return re.compile(f"(?<!{_LETTER})(?:{'|'.join(parts)})")


def _has_word(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` contains one of ``words`` (raw word-list entries) as a word or
    the beginning of one, in any case and with look-alike letters folded."""
    return _word_pattern(tuple(words)).search(normalise_label(text)) is not None


@check
def goal_kinds(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("goals"):
        return
    rows = ctx.rows("goals", "goals")
    found = {r.values["kind"].value for r in rows if "kind" in r.values}
    missing = [c for c in ctx.tpl.choices["goal_kind"].choices if c.key not in found]
    if missing:
        blk = ctx.plan.block("goals", "goals")
        assert blk is not None
        yield Finding(
            "KUK-GOALS-KINDS",
            step="goals",
            sheet=blk.sheet,
            cell=blk.area,
            column="kind",
            value=", ".join(c.label.get(ctx.lang) for c in missing),
            params={"missing": [c.key for c in missing]},
        )


@check
def smart_checks(ctx: Context) -> Iterator[Finding]:
    blk = ctx.plan.block("goals", "goals") if ctx.present("goals") else None
    if blk is None:
        return
    time_words = TIME_WORDS + MONTH_NAMES
    for row in blk.rows:
        goal = row.values.get("goal")
        if goal is None:
            continue
        for key in SMART:
            if key not in row.values:
                yield Finding(
                    "KUK-GOALS-SMART-ANSWERED",
                    step="goals",
                    sheet=blk.sheet,
                    cell=blk.cell_of(row.number, key),
                    column=key,
                    params={"row": row.number},
                )
        text = str(goal.value)
        where = {
            "step": "goals",
            "sheet": goal.sheet,
            "cell": goal.cell,
            "column": "goal",
            "value": text,
        }
        if not _NUMBER.search(text):
            yield Finding("KUK-GOALS-SMART-M", **where)
        if not re.search(r"\b(19|20)\d\d\b", text) and not _has_word(text, time_words):
            yield Finding("KUK-GOALS-SMART-T", **where)
        if not _has_word(text, AREA_WORDS):
            yield Finding("KUK-GOALS-SMART-A", **where)


# Where an objective or a result is written: (step, block, column or grid key).
RESULT_PLACES = (
    ("project", "objectives", "objective"),
    ("project", "objectives", "result"),
    ("schedule", "activity", "objective"),
    ("schedule", "capacity", "objective"),
    ("logframe", "frame", "purpose.summary"),
    ("logframe", "frame", "outputs.summary"),
)


@check
def results_not_processes(ctx: Context) -> Iterator[Finding]:
    for step, block, key in RESULT_PLACES:
        blk = ctx.plan.block(step, block) if ctx.present(step) else None
        if blk is None:
            continue
        values = [blk.fields[key]] if key in blk.fields else blk.column_values(key)
        for v in values:
            head = " ".join(str(v.value).split()[:3])
            if _has_word(head, PROCESS_WORDS):
                yield Finding(
                    "KUK-RESULT-NOT-PROCESS",
                    step=step,
                    sheet=v.sheet,
                    cell=v.cell,
                    column=key,
                    value=v.value,
                )


# --- schedule ------------------------------------------------------------------------------


@check
def schedule_links(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("schedule"):
        return
    goals = {
        normalise_label(v.value): v.value
        for r in ctx.rows("goals", "goals")
        for k, v in r.values.items()
        if k == "goal"
    }
    used: set[str] = set()
    for block in ("activity", "capacity"):
        blk = ctx.plan.block("schedule", block)
        if blk is None:
            continue
        for row in blk.rows:
            goal = row.values.get("goal")
            if goal is not None:
                used.add(normalise_label(goal.value))
                # an empty (or missing) step 7 is reported once, not per schedule row
                if ctx.present("goals") and normalise_label(goal.value) not in goals:
                    yield Finding(
                        "KUK-SCHEDULE-GOAL-UNKNOWN",
                        step="schedule",
                        sheet=goal.sheet,
                        cell=goal.cell,
                        column="goal",
                        value=goal.value,
                    )
            if "months" not in row.values:
                yield Finding(
                    "KUK-SCHEDULE-NO-MONTH",
                    step="schedule",
                    sheet=blk.sheet,
                    cell=blk.cell_of(row.number, "months"),
                    column="months",
                    params={"row": row.number},
                )
    for row in ctx.rows("goals", "goals"):
        goal = row.values.get("goal")
        if goal is not None and normalise_label(goal.value) not in used:
            yield Finding(
                "KUK-SCHEDULE-GOAL-NO-ACTIVITY",
                step="schedule",
                sheet=goal.sheet,
                cell=goal.cell,
                column="goal",
                value=goal.value,
            )


# --- logframe and M&E ------------------------------------------------------------------------


@check
def indicators_have_quantities(ctx: Context) -> Iterator[Finding]:
    places: list[Any] = []
    frame = ctx.plan.block("logframe", "frame") if ctx.present("logframe") else None
    if frame is not None:
        places += [v for k, v in frame.fields.items() if k.endswith(".indicators")]
    places += [
        r.values["quantitative"]
        for r in ctx.rows("me_plan", "indicators")
        if "quantitative" in r.values
    ]
    for v in places:
        if not _NUMBER.search(str(v.value)):
            step = "logframe" if frame is not None and v in frame.fields.values() else "me_plan"
            yield Finding(
                "KUK-INDICATOR-NO-QUANTITY",
                step=step,
                sheet=v.sheet,
                cell=v.cell,
                column="indicators" if step == "logframe" else "quantitative",
                value=v.value,
            )


# "Задача 1: ...", "1-тапсырма: ...", "Objective 1: ...", "1. ...": the M&E plan names
# a project objective by its number, as the sheet's example does.
_OBJECTIVE_NUMBER = re.compile(
    r"^\s*(?:(?:задача|тапсырма|objective)\s*№?\s*(\d{1,2})\b"
    r"|(\d{1,2})\s*-?\s*(?:тапсырма|задача)"
    r"|(\d{1,2})\s*[.)](?!\d))",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")


def _objective_number(text: str) -> tuple[int | None, str]:
    """The objective number a text starts with (if any), and the text after it."""
    m = _OBJECTIVE_NUMBER.match(text)
    if m is None:
        return None, text
    return int(next(g for g in m.groups() if g)), text[m.end() :].lstrip(" :.-–—")


def _stems(text: str) -> set[str]:
    """Content words cut to five letters (so endings do not matter), and numbers."""
    words = _WORD.findall(normalise_label(text))
    return {w[:5] for w in words if len(w) >= 4 or w.isdigit()}


def _same_objective(objective: str, restated: str) -> bool:
    """The M&E row restates the objective: copied, contained, or most words shared."""
    a, b = normalise_label(objective), normalise_label(restated)
    if a in b or b in a:
        return True
    sa, sb = _stems(objective), _stems(restated)
    shorter = min(len(sa), len(sb))
    return shorter >= 2 and len(sa & sb) >= 0.6 * shorter


@check
def me_covers_objectives(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("me_plan") or not ctx.present("project"):
        return
    numbers: set[int] = set()
    texts: list[str] = []
    for r in ctx.rows("me_plan", "indicators"):
        if "objective" in r.values:
            number, text = _objective_number(str(r.values["objective"].value))
            if number is not None:
                numbers.add(number)
            if text:
                texts.append(text)
    objectives = [
        r.values["objective"] for r in ctx.rows("project", "objectives") if "objective" in r.values
    ]
    for number, obj in enumerate(objectives, start=1):
        if number in numbers or any(_same_objective(str(obj.value), t) for t in texts):
            continue
        yield Finding(
            "KUK-ME-OBJECTIVE-UNCOVERED",
            step="me_plan",
            sheet=obj.sheet,
            cell=obj.cell,
            column="objective",
            value=obj.value,
        )


# --- budget -------------------------------------------------------------------------------------


@check
def budget_numbers(ctx: Context) -> Iterator[Finding]:
    for row in ctx.rows("budget", "items"):
        for key in ("quantity", "unit_cost", "amount"):
            v = row.values.get(key)
            if v is not None and v.ok and isinstance(v.value, float) and v.value < 0:
                yield Finding(
                    "KUK-BUDGET-NEGATIVE",
                    step="budget",
                    sheet=v.sheet,
                    cell=v.cell,
                    column=key,
                    value=v.value,
                )


@check
def budget_totals(ctx: Context) -> Iterator[Finding]:
    """A total typed over in the file that disagrees with the lines is reported with both."""
    for key, shown in ctx.plan.file_figures.items():
        step = key.split(".")[0]
        computed = ctx.plan.figures.get(key)
        if computed is None or not ctx.present(step) or key.endswith("_share"):
            continue
        typed = computed + _typed_over_delta(ctx, key)
        if abs(float(shown.value) - computed) > 0.5 and abs(float(shown.value) - typed) > 0.5:
            yield Finding(
                "KUK-BUDGET-TOTAL-MISMATCH",
                step=step,
                sheet=shown.sheet,
                cell=shown.cell,
                column=key.split(".")[-1],
                value=shown.value,
                expected=computed,
            )


def _typed_over_delta(ctx: Context, key: str) -> float:
    """How much the file's own total differs from ours because an amount was typed over
    its formula (the reader recomputes it, reported as KUK-VALUE-INTERPRETED): the file's
    SUM adds the typed amount.  That is not a total typed over."""
    step_key, block_key, tot_key = key.split(".")
    blk = ctx.plan.block(step_key, block_key)
    spec = next(
        (t for t in ctx.tpl.step(step_key).block(block_key).totals if t.key == tot_key), None
    )
    if blk is None or spec is None:
        return 0.0
    rows = {r.values[spec.column].cell: r for r in blk.rows if spec.column in r.values}
    delta = 0.0
    for i in ctx.plan.interpretations:
        row = rows.get(i.cell)
        if i.code != "recomputed" or i.step != step_key or i.column != spec.column or row is None:
            continue
        where = row.values.get(spec.where_column or "")
        if spec.kind == "sum_where" and (where is None or where.value != spec.where_choice):
            continue
        delta += float(i.raw) - float(i.value)
    return delta


def total_cell(ctx: Context, step: str, block: str, total: str) -> str:
    """Where a total under a table is: as the file shows it, else from the layout.

    Files saved by Excel or LibreOffice cache the total's value, and the reader records
    its cell.  A file saved without cached values (openpyxl, some converters) has none;
    the generator writes the totals right under the table, one row each, a band row
    after a banded one, in spec order, which the reader's block area ends above.
    """
    shown = ctx.plan.file_figures.get(f"{step}.{block}.{total}")
    if shown is not None:
        return shown.cell
    blk = ctx.plan.block(step, block)
    if blk is None or not blk.area:
        return ""
    m = re.search(r"(\d+)$", blk.area)
    row = int(m.group(1)) + 1 if m else 0
    for tot in ctx.tpl.step(step).block(block).totals:
        if tot.key == total:
            return blk.cell_of(row, tot.column) or blk.area
        row += 2 if tot.band else 1
    return blk.area


@check
def me_share(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("budget"):
        return
    total = ctx.plan.figures.get("budget.items.total") or 0.0
    if total <= 0:
        return
    # A line whose amount could not be read (reported as a value or a required cell)
    # would make the share wrong: judge the share only when every line has an amount.
    if any(
        "amount" not in r.values or not r.values["amount"].ok for r in ctx.rows("budget", "items")
    ):
        return
    amount = ctx.plan.figures.get("budget.items.me_amount") or 0.0
    share = amount / total
    level = programme_level(ctx.plan)
    lo, hi = band(ctx.tpl, "me_share", level)
    if lo - 1e-9 <= share <= hi + 1e-9:
        return
    blk = ctx.plan.block("budget", "items")
    level_label = next(
        c.label.get(ctx.lang) for c in ctx.tpl.choices["programme_level"].choices if c.key == level
    )
    yield Finding(
        "KUK-BUDGET-ME-SHARE",
        step="budget",
        sheet=blk.sheet if blk else "",
        cell=total_cell(ctx, "budget", "items", "me_share"),
        column="me_share",
        value=share,
        expected=f"{lo:.0%}–{hi:.0%}",
        params={
            "share": share,
            "amount": amount,
            "total": total,
            "low": lo,
            "high": hi,
            "level": level_label,
        },
    )


# --- fundraising -------------------------------------------------------------------------------------


@check
def fundraising_diversity(ctx: Context) -> Iterator[Finding]:
    sources = funding_by_source(ctx.plan) if ctx.present("fundraising") else {}
    if not sources:
        return
    blk = ctx.plan.block("fundraising", "plan")
    assert blk is not None
    labels = {c.key: c.label.get(ctx.lang) for c in ctx.tpl.choices["funding_source"].choices}
    if len(sources) == 1:
        only = next(iter(sources))
        yield Finding(
            "KUK-FUNDRAISING-ONE-SOURCE",
            step="fundraising",
            sheet=blk.sheet,
            cell=blk.area,
            column="source",
            value=labels[only],
        )
    total = sum(sources.values())
    if total > 0 and len(sources) > 1:
        top, amount = max(sources.items(), key=lambda kv: kv[1])
        if amount / total > float(ctx.tpl.rules["largest_source_share_max"]):
            yield Finding(
                "KUK-FUNDRAISING-LARGEST-SHARE",
                step="fundraising",
                sheet=blk.sheet,
                cell=blk.area,
                column="source",
                value=labels[top],
                params={"share": amount / total, "source": top},
            )


# --- rendering ------------------------------------------------------------------------------------


def _fmt(value: Any, lang: str, percent: bool = False) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if percent:
            text = f"{value * 100:.1f}%"
        elif float(value).is_integer():
            text = f"{int(value):,}".replace(",", "\u202f")
        else:
            text = f"{value:,.2f}".replace(",", "\u202f")
        return text.replace(".", ",") if lang in ("kk", "ru") else text
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def column_label(tpl: Template, finding: Finding, lang: str) -> str:
    """The header a person sees for the finding's column (or grid cell), in ``lang``."""
    if not finding.step or not finding.column:
        return finding.column
    try:
        step = tpl.step(finding.step)
    except KeyError:
        return finding.column
    key = finding.column
    for blk in step.blocks:
        if "." in key and blk.kind == "grid":
            row_key, col_key = key.split(".", 1)
            for fr in blk.fixed_rows:
                for col in blk.columns:
                    if fr.key == row_key and col.key == col_key:
                        return f"{fr.label.get(lang)} / {col.label.get(lang)}"
        for col in blk.columns:
            if col.key == key:
                return col.label.get(lang)
        for tot in blk.totals:
            if tot.key == key:
                return tot.label.get(lang)
    quadrant = {"strength": "S", "weakness": "W", "opportunities": "O", "threats": "T"}
    return quadrant.get(key, key)


def render(finding: Finding, lang: str, tpl: Template | None = None) -> tuple[str, str]:
    """(message, how to fix) in ``lang``, filled from the finding's fields."""
    tpl = tpl or load_template()
    rule = CATALOGUE[finding.code]
    if finding.code == "KUK-FILE-UNREADABLE":
        problem = FileProblem(str(finding.value), "", **finding.params)
        return problem.message(lang), rule.fix.get(lang)
    percent_keys = {"share", "low", "high"}
    fields = {k: _fmt(v, lang, k in percent_keys) for k, v in finding.params.items()}
    fields["column"] = column_label(tpl, finding, lang)
    fields["sheet"] = finding.sheet
    fields["value"] = _fmt(finding.value, lang, finding.code == "KUK-BUDGET-ME-SHARE")
    fields["expected"] = _fmt(finding.expected, lang)
    fields.setdefault("row", "")
    fields.setdefault("count", "")
    return rule.message.get(lang).format(**fields), rule.fix.get(lang).format(**fields)
