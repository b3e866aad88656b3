"""Checks on the strategy steps' analysis: stakeholders, SWOT and key success factors
(goals and the six-month schedule are in ``goals``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kuk_xlsx.checks.base import Choices, Context, Finding, check
from kuk_xlsx.checks.words import (
    is_inside_problem,
    is_outside_trend,
    restates,
    stakeholder_kind,
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
                step="stakeholders",  # the name's cell is on the step 3 sheet
                sheet=name.sheet,
                cell=name.cell,
                column="name",
                value=name.value,
                expected=Choices("stakeholder_category", (str(cat.value),)),
            )


# Categories a kind of organisation is not (data: the lexicon's actor lists): the
# akimat, a school, the media or a company are partners, donors or customers; the
# people they serve or employ are the beneficiaries.
NOT_BENEFICIARIES = ("beneficiaries",)


@check
def stakeholder_misfiled(ctx: Context) -> Iterator[Finding]:
    for row in ctx.rows("stakeholders", "map"):
        cat, name = row.values.get("category"), row.values.get("name")
        if cat is None or name is None or not cat.ok or cat.value not in NOT_BENEFICIARIES:
            continue
        kind = stakeholder_kind(name.value)
        if kind is not None:
            yield Finding(
                "KUK-STAKEHOLDER-MISFILED",
                step="stakeholders",
                sheet=name.sheet,
                cell=name.cell,
                column="name",
                value=name.value,
                expected=Choices("stakeholder_category", (str(cat.value),)),
                params={"kind": kind},
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
def pest_trends(ctx: Context) -> Iterator[Finding]:
    """The deck's step 4: "mark the three main trends" (in all, each with its sphere).
    No row at all is the table's own minimum (KUK-MIN-ROWS), not said twice."""
    if not ctx.present("swot_external"):
        return
    want = int(ctx.tpl.rules["pest_main_trends"])
    rows = [r for r in ctx.rows("swot_external", "trends") if "trend" in r.values]
    blk = ctx.plan.block("swot_external", "trends")
    if 0 < len(rows) < want and blk is not None:
        yield Finding(
            "KUK-SWOT-PEST-TRENDS",
            step="swot_external",
            sheet=blk.sheet,
            cell=blk.area,
            column="trend",
            value=len(rows),
            expected=want,
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


@check
def swot_misplaced(ctx: Context) -> Iterator[Finding]:
    """An outside trend written as a weakness, the organisation's own problem as a threat."""
    for v in _column(ctx, "swot_internal", "items", "weakness"):
        if is_outside_trend(v.value):
            yield Finding(
                "KUK-SWOT-WEAKNESS-EXTERNAL",
                step="swot_internal",
                sheet=v.sheet,
                cell=v.cell,
                column="weakness",
                value=v.value,
            )
    for v in _column(ctx, "swot_external", "trends", "threats"):
        if is_inside_problem(v.value):
            yield Finding(
                "KUK-SWOT-THREAT-INTERNAL",
                step="swot_external",
                sheet=v.sheet,
                cell=v.cell,
                column="threats",
                value=v.value,
            )


@check
def swot_decisions(ctx: Context) -> Iterator[Finding]:
    """The deck's "Маңызды!" slide: SWOT leads to decisions, so every decisive strength
    and weakness has a row in the decisions table naming it (a file of a version
    without that table has nowhere to write one)."""
    decisions = (
        ctx.plan.block("swot_internal", "decisions") if ctx.present("swot_internal") else None
    )
    if decisions is None or not decisions.columns:
        return
    decided = [str(v.value) for v in decisions.column_values("factor")]
    for row in ctx.rows("swot_internal", "items"):
        for column in ("strength", "weakness"):
            v, decisive = row.values.get(column), row.values.get(f"{column}_critical")
            if v is None or decisive is None or decisive.value is not True:
                continue
            if not any(restates(str(v.value), d) for d in decided):
                yield Finding(
                    "KUK-SWOT-NO-DECISION",
                    step="swot_internal",
                    sheet=v.sheet,
                    cell=v.cell,
                    column=column,
                    value=v.value,
                    expected=Choices("swot_kind", (column,)),
                )


def _column(ctx: Context, step: str, block: str, column: str) -> list[Any]:
    blk = ctx.plan.block(step, block) if ctx.present(step) else None
    return blk.column_values(column) if blk is not None else []


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
