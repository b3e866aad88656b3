"""An NGO's workbook carried into a fresh workbook of the current template version.

Programmes change templates mid-course while NGOs hold half-filled copies.
:func:`migrate_workbook` reads the old workbook with the reader, maps its keys to
the current template's through its changes table (``changes.toml`` in the
template folder: keys renamed, added or dropped, version by version), and builds a new workbook in the file's own language
for the same organisation with every answer in its cell
(``build_workbook(data=...)``).  What could not be carried is returned as
:class:`NotCarried` items (data: codes, keys, cells and the value found) and
listed on a sheet of the new workbook, in its language.

The pieces: :mod:`kuk_xlsx.spec.changes` (the version -> changes table),
:mod:`.carry` (the values shaped for the builder, and what was left); here the entry point, the
output names of a folder, and the sheet of what was not carried.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kuk_xlsx.build.workbook import Appendix, BuildError, build_workbook
from kuk_xlsx.catalogue import text
from kuk_xlsx.migrate.carry import REASONS, Carry, NotCarried, organisation, programme_level
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.changes import Change, KeyMap, changes_between
from kuk_xlsx.spec.template import LANGS, Template, load_template
from kuk_xlsx.write.safe import OutputError, refuse_inputs

__all__ = [
    "REASONS",
    "Change",
    "MigrationResult",
    "NotCarried",
    "changes_between",
    "item_cells",
    "migrate_targets",
    "migrate_workbook",
]


@dataclass
class MigrationResult:
    """A migration done: the new file, the versions, and what was not carried."""

    source: Path
    target: Path
    language: str
    from_version: str
    to_version: str
    org_id: str
    org_name: str
    not_carried: list[NotCarried] = field(default_factory=list)
    carried: int = 0  # values written into the new workbook


# --- the migration ----------------------------------------------------------------


def migrate_workbook(
    src: Path | str,
    target: Path | str,
    template: Template | None = None,
    changes: Mapping[str, tuple[Change, ...]] | None = None,
    source_template: Template | None = None,
) -> MigrationResult:
    """Carry the answers of workbook ``src`` into a new workbook of the current
    template at ``target`` (written atomically; ``src`` is never modified).

    Raises :class:`~kuk_xlsx.package.preflight.ReadError` when ``src`` cannot be
    read, :class:`OutputError` when ``target`` is ``src`` or cannot be written.
    ``template`` is the target (default: the current template); ``source_template``
    the spec the old file is read by (default: the released version the file names,
    ``released/<version>/``, else the target); ``changes`` replaces the target's
    changes table.
    """
    src, target = Path(src), Path(target)
    refuse_inputs([target], [src])
    tpl = template or load_template()
    # an earlier released version in its own keys: what the current one dropped is
    # listed by the carry, not lost in a mapping
    plan = read_workbook(src, source_template or tpl, own_keys=True)
    lang = plan.language if plan.language in LANGS else "kk"
    table = tpl.changes if changes is None else changes
    keys = KeyMap(changes_between(plan.template_version, tpl.version, table))
    carry = Carry(tpl, plan, keys)
    data = carry.data()
    org = organisation(plan, data)
    result = MigrationResult(
        source=src,
        target=target,
        language=lang,
        from_version=plan.template_version,
        to_version=tpl.version,
        org_id=org.id,
        org_name=org.name,
        not_carried=carry.items,
        carried=carry.count,
    )
    appendix = not_carried_sheet(tpl, result) if carry.items else None
    try:
        build_workbook(
            target,
            lang=lang,
            modules=carry.modules(),
            org=org,
            level=programme_level(plan, data),
            template=tpl,
            data=data,
            appendix=appendix,
        )
    except BuildError as exc:  # (a value the builder refuses: a bug of ours, said plainly)
        raise OutputError("migrate.build_failed", path=target, detail=str(exc)) from None
    return result


def migrate_targets(inputs: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Each input's new workbook in ``out_dir``, its name kept (``.xlsx``).

    Inputs whose names would meet (``almaty/plan.xlsx`` and ``taraz/plan.xlsx``,
    compared ignoring case, as Windows does) keep their folders below the deepest
    one they share.
    """

    def name(src: Path) -> str:
        return src.name if src.suffix.lower() == ".xlsx" else f"{src.stem}.xlsx"

    groups: dict[str, list[Path]] = {}
    for src in inputs:
        groups.setdefault(name(src).casefold(), []).append(src)
    out: dict[Path, Path] = {}
    for group in groups.values():
        if len(group) == 1:
            out[group[0]] = out_dir / name(group[0])
            continue
        folders = [src.resolve().parent for src in group]
        common = Path(os.path.commonpath(folders))
        for src, folder in zip(group, folders, strict=True):
            out[src] = out_dir / folder.relative_to(common) / name(src)
    return out


# --- the sheet that lists what was not carried --------------------------------------


def not_carried_sheet(tpl: Template, result: MigrationResult) -> Appendix:
    """The new workbook's first sheet: what was not carried, in the file's language."""
    lang = result.language
    rows = tuple(item_cells(tpl, item, lang) for item in result.not_carried)
    return Appendix(
        name=text("migrate.sheet.name", lang),
        title=text("migrate.sheet.title", lang),
        note=text(
            "migrate.sheet.note",
            lang,
            source=result.source.name,
            old=result.from_version or "?",
            new=result.to_version,
        ),
        header=tuple(
            text(f"migrate.sheet.{k}", lang) for k in ("step", "where", "column", "value", "why")
        ),
        rows=rows,
        widths=(24, 16, 26, 48, 48),
    )


def item_cells(tpl: Template, item: NotCarried, lang: str) -> tuple[str, str, str, str, str]:
    """One item as the sheet and the command line show it: step, old cell, column,
    value, why."""
    step_name, column_name = item.step, item.column
    try:
        step = tpl.step(item.step)
        step_name = step.sheet.get(lang)
        if item.column:
            base = item.column.rsplit(".", 1)[-1]
            column_name = step.block(item.block).column(base).label.get(lang)
            if "." in item.column:  # a grid cell: its row's label too
                fixed = item.column.split(".", 1)[0]
                row = next(fr for fr in step.block(item.block).fixed_rows if fr.key == fixed)
                column_name = f"{row.label.get(lang)} · {column_name}"
        elif item.block and step.block(item.block).title is not None:
            column_name = step.block(item.block).title.get(lang)  # type: ignore[union-attr]
    except (KeyError, StopIteration):
        pass  # a key the current template lacks: shown as the key
    where = f"{item.sheet}!{item.cell}" if item.cell else ""
    return (step_name, where, column_name, item.value, text(f"migrate.reason.{item.reason}", lang))
