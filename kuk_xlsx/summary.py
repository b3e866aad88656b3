"""One NGO's plan at a glance: completion per step, counts, key figures, findings.

Completion of a step is the mean over its blocks of:
- a fields block or a grid: the share of its required fields filled (all fields
  when none is required);
- a table: complete rows (every required cell filled) over its minimum rows,
  capped at 1; a table with no minimum counts as complete once it has a row.
A missing step is 0%.  The keys are stable and language-independent: cohort
columns and the JSON output both come from here.
"""

from __future__ import annotations

from typing import Any

from kuk_xlsx.catalogue import text
from kuk_xlsx.checks.engine import Report
from kuk_xlsx.read.figures import (
    band,
    funding_by_source,
    in_band,
    percent_text,
    programme_level,
)
from kuk_xlsx.read.model import BlockData, PlanData
from kuk_xlsx.spec.template import Block, Step, Template, load_template
from kuk_xlsx.write.safe import md_escape


def block_completion(
    blk: Block, got: BlockData | None, lacking: frozenset[str] = frozenset()
) -> float:
    """0..1 for one block (see the module docstring); ``lacking``: its columns the
    file's template version does not have (not asked of it)."""
    if got is None:
        return 0.0
    columns = [c for c in blk.columns if c.key not in lacking]
    if blk.kind in ("fields", "grid"):
        keys = (
            [(c.key, c) for c in columns]
            if blk.kind == "fields"
            else [(f"{r.key}.{c.key}", c) for r in blk.fixed_rows for c in columns]
        )
        wanted = [k for k, c in keys if c.required] or [k for k, _ in keys]
        return sum(k in got.fields for k in wanted) / len(wanted) if wanted else 1.0
    required = [c.key for c in columns if c.required]
    complete = sum(all(k in r.values for k in required) for r in got.rows)
    if blk.min_rows > 0:
        return min(1.0, complete / blk.min_rows)
    return 1.0 if complete else 0.0


def step_completion(step: Step, plan: PlanData) -> float:
    """0..1 for one step; 0 when its sheet is missing.  A workbook of an earlier
    version is judged on what its version asked: a block or column it lacks
    (``PlanData.version_lacks``) is left out, not counted empty."""
    data = plan.steps.get(step.key)
    lacks = set(plan.version_lacks)
    blocks = [b for b in step.blocks if f"{step.key}.{b.key}" not in lacks]
    if data is None or not blocks:
        return 0.0
    return sum(
        block_completion(
            b,
            data.blocks.get(b.key),
            frozenset(k.rsplit(".", 1)[1] for k in lacks if k.startswith(f"{step.key}.{b.key}.")),
        )
        for b in blocks
    ) / len(blocks)


def _count_by(
    plan: PlanData, step: str, block: str, column: str, keys: list[str]
) -> dict[str, int]:
    blk = plan.block(step, block)
    out = dict.fromkeys(keys, 0)
    for v in blk.column_values(column) if blk else []:
        if v.ok and v.value in out:
            out[v.value] += 1
    return out


def counts(tpl: Template, plan: PlanData) -> dict[str, Any]:
    """What a trainer counts on each step."""

    def n(step: str, block: str, column: str | None = None) -> int:
        blk = plan.block(step, block)
        if blk is None:
            return 0
        return len(blk.column_values(column)) if column else len(blk.rows)

    months: set[int] = set()
    activities = 0
    for block in ("activity", "capacity"):
        blk = plan.block("schedule", block)
        for row in blk.rows if blk else []:
            activities += 1
            if "months" in row.values:
                months.update(row.values["months"].value)
    factors = plan.block("success_factors", "factors")
    frame = plan.block("logframe", "frame")
    return {
        "stakeholders": _count_by(
            plan,
            "stakeholders",
            "map",
            "category",
            [c.key for c in tpl.choices["stakeholder_category"].choices],
        ),
        "swot": {
            "S": n("swot_internal", "items", "strength"),
            "W": n("swot_internal", "items", "weakness"),
            "O": n("swot_external", "trends", "opportunities"),
            "T": n("swot_external", "trends", "threats"),
        },
        "pest": _count_by(
            plan,
            "swot_external",
            "trends",
            "sphere",
            [c.key for c in tpl.choices["pest_sphere"].choices],
        ),
        "success_factors": sum(len(r.values) for r in factors.rows) if factors else 0,
        "goals": _count_by(
            plan, "goals", "goals", "kind", [c.key for c in tpl.choices["goal_kind"].choices]
        ),
        "activities": activities,
        "months_covered": sorted(months),
        "objectives": n("project", "objectives"),
        "workplan_activities": n("workplan", "activities"),
        "logframe_cells": len(frame.fields) if frame else 0,
        "indicators": n("me_plan", "indicators"),
        "budget_lines": n("budget", "items"),
        "funding_rows": n("fundraising", "plan"),
    }


