"""Checks on the strategy steps: stakeholders, SWOT, key success factors, goals
with SMART, and the six-month schedule."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kuk_xlsx.checks.base import Choices, Context, Finding, check
from kuk_xlsx.checks.files import SMART
from kuk_xlsx.checks.words import (
    AREA_WORDS,
    MONTH_NAMES,
    NUMBER,
    NUMBER_WORDS,
    PROCESS_WORDS,
    TIME_WORDS,
    has_word,
)
from kuk_xlsx.read.values import normalise_label

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
            value=Choices("stakeholder_category", tuple(c.key for c in missing)),
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
            yield Finding(
                "KUK-STAKEHOLDER-DETAIL",
                step="stakeholder_detail",
                sheet=name.sheet,
                cell=name.cell,
                column="name",
                value=name.value,
                expected=Choices("stakeholder_category", (str(cat.value),)),
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
                value=Choices("pest_sphere", (sphere.key,)),
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
            value=Choices("goal_kind", tuple(c.key for c in missing)),
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
        if not has_target(text):
            yield Finding("KUK-GOALS-SMART-M", **where)
        if not re.search(r"\b(19|20)\d\d\b", text) and not has_word(text, time_words):
            yield Finding("KUK-GOALS-SMART-T", **where)
        kind = row.values.get("kind")
        # a goal for the organisation's own capacity has no territory or people to name
        if not has_word(text, AREA_WORDS) and (kind is None or kind.value != "internal"):
            yield Finding("KUK-GOALS-SMART-A", **where)


# What is not a target: a year, a date, an age range ("14-22 жастағы"), a period.
_NOT_TARGETS = re.compile(
    r"\b(?:19|20)\d\d\b"
    r"|\b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b"
    r"|\b\d{1,2}\s*[-–—]\s*\d{1,2}\s*(?=жас|лет|год|years?)"
)


def has_target(text: str) -> bool:
    """Whether a goal names a figure to reach: a number that is not a year, a date or
    an age range, or a number written as a word ("төрт", "четырёх", "five")."""
    return bool(NUMBER.search(_NOT_TARGETS.sub(" ", text))) or has_word(text, NUMBER_WORDS)


# Kazakh puts the verb last ("... семинарларын ұйымдастыру"): its verbal nouns (-у)
# are looked for at the end too, the others at the start only.
_KK_PROCESS = tuple(w for w in PROCESS_WORDS if w.rstrip().endswith("у"))


def is_process(text: str) -> bool:
    """Whether a goal, objective or result is written as a process (what is done)
    rather than a result: a process word among its first three words, or a Kazakh
    verbal noun among its last two."""
    words = text.split()
    return has_word(" ".join(words[:3]), PROCESS_WORDS) or has_word(
        " ".join(words[-2:]), _KK_PROCESS
    )


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
            if is_process(str(v.value)):
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
