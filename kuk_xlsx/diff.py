"""What changed between two submissions of one NGO, per step."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kuk_xlsx.read.reader import BlockData, PlanData
from kuk_xlsx.spec.template import Template, load_template


@dataclass
class Change:
    kind: str  # added | removed | changed
    block: str
    key: str  # field key, or the row number in the new (added/changed) or old (removed) file
    old: Any = None
    new: Any = None


@dataclass
class StepDiff:
    step: str
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(ch.kind for ch in self.changes)
        return {k: c.get(k, 0) for k in ("added", "removed", "changed")}


def _hashable(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(v)
    return round(v, 6) if isinstance(v, float) else v


def _row_values(row: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _hashable(v.value)) for k, v in row.values.items()))


def _table_changes(block: str, old: BlockData | None, new: BlockData | None) -> list[Change]:
    old_rows = list(old.rows) if old else []
    new_rows = list(new.rows) if new else []
    # identical rows cancel out wherever they moved
    remaining = Counter(_row_values(r) for r in old_rows)
    new_left = []
    for r in new_rows:
        key = _row_values(r)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new_left.append(r)
    old_left = []
    for r in old_rows:
        key = _row_values(r)
        if remaining[key] > 0:
            remaining[key] -= 1
            old_left.append(r)
    out = []
    for o, n in zip(old_left, new_left, strict=False):
        ov, nv = dict(_row_values(o)), dict(_row_values(n))
        diffs = {
            k: (ov.get(k), nv.get(k)) for k in sorted(set(ov) | set(nv)) if ov.get(k) != nv.get(k)
        }
        out.append(
            Change(
                "changed",
                block,
                str(n.number),
                {k: a for k, (a, _) in diffs.items()},
                {k: b for k, (_, b) in diffs.items()},
            )
        )
    out += [
        Change("added", block, str(n.number), None, dict(_row_values(n)))
        for n in new_left[len(old_left) :]
    ]
    out += [
        Change("removed", block, str(o.number), dict(_row_values(o)), None)
        for o in old_left[len(new_left) :]
    ]
    return out


def _field_changes(block: str, old: BlockData | None, new: BlockData | None) -> list[Change]:
    ov = {k: v.value for k, v in (old.fields if old else {}).items()}
    nv = {k: v.value for k, v in (new.fields if new else {}).items()}
    out = []
    for k in sorted(set(ov) | set(nv)):
        if k not in ov:
            out.append(Change("added", block, k, None, nv[k]))
        elif k not in nv:
            out.append(Change("removed", block, k, ov[k], None))
        elif ov[k] != nv[k]:
            out.append(Change("changed", block, k, ov[k], nv[k]))
    return out


def diff_plans(old: PlanData, new: PlanData, tpl: Template | None = None) -> list[StepDiff]:
    """Per step (in workbook order) the items added, removed and changed."""
    tpl = tpl or load_template()
    out = []
    for step in tpl.steps:
        o, n = old.steps.get(step.key), new.steps.get(step.key)
        if o is None and n is None:
            continue
        sd = StepDiff(step.key)
        for blk in step.blocks:
            ob = o.blocks.get(blk.key) if o else None
            nb = n.blocks.get(blk.key) if n else None
            if blk.kind == "table":
                sd.changes += _table_changes(blk.key, ob, nb)
            else:
                sd.changes += _field_changes(blk.key, ob, nb)
        out.append(sd)
    return out


def unchanged(diffs: list[StepDiff]) -> bool:
    """True when the new submission changes nothing."""
    return not any(d.changes for d in diffs)
