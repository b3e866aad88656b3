"""Our filled workbooks saved by gnumeric itself (``ssconvert``), not an emulation (#15 item 3).

gnumeric rewrites every part: its own styles and shared strings, comments with an
empty author list, our hidden ``_meta`` and ``_lists`` shown.  Read back, every input
is the source's; validate says nothing the NGO did not do (no "leave _meta alone");
and the feedback copy is written, keeps gnumeric's parts it does not mark, and opens
in LibreOffice.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import kuk_xlsx
from kuk_xlsx.read.model import PlanData
from tests.clients.compare import identity, located, values
from tests.support import libreoffice as lo
from tests.support.gnumeric import ssconvert


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, sources: dict[str, Path]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gnumeric")
    return {lang: ssconvert(src, folder / f"gnumeric_{lang}.xlsx") for lang, src in sources.items()}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_workbook_gnumeric_saved_reads_exactly_and_gets_a_copy(
    lang: str,
    saved: dict[str, Path],
    source_plans: dict[str, PlanData],
    source_reports: dict[str, kuk_xlsx.Report],
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(saved[lang]) as zf:
        book = zf.read("xl/workbook.xml").decode()
    assert 'state="hidden"' not in book  # gnumeric showed our hidden sheets
    report = kuk_xlsx.validate(saved[lang])
    assert report.plan is not None, report.problem
    source = source_plans[lang]
    assert values(report.plan) == values(source)
    assert identity(report.plan) == identity(source)
    codes = {i.code for i in report.plan.interpretations}
    assert "hidden-sheets-shown" in codes and "meta-sheet-visible" not in codes
    assert located(report) == located(source_reports[lang])

    copy = kuk_xlsx.write_feedback(report, tmp_path / "fb", lang)
    with zipfile.ZipFile(saved[lang]) as was, zipfile.ZipFile(copy) as now:
        same = [n for n in was.namelist() if n in now.namelist() and was.read(n) == now.read(n)]
    assert "xl/sharedStrings.xml" in same  # gnumeric's own parts, kept as it wrote them
    again = kuk_xlsx.validate(copy)
    assert again.plan is not None and values(again.plan) == values(source)


@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_of_a_gnumeric_file(
    saved: dict[str, Path], source_plans: dict[str, PlanData], tmp_path: Path
) -> None:
    lo.require_libreoffice()
    report = kuk_xlsx.validate(saved["kk"])
    copy = kuk_xlsx.write_feedback(report, tmp_path / "fb", "kk")
    resaved = lo.convert(copy, "xlsx", tmp_path / "lo")
    plan = kuk_xlsx.read_workbook(resaved)
    assert values(plan) == values(source_plans["kk"])
