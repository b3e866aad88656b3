"""Key figures recomputed from the inputs: totals, shares, bands.

Cached formula results in returned files are never trusted; these are what
validation, summaries and cohorts use.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kuk_xlsx.spec.template import Template

if TYPE_CHECKING:
    from kuk_xlsx.read.model import PlanData


def _finite(value: float) -> float | None:
    """``value``, or ``None`` when a sum overflowed (1e308 + 1e308): no figure, not infinity."""
    return value if math.isfinite(value) else None


def percent_points(share: float) -> float:
    """A share as the per cent every output shows and every band is judged by: to
    0.1 of a point (0.07499 -> 7.5).  One rule, so a share shown in the band is in it."""
    return round(share * 100, 1)


def percent_text(share: float | None, lang: str = "en") -> str:
    """``share`` as every output writes it: "50%", "7.5%" ("7,5%" in kk and ru), "—"."""
    if share is None:
        return "—"
    text = f"{percent_points(share):.1f}".removesuffix(".0") + "%"
    return text.replace(".", ",") if lang in ("kk", "ru") else text


def in_band(share: float, lo: float, hi: float) -> bool:
    """Whether ``share`` lies in [lo, hi], judged on the per cent as shown."""
    return percent_points(lo) <= percent_points(share) <= percent_points(hi)


def band(tpl: Template, band_key: str, level: str) -> tuple[float, float]:
    """The (low, high) band for a programme level; national unless it says regional."""
    lo, hi = tpl.rules[f"{band_key}_{'regional' if level == 'regional' else 'national'}"]
    return float(lo), float(hi)


def programme_level(plan: PlanData) -> str:
    """The level the NGO chose on its profile; else the one the workbook was made for."""
    blk = plan.block("profile", "org")
    chosen = blk.fields.get("level") if blk else None
    if chosen is not None and chosen.ok:
        return str(chosen.value)
    return plan.level or "national"


def funding_by_source(plan: PlanData) -> dict[str, float]:
    """Expected fundraising amount per funding source key (unreadable amounts count 0)."""
    out: dict[str, float] = {}
    blk = plan.block("fundraising", "plan")
    for row in blk.rows if blk else []:
        src, amount = row.values.get("source"), row.values.get("amount")
        if src is not None and src.ok:
            value = float(amount.value) if amount is not None and amount.ok else 0.0
            out[str(src.value)] = out.get(str(src.value), 0.0) + value
    return out


def compute_figures(tpl: Template, plan: PlanData) -> dict[str, float | None]:
    """Every spec total as ``step.block.total`` (``None`` where it cannot be computed)."""
    out: dict[str, float | None] = {}
    level = programme_level(plan)
    for step in tpl.steps:
        for blk_spec in step.blocks:
            if not blk_spec.totals:
                continue
            blk = plan.block(step.key, blk_spec.key)
            rows = blk.rows if blk else []
            for tot in blk_spec.totals:
                key = f"{step.key}.{blk_spec.key}.{tot.key}"
                if blk is None:
                    out[key] = None
                    continue
                amounts = [
                    (r.values.get(tot.where_column or ""), float(r.values[tot.column].value))
                    for r in rows
                    if tot.column in r.values
                    and r.values[tot.column].ok
                    and isinstance(r.values[tot.column].value, float)
                ]
                total = _finite(sum(a for _, a in amounts))
                where = _finite(
                    sum(a for w, a in amounts if w is not None and w.value == tot.where_choice)
                )
                if tot.kind == "sum":
                    out[key] = total
                elif tot.kind == "sum_where":
                    out[key] = where
                else:
                    out[key] = where / total if total and where is not None and total > 0 else None
                if tot.band:
                    lo, hi = band(tpl, tot.band, level)
                    out[f"{key}_min"], out[f"{key}_max"] = lo, hi
    return out
