"""Validation: read one workbook and run every check on it.

The checks live by family (``files``, ``strategy``, ``goals``, ``project``); importing them
here registers them, in that order, which is the order findings are listed in.
"""

from __future__ import annotations

from pathlib import Path

from kuk_xlsx.checks import files, goals, project, strategy
from kuk_xlsx.checks.base import CHECKS, Context, Finding, Report
from kuk_xlsx.package.preflight import ReadError
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_workbook, read_workbook_bytes
from kuk_xlsx.spec.template import Template, load_template

__all__ = ["Finding", "Report", "validate", "validate_plan"]
_FAMILIES = (files, strategy, goals, project)  # imported for the checks they register


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
    if plan.version_lacks:
        lacked = _lacked(tpl, plan.version_lacks)
        out = [
            f
            for f in out
            if f.cell
            or (
                (f.step, "") not in lacked and (f.step, f.column.rsplit(".", 1)[-1]) not in lacked
            )  # (a grid's "row.column")
        ]
    return out


def _lacked(tpl: Template, lacks: list[str]) -> set[tuple[str, str]]:
    """(step, column or block key) of what the file's version lacks, ``(step, "")`` for
    a whole step: a finding about one with no cell is dropped, as the NGO had nowhere
    to type it (KUK-FILE-VERSION names these once)."""
    out: set[tuple[str, str]] = set()
    for key in lacks:
        step, block, column = [*key.split("."), "", ""][:3]
        if not block:
            out.add((step, ""))
        elif column:
            out.add((step, column))
        else:
            blk = tpl.step(step).block(block)
            out |= {(step, block)} | {(step, c.key) for c in (*blk.columns, *blk.totals)}
    return out
