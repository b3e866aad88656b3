"""The golden-file comparison names the part, the sheet and the cell that differ."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from kuk_xlsx.write.xlsx import new_workbook

try:
    from tests.support.xlsx_diff import assert_same_xlsx, xlsx_diff
except ImportError:  # pytest rootdir-relative import (tests/ on sys.path)
    from support.xlsx_diff import assert_same_xlsx, xlsx_diff  # type: ignore[no-redef]


def workbook(
    path: Path,
    amount: float = 1500,
    text: str = "Тренинг",
    width: float = 12,
    saved: datetime = datetime(2026, 1, 1, 9, 0),
) -> Path:
    """Two sheets; 'Бюджет' holds a number at C5 and a text at B5."""
    wb = openpyxl.Workbook()
    wb.active.title = "Организация"
    wb.active["A1"] = "org"
    ws = wb.create_sheet("Бюджет")
    ws["B5"] = text
    ws["C5"] = amount
    ws.column_dimensions["B"].width = width
    wb.properties.created = saved
    wb.properties.modified = saved
    wb.save(path)
    return path


def shared_strings_workbook(path: Path, text: str, saved: datetime) -> Path:
    """As our builder writes: texts in xl/sharedStrings.xml (xlsxwriter)."""
    wb = new_workbook(path)
    wb.set_properties({"created": saved})
    wb.add_worksheet("Организация").write("A1", "org")
    ws = wb.add_worksheet("Бюджет")
    ws.write("A5", "Статья")
    ws.write("B5", text)
    wb.close()
    return path


def test_same_content_saved_at_another_time_is_the_same(tmp_path: Path) -> None:
    a = workbook(tmp_path / "a.xlsx")
    b = workbook(tmp_path / "b.xlsx", saved=datetime(2027, 5, 5, 17, 30))
    assert a.read_bytes() != b.read_bytes()  # core.xml's times and the zip's dates
    assert xlsx_diff(a, b) == []
    assert_same_xlsx(a, b)


def test_one_number_cell_names_the_sheet_part_and_the_cell(tmp_path: Path) -> None:
    a = workbook(tmp_path / "a.xlsx")
    b = workbook(tmp_path / "b.xlsx", amount=1600)
    (line,) = xlsx_diff(a, b)
    assert line.startswith("xl/worksheets/sheet2.xml (sheet 'Бюджет'), cell C5:")
    assert "/worksheet/sheetData/row[@r=5]/c[@r=C5]/v: text '1500' != '1600'" in line


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared-strings"])
def test_one_text_cell_names_the_sheet_part_and_the_cell(tmp_path: Path, shared: bool) -> None:
    saved = datetime(2026, 1, 1, 9, 0)
    make = shared_strings_workbook if shared else workbook
    a = make(tmp_path / "a.xlsx", text="Тренинг", saved=saved)
    b = make(tmp_path / "b.xlsx", text="Семинар", saved=datetime(2027, 1, 1))
    lines = xlsx_diff(a, b)
    sheet = next(x for x in lines if x.startswith("xl/worksheets/"))
    assert sheet.startswith("xl/worksheets/sheet2.xml (sheet 'Бюджет'), cell B5:")
    assert "'Тренинг' != 'Семинар'" in sheet  # the text, not a shared-string index
    assert not any("sheet1.xml" in x for x in lines)  # the other sheet is the same
    if shared:
        assert lines[1].startswith("xl/sharedStrings.xml:\n  /sst/si[3]/t: text 'Тренинг'")
    assert len(lines) == 1 + shared


def test_an_attribute_is_named_by_its_path(tmp_path: Path) -> None:
    a = workbook(tmp_path / "a.xlsx")
    b = workbook(tmp_path / "b.xlsx", width=20)
    (line,) = xlsx_diff(a, b)
    assert "(sheet 'Бюджет')" in line and "cell" not in line
    assert "/worksheet/cols/col/@width: '12' != '20'" in line


def test_a_part_missing_or_binary_is_named(tmp_path: Path) -> None:
    a = workbook(tmp_path / "a.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(a) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            if info.filename != "docProps/app.xml":
                dst.writestr(info, src.read(info))
        dst.writestr("xl/media/image1.png", b"\x89PNG-not-really")
    lines = xlsx_diff(a, buf.getvalue())
    assert "part only in the expected file: docProps/app.xml" in lines
    assert "part only in the actual file: xl/media/image1.png" in lines
    with pytest.raises(AssertionError, match="not a zip package"):
        xlsx_diff(a, b"not a zip")


def test_the_assertion_says_which_files_and_how_to_fix(tmp_path: Path) -> None:
    a = workbook(tmp_path / "a.xlsx")
    b = workbook(tmp_path / "b.xlsx", amount=1)
    with pytest.raises(AssertionError) as err:
        assert_same_xlsx(a, b, "run make_samples")
    text = str(err.value)
    assert text.splitlines()[0] == f"{a} and {b} differ (run make_samples):"
    assert "cell C5" in text
