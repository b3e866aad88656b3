"""Where each returned file's feedback copy goes: one copy per input, never over an input.

Two NGOs that both kept the default name (``almaty/plan.xlsx``,
``taraz/plan.xlsx``), or ``x.xlsx`` beside ``x.xlsm``, get copies apart by their
folders; a copy that would land on an input is refused, and a file already in
the feedback folder that is not one of our copies is never replaced.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.outputs.feedback.base import STATE_SHEET
from kuk_xlsx.write.safe import OutputError


def feedback_path(report: Report, out_dir: Path | str) -> Path:
    """Where the feedback copy of ``report.file`` goes when it is the only input: same name, .xlsx."""
    return Path(out_dir) / _copy_name(Path(report.file))


def _copy_name(src: Path) -> str:
    return src.name if src.suffix.lower() == ".xlsx" else f"{src.stem}.xlsx"


def feedback_targets(inputs: Sequence[Path], out_dir: Path | str) -> dict[Path, Path]:
    """Each input's own feedback copy in ``out_dir``: never one path for two inputs.

    A name no other input has keeps it (``plan.xlsm`` → ``plan.xlsx``).  Inputs
    whose copies would share a name (``a/plan.xlsx`` and ``b/plan.xlsx``, or
    ``x.xlsx`` and ``x.xlsm``; compared as Windows does, ignoring case) keep
    their folders below the deepest folder they share, and a file that is not
    .xlsx keeps its old extension in the name: ``a/plan.xlsx``,
    ``b/plan.xlsx``, ``x.xlsm.xlsx``.  Raises :class:`OutputError` when a copy
    would land on an input file (a feedback folder inside the inputs).
    """
    out = Path(out_dir)
    groups: dict[str, list[Path]] = {}
    for src in inputs:
        groups.setdefault(_copy_name(src).casefold(), []).append(src)
    targets: dict[Path, Path] = {}
    for group in groups.values():
        if len(group) == 1:
            targets[group[0]] = out / _copy_name(group[0])
            continue
        folders = [src.resolve().parent for src in group]
        common = Path(os.path.commonpath(folders))
        for src, folder in zip(group, folders, strict=True):
            name = src.name if src.suffix.lower() == ".xlsx" else f"{src.name}.xlsx"
            targets[src] = out / folder.relative_to(common) / name
    seen: dict[str, Path] = {}
    for src, target in targets.items():
        key = str(target.resolve()).casefold()
        if key in seen:  # x.xlsm.xlsx beside an input literally named so: keep both
            target = target.with_name(f"{target.stem}-{len(seen)}.xlsx")
            targets[src] = target
            key = str(target.resolve()).casefold()
        seen[key] = src
    originals = {str(src.resolve()).casefold(): src for src in inputs}
    for src, target in targets.items():
        hit = originals.get(str(target.resolve()).casefold())
        if hit is not None:
            raise OutputError("outputs.feedback.over_input", path=target, src=src, input=hit)
    return targets


def is_feedback_copy(path: Path) -> bool:
    """Whether ``path`` is a feedback copy we wrote (it holds our very hidden record sheet).

    Only such a file is replaced by a new copy: anything else already in the
    feedback folder (an NGO's original, a trainer's own file) is never overwritten.
    """
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 4_000_000:
                return False
            root = fromstring(zf.read(info))
    except Exception:  # not a zip, no workbook part, damaged or hostile XML: not ours
        return False
    return any(
        el.tag.endswith("}sheet")
        and str(el.get("name", "")).startswith(STATE_SHEET)
        and el.get("state") == "veryHidden"
        for el in root.iter()
    )
