"""Checks on the project steps: logframe and M&E plan, the problem tree's links,
budget with its M&E share, fundraising and sustainability."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from kuk_xlsx.checks.base import Choices, Context, Finding, check, unknown_links
from kuk_xlsx.checks.words import NUMBER, names_inputs, names_no_evidence, restates
from kuk_xlsx.read.a1 import parse_range
from kuk_xlsx.read.figures import (
    band,
    funding_by_source,
    in_band,
    percent_text,
    programme_level,
)

# --- logframe and M&E ------------------------------------------------------------------------


@check
def indicators_have_quantities(ctx: Context) -> Iterator[Finding]:
    places: list[Any] = []
    frame = ctx.plan.block("logframe", "frame") if ctx.present("logframe") else None
    if frame is not None:
        # the activities row lists inputs, "schedule and budget" (KUK-LOGFRAME-INPUTS)
        places += [
            v
            for k, v in frame.fields.items()
            if k.endswith(".indicators") and k != "activities.indicators"
        ]
    places += [
        r.values["quantitative"]
        for r in ctx.rows("me_plan", "indicators")
        if "quantitative" in r.values
    ]
    for v in places:
        if not NUMBER.search(_LIST_MARKS.sub(r"\1", str(v.value))):
            step = "logframe" if frame is not None and v in frame.fields.values() else "me_plan"
            yield Finding(
                "KUK-INDICATOR-NO-QUANTITY",
                step=step,
                sheet=v.sheet,
                cell=v.cell,
                column="indicators" if step == "logframe" else "quantitative",
                value=v.value,
            )


# "1. ...  2. ...": a list's numbers are no quantity
_LIST_MARKS = re.compile(r"(^|[\n.;:]\s*)\d{1,2}[.)](?=\s)")


@check
def logframe_inputs(ctx: Context) -> Iterator[Finding]:
    """The activities row's indicators name inputs (money, people, things, time), not
    results: the deck's "Inputs / Level of effort-expenditure"."""
    frame = ctx.plan.block("logframe", "frame") if ctx.present("logframe") else None
    v = frame.fields.get("activities.indicators") if frame is not None else None
    if v is not None and not names_inputs(v.value):
        yield Finding(
            "KUK-LOGFRAME-INPUTS",
            step="logframe",
            sheet=v.sheet,
            cell=v.cell,
            column="indicators",
            value=v.value,
        )


