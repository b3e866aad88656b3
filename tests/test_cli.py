"""The command line: start-up cost, options, clean errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kuk_xlsx import __version__
from kuk_xlsx.cli.commands import cli
from kuk_xlsx.spec.template import Template


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kuk_xlsx", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from kuk_xlsx.cli.commands import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'numpy', 'xlsxwriter') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_new_in_each_language(tmp_path: Path, tpl: Template) -> None:
    for lang in ("kk", "ru", "en"):
        out = tmp_path / f"plan_{lang}.xlsx"
        result = CliRunner().invoke(cli, ["new", "-o", str(out), "--lang", lang])
        assert result.exit_code == 0, result.output
        assert openpyxl.load_workbook(out).sheetnames[1] == tpl.steps[1].sheet.get(lang)


def test_new_modules_option(tmp_path: Path, tpl: Template) -> None:
    out = tmp_path / "p.xlsx"
    result = CliRunner().invoke(cli, ["new", "-o", str(out), "--modules", "project,fundraising"])
    assert result.exit_code == 0, result.output
    names = openpyxl.load_workbook(out).sheetnames
    assert tpl.step("budget").sheet.kk in names and tpl.step("goals").sheet.kk not in names


def test_usage_error_has_no_traceback(tmp_path: Path) -> None:
    out = run("new", "-o", str(tmp_path / "x.xlsx"), "--modules", "nonsense")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "unknown module or step nonsense" in out.stderr
    bad = run("new", "--lang", "fr")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_roster_mode(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Ұйымның атауы;ID;Өңір / қала\n"
        "«Сенің KZ»;KZ-1;Алматы\n"
        'ОФ "Жол: 2/3";KZ-2;Астана\n'
        "CON;KZ-3;Шымкент\n",
        encoding="utf-8-sig",
    )
    result = CliRunner().invoke(
        cli, ["new", "--roster", str(roster), "--out-dir", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["KZ-1_«Сенің KZ».xlsx", "KZ-2_ОФ _Жол_ 2_3_.xlsx", "KZ-3_CON.xlsx"]
    wb = openpyxl.load_workbook(tmp_path / "out" / "KZ-1_«Сенің KZ».xlsx")
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["org_id"] == "KZ-1" and meta["org_name"] == "«Сенің KZ»"


def test_roster_errors_name_columns_and_rows(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("Name,Region\nA,B\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["new", "--roster", str(missing), "--out-dir", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 2  # a usage error, as the README says
    assert 'missing column "ID" (id)' in result.output
    assert "the header row has: Name, Region" in result.output
    ru = CliRunner().invoke(
        cli, ["new", "--roster", str(missing), "--out-dir", str(tmp_path / "o"), "--lang", "ru"]
    )
    assert "нет столбца «ID» (id); в строке заголовков есть: Name, Region" in ru.output
    dup = tmp_path / "dup.csv"
    dup.write_text("id,name\n7,A\n8,B\n7,C\n,D\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["new", "--roster", str(dup), "--out-dir", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "2 және 4 жолдар: ID «7» қайталанады" in result.output  # (kk, the default)
    assert "5-жол: «ID» бос" in result.output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_roster_from_xlsx(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Название организации", "Регион / город"])
    ws.append([101, "НКО Альфа", "Караганда"])
    wb.save(tmp_path / "r.xlsx")
    result = CliRunner().invoke(
        cli,
        [
            "new",
            "--roster",
            str(tmp_path / "r.xlsx"),
            "--out-dir",
            str(tmp_path / "o"),
            "--lang",
            "ru",
        ],
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["101_НКО Альфа.xlsx"]


def test_demo_writes_templates_and_roster_workbooks(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "demo").iterdir()}
    assert {
        "kuk_workbook_kk.xlsx",
        "kuk_workbook_ru.xlsx",
        "kuk_workbook_en.xlsx",
        "roster_example.csv",
    } <= names
    from kuk_xlsx.cli.demo import EXAMPLE_ROSTER

    assert len(list((tmp_path / "demo" / "roster_workbooks").iterdir())) == len(EXAMPLE_ROSTER)
    # the samples played as returned files: a report, feedback copies and a cohort
    assert {"validation_report.xlsx", "cohort.xlsx", "feedback", "cohort_csv"} <= names
