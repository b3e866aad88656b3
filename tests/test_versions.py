"""Every released template version stays readable: one filled fixture per version."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuk_xlsx.checks.engine import validate
from kuk_xlsx.read.reader import read_workbook

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    "fixture", sorted(FIXTURES.glob("template_*_filled.xlsx")), ids=lambda p: p.name
)
def test_released_version_reads_and_validates(fixture: Path) -> None:
    version = fixture.name.split("_")[1]
    plan = read_workbook(fixture)
    assert plan.template_version == version
    assert plan.missing_steps == []
    assert len(plan.block("goals", "goals").rows) >= 3  # type: ignore[union-attr]
    report = validate(fixture)
    assert report.status in ("OK", "WARNINGS"), [f.code for f in report.findings]


def test_there_is_a_fixture_for_the_current_version() -> None:
    from kuk_xlsx.spec.template import load_template

    assert (FIXTURES / f"template_{load_template().version}_kk_filled.xlsx").exists()
