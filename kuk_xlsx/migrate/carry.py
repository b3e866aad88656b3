"""One old plan's values shaped for ``build_workbook(data=...)``, and what was left behind.

Values are carried as typed: a text the reader could not read as a number, a
yes/no or a date goes over as the text it was, so the NGO (and ``validate``) sees
it again; only a choice outside its list cannot stand in a dropdown cell.  A
computed column (the budget's amount) is left to its formula unless the NGO
typed the amount without its inputs.  Everything not carried is a
:class:`NotCarried` item: a code, keys, the old cell and the value found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kuk_xlsx.build.workbook import LEVELS, Organisation, PlanValues
from kuk_xlsx.read.model import BlockData, PlanData, Value
from kuk_xlsx.spec.changes import KeyMap
from kuk_xlsx.spec.template import Block, Step, Template

# Why a value was not carried (or carried as typed), each a text in catalogue/migrate.toml.
REASONS = (
    "kept-as-typed",  # the reader could not type it: carried as the text it was
    "not-a-choice",  # a choice outside its list: a dropdown cell cannot take it
    "too-many-rows",  # rows beyond the new table's capacity
    "not-in-template",  # a step, block or column the current template lacks
    "step-missing",  # a step the old file lacks (sheet deleted): left empty
    "column-missing",  # a column the old file lacks (deleted): left empty
    "new-in-template",  # a step or column new in the current version: left empty
)


@dataclass(frozen=True)
class NotCarried:
    """One thing the new workbook does not hold as the old one did.

    ``sheet``/``cell`` are where it stood in the old file, ``value`` what the file
    showed there (a row's values joined, for a row that did not fit); ``column``
    is a current column key when there is one.
    """

    reason: str
    step: str
    block: str = ""
    column: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""


class Carry:
    """One plan's values shaped for ``build_workbook(data=...)``, and what was left."""

    def __init__(self, tpl: Template, plan: PlanData, keys: KeyMap) -> None:
        self.tpl = tpl
        self.plan = plan
        self.keys = keys
        self.items: list[NotCarried] = []
        self.count = 0
        self.steps: dict[str, Step] = {s.key: s for s in tpl.steps}
        self.source_steps: list[str] = []  # current keys of the steps the old file expects

    def data(self) -> PlanValues:
        out: PlanValues = {}
        for old_key in self.plan.expected_steps:
            key = self.keys.key(old_key)
            if key is not None and "." not in key and key in self.steps:
                self.source_steps.append(key)
        for old_key, st in self.plan.steps.items():
            for old_block, blk_data in st.blocks.items():
                self.block(out, old_key, old_block, blk_data)
        for old_key in self.plan.missing_steps:
            key = self.keys.key(old_key)
            if key in self.steps:
                self.items.append(NotCarried("step-missing", key))
        for old_step, old_block, old_col in self.plan.missing_columns:
            key = self.keys.key(f"{old_step}.{old_block}.{old_col}")
            if key is not None and self._column_exists(key):
                step, block, column = key.split(".")
                self.items.append(NotCarried("column-missing", step, block, column))
        modules = self.modules()
        chosen = {s.key for s in self.tpl.steps if modules is None or s.module == "core"}
        chosen |= {s.key for s in self.tpl.steps if modules and {s.module, s.key} & set(modules)}
        for key in self.keys.added:  # (only what the new workbook has: its modules)
            step, block, column = [*key.split("."), "", ""][:3]
            if step in chosen:
                self.items.append(NotCarried("new-in-template", step, block, column))
        return out

    def modules(self) -> list[str] | None:
        """The modules (or single steps) the old file had, so the new one has them too
        (``None``: all of them); a step a later version added comes with its module."""
        added = {k for k in self.keys.added if "." not in k}
        wanted: list[str] = []
        for mod in self.tpl.modules:
            in_mod = [s.key for s in self.tpl.steps if s.module == mod and s.key not in added]
            if in_mod and all(k in self.source_steps for k in in_mod):
                wanted.append(mod)
        covered = {s.key for s in self.tpl.steps if s.module in wanted or s.module == "core"}
        wanted += [k for k in self.source_steps if k not in covered]
        everything = {s.key for s in self.tpl.steps}
        chosen = {s.key for s in self.tpl.steps if s.module in wanted or s.key in wanted}
        return None if chosen | covered >= everything else wanted

    def _column_exists(self, key: str) -> bool:
        step, block, column = key.split(".")
        try:
            self.steps[step].block(block).column(column)
        except KeyError:
            return False
        return True

    def _target_block(self, step: str, block: str) -> Block | None:
        try:
            return self.steps[step].block(block) if step in self.steps else None
        except KeyError:
            return None

    def block(self, out: PlanValues, old_step: str, old_block: str, blk_data: BlockData) -> None:
        key = self.keys.key(f"{old_step}.{old_block}")
        step, _, block = (key or "").partition(".")
        blk = self._target_block(step, block) if key else None
        if blk is None:
            self._left(old_step, old_block, blk_data, "not-in-template")
            return
        if blk.kind == "table":
            out.setdefault(step, {})[block] = self.table(old_step, old_block, step, blk, blk_data)
        elif blk.kind == "grid":
            out.setdefault(step, {})[block] = self.grid(old_step, old_block, step, blk, blk_data)
        else:
            out.setdefault(step, {})[block] = self.fields(old_step, old_block, step, blk, blk_data)

    def _column(self, old_step: str, old_block: str, old_col: str, blk: Block) -> str | None:
        key = self.keys.key(f"{old_step}.{old_block}.{old_col}")
        if key is None:
            return None
        column = key.rsplit(".", 1)[1]
        return column if any(c.key == column for c in blk.columns) else None

    def value(
        self, step: str, block: str, blk: Block, column: str, v: Value, row: dict[str, Value]
    ) -> tuple[bool, Any]:
        """(carried?, the value to write) for one value read."""
        col = blk.column(column)
        if col.formula and _computable(col.formula, row):
            self.count += 1  # the formula works it out again: nothing to write
            return False, None
        if not v.ok:
            if col.type == "choice":
                self.items.append(
                    NotCarried("not-a-choice", step, block, column, v.sheet, v.cell, _shown(v))
                )
                return False, None
            self.items.append(
                NotCarried("kept-as-typed", step, block, column, v.sheet, v.cell, _shown(v))
            )
        self.count += 1
        return True, v.value

    def fields(
        self, old_step: str, old_block: str, step: str, blk: Block, blk_data: BlockData
    ) -> dict[str, Any]:
        # every field given (None when empty), so the builder pre-fills none the NGO cleared
        out: dict[str, Any] = {c.key: None for c in blk.columns}
        for old_col, v in blk_data.fields.items():
            column = self._column(old_step, old_block, old_col, blk)
            carried = self._carried(step, blk, column, old_col, v, blk_data.fields)
            if carried is not None:
                out[carried[0]] = carried[1]
        return out

    def grid(
        self, old_step: str, old_block: str, step: str, blk: Block, blk_data: BlockData
    ) -> dict[str, dict[str, Any]]:
        rows = {fr.key for fr in blk.fixed_rows}
        out: dict[str, dict[str, Any]] = {}
        for name, v in blk_data.fields.items():
            fixed, _, old_col = name.partition(".")
            column = self._column(old_step, old_block, old_col, blk) if fixed in rows else None
            carried = self._carried(step, blk, column, name, v, {})
            if carried is not None:
                out.setdefault(fixed, {})[carried[0]] = carried[1]
        return out

    def table(
        self, old_step: str, old_block: str, step: str, blk: Block, blk_data: BlockData
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for row in blk_data.rows:
            if len(rows) >= blk.rows:
                first = next(iter(row.values.values()))
                self.items.append(
                    NotCarried(
                        "too-many-rows",
                        step,
                        blk.key,
                        sheet=first.sheet,
                        cell=first.cell,
                        value="; ".join(_shown(v) for v in row.values.values()),
                    )
                )
                continue
            out: dict[str, Any] = {}
            for old_col, v in row.values.items():
                column = self._column(old_step, old_block, old_col, blk)
                carried = self._carried(step, blk, column, old_col, v, row.values)
                if carried is not None:
                    out[carried[0]] = carried[1]
            if out:
                rows.append(out)
        return rows

    def _carried(
        self,
        step: str,
        blk: Block,
        column: str | None,
        name: str,
        v: Value,
        siblings: dict[str, Value],
    ) -> tuple[str, Any] | None:
        """(column, value) for one old cell in the new block; ``None`` when it does not go
        over (a column the new block lacks is listed as not in the template)."""
        if column is None:
            self.items.append(
                NotCarried("not-in-template", step, blk.key, name, v.sheet, v.cell, _shown(v))
            )
            return None
        ok, value = self.value(step, blk.key, blk, column, v, siblings)
        return (column, value) if ok else None

    def _left(self, old_step: str, old_block: str, blk_data: BlockData, reason: str) -> None:
        """Every value of a block the target lacks, listed."""
        for name, v in blk_data.fields.items():
            self.items.append(
                NotCarried(reason, old_step, old_block, name, v.sheet, v.cell, _shown(v))
            )
        for row in blk_data.rows:
            first = next(iter(row.values.values()))
            shown = "; ".join(_shown(v) for v in row.values.values())
            self.items.append(
                NotCarried(reason, old_step, old_block, "", first.sheet, first.cell, shown)
            )


def _computable(formula: str, row: Mapping[str, Value]) -> bool:
    """Whether every input of a row formula is a number in ``row`` (the reader then
    recomputes the column, and the new workbook's formula does the same)."""
    used = re.findall(r"\{(\w+)\}", formula)
    return all((v := row.get(k)) is not None and v.ok and isinstance(v.value, float) for k in used)


def _shown(v: Value) -> str:
    """The value as the old file showed it."""
    if isinstance(v.raw, str) and v.raw.strip():
        return v.raw.strip()
    value = v.value
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(str(m) for m in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def organisation(plan: PlanData, data: PlanValues) -> Organisation:
    """The organisation the old file was made for: its embedded id and name, the
    profile's region and contacts."""
    profile = data.get("profile", {}).get("org", {})

    def field_text(key: str) -> str:
        value = profile.get(key)
        return str(value) if isinstance(value, str) else ""

    return Organisation(
        id=plan.org_id,
        name=plan.org_name or field_text("name"),
        region=field_text("region"),
        contact_person=field_text("contact_person"),
        contact=field_text("contact"),
    )


def programme_level(plan: PlanData, data: PlanValues) -> str:
    """The programme level the old file was made for, else the one its profile chose."""
    if plan.level in LEVELS:
        return plan.level
    chosen = data.get("profile", {}).get("org", {}).get("level")
    return chosen if chosen in LEVELS else LEVELS[0]
