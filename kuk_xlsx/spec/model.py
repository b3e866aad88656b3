"""The spec's typed model: steps, blocks, columns, lists and the template itself.

Plain frozen dataclasses; :mod:`kuk_xlsx.spec.loader` builds them from TOML and
:class:`SpecError` is what it raises when a spec file is malformed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kuk_xlsx.catalogue import Label
from kuk_xlsx.spec.changes import Change

# The two hidden sheets every generated workbook carries (names in every language).
LISTS_SHEET = "_lists"  # the dropdown lists
META_SHEET = "_meta"  # template id, version, language, organisation, steps
DEFAULT_LANG = "kk"

COLUMN_TYPES = frozenset(
    {
        "text",
        "long_text",
        "number",
        "money",
        "percent",
        "yes_no",
        "choice",
        "months",
        "date",
        "ref",
    }
)
BLOCK_KINDS = frozenset({"table", "fields", "grid"})
TOTAL_KINDS = frozenset({"sum", "sum_where", "share_where"})


class SpecError(Exception):
    """A spec file is malformed; the message names the file and the key path."""

    def __init__(self, file: Path | str, key_path: str, message: str) -> None:
        self.file = str(file)
        self.key_path = key_path
        self.message = message
        super().__init__(f"{self.file}: {key_path}: {message}")


@dataclass(frozen=True)
class Choice:
    key: str
    label: Label


@dataclass(frozen=True)
class ChoiceList:
    key: str
    choices: tuple[Choice, ...]

    def labels(self, lang: str) -> list[str]:
        """The choices' labels in ``lang``, in spec order."""
        return [c.label.get(lang) for c in self.choices]


@dataclass(frozen=True)
class Column:
    """A table column or a single field."""

    key: str
    label: Label
    type: str
    required: bool = False
    width: float = 18.0
    choices: str | None = None
    ref: str | None = None  # "step.block.column" whose values feed this dropdown
    formula: str | None = None  # e.g. "{quantity}*{unit_cost}", per row
    hint: Label | None = None


@dataclass(frozen=True)
class FixedRow:
    """A row of a grid block (e.g. the logframe's goal / purpose / outputs / activities)."""

    key: str
    label: Label


@dataclass(frozen=True)
class Total:
    """A live figure under a table: a sum, or a share of rows whose choice matches."""

    key: str
    label: Label
    kind: str
    column: str
    where_column: str | None = None
    where_choice: str | None = None
    percent: bool = False
    band: str | None = None  # rules.<band>_national / <band>_regional give the range


@dataclass(frozen=True, eq=False)
class Block:
    key: str
    kind: str
    title: Label | None
    columns: tuple[Column, ...]
    rows: int = 0
    min_rows: int = 0
    fixed_rows: tuple[FixedRow, ...] = ()
    totals: tuple[Total, ...] = ()

    def column(self, key: str) -> Column:
        """The column (or field) called ``key``."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True, eq=False)
class Step:
    key: str
    number: str
    module: str
    title: Label
    sheet: Label
    instructions: Label
    example: Label
    blocks: tuple[Block, ...]
    # the step's own rule parameters ([rules] in its file); also in Template.rules
    rules: dict[str, Any] = field(default_factory=dict)

    def number_in(self, lang: str) -> str:
        """The step's number as a reader of ``lang`` sees it: "2a" is the Latin key,
        shown "2а" with the Cyrillic letter in kk and ru text."""
        return self.number if lang == "en" else self.number.replace("a", "\u0430")

    def block(self, key: str) -> Block:
        """The block called ``key``."""
        for blk in self.blocks:
            if blk.key == key:
                return blk
        raise KeyError(key)


@dataclass(frozen=True)
class RosterColumn:
    key: str
    label: Label
    required: bool


@dataclass(frozen=True, eq=False)
class Template:
    id: str
    version: str
    released: date
    spec_hash: str
    title: Label
    training_goal: Label
    how_to: Label
    rules: dict[str, Any]
    ui: dict[str, Label]
    choices: dict[str, ChoiceList]
    steps: tuple[Step, ...]
    modules: dict[str, Label] = field(default_factory=dict)
    roster: tuple[RosterColumn, ...] = ()
    # the spec hashes of every build sent out (releases.toml), this one's included
    released_hashes: frozenset[str] = frozenset()
    # the folder it was loaded from: earlier released versions are in its released/
    folder: Path | None = None
    # version -> the key changes it made to the version before (changes.toml)
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)

    def step(self, key: str) -> Step:
        """The step called ``key``."""
        for st in self.steps:
            if st.key == key:
                return st
        raise KeyError(key)

    def expanded(self, blk: Block) -> tuple[tuple[Column, int | None], ...]:
        """A table's columns, a months column expanded into one column per month of
        the schedule: the columns as they stand on the sheet."""
        return _expanded(self, blk)

    def text(self, key: str, lang: str) -> str:
        """A UI string (``[ui]`` table of template.toml) in ``lang``."""
        return self.ui[key].get(lang)

    def resolve_ref(self, ref: str) -> tuple[Step, Block, Column]:
        """Resolve ``"step.block.column"``."""
        step_key, block_key, col_key = ref.split(".")
        step = self.step(step_key)
        block = step.block(block_key)
        return step, block, block.column(col_key)


# What is worked out from a template (expanded columns, read plans, choice indexes)
# is kept by this one cache, keyed by the template and its parts.  A template, its
# steps and blocks are immutable and compare by identity, so two templates loaded
# from different folders never share an entry; the cache is bounded, so a process
# that loads many templates does not keep them all.
template_cache = functools.lru_cache(maxsize=1024)


@template_cache
def _expanded(tpl: Template, blk: Block) -> tuple[tuple[Column, int | None], ...]:
    months = int(tpl.rules.get("schedule_months", 6))
    out: list[tuple[Column, int | None]] = []
    for col in blk.columns:
        if col.type == "months":
            out.extend((col, m) for m in range(1, months + 1))
        else:
            out.append((col, None))
    return tuple(out)