def key_figures(tpl: Template, plan: PlanData) -> dict[str, Any]:
    """Total budget, M&E share and band, funding sources and the largest one's share."""
    total = plan.figures.get("budget.items.total")
    share = plan.figures.get("budget.items.me_share")
    level = programme_level(plan)
    lo, hi = band(tpl, "me_share", level)
    sources = funding_by_source(plan)
    funding_total = sum(sources.values())
    largest = max(sources.items(), key=lambda kv: kv[1]) if sources else None
    return {
        "level": level,
        "budget_total": total if plan.block("budget", "items") else None,
        "me_amount": plan.figures.get("budget.items.me_amount"),
        "me_share": share,
        "me_band": [lo, hi],
        "me_in_band": None if share is None else in_band(share, lo, hi),
        "funding_total": funding_total if sources else None,
        "funding_sources": len(sources),
        "largest_source": largest[0] if largest else None,
        "largest_source_share": (largest[1] / funding_total)
        if largest and funding_total > 0
        else None,
    }


def summarise(report: Report, tpl: Template | None = None) -> dict[str, Any]:
    """The summary of one validated workbook, with stable keys (``kuk-xlsx summary --format json``)."""
    tpl = tpl or load_template()
    out: dict[str, Any] = {
        "kuk_summary": 1,
        "file": report.file,
        "status": report.status,
        "findings": report.counts(),
    }
    plan = report.plan
    if plan is None:
        out["problem"] = report.problem.code if report.problem else "unreadable"
        return out
    expected = [s for s in tpl.steps if s.key in plan.expected_steps] or list(tpl.steps)
    completion = {s.key: round(step_completion(s, plan), 3) for s in expected}
    out.update(
        {
            "organisation": {"id": plan.org_id, "name": org_name(plan)},
            "template": {
                "id": plan.template_id,
                "version": plan.template_version,
                "language": plan.language,
                # an earlier released version: read by its own layout; what it lacks
                **({"read_as": plan.read_as, "lacks": plan.version_lacks} if plan.read_as else {}),
            },
            "completion": completion,
            "completion_overall": round(sum(completion.values()) / len(completion), 3)
            if completion
            else 0.0,
            "missing_steps": plan.missing_steps,
            "counts": counts(tpl, plan),
            "figures": key_figures(tpl, plan),
        }
    )
    return out


def org_name(plan: PlanData) -> str:
    """The organisation's name as typed on the profile, else as generated."""
    blk = plan.block("profile", "org")
    typed = blk.fields.get("name") if blk else None
    return str(typed.value) if typed is not None else plan.org_name


def _t(key: str, lang: str) -> str:
    return text(f"summary.{key}", lang)


