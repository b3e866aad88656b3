"""Issue 13: the coaching measured on a labelled corpus of real NGO mistakes.

Every item of the corpus (tests/coaching/corpus_*.py) is written into a sound plan,
built into a workbook, read back and validated as ``kuk-xlsx validate`` does; what
fires is scored against what a trainer expects.  The table prints with ``-s`` and is
in the failure message.  RESULTS.md keeps the numbers before and after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kuk_xlsx.checks.rules import CATALOGUE
from tests.coaching.harness import ITEMS, MISFILED, Table, measure
from tests.coaching.model import MEASURED
from tests.coaching.plans import PLANS

OVERALL = 0.90  # recall and precision over the corpus
EACH = 0.80  # recall and precision in every kind of mistake and every language


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Table:
    return measure(tmp_path_factory.mktemp("coaching"))


def test_the_corpus_is_big_enough_and_covers_every_kind_of_mistake() -> None:
    seeded = [i for i in ITEMS if i.expect]
    assert len(seeded) >= 120
    for lang in ("kk", "ru", "en"):
        assert [i for i in seeded if i.lang == lang], lang
    assert sum(len(p) for p in PLANS.values()) >= 6
    families = {i.family for i in seeded}
    assert families >= {
        "process", "smart_claimed", "target", "deadline", "area", "swot", "stakeholders",
        "schedule", "verification", "inputs", "me_share",
    }  # fmt: skip
    assert set(MEASURED) <= set(CATALOGUE)


def test_coaching_recall_and_precision_on_the_corpus(table: Table) -> None:
    text = table.render()
    print("\n" + text)
    low = [
        f"{name}: recall {s.recall:.1%}, precision {s.precision:.1%}"
        for group in (table.by_family, table.by_lang)
        for name, s in group.items()
        if s.recall < EACH or s.precision < EACH
    ]
    overall = table.overall
    assert overall.recall >= OVERALL and overall.precision >= OVERALL and not low, (
        "\n".join(low) + "\n" + text
    )


def test_every_sound_plan_is_silent(table: Table) -> None:
    """The six plans are near misses as a whole: nothing the corpus measures fires."""
    assert not table.by_family["sound plans"].false_alarms


def test_every_finding_is_filed_under_the_step_whose_sheet_holds_its_cell(table: Table) -> None:
    """Every finding on every corpus workbook, not only the measured ones."""
    assert table.overall.items and not MISFILED, "\n".join(sorted(set(MISFILED)))


def test_results_file_names_the_numbers() -> None:
    results = (Path(__file__).parent / "RESULTS.md").read_text(encoding="utf-8")
    assert "before" in results and "after" in results
