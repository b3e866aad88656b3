"""What changed between two submissions of one NGO, per step."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kuk_xlsx.catalogue import text
from kuk_xlsx.read.model import BlockData, PlanData
from kuk_xlsx.spec.template import Column, Template, load_template


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


# --- how a change reads --------------------------------------------------------

SHOWN = 60  # characters of one value shown in a change line


def _shown(tpl: Template, col: Column | None, value: Any, lang: str) -> str:
    """One value as a person reads it: choice keys as their labels, numbers grouped."""
    if value is None or value == "" or value == ():
        return text("diff.empty", lang)
    if isinstance(value, tuple | list):
        return ", ".join(_shown(tpl, col, v, lang) for v in value)
    if col is not None and col.choices and isinstance(value, str):
        listed = {c.key: c.label.get(lang) for c in tpl.choices[col.choices].choices}
        value = listed.get(value, value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,.0f}".replace(",", "\u00a0") if float(value).is_integer() else f"{value:g}"
    said = str(value).replace("\n", " ")
    return said if len(said) <= SHOWN else said[: SHOWN - 1] + "…"


def change_lines(tpl: Template, step: str, change: Change, lang: str) -> list[str]:
    """One change as plain lines in ``lang``: what it is and each value, old → new.

    Never Python data: a changed row lists each column that changed, by its label,
    and a choice shows its label, not its key.
    """
    blk = tpl.step(step).block(change.block)

    def column(key: str) -> Column | None:
        try:
            return blk.column(key)
        except KeyError:
            return None

    def label(key: str) -> str:
        col = column(key)
        return col.label.get(lang) if col is not None else key

    # a block without a title of its own (a step's one block of fields) is the step
    where = (blk.title or tpl.step(step).title).get(lang)
    if blk.kind == "table":
        where = f"{where}, {text('diff.row', lang, n=change.key)}"
        old = change.old if isinstance(change.old, dict) else {}
        new = change.new if isinstance(change.new, dict) else {}
        keys = [k for k in (c.key for c in blk.columns) if k in old or k in new]
        keys += sorted((set(old) | set(new)) - set(keys))
        parts = [
            f"{label(k)}: {_shown(tpl, column(k), old.get(k), lang)} → "
            f"{_shown(tpl, column(k), new.get(k), lang)}"
            for k in keys
            if old.get(k) != new.get(k) or change.kind == "changed"
        ]
        return [where] + [f"    {p}" for p in parts]
    col = column(change.key)
    return [
        f"{where}: {label(change.key)}: {_shown(tpl, col, change.old, lang)} → "
        f"{_shown(tpl, col, change.new, lang)}"
    ]


def same_organisation(old: PlanData, new: PlanData) -> bool:
    """False when the two files name different organisations (by id, else by name)."""
    if old.org_id and new.org_id:
        return old.org_id.strip().casefold() == new.org_id.strip().casefold()
    if old.org_name and new.org_name:
        return (
            " ".join(old.org_name.split()).casefold() == " ".join(new.org_name.split()).casefold()
        )
    return True
