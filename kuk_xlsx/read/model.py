"""The typed result of a read: PlanData and the blocks, rows and values it holds.

What the reader hands to checks, summaries, diffs and cohorts: every value typed
for its column with the sheet and cell it came from (:class:`Value`), the steps and
blocks shaped by the spec, and every :class:`Interpretation` the reader had to make.
:meth:`PlanData.to_json` is the documented ``kuk-xlsx dump`` shape.  Plain data: no
file is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kuk_xlsx.read.a1 import cell_ref


@dataclass(slots=True, init=False)
class Value:
    """One typed value and where it came from."""

    value: Any
    sheet: str
    cell: str
    raw: Any
    ok: bool  # False: kept as typed, but not a valid value of the column's type

    # (written out: the generated __init__ took twice as long, for every cell read)
    def __init__(self, value: Any, sheet: str, cell: str, raw: Any = None, ok: bool = True) -> None:
        self.value = value
        self.sheet = sheet
        self.cell = cell
        self.raw = raw
        self.ok = ok

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _jsonable(self.value), "cell": self.cell}
        if self.raw is not None and self.raw != self.value:
            out["raw"] = _jsonable(self.raw)
        if not self.ok:
            out["ok"] = False
        return out


@dataclass
class Interpretation:
    """Something the reader had to assume: a normalised value or a fallback it used."""

    code: str
    sheet: str = ""
    cell: str = ""
    step: str = ""
    column: str = ""
    raw: Any = None
    value: Any = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: _jsonable(v) for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass(slots=True)
class Row:
    number: int  # 1-based row number as Excel shows it
    values: dict[str, Value]


@dataclass
class BlockData:
    key: str
    kind: str
    sheet: str
    rows: list[Row] = field(default_factory=list)  # table: the non-empty rows
    fields: dict[str, Value] = field(default_factory=dict)  # fields; grid: "row.column"
    area: str = ""  # A1 range of the block as found
    header_row: int = 0  # table: the header's row number as Excel shows it
    columns: dict[str, int] = field(default_factory=dict)  # table: column key -> 0-based column
    cells: dict[str, str] = field(default_factory=dict)  # fields/grid: key -> A1, filled or not

    def cell_of(self, row: int, column: str) -> str:
        """A1 of a table column in a given row (1-based), filled or not."""
        return cell_ref(row - 1, self.columns[column]) if column in self.columns else ""

    def column_values(self, key: str) -> list[Value]:
        """The non-empty values of one column, in row order."""
        return [r.values[key] for r in self.rows if key in r.values]


@dataclass
class StepData:
    key: str
    sheet: str
    blocks: dict[str, BlockData] = field(default_factory=dict)


@dataclass
class PlanData:
    """A workbook read back: typed values shaped by the spec, and what was assumed."""

    path: str
    template_id: str = ""
    template_version: str = ""
    spec_hash: str = ""
    language: str = ""
    level: str = ""
    org_id: str = ""
    org_name: str = ""
    steps: dict[str, StepData] = field(default_factory=dict)
    missing_steps: list[str] = field(default_factory=list)
    expected_steps: list[str] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)
    file_figures: dict[str, Value] = field(default_factory=dict)  # totals as the file shows them
    # the rows (1-based, first and last) each total's formula in the file adds up, where
    # it is a plain SUM/SUMIF over one range: a row typed outside it is not in that total
    file_total_rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    interpretations: list[Interpretation] = field(default_factory=list)
    macros: bool = False
    # spec columns whose header the file lacks: (step, block, column key), never
    # filled from a neighbouring column
    missing_columns: list[tuple[str, str, str]] = field(default_factory=list)
    # False when the file's spec hash matches no released version of its template
    spec_known: bool = True
    # the earlier released version whose layout the file was read by ("": the current
    # one), and the current keys that version lacks (step, step.block or
    # step.block.column): missing, never guessed, never asked for cell by cell
    read_as: str = ""
    version_lacks: list[str] = field(default_factory=list)

    def block(self, step: str, block: str) -> BlockData | None:
        """The block's data, or ``None`` when its step is missing."""
        st = self.steps.get(step)
        return st.blocks.get(block) if st else None

    def to_json(self) -> dict[str, Any]:
        """The documented ``kuk-xlsx dump`` shape (see README, "dump JSON")."""
        return {
            "kuk_dump": 1,
            "file": self.path,
            "template": {
                "id": self.template_id,
                "version": self.template_version,
                "spec_hash": self.spec_hash,
                "language": self.language,
                "level": self.level,
            },
            "organisation": {"id": self.org_id, "name": self.org_name},
            "steps": {
                sk: {
                    "sheet": st.sheet,
                    "blocks": {bk: _block_json(b) for bk, b in st.blocks.items()},
                }
                for sk, st in self.steps.items()
            },
            "missing_steps": self.missing_steps,
            **(
                {"read_as": self.read_as, "version_lacks": self.version_lacks}
                if self.read_as
                else {}
            ),
            "figures": self.figures,
            "interpretations": [i.to_json() for i in self.interpretations],
        }


def _block_json(b: BlockData) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": b.kind, "area": b.area}
    if b.kind == "table":
        out["rows"] = [
            {"row": r.number, "values": {k: v.to_json() for k, v in r.values.items()}}
            for r in b.rows
        ]
    else:
        out["values"] = {k: v.to_json() for k, v in b.fields.items()}
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v
