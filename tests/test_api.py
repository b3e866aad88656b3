"""The public Python API: the README's example runs as written, and import stays light."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _example() -> str:
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)\n```", section, flags=re.S)
    return code


def test_the_readme_example_runs_and_does_what_it_says(tmp_path: Path) -> None:
    shutil.copytree(REPO / "samples", tmp_path / "samples", ignore=shutil.ignore_patterns("data"))
    script = _example() + (
        "\nassert blank.name == 'plan_ru.xlsx' and blank.exists()"
        "\nassert report.status in ('OK', 'WARNINGS') and summary['organisation']['name']"
        "\nassert copy.parent.name == 'feedback' and copy.exists()"
        "\nassert plan.org_name and 'goals' in plan.steps"
        "\nassert cohort.exists()"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] in ("OK", "WARNINGS")
    wb = openpyxl.load_workbook(tmp_path / "plan_ru.xlsx")
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["org_id"] == "KZ-1" and meta["org_name"] == "Үміт" and meta["language"] == "ru"
    assert {ws.title for ws in openpyxl.load_workbook(tmp_path / "cohort.xlsx").worksheets}


def test_import_kuk_xlsx_loads_no_stage_until_a_name_is_used() -> None:
    code = (
        "import sys, kuk_xlsx\n"
        "print(sorted(m for m in sys.modules if m.startswith('kuk_xlsx.')))\n"
        "kuk_xlsx.validate\n"
        "print('kuk_xlsx.checks.engine' in sys.modules)\n"
        "import kuk_xlsx as k; print(set(k.__all__) <= set(dir(k)) | set(k._HOME))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.splitlines() == ["[]", "True", "True"], done.stderr
