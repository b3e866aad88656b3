"""A workbook of an earlier released version, read by its own layout, in today's keys.

The reader reads a 1.0.0 workbook by the 1.0.0 spec (``released/1.0.0/``): its
sheets, headers and dropdown labels as that version wrote them.  Here its data
moves to the current template's keys through the template's changes table
(renames composed in order).  What the current template has and the file's
version does not is listed in :attr:`PlanData.version_lacks`: reported missing,
never guessed and never asked for cell by cell; a value whose key the current
template dropped stays visible as an interpretation (``version-dropped``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kuk_xlsx.read.model import BlockData, Interpretation, PlanData, Row, StepData, Value
from kuk_xlsx.spec.changes import KeyMap, changes_between
from kuk_xlsx.spec.model import template_cache
from kuk_xlsx.spec.template import Template


def _keys(tpl: Template) -> list[str]:
    """Every step, ``step.block`` and ``step.block.column`` key of a template (a grid's
    cells as ``step.block.row.column`` are not keys of their own: its columns are)."""
    out: list[str] = []
    for st in tpl.steps:
        out.append(st.key)
        for blk in st.blocks:
            out.append(f"{st.key}.{blk.key}")
            out += [f"{st.key}.{blk.key}.{c.key}" for c in blk.columns]
            out += [f"{st.key}.{blk.key}.{t.key}" for t in blk.totals]
    return out


def lacking(old: Template, cur: Template, keys: KeyMap) -> list[str]:
    """The current keys no key of ``old`` maps to, outermost only (a new block is
    listed, not its columns)."""
    reached = {k for k in (keys.key(o) for o in _keys(old)) if k is not None}
    out: list[str] = []
    for key in _keys(cur):
        if key not in reached and not any(key.startswith(p + ".") for p in out):
            out.append(key)
    return out


@dataclass(frozen=True)
class _BlockMove:
    """Where one old block goes: its current step and block, and each old column's
    current name (a column today's template has no place for is not in ``columns``)."""

    step: str
    block: str
    columns: dict[str, str]

    def name(self, col: str) -> str | None:
        prefix, _, base = col.rpartition(".")  # (a grid's "row.column")
        name = self.columns.get(base)
        return None if name is None else f"{prefix}.{name}" if prefix else name


@dataclass(frozen=True)
class _Moves:
    """How a workbook of ``old`` moves to ``cur``: worked out once per pair of templates,
    not for every value of every file."""

    keys: KeyMap
    lacks: tuple[str, ...]
    steps: dict[str, str]  # old step -> current step
    blocks: dict[tuple[str, str], _BlockMove]  # (old step, old block) -> where it goes


@template_cache
def _moves(old: Template, cur: Template) -> _Moves:
    keys = KeyMap(changes_between(old.version, cur.version, cur.changes))
    current = {st.key: st for st in cur.steps}
    steps = {st.key: new for st in old.steps if (new := keys.key(st.key)) in current}
    blocks: dict[tuple[str, str], _BlockMove] = {}
    for st in old.steps:
        for blk in st.blocks:
            step, _, block = (keys.key(f"{st.key}.{blk.key}") or "").partition(".")
            try:
                target = current[step].block(block) if step in current else None
            except KeyError:
                target = None
            if target is None or target.kind != blk.kind:
                continue  # (its values are listed as dropped)
            names = {c.key for c in target.columns}
            columns = {}
            for col in blk.columns:
                new = keys.key(f"{st.key}.{blk.key}.{col.key}")
                if new is not None and new.rpartition(".")[2] in names:
                    columns[col.key] = new.rpartition(".")[2]
            blocks[(st.key, blk.key)] = _BlockMove(step, block, columns)
    return _Moves(keys, tuple(lacking(old, cur, keys)), steps, blocks)


def to_current(plan: PlanData, old: Template, cur: Template) -> PlanData:
    """``plan``, read by ``old`` (an earlier released version), in ``cur``'s keys."""
    moves = _moves(old, cur)
    # the file's identity as read; everything keyed by the spec, moved below
    out = replace(
        plan,
        steps={},
        missing_steps=[k for k in map(moves.steps.get, plan.missing_steps) if k],
        expected_steps=[k for k in map(moves.steps.get, plan.expected_steps) if k],
        figures={},
        file_figures={},
        file_total_rows={},
        interpretations=[],
        missing_columns=[],
        read_as=old.version,
    )
    # (what the version lacks in the steps this workbook has: its modules only)
    out.version_lacks = [k for k in moves.lacks if k.split(".", 1)[0] in out.expected_steps]
    dropped: list[Interpretation] = []
    for sk, st in plan.steps.items():
        for bk, blk in st.blocks.items():
            move = moves.blocks.get((sk, bk))
            if move is None:
                dropped += _left(blk, sk)
                continue
            moved = BlockData(
                move.block, blk.kind, blk.sheet, area=blk.area, header_row=blk.header_row
            )
            for col, at in blk.columns.items():
                if (name := move.name(col)) is not None:
                    moved.columns[name] = at
            for col, cell in blk.cells.items():
                if (name := move.name(col)) is not None:
                    moved.cells[name] = cell
            for col, value in blk.fields.items():
                if (name := move.name(col)) is not None:
                    moved.fields[name] = value
                else:
                    dropped.append(_dropped(sk, col, value))
            for row in blk.rows:
                values = {}
                for col, value in row.values.items():
                    if (name := move.name(col)) is not None:
                        values[name] = value
                    else:
                        dropped.append(_dropped(sk, col, value))
                moved.rows.append(Row(row.number, values))
            out.steps.setdefault(move.step, StepData(move.step, st.sheet)).blocks[move.block] = (
                moved
            )
    keys = moves.keys
    for old_step, old_block, col in plan.missing_columns:
        move = moves.blocks.get((old_step, old_block))
        if move is not None and (name := move.name(col)) is not None:
            out.missing_columns.append((move.step, move.block, name))
    for key, figure in plan.file_figures.items():
        if (new := keys.key(key)) is not None:
            out.file_figures[new] = figure
    for key, rows in plan.file_total_rows.items():
        if (new := keys.key(key)) is not None:
            out.file_total_rows[new] = rows
    for i in plan.interpretations:
        if i.step and (new := moves.steps.get(i.step)) is not None:
            i.step = new
        out.interpretations.append(i)
    out.interpretations += dropped
    return out


def _dropped(step: str, column: str, value: Value) -> Interpretation:
    return Interpretation(
        "version-dropped",
        sheet=value.sheet,
        cell=value.cell,
        step=step,
        column=column,
        raw=value.raw if value.raw is not None else value.value,
        note="a value the current template version has no place for",
    )


def _left(blk: BlockData, step: str) -> list[Interpretation]:
    """Every value of a block the current template has no place for."""
    values = list(blk.fields.items()) + [(k, v) for r in blk.rows for k, v in r.values.items()]
    return [_dropped(step, col, v) for col, v in values]