@check
def verification_names_evidence(ctx: Context) -> Iterator[Finding]:
    """A means of verification names a document or a source, not "will be checked"."""
    places: list[tuple[str, Any, Any]] = []
    frame = ctx.plan.block("logframe", "frame") if ctx.present("logframe") else None
    if frame is not None:
        for key, v in frame.fields.items():
            if key.endswith(".verification"):
                row = key.split(".")[0]
                places.append(("logframe", v, frame.fields.get(f"{row}.indicators")))
    for r in ctx.rows("me_plan", "indicators"):
        v = r.values.get("verification")
        if v is not None:
            indicators = [r.values.get(k) for k in ("quantitative", "qualitative")]
            copied = next(
                (i for i in indicators if i is not None and names_no_evidence(v.value, i.value)),
                None,
            )
            places.append(("me_plan", v, copied))
    for step, v, indicator in places:
        if names_no_evidence(v.value, indicator.value if indicator is not None else None):
            yield Finding(
                "KUK-VERIFICATION-NO-EVIDENCE",
                step=step,
                sheet=v.sheet,
                cell=v.cell,
                column="verification",
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


def _objective_number(text: str) -> tuple[int | None, str]:
    """The objective number a text starts with (if any), and the text after it."""
    m = _OBJECTIVE_NUMBER.match(text)
    if m is None:
        return None, text
    return int(next(g for g in m.groups() if g)), text[m.end() :].lstrip(" :.-–—")


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
        if number in numbers or any(restates(str(obj.value), t) for t in texts):
            continue
        yield Finding(
            "KUK-ME-OBJECTIVE-UNCOVERED",
            step="project",  # the objective's cell is on the step 10 sheet
            sheet=obj.sheet,
            cell=obj.cell,
            column="objective",
            value=obj.value,
        )


# --- problem tree ---------------------------------------------------------------------------


@check
def problem_links(ctx: Context) -> Iterator[Finding]:
    """A cause or a consequence points at a problem of the tree's problems table."""
    problems = ctx.plan.block("problem", "problems") if ctx.present("problem") else None
    if problems is None:  # a file of a version without the table
        return
    for block in ("causes", "consequences"):
        blk = ctx.plan.block("problem", block)
        yield from unknown_links(
            blk.column_values("problem") if blk else [],
            problems.column_values("problem"),
            "KUK-PROBLEM-LINK-UNKNOWN",
            step="problem",
            column="problem",
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
    told: set[str] = set()  # a line both the total and the M&E amount leave out: said once
    for key, shown in ctx.plan.file_figures.items():
        step = key.split(".")[0]
        computed = ctx.plan.figures.get(key)
        if computed is None or not ctx.present(step) or key.endswith("_share"):
            continue
        typed = computed + _typed_over_delta(ctx, key)
        if abs(float(shown.value) - computed) <= 0.5 or abs(float(shown.value) - typed) <= 0.5:
            continue
        left_out = _not_in_file_total(ctx, key)
        missing = sum(float(v.value) for v, _why, _col in left_out)
        if left_out and abs(float(shown.value) - (typed - missing)) <= 0.5:
            # lines the file's own SUM does not count (typed under the table, where no
            # program grows the range, or in a row without the amount formula): no total
            # was typed over, and the NGO is told which line and why
            for v, why, column in left_out:
                if v.cell in told:
                    continue
                told.add(v.cell)
                params = {"total": shown.cell, "shown": shown.value, "row": _row_of(v.cell)}
                if why == "formula":
                    params["fix_variant"] = "formula"
                yield Finding(
                    "KUK-BUDGET-LINE-NOT-IN-TOTAL",
                    step=step,
                    sheet=v.sheet,
                    cell=v.cell,
                    column=column,
                    value=v.value,
                    expected=computed,
                    params=params,
                )
        else:
            yield Finding(
                "KUK-BUDGET-TOTAL-MISMATCH",
                step=step,
                sheet=shown.sheet,
                cell=shown.cell,
                column=key.split(".")[-1],
                value=shown.value,
                expected=computed,
            )


def _row_of(cell: str) -> int:
    at = parse_range(cell)
    return at[0] + 1 if at is not None else 0


def _not_in_file_total(ctx: Context, key: str) -> list[tuple[Any, str, str]]:
    """The lines a total counts that the file's own total does not: (the amount as read,
    why, its column), why being "outside" (a row below the rows the file's SUM adds up)
    or "formula" (a row whose amount the file does not hold: no formula there)."""
    rows = ctx.plan.file_total_rows.get(key)
    step_key, block_key, tot_key = key.split(".")
    blk = ctx.plan.block(step_key, block_key)
    spec = next(
        (t for t in ctx.tpl.step(step_key).block(block_key).totals if t.key == tot_key), None
    )
    if blk is None or spec is None:
        return []
    out: list[tuple[Any, str, str]] = []
    for row in blk.rows:
        amount, where = row.values.get(spec.column), row.values.get(spec.where_column or "")
        if amount is None or not amount.ok or not isinstance(amount.value, float):
            continue
        if spec.kind == "sum_where" and (where is None or where.value != spec.where_choice):
            continue
        if rows is not None and not rows[0] <= _row_of(amount.cell) <= rows[1]:
            out.append((amount, "outside", spec.column))
        elif amount.raw in (None, "") and amount.value:
            out.append((amount, "formula", spec.column))
    return out


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
    if in_band(share, lo, hi):
        return
    blk = ctx.plan.block("budget", "items")
    # how much to add to (or leave in) the M&E lines, the other lines kept as they are:
    # (amount + x) / (total + x) = low, or amount' / (total - amount + amount') = high
    others = total - amount
    if share < lo:
        direction, target = "add", math.ceil(lo * others / (1 - lo) / 1000) * 1000
        change = target - amount
    else:
        direction, target = "cut", math.floor(hi * others / (1 - hi) / 1000) * 1000
        change = amount - target
    yield Finding(
        "KUK-BUDGET-ME-SHARE",
        step="budget",
        sheet=blk.sheet if blk else "",
        cell=total_cell(ctx, "budget", "items", "me_share"),
        column="me_share",
        value=share,
        expected=f"{percent_text(lo)}–{percent_text(hi)}",
        params={
            "share": share,
            "amount": amount,
            "total": total,
            "low": lo,
            "high": hi,
            "level": Choices("programme_level", (level,)),
            "fix_variant": direction,
            "target": float(target),
            "change": float(change),
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
    if len(sources) == 1:
        only = next(iter(sources))
        yield Finding(
            "KUK-FUNDRAISING-ONE-SOURCE",
            step="fundraising",
            sheet=blk.sheet,
            cell=blk.area,
            column="source",
            value=Choices("funding_source", (only,)),
        )
    total = sum(sources.values())
    if total > 0 and len(sources) > 1:
        top, amount = max(sources.items(), key=lambda kv: kv[1])
        cap = float(ctx.tpl.rules["largest_source_share_max"])
        if amount / total > cap:
            yield Finding(
                "KUK-FUNDRAISING-LARGEST-SHARE",
                step="fundraising",
                sheet=blk.sheet,
                cell=blk.area,
                column="source",
                value=Choices("funding_source", (top,)),
                params={"share": amount / total, "source": top, "cap": cap},
            )


@check
def fundraising_horizon(ctx: Context) -> Iterator[Finding]:
    """The deck: plan at least 2-3 years ahead (3-5 is best)."""
    blk = ctx.plan.block("fundraising", "horizon") if ctx.present("fundraising") else None
    chosen = blk.fields.get("years") if blk else None
    if chosen is None or not chosen.ok:
        return
    order = [c.key for c in ctx.tpl.choices["fundraising_horizon"].choices]
    least = str(ctx.tpl.rules["fundraising_horizon_min"])
    if order.index(str(chosen.value)) < order.index(least):
        yield Finding(
            "KUK-FUNDRAISING-HORIZON",
            step="fundraising",
            sheet=chosen.sheet,
            cell=chosen.cell,
            column="years",
            value=Choices("fundraising_horizon", (str(chosen.value),)),
            expected=Choices("fundraising_horizon", (least,)),
        )


# --- sustainability ------------------------------------------------------------------------------


@check
def sustainability_kinds(ctx: Context) -> Iterator[Finding]:
    """The deck's two kinds of sustainability, organisational- and financial-economic:
    the plan covers both (a file without the kind column has nowhere to say)."""
    blk = ctx.plan.block("sustainability", "plan") if ctx.present("sustainability") else None
    if blk is None or "kind" not in blk.columns or not blk.rows:
        return
    found = {r.values["kind"].value for r in blk.rows if "kind" in r.values}
    missing = tuple(
        c.key for c in ctx.tpl.choices["sustainability_kind"].choices if c.key not in found
    )
    if missing:
        yield Finding(
            "KUK-SUSTAINABILITY-KINDS",
            step="sustainability",
            sheet=blk.sheet,
            cell=blk.area,
            column="kind",
            value=Choices("sustainability_kind", missing),
            params={"missing": list(missing)},
        )