def summary_lines(
    s: dict[str, Any], lang: str, markdown: bool = False, tpl: Template | None = None
) -> list[str]:
    """The summary as plain text or Markdown lines in ``lang``."""
    tpl = tpl or load_template()
    h = "## " if markdown else ""
    item = "- " if markdown else "  "
    shown = md_escape if markdown else str  # NGO text never becomes Markdown (links, tables)
    org = shown(s.get("organisation", {}).get("name") or s["file"])
    n = s["findings"].get("coaching", 0)
    verdict = "OK_COACHING" if s["status"] == "OK" and n else s["status"]
    status = text(f"outputs.status.{verdict}", lang, n=n)
    out = [f"{h}{org} — {status}", f"{item}{shown(s['file'])}"]
    if "completion" not in s:
        return out
    t = s["template"]
    version = text("summary.version", lang, version=t["version"], language=t["language"])
    if t.get("read_as"):  # an earlier released version, read by its own layout
        version += " · " + text("summary.read_as", lang, version=t["read_as"], current=tpl.version)
    out.append(f"{item}{version}")
    out.append("")
    out.append(
        f"{h}{_t('completion', lang)}: {percent_text(s['completion_overall'], lang)} ({_t('overall', lang)})"
    )
    if markdown:
        out += ["", "| | % |", "|---|---|"]
    for key, value in s["completion"].items():
        name = tpl.step(key).sheet.get(lang)
        out.append(
            f"| {name} | {percent_text(value, lang)} |"
            if markdown
            else f"{item}{name:<32} {percent_text(value, lang):>5}"
        )
    c, f = s["counts"], s["figures"]
    labels = {
        ch.key: ch.label.get(lang)
        for lst in ("stakeholder_category", "goal_kind")
        for ch in tpl.choices[lst].choices
    }
    out.append("")
    has = s["completion"].keys()  # the steps the workbook contains: no line for the others
    if "stakeholders" in has:
        out.append(
            f"{item}{_t('stakeholders', lang)}: "
            + ", ".join(f"{labels[k]} {v}" for k, v in c["stakeholders"].items())
        )
    if {"swot_internal", "swot_external"} & has:
        swot = ", ".join(f"{k} {v}" for k, v in c["swot"].items())
        out.append(f"{item}{_t('swot', lang)}: {swot}")
    if "success_factors" in has:
        out.append(f"{item}{_t('success_factors', lang)}: {c['success_factors']}")
    if "goals" in has:
        out.append(
            f"{item}{_t('goals', lang)}: "
            + ", ".join(f"{labels[k]} {v}" for k, v in c["goals"].items())
        )
    if "schedule" in has:
        months = ", ".join(map(str, c["months_covered"])) or "—"
        out.append(f"{item}{_t('activities', lang)}: {c['activities']} ({months})")
    frame = (
        [b for b in tpl.step("logframe").blocks if b.kind == "grid"] if "logframe" in has else []
    )
    if frame:
        cells = len(frame[0].fixed_rows) * len(frame[0].columns)
        out.append(f"{item}{_t('logframe_cells', lang)}: {c['logframe_cells']}/{cells}")
    if "me_plan" in has:
        out.append(f"{item}{_t('indicators', lang)}: {c['indicators']}")
    if f["budget_total"] is not None:
        band_word = (
            _t("in_band" if f["me_in_band"] else "out_band", lang)
            if f["me_in_band"] is not None
            else ""
        )
        total = f"{f['budget_total']:,.0f}".replace(",", " ")
        lo, hi = f["me_band"]
        out.append(
            f"{item}{_t('budget_total', lang)}: {total}; {_t('me_share', lang)}: {percent_text(f['me_share'], lang)} "
            f"({percent_text(lo, lang)}–{percent_text(hi, lang)}, {band_word})"
        )
    if f["funding_sources"]:
        src = next(
            ch.label.get(lang)
            for ch in tpl.choices["funding_source"].choices
            if ch.key == f["largest_source"]
        )
        out.append(
            f"{item}{_t('sources', lang)}: {f['funding_sources']}; {_t('largest', lang)}: {src} "
            f"{percent_text(f['largest_source_share'], lang)}"
        )
    n = s["findings"]
    out.append(
        f"{item}{_t('findings', lang)}: "
        + text("outputs.text.counts", lang, **{k: n[k] for k in ("error", "warning", "coaching")})
    )
    return out
