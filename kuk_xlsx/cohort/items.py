"""The long table of a cohort: one row per filled cell (NGO, file, step, block, row,
column, value), for the Items sheet and the CSV, with private fields masked when
the cohort is anonymised and every text made inert.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from kuk_xlsx.read.model import PlanData

ITEM_COLUMNS = ("ngo", "file", "step", "block", "row", "column", "value")


def plan_items(plan: PlanData) -> Iterator[tuple[str, str, Any, str, Any]]:
    """(step, block, row, column, value) for every value: the long format."""
    for step_key, st in plan.steps.items():
        for block_key, blk in st.blocks.items():
            for row in blk.rows:
                number = row.number
                for col, v in row.values.items():
                    x = v.value
                    yield (
                        step_key,
                        block_key,
                        number,
                        col,
                        x if x.__class__ in _PLAIN else _item_value(x),
                    )
            for col, v in blk.fields.items():
                x = v.value
                yield step_key, block_key, "", col, x if x.__class__ in _PLAIN else _item_value(x)


_PLAIN = frozenset((str, int, float))  # item values shown as they are (bool is not int here)


def _item_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ",".join(map(str, v))
    return v


PRIVATE_FIELDS = frozenset({"name", "contact", "contact_person", "bank_details", "reg_number"})


def private_items(items: Iterable[tuple[Any, ...]], code: str) -> Iterator[tuple[Any, ...]]:
    for step, block, row, col, value in items:
        if step == "profile" and col in PRIVATE_FIELDS:
            value = code if col == "name" else "***"
        yield step, block, row, col, value


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    """Long rows as UTF-8 CSV lines, every field inert (see :func:`kuk_xlsx.cohort.csv_files.inert_csv`).

    Only the first two fields (NGO, file) and the last (the value) can hold text from
    outside: those go through :func:`~kuk_xlsx.write.safe.inert_field` (control
    characters out, then the formula-prefix test), and control characters are also
    removed from the whole text at once (CSV quoting never needs them).  The lines are what
    ``csv.writer`` (default dialect) writes, made here: the NGO and file fields are
    the same on every row of a file, and quoting them once per row was most of the cost.
    """
    from kuk_xlsx.write.safe import inert_field

    def inert(v: Any) -> Any:
        return inert_field(v) if v.__class__ is str else v

    lines = []
    head: Sequence[Any] | None = None
    prefix = ""
    keys: dict[str, str] = {}  # step, block and column keys repeat on every row
    for row in rows:
        if head is None or head[0] is not row[0] or head[1] is not row[1]:
            head = row
            prefix = f"{_csv_field(inert(row[0]))},{_csv_field(inert(row[1]))},"
        fields = [prefix]
        for v in row[2:-1]:
            if v.__class__ is str:
                quoted = keys.get(v)
                if quoted is None:
                    quoted = keys[v] = _csv_field(v) + ","
                fields.append(quoted)
            else:
                fields.append(_csv_field(v) + ",")
        fields.append(_csv_field(inert(row[-1])))
        lines.append("".join(fields))
    if not lines:
        return b""
    lines.append("")
    # UTF-8 keeps ASCII bytes for ASCII characters only: deleting the control bytes
    # is deleting the control characters
    return "\r\n".join(lines).encode("utf-8").translate(None, _control_bytes())


def _csv_field(v: Any) -> str:
    """One field as ``csv.writer`` writes it (default dialect, minimal quoting)."""
    if v.__class__ is not str:
        if v is None:
            return ""
        v = str(v)
    if '"' in v:
        return '"' + v.replace('"', '""') + '"'
    if "," in v or "\n" in v or "\r" in v:
        return '"' + v + '"'
    return v


@functools.cache
def _control_bytes() -> bytes:
    """The ASCII characters :data:`outputs.CONTROL` removes, as bytes."""
    from kuk_xlsx.write.safe import CONTROL

    return bytes(c for c in range(128) if CONTROL.fullmatch(chr(c)))
