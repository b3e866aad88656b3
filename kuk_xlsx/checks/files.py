"""Checks on the file as a whole, on values typed where another kind was expected,
and on what is left empty."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kuk_xlsx.checks.base import Choices, Context, Finding, SpecKeys, check
from kuk_xlsx.read.a1 import col_letter
from kuk_xlsx.read.model import BlockData, Row
from kuk_xlsx.read.sheet import MAX_COLS, MAX_ROWS
from kuk_xlsx.spec.template import META_SHEET, Block, Column, Step

# --- file level ------------------------------------------------------------------------


@check
def file_level(ctx: Context) -> Iterator[Finding]:
    plan, tpl = ctx.plan, ctx.tpl
    if plan.version_lacks:  # an earlier released version, read by its own layout
        params = {"fix_variant": "released", "added": SpecKeys(tuple(plan.version_lacks))}
        yield Finding(
            "KUK-FILE-VERSION", value=plan.template_version, expected=tpl.version, params=params
        )
    elif plan.template_version and plan.template_version != tpl.version:
        yield Finding("KUK-FILE-VERSION", value=plan.template_version, expected=tpl.version)
    meta = sorted({i.column or i.code for i in plan.interpretations if i.code.startswith("meta")})
    if meta:
        yield Finding("KUK-FILE-META", sheet=META_SHEET, value=", ".join(meta))
    if plan.macros:
        yield Finding("KUK-FILE-MACROS")
    for step in plan.missing_steps:
        yield Finding("KUK-STEP-MISSING", step=step, expected=tpl.step(step).sheet.get(ctx.lang))
    if not plan.spec_known and plan.template_version == tpl.version:
        yield Finding(
            "KUK-FILE-SPEC-CHANGED", params={"version": tpl.version, "hash": plan.spec_hash}
        )
    # one finding per column of a sheet, though several of its tables lack it
    for step, column in dict.fromkeys((s, c) for s, _b, c in plan.missing_columns):
        data = plan.steps.get(step)
        yield Finding(
            "KUK-FILE-COLUMN-MISSING",
            step=step,
            sheet=data.sheet if data is not None else "",
            column=column,
        )
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
    "number-from-text": "KUK-NUMBER-AS-TEXT",
    "date-from-text": "KUK-VALUE-INTERPRETED",
    "percent-scaled": "KUK-VALUE-INTERPRETED",
    "recomputed": "KUK-VALUE-INTERPRETED",
    "formula-not-checked": "KUK-FORMULA-NOT-CHECKED",
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
            chosen = ctx.tpl.choices[col.choices or ""]
            expected = Choices(chosen.key, tuple(c.key for c in chosen.choices))
        yield Finding(
            code,
            step=i.step,
            sheet=i.sheet,
            cell=i.cell,
            column=i.column,
            value=i.raw,
            expected=expected,
            # the number as it should be typed (shown without thousands separators)
            params={"plain": expected} if code == "KUK-NUMBER-AS-TEXT" else {},
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
            yield from _block_completeness(step, blk, got, set(ctx.plan.missing_columns))


SMART = ("specific", "measurable", "area", "realistic", "time_bound")
# Required cells a more specific rule asks for in its own words (one finding per cell):
# an unanswered SMART column is KUK-GOALS-SMART-ANSWERED, not also KUK-REQUIRED-CELL,
# and a schedule row with no goal is KUK-SCHEDULE-NO-GOAL ("choose which goal it serves").
ASKED_ELSEWHERE = {("goals", "goals", key) for key in SMART} | {
    ("schedule", block, "goal") for block in ("activity", "capacity")
}


def _block_completeness(
    step: Step, blk: Block, got: BlockData, missing: set[tuple[str, str, str]]
) -> Iterator[Finding]:
    """Findings for what is left empty; a column the file lacks is reported once
    (KUK-FILE-COLUMN-MISSING), not in every row."""
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
            if (step.key, blk.key, col.key) in ASKED_ELSEWHERE | missing:
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
