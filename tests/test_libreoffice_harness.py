"""Self-tests for the LibreOffice harness in tests/support/libreoffice.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

try:
    from tests.support import libreoffice as lo
except ImportError:  # pytest rootdir-relative import (tests/ on sys.path)
    from support import libreoffice as lo  # type: ignore[no-redef]

NAME = "kuk_test_product"


@pytest.fixture
def tiny_xlsx(tmp_path: Path) -> Path:
    """A1=2, A2=3, A3 '=A1*A2' with empty cached result, A4 '=A1+A2' with a stale 999."""
    path = tmp_path / "src" / "tiny.xlsx"
    path.parent.mkdir()
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    ws.write_number("A1", 2)
    ws.write_number("A2", 3)
    ws.write_formula("A3", "=A1*A2", None, "")
    ws.write_formula("A4", "=A1+A2", None, 999)  # stale cache: only a recalc fixes it
    wb.define_name(NAME, "=Sheet1!$A$3")
    wb.close()
    return path


def _values(path: Path, sheet: str | int = 0) -> dict[str, object]:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
        return {c: ws[c].value for c in ("A1", "A2", "A3", "A4")}
    finally:
        wb.close()


def _defined_name(path: Path, name: str) -> str:
    wb = openpyxl.load_workbook(path)
    try:
        return wb.defined_names[name].attr_text
    finally:
        wb.close()


# --------------------------------------------------------------------------- require_*


def test_require_libreoffice_skips_locally_when_missing(monkeypatch):
    monkeypatch.setenv("KUK_SOFFICE", "/nonexistent/soffice")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="LibreOffice not installed"):
        lo.require_libreoffice()


def test_require_libreoffice_fails_in_ci_when_missing(monkeypatch):
    monkeypatch.setenv("KUK_SOFFICE", "/nonexistent/soffice")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice not installed"):
        lo.require_libreoffice()


# --------------------------------------------------------------------------- convert


@pytest.mark.libreoffice
def test_convert_pdf_and_render_pngs(tiny_xlsx, tmp_path):
    lo.require_libreoffice(pdftoppm=True)
    pdf = lo.convert(tiny_xlsx, "pdf", tmp_path / "pdf")
    assert pdf == (tmp_path / "pdf" / "tiny.pdf").resolve()
    assert pdf.read_bytes()[:5] == b"%PDF-"

    pngs = lo.pdf_to_pngs(pdf, tmp_path / "png")
    assert len(pngs) >= 1
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    pdftotext = shutil.which("pdftotext")  # same poppler-utils package
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
        assert "6" in text and "5" in text  # recomputed on load
        assert "999" not in text  # the stale cached value did not leak into the PDF


@pytest.mark.libreoffice
def test_convert_xlsx_recalculates_on_load(tiny_xlsx, tmp_path):
    lo.require_libreoffice()
    out = lo.convert(tiny_xlsx, "xlsx", tmp_path / "out")
    assert out.name == "tiny.xlsx" and out.parent == (tmp_path / "out").resolve()
    assert _values(out) == {"A1": 2, "A2": 3, "A3": 6, "A4": 5}
    assert _defined_name(out, NAME) == "Sheet1!$A$3"


@pytest.mark.libreoffice
def test_convert_refuses_to_overwrite_input(tiny_xlsx):
    lo.require_libreoffice()
    with pytest.raises(ValueError, match="overwrite"):
        lo.convert(tiny_xlsx, "xlsx", tiny_xlsx.parent)


@pytest.mark.libreoffice
def test_convert_reports_unloadable_source(tmp_path):
    lo.require_libreoffice()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a zip file")
    with pytest.raises(RuntimeError, match="could not be loaded"):
        lo.convert(bad, "pdf", tmp_path / "out")


# --------------------------------------------------------------------------- run_uno


@pytest.mark.libreoffice
def test_run_uno_set_then_get_named_and_save(tiny_xlsx, tmp_path):
    lo.require_libreoffice(uno=True)
    dst = tmp_path / "dst" / "edited.xlsx"
    res = lo.run_uno(
        [
            {"op": "get_named", "name": NAME},
            {"op": "set", "sheet": "Sheet1", "cell": "A1", "value": "10"},
            {"op": "get_named", "name": NAME},
            {"op": "get_value", "sheet": 0, "cell": "A1"},
            {"op": "set", "sheet": 0, "cell": "B1", "value": "hello"},
            {"op": "get_value", "sheet": 0, "cell": "B1"},
        ],
        tiny_xlsx,
        dst,
    )
    before, set_a1, after, a1, set_b1, b1 = res["results"]
    assert before["value"] == 6
    assert set_a1 is None and set_b1 is None
    assert after["value"] == 30
    assert after["type"] == "FORMULA" and after["result_type"] == "VALUE"
    assert (after["sheet"], after["cell"]) == ("Sheet1", "A3")
    assert a1["type"] == "VALUE" and a1["value"] == 10  # "10" typed -> number
    assert b1["type"] == "TEXT" and b1["value"] == "hello"
    assert res["sheets"] == ["Sheet1"]

    assert _values(dst) == {"A1": 10, "A2": 3, "A3": 30, "A4": 13}
    assert _values(tiny_xlsx)["A1"] == 2  # source untouched


@pytest.mark.libreoffice
def test_run_uno_rename_sheet_keeps_defined_name(tiny_xlsx, tmp_path):
    lo.require_libreoffice(uno=True)
    dst = tmp_path / "renamed.xlsx"
    res = lo.run_uno(
        [
            {"op": "rename_sheet", "sheet": "Sheet1", "new": "Бюджет"},
            {"op": "get_named", "name": NAME},
            {"op": "insert_rows", "sheet": "Бюджет", "row": 1, "count": 2},
            {"op": "get_named", "name": NAME},
        ],
        tiny_xlsx,
        dst,
    )
    renamed, got, inserted, shifted = res["results"]
    assert renamed is None and inserted is None
    assert (got["sheet"], got["cell"], got["value"]) == ("Бюджет", "A3", 6)
    assert (shifted["sheet"], shifted["cell"], shifted["value"]) == ("Бюджет", "A5", 6)
    assert res["sheets"] == ["Бюджет"]
    assert _defined_name(dst, NAME) == "Бюджет!$A$5"
    # rows shifted down by two: A1=2, A2=3 now live in A3, A4
    assert _values(dst, "Бюджет") == {"A1": None, "A2": None, "A3": 2, "A4": 3}


@pytest.mark.libreoffice
def test_run_uno_reports_action_errors(tiny_xlsx, tmp_path):
    lo.require_libreoffice(uno=True)
    with pytest.raises(RuntimeError, match=r"action #1 .*kuk_missing"):
        lo.run_uno(
            [
                {"op": "get_value", "sheet": 0, "cell": "A1"},
                {"op": "get_named", "name": "kuk_missing"},
            ],
            tiny_xlsx,
            tmp_path / "never.xlsx",
        )
    assert not (tmp_path / "never.xlsx").exists()


def test_run_uno_runs_a_worker_killed_before_any_result_once_more(monkeypatch, tmp_path):
    """pyuno now and then dies by a signal: a worker killed before it wrote a result is
    run once more, unless it was saving over its source (which may be half written)."""
    calls: list[Path | None] = []

    def once(actions, src, dst, timeout, connect_timeout):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 1:
            raise lo._WorkerCrashed("killed by signal 11 before any result")
        return {"results": [], "sheets": ["S"], "saved": None}

    monkeypatch.setattr(lo, "_run_uno_once", once)
    src = tmp_path / "a.xlsx"
    assert lo.run_uno([], src, tmp_path / "b.xlsx")["sheets"] == ["S"]
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(lo._WorkerCrashed):
        lo.run_uno([], src, src)
    assert len(calls) == 1
