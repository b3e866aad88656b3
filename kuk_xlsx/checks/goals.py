"""Checks on goals and results: strategic goals with SMART (step 7), results written as
processes (steps 7, 8, 10, 12), the six-month schedule's links to the goals, and the
project work plan's links to the project objectives (step 11 to step 10)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kuk_xlsx.checks.base import Choices, Context, Finding, check, unknown_links
from kuk_xlsx.checks.files import SMART
from kuk_xlsx.checks.words import has_period, has_target, is_process, names_group
from kuk_xlsx.read.values import normalise_label

__all__ = ["has_target", "is_process"]


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
    """SMART's M, T and A read from the goal's text, against the NGO's own answers: a
    "yes" with no figure or no date is a warning that says so, a "no" is coaching."""
    blk = ctx.plan.block("goals", "goals") if ctx.present("goals") else None
    if blk is None:
        return
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
            code = (
                "KUK-GOALS-SMART-M-CLAIMED" if _said_yes(row, "measurable") else "KUK-GOALS-SMART-M"
            )
            yield Finding(code, **where)
        if not has_period(text):
            code = (
                "KUK-GOALS-SMART-T-CLAIMED" if _said_yes(row, "time_bound") else "KUK-GOALS-SMART-T"
            )
            yield Finding(code, **where)
        kind = row.values.get("kind")
        kind_key = kind.value if kind is not None and kind.ok else None
        # A asks whom and where a goal facing the outside is for: a goal for the
        # organisation's own capacity has no territory or people to name, and a goal
        # about relations names the organisations it deals with
        relations = kind_key == "relations"
        if kind_key != "internal" and not names_group(text, actors=relations):
            # a goal about relations is asked with whom, not for whom
            yield Finding(
                "KUK-GOALS-SMART-A",
                **where,
                params={"fix_variant": "relations"} if relations else {},
            )


def _said_yes(row: Any, key: str) -> bool:
    v = row.values.get(key)
    return v is not None and v.ok and v.value is True


# Where a goal, an objective or a result is written: (step, block, column or grid key,
# whether a figure to reach excuses a process: a strategic goal or a six-month task with
# a number, "12 тренинг өткізу", has its completion indicator, as the deck's own
# examples do; a project's objective and results must be end results).
RESULT_PLACES = (
    ("goals", "goals", "goal", True),
    ("schedule", "activity", "objective", True),
    ("schedule", "capacity", "objective", True),
    ("project", "summary", "goal", False),
    ("project", "objectives", "objective", False),
    ("project", "objectives", "result", False),
    ("logframe", "frame", "purpose.summary", False),
    ("logframe", "frame", "outputs.summary", False),
)


@check
def results_not_processes(ctx: Context) -> Iterator[Finding]:
    for step, block, key, figure_excuses in RESULT_PLACES:
        blk = ctx.plan.block(step, block) if ctx.present(step) else None
        if blk is None:
            continue
        values = [blk.fields[key]] if key in blk.fields else blk.column_values(key)
        for v in values:
            text = str(v.value)
            if is_process(text) and not (figure_excuses and has_target(text)):
                yield Finding(
                    "KUK-RESULT-NOT-PROCESS",
                    step=step,
                    sheet=v.sheet,
                    cell=v.cell,
                    column=key,
                    value=v.value,
                    # a six-month task gets an example of a task done, not of an impact
                    params={"fix_variant": "task"} if step == "schedule" else {},
                )


# --- schedule ------------------------------------------------------------------------------

# The schedule's two sections and the kinds of goal each serves: the organisation's
# activity, and capacity building with organisational development (relations with the
# environment and internal potential, the deck's two kinds of development goal).
SECTION_KINDS = {"activity": ("activity",), "capacity": ("relations", "internal")}


@check
def schedule_links(ctx: Context) -> Iterator[Finding]:
    if not ctx.present("schedule"):
        return
    kinds: dict[str, Any] = {}
    for r in ctx.rows("goals", "goals"):
        if "goal" in r.values:
            kind = r.values.get("kind")
            kinds[normalise_label(r.values["goal"].value)] = (
                kind.value if kind is not None and kind.ok else None
            )
    used: set[str] = set()
    for block in ("activity", "capacity"):
        blk = ctx.plan.block("schedule", block)
        if blk is None:
            continue
        for row in blk.rows:
            goal = row.values.get("goal")
            if goal is None:
                yield Finding(
                    "KUK-SCHEDULE-NO-GOAL",
                    step="schedule",
                    sheet=blk.sheet,
                    cell=blk.cell_of(row.number, "goal"),
                    column="goal",
                    params={"row": row.number},
                )
            else:
                key = normalise_label(goal.value)
                used.add(key)
                # an empty (or missing) step 7 is reported once, not per schedule row
                if ctx.present("goals") and key not in kinds:
                    yield Finding(
                        "KUK-SCHEDULE-GOAL-UNKNOWN",
                        step="schedule",
                        sheet=goal.sheet,
                        cell=goal.cell,
                        column="goal",
                        value=goal.value,
                    )
                elif kinds.get(key) is not None and kinds[key] not in SECTION_KINDS[block]:
                    yield Finding(
                        "KUK-SCHEDULE-SECTION",
                        step="schedule",
                        sheet=goal.sheet,
                        cell=goal.cell,
                        column="goal",
                        value=goal.value,
                        params={"kind": kinds[key], "section": block},
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
                step="goals",  # the goal's cell is on the step 7 sheet
                sheet=goal.sheet,
                cell=goal.cell,
                column="goal",
                value=goal.value,
            )


# --- project work plan ---------------------------------------------------------------------


@check
def workplan_links(ctx: Context) -> Iterator[Finding]:
    """Each activity serves one of step 10's objectives, and each objective has an
    activity (once the plan links any: a file without the column has nowhere to)."""
    blk = ctx.plan.block("workplan", "activities") if ctx.present("workplan") else None
    if blk is None or "objective" not in blk.columns:
        return
    objectives = [
        r.values["objective"] for r in ctx.rows("project", "objectives") if "objective" in r.values
    ]
    links = blk.column_values("objective")
    used = {normalise_label(v.value) for v in links}
    # an empty (or missing) step 10 is reported once, not per work-plan row
    if ctx.present("project"):
        yield from unknown_links(
            links,
            objectives,
            "KUK-WORKPLAN-OBJECTIVE-UNKNOWN",
            step="workplan",
            column="objective",
        )
    for obj in objectives if used else []:
        if normalise_label(obj.value) not in used:
            yield Finding(
                "KUK-WORKPLAN-OBJECTIVE-NO-ACTIVITY",
                step="project",  # the objective's cell is on the step 10 sheet
                sheet=obj.sheet,
                cell=obj.cell,
                column="objective",
                value=obj.value,
            )
