"""What two reads of the same workbook must share: every value, where it is, the identity."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.read.model import PlanData


def values(plan: PlanData) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Every value read: (step, block, row or field, column) -> (value, sheet, cell, ok)."""
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for sk, step in plan.steps.items():
        for bk, blk in step.blocks.items():
            for row in blk.rows:
                for ck, v in row.values.items():
                    out[(sk, bk, row.number, ck)] = (v.value, v.sheet, v.cell, v.ok)
            for fk, v in blk.fields.items():
                out[(sk, bk, fk)] = (v.value, v.sheet, v.cell, v.ok)
    return out


def renamed(
    found: dict[tuple[Any, ...], tuple[Any, ...]], suffix: str
) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """``found`` (see :func:`values`) with every step sheet's name ending in ``suffix``."""
    if not suffix:
        return found
    return {k: (v[0], v[1] + suffix, *v[2:]) for k, v in found.items()}


def raws(plan: PlanData) -> dict[tuple[Any, ...], Any]:
    """What the file held for each value, where it differs from the value."""
    out = {}
    for sk, step in plan.steps.items():
        for bk, blk in step.blocks.items():
            cells = [((sk, bk, r.number, k), v) for r in blk.rows for k, v in r.values.items()]
            cells += [((sk, bk, k), v) for k, v in blk.fields.items()]
            # (as the dump shows it: a cached formula result equal to the value is no raw)
            out.update({key: v.raw for key, v in cells if v.raw is not None and v.raw != v.value})
    return out


def identity(plan: PlanData) -> tuple[Any, ...]:
    return (
        plan.template_id,
        plan.template_version,
        plan.spec_hash,
        plan.spec_known,
        plan.language,
        plan.level,
        plan.org_id,
        plan.org_name,
        plan.expected_steps,
        plan.missing_steps,
    )


def added_notes(plan: PlanData, source: PlanData) -> Counter[str]:
    """The interpretation codes ``plan`` has beyond ``source``'s (and none missing)."""
    have = Counter(i.code for i in plan.interpretations)
    had = Counter(i.code for i in source.interpretations)
    assert not had - have, f"interpretations lost: {had - have}"
    return have - had


def located(report: Report, suffix: str = "") -> list[tuple[str, str, str, str, str]]:
    """The findings, each as (code, step, sheet, cell, column), sorted; with ``suffix``
    added to the name of each step sheet (see :func:`renamed`)."""

    def sheet(name: str) -> str:
        return name + suffix if name and not name.startswith("_") else name

    return sorted((f.code, f.step, sheet(f.sheet), f.cell, f.column) for f in report.findings)
