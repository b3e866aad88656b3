"""Every client fixture's feedback copy opens in LibreOffice, and its values survive (#15).

One soffice run converts all the copies to .xlsx (a run per file would cost a
minute); a copy LibreOffice could not open has no converted file.  Each converted
file is then read: every input value is still the source's.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_workbook
from tests.clients.compare import renamed, values
from tests.clients.emulate import CLIENTS
from tests.support import libreoffice as lo

pytestmark = pytest.mark.libreoffice


def convert_all(files: list[Path], outdir: Path, timeout: float = 300.0) -> None:
    """Convert ``files`` to .xlsx into ``outdir`` with one headless soffice run."""
    soffice = lo.require_libreoffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kuk_lo_profile_") as tmp:
        profile = lo.make_profile(Path(tmp) / "profile")
        cmd = [
            *lo._soffice_args(soffice, profile),
            "--convert-to",
            f"xlsx:{lo.XLSX_FILTER}",
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        lo._run_group(cmd, timeout=timeout, cwd=Path(tmp), env=lo._clean_env())


def test_every_copy_opens_in_libreoffice_with_its_values(
    client_copies: dict[str, Any],
    client_files: dict[str, Path],
    source_plans: dict[str, PlanData],
    tmp_path: Path,
) -> None:
    lo.require_libreoffice()
    inputs = tmp_path / "in"
    inputs.mkdir()
    files = []
    for c in CLIENTS:
        copy = client_copies[c.name]
        assert isinstance(copy, Path), (c.name, copy)
        files.append(Path(shutil.copy(copy, inputs / f"{c.name}.xlsx")))
        if c.libreoffice_loses:  # what LibreOffice makes of the original itself
            files.append(Path(shutil.copy(client_files[c.name], inputs / f"{c.name}_orig.xlsx")))
    out = tmp_path / "out"
    convert_all(files, out)
    wrong = {}
    for c in CLIENTS:
        converted = out / f"{c.name}.xlsx"
        if not converted.is_file() or converted.stat().st_size == 0:
            wrong[c.name] = "LibreOffice could not open the copy"
            continue
        plan = read_workbook(converted)
        source = source_plans[c.lang]
        want = renamed(values(source), c.sheet_suffix)
        if c.libreoffice_loses:
            want = values(read_workbook(out / f"{c.name}_orig.xlsx"))
            assert len(want) < len(values(source))  # (it still loses)
        got = values(plan)
        lost = {k: v for k, v in want.items() if got.get(k) != v}
        if lost or (plan.template_id, plan.org_id) != (source.template_id, source.org_id):
            wrong[c.name] = f"{len(lost)} values differ, e.g. {list(lost.items())[:2]}"
    assert wrong == {}
