"""Reading filled workbooks back, whatever people did to them (openpyxl-made edits).

Edits made in LibreOffice itself (typing through UNO, inserting rows, renaming
sheets) are in test_read_libreoffice.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.template import Template, column_name, load_template
from tests.support.workbooks import edit, named_cell

BUDGET = [
    {
        "category": "staff",
        "item": "Жоба үйлестірушісі",
        "unit": "ай",
        "quantity": 12,
        "unit_cost": 250_000,
    },
    {
        "category": "activities",
        "item": "Тренингтер",
        "unit": "дана",
        "quantity": 4,
        "unit_cost": 500_000,
    },
    {
        "category": "me",
        "item": "Мониторинг маманы",
        "unit": "ай",
        "quantity": 12,
        "unit_cost": 40_000,
    },
]
GOALS = [
    {
        "kind": "activity",
        "goal": "2027 жылдың соңына дейін 300 жасөспірімге көмек",
        "specific": True,
        "measurable": True,
        "area": True,
        "realistic": True,
        "time_bound": True,
    },
    {
        "kind": "relations",
        "goal": "Әкімдікпен меморандум",
        "specific": True,
        "measurable": False,
        "area": False,
        "realistic": True,
        "time_bound": False,
    },
]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    return build_workbook(
        tmp_path / "filled.xlsx",
        lang="kk",
        org=Organisation(id="KZ-1", name="«Сенің KZ»"),
        data={
            "budget": {"items": BUDGET},
            "goals": {"goals": GOALS},
            "profile": {"org": {"region": "Алматы", "date": date(2026, 11, 20)}},
            "schedule": {
                "activity": [
                    {
                        "goal": GOALS[0]["goal"],
                        "objective": "6 айда 150 жасөспірім",
                        "actions": "Тренинг",
                        "responsible": "Айгүл",
                        "result": "150 адам",
                        "months": [1, 2, 3],
                    },
                ]
            },
            "logframe": {
                "frame": {"goal": {"summary": "Жастар жұмысқа орналасады", "indicators": "80%"}}
            },
        },
    )


def rows(plan: PlanData, step: str, block: str) -> list[dict[str, Any]]:
    blk = plan.block(step, block)
    assert blk is not None
    return [{k: v.value for k, v in r.values.items()} for r in blk.rows]


def codes(plan: PlanData) -> list[tuple[str, str, str]]:
    return [(i.code, i.cell, i.column) for i in plan.interpretations]


def test_reads_what_was_written(filled: Path) -> None:
    plan = read_workbook(filled)
    assert (plan.template_id, plan.language, plan.org_id, plan.org_name) == (
        "kuk-od-training",
        "kk",
        "KZ-1",
        "«Сенің KZ»",
    )
    budget = rows(plan, "budget", "items")
    assert [(r["category"], r["quantity"], r["unit_cost"], r["amount"]) for r in budget] == [
        ("staff", 12, 250_000, 3_000_000),
        ("activities", 4, 500_000, 2_000_000),
        ("me", 12, 40_000, 480_000),
    ]
    assert [r["measurable"] for r in rows(plan, "goals", "goals")] == [True, False]
    assert rows(plan, "schedule", "activity")[0]["months"] == [1, 2, 3]
    prof = plan.block("profile", "org")
    assert prof is not None
    assert prof.fields["date"].value == date(2026, 11, 20)
    assert prof.fields["level"].value == "national"
    frame = plan.block("logframe", "frame")
    assert frame is not None and frame.fields["goal.indicators"].value == "80%"
    assert plan.figures["budget.items.total"] == 5_480_000
    assert plan.figures["budget.items.me_share"] == pytest.approx(480_000 / 5_480_000)
    assert (
        plan.figures["budget.items.me_share_min"],
        plan.figures["budget.items.me_share_max"],
    ) == (0.05, 0.10)
    assert plan.missing_steps == []


def test_values_remember_sheet_and_cell(filled: Path, tpl: Template) -> None:
    plan = read_workbook(filled)
    wb = openpyxl.load_workbook(filled)
    first_goal = plan.block("goals", "goals").rows[0].values["goal"]  # type: ignore[union-attr]
    cell = named_cell(wb, column_name("goals", "goals", "goal"))
    assert (first_goal.sheet, first_goal.cell) == (tpl.step("goals").sheet.kk, cell.coordinate)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5 000", 5000),
        ("5\u00a0000", 5000),
        ("5,5", 5.5),
        ("1 234,50 ₸", 1234.5),
        ("10%", 0.1),
        ("0,1", 0.1),
        ("1,5 млн", 1_500_000),
        ("  7  ", 7),
        # issue 15: the apostrophe LibreOffice, gnumeric and openpyxl keep; "tenge"
        ("'1 500 000 тг", 1_500_000),
        ("' 250", 250),
        ("150,000 tenge", 150_000),
        ("2 000 000 теңге", 2_000_000),
    ],
)
def test_numbers_typed_as_text(filled: Path, typed: str, expected: float) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "unit_cost")).value = typed

    plan = read_workbook(edit(filled, change))
    first = plan.block("budget", "items").rows[0].values  # type: ignore[union-attr]
    assert first["unit_cost"].value == pytest.approx(expected)
    assert first["amount"].value == pytest.approx(12 * expected)  # recomputed from the inputs
    assert ("number-from-text", first["unit_cost"].cell, "unit_cost") in codes(plan)


@pytest.mark.parametrize("typed", ["nan", "inf", "1_000", "١٢٣", "five", "1,2,3", "'", "''5"])
def test_what_is_not_a_number_is_flagged_not_guessed(filled: Path, typed: str) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "unit_cost")).value = typed

    plan = read_workbook(edit(filled, change))
    value = plan.block("budget", "items").rows[0].values["unit_cost"]  # type: ignore[union-attr]
    assert (value.ok, value.value) == (False, typed)
    assert ("not-a-number", value.cell, "unit_cost") in codes(plan)


@pytest.mark.parametrize("typed", ["иә", "ИӘ", "да", "Да", "yes", "YES", "x", "X", "х", "✓", "+"])
def test_yes_in_any_language_and_case(filled: Path, typed: str) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("goals", "goals", "measurable"), row_offset=1).value = typed

    plan = read_workbook(edit(filled, change))
    assert rows(plan, "goals", "goals")[1]["measurable"] is True


@pytest.mark.parametrize("typed", ["жоқ", "нет", "No", "-"])
def test_no_in_any_language(filled: Path, typed: str) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("goals", "goals", "measurable")).value = typed

    assert rows(read_workbook(edit(filled, change)), "goals", "goals")[0]["measurable"] is False


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20.11.2026", date(2026, 11, 20)),
        (46346, date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
    ],
)
def test_dates_as_text_or_serial_numbers(filled: Path, typed: object, expected: date) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("profile", "org", "date")).value = typed

    prof = read_workbook(edit(filled, change)).block("profile", "org")
    assert prof is not None and prof.fields["date"].value == expected


def test_spaces_trimmed_and_blank_cells_empty(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("goals", "goals", "goal")).value = "  Мақсат  \u00a0"
        named_cell(wb, column_name("goals", "goals", "goal"), row_offset=2).value = "   \u00a0 "

    plan = read_workbook(edit(filled, change))
    goals = rows(plan, "goals", "goals")
    assert goals[0]["goal"] == "Мақсат"
    assert len(goals) == 2  # the spaces-only row counts as empty


def test_blank_rows_in_the_middle_keep_row_numbers(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("goals", "goals", "goal"), row_offset=5).value = "Кейінгі мақсат"

    plan = read_workbook(edit(filled, change))
    blk = plan.block("goals", "goals")
    assert blk is not None
    first = blk.rows[0].number
    assert [r.number - first for r in blk.rows] == [0, 1, 5]
    assert blk.rows[2].values["goal"].value == "Кейінгі мақсат"


def test_merged_cells_read_from_the_top_left(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        cell = named_cell(wb, column_name("goals", "goals", "goal"), row_offset=2)
        cell.value = "Біріктірілген ұяшық"
        cell.parent.merge_cells(
            start_row=cell.row,
            start_column=cell.column,
            end_row=cell.row + 1,
            end_column=cell.column,
        )

    goals = rows(read_workbook(edit(filled, change)), "goals", "goals")
    assert [g["goal"] for g in goals][2] == "Біріктірілген ұяшық"
    assert len(goals) == 3


def test_typed_over_formula_is_recomputed_and_noted(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "amount")).value = 999

    plan = read_workbook(edit(filled, change))
    amount = plan.block("budget", "items").rows[0].values["amount"]  # type: ignore[union-attr]
    assert amount.value == 3_000_000
    assert ("recomputed", amount.cell, "amount") in codes(plan)


def test_typed_amount_without_quantity_stands(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        cell = named_cell(wb, column_name("budget", "items", "amount"), row_offset=3)
        cell.value = "600 000"
        named_cell(
            wb, column_name("budget", "items", "category"), row_offset=3
        ).value = "Басқа шығындар"

    plan = read_workbook(edit(filled, change))
    assert rows(plan, "budget", "items")[3]["amount"] == 600_000
    assert plan.figures["budget.items.total"] == 6_080_000


def test_cached_totals_never_trusted(filled: Path) -> None:
    """openpyxl saves formulas without cached values; a stale typed total is ignored too."""

    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "total")).value = 1  # typed over the SUM
        named_cell(wb, column_name("budget", "items", "quantity"), row_offset=1).value = 8

    plan = read_workbook(edit(filled, change))
    assert plan.figures["budget.items.total"] == 3_000_000 + 8 * 500_000 + 480_000


def test_value_outside_dropdown_is_read_and_flagged(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "category")).value = "Кеңсе"

    plan = read_workbook(edit(filled, change))
    category = plan.block("budget", "items").rows[0].values["category"]  # type: ignore[union-attr]
    assert (category.value, category.ok) == ("Кеңсе", False)
    assert ("choice-unknown", category.cell, "category") in codes(plan)


def test_choices_typed_in_another_language(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(
            wb, column_name("budget", "items", "category")
        ).value = "мониторинг и оценка (МиО)"
        named_cell(wb, column_name("budget", "items", "category"), row_offset=1).value = "Staff"

    assert [r["category"] for r in rows(read_workbook(edit(filled, change)), "budget", "items")][
        :2
    ] == [
        "me",
        "staff",
    ]


def test_sheets_reordered_and_hidden(filled: Path, tpl: Template) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb.move_sheet(tpl.step("budget").sheet.kk, offset=-10)
        wb[tpl.step("goals").sheet.kk].sheet_state = "hidden"

    plan = read_workbook(edit(filled, change))
    assert len(rows(plan, "budget", "items")) == 3
    assert len(rows(plan, "goals", "goals")) == 2


def test_sheet_renamed_without_names_found_by_its_title(filled: Path, tpl: Template) -> None:
    """openpyxl does not update defined names on a rename: the reader falls back."""

    def change(wb: openpyxl.Workbook) -> None:
        wb[tpl.step("budget").sheet.kk].title = "Бюджет 2027"

    plan = read_workbook(edit(filled, change))
    assert plan.steps["budget"].sheet == "Бюджет 2027"
    assert len(rows(plan, "budget", "items")) == 3
    assert any(i.code == "sheet-by-title" and i.step == "budget" for i in plan.interpretations)
    assert plan.figures["budget.items.total"] == 5_480_000


def test_deleted_step_is_reported_rest_read(filled: Path, tpl: Template) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        del wb[tpl.step("swot_internal").sheet.kk]

    plan = read_workbook(edit(filled, change))
    assert plan.missing_steps == ["swot_internal"]
    assert ("step-missing", "", "") in [(c, "", "") for c, _, _ in codes(plan)]
    assert len(rows(plan, "budget", "items")) == 3


@pytest.mark.parametrize("step", ["success_factors", "needs", "swot_external", "schedule"])
def test_a_deleted_step_is_never_read_from_another_steps_sheet(
    filled: Path, tpl: Template, step: str
) -> None:
    """A step whose sheet the NGO deleted is missing, even where another step's sheet
    names it in its title or instructions (step 7's title speaks of success factors):
    that sheet belongs to the step its defined names lead to."""

    def change(wb: openpyxl.Workbook) -> None:
        del wb[tpl.step(step).sheet.kk]

    before = read_workbook(filled)
    plan = read_workbook(edit(filled, change))
    assert plan.missing_steps == [step]
    sheets = [s.sheet for k, s in plan.steps.items()]
    assert len(sheets) == len(set(sheets)), sheets
    for key, data in plan.steps.items():
        assert data.sheet == before.steps[key].sheet, key


def test_missing_or_broken_names_fall_back_to_headers(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in list(wb.defined_names):
            if name.startswith("kuk_budget_"):
                del wb.defined_names[name]
        wb.defined_names["kuk_goals_goals"].attr_text = "#REF!"
        for key in ("kind", "goal", "specific", "measurable", "area", "realistic", "time_bound"):
            wb.defined_names[column_name("goals", "goals", key)].attr_text = "#REF!"

    plan = read_workbook(edit(filled, change))
    assert [r["amount"] for r in rows(plan, "budget", "items")] == [3_000_000, 2_000_000, 480_000]
    assert [r["kind"] for r in rows(plan, "goals", "goals")] == ["activity", "relations"]
    fallbacks = {i.step for i in plan.interpretations if i.code == "name-fallback"}
    assert {"budget", "goals"} <= fallbacks


def test_meta_sheet_visible_and_edited(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["_meta"]
        ws.sheet_state = "visible"
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "org_id":
                row[1].value = "KZ-999"

    plan = read_workbook(edit(filled, change))
    found = {i.code for i in plan.interpretations}
    assert {"meta-sheet-visible", "meta-mismatch"} <= found
    assert plan.org_id == "KZ-999"  # the meta sheet wins, and the disagreement is noted


def test_meta_sheet_deleted_identified_by_properties(filled: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        del wb["_meta"]

    plan = read_workbook(edit(filled, change))
    assert plan.template_id == "kuk-od-training" and plan.org_id == "KZ-1"
    assert "meta-sheet-missing" in {i.code for i in plan.interpretations}


def test_workbook_in_another_language_reads_to_the_same_keys(tmp_path: Path) -> None:
    data = {"budget": {"items": BUDGET}, "goals": {"goals": GOALS}}
    plans = [
        read_workbook(build_workbook(tmp_path / f"{lang}.xlsx", lang=lang, data=data))
        for lang in ("kk", "ru", "en")
    ]
    steps = [p.to_json()["steps"] for p in plans]
    strip = [
        {
            k: {b: [r["values"] for r in v["blocks"][b].get("rows", [])] for b in v["blocks"]}
            for k, v in s.items()
        }
        for s in steps
    ]
    values = [
        {
            k: {b: [{c: x["value"] for c, x in r.items()} for r in rs] for b, rs in v.items()}
            for k, v in s.items()
        }
        for s in strip
    ]
    assert values[0] == values[1] == values[2]


def test_workbook_xml_remembered_across_reads_changes_no_result() -> None:
    """The parsed workbook.xml is remembered by content for the next files (a cohort's
    files share it): reading files of other languages in between, or changing what a
    read returned, changes nothing another read gives."""
    from kuk_xlsx.read.parts import forget_parsed_parts, read_package

    samples = Path(__file__).resolve().parent.parent / "samples"
    kk = samples / "senin_kz_strategy_kk.xlsx"
    ru = samples / "ayel_densauly_project_ru.xlsx"
    forget_parsed_parts()
    fresh = {p: read_workbook(p).to_json() for p in (kk, ru)}
    package = read_package(kk.read_bytes(), str(kk))
    package.names.clear()  # a caller's change to its own copy
    package.sheets.clear()
    for p in (kk, ru, kk, ru):
        assert read_workbook(p).to_json() == fresh[p]
    forget_parsed_parts()
    assert read_workbook(ru).to_json() == fresh[ru]


def test_reads_without_zlib_ng() -> None:
    """zlib-ng only makes inflating faster: without it (no wheel for a platform) the
    reader falls back to CPython's zlib and reads the same."""
    import json
    import subprocess
    import sys

    sample = Path(__file__).resolve().parent.parent / "samples" / "senin_kz_strategy_kk.xlsx"
    code = (
        "import sys, json, zlib; sys.modules['zlib_ng'] = None\n"
        "from kuk_xlsx.package import container, view\n"
        "from kuk_xlsx.read.reader import read_workbook\n"
        "assert container._zlib is zlib and view._zlib is zlib\n"
        f"print(json.dumps(read_workbook({str(sample)!r}).to_json(), sort_keys=True))\n"
    )
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, check=True
    )
    assert json.loads(out.stdout) == json.loads(
        json.dumps(read_workbook(sample).to_json(), sort_keys=True)
    )


def test_part_paths_normalised_as_posixpath_does() -> None:
    import itertools
    import posixpath

    from kuk_xlsx.read.parts import _normpath

    pieces = ["a", ".", "/", "x.xml", "..", "\\"]
    for k in range(6):
        for parts in itertools.product(pieces, repeat=k):
            path = "".join(parts)
            assert _normpath(path) == posixpath.normpath(path), path


def test_files_read_whole_bounded_and_never_waited_for(tmp_path: Path) -> None:
    """An empty file, a file at the limit and one byte over it, a file that grows
    while it is read, and a pipe nobody writes to (refused at once, not waited on)."""
    import os
    import threading

    from kuk_xlsx.package.problems import ReadError
    from kuk_xlsx.read.reader import read_bounded

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert read_bounded(empty) == b""
    exact = tmp_path / "exact.xlsx"
    exact.write_bytes(b"x" * 1000)
    assert read_bounded(exact, limit=1000) == b"x" * 1000
    with pytest.raises(ReadError) as over:
        read_bounded(exact, limit=999)
    assert (over.value.problem.code, over.value.problem.found) == ("too-large", 1000)

    growing = tmp_path / "growing.xlsx"
    growing.write_bytes(b"a" * 10)
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        found = real_fstat(fd)  # the size seen first; then the saving program writes more
        with growing.open("ab") as fh:
            fh.write(b"b" * 5000)
        return found

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "fstat", fstat_then_grow)
        assert read_bounded(growing) == b"a" * 10 + b"b" * 5000

    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    done: list[str] = []
    reader = threading.Thread(
        target=lambda: done.append(_problem_code(read_bounded, pipe)), daemon=True
    )
    reader.start()
    reader.join(timeout=10)
    assert done == ["unreadable"]


def _problem_code(read: Any, path: Path) -> str:
    from kuk_xlsx.package.problems import ReadError

    try:
        read(path)
    except ReadError as exc:
        return exc.problem.code
    return "read"


# --- reading by header, never by position (#11 item 5) -------------------------------

# the filled fixture of today's version: these tests edit today's spec (a file of an
# earlier version is read by its own released layout, tests/test_versions.py)
FIXTURE_NOW = (
    Path(__file__).parent / "fixtures" / f"template_{load_template().version}_kk_filled.xlsx"
)
_PARTNERS = """
[[blocks.columns]]
key = "partners"
type = "text"
width = 20
label = { kk = "Серіктестер", ru = "Партнёры", en = "Partners" }
"""


def _spec_with_partners(tmp_path: Path) -> Path:
    """A copy of the template with a ``partners`` column before ``result`` in both schedule tables."""
    import shutil

    from kuk_xlsx.spec.template import templates_root

    folder = tmp_path / "kuk_training"
    shutil.copytree(templates_root() / "kuk_training", folder)
    schedule = folder / "steps" / "schedule.toml"
    text = schedule.read_text(encoding="utf-8")
    marker = '[[blocks.columns]]\nkey = "result"'
    assert text.count(marker) == 2
    schedule.write_text(text.replace(marker, _PARTNERS.lstrip() + "\n" + marker), encoding="utf-8")
    return folder


def _values(plan: PlanData) -> dict[tuple[str, str, int, str], Any]:
    out: dict[tuple[str, str, int, str], Any] = {}
    for sk, step_data in plan.steps.items():
        for bk, b in step_data.blocks.items():
            for key, v in b.fields.items():
                out[(sk, bk, 0, key)] = (v.value, v.cell)
            for row in b.rows:
                for key, v in row.values.items():
                    out[(sk, bk, row.number, key)] = (v.value, v.cell)
    return out


def test_a_column_the_file_lacks_is_missing_never_its_neighbours(tmp_path: Path) -> None:
    from kuk_xlsx.spec.template import load_template

    before = read_workbook(FIXTURE_NOW)
    tpl = load_template("kuk_training", _spec_with_partners(tmp_path).parent)
    after = read_workbook(FIXTURE_NOW, tpl)
    assert before.missing_columns == []
    assert sorted(after.missing_columns) == [
        ("schedule", "activity", "partners"),
        ("schedule", "capacity", "partners"),
    ]
    assert _values(after) == _values(before)  # every other value exactly as before
    assert any(k[3] == "result" for k in _values(after))  # (the fixture fills it)
    for bk in ("activity", "capacity"):
        block = after.block("schedule", bk)
        assert block is not None
        assert "partners" not in block.columns
        assert not block.column_values("partners")


def test_a_column_found_by_its_header_when_its_name_is_gone(tmp_path: Path) -> None:
    """No defined names at all: columns are found by header text, wherever they stand."""
    import shutil

    original = read_workbook(FIXTURE_NOW)
    source = shutil.copy(FIXTURE_NOW, tmp_path / "fixture.xlsx")

    def unname(wb: openpyxl.Workbook) -> None:
        for name in list(wb.defined_names):
            if name.lower().startswith("kuk_schedule"):
                del wb.defined_names[name]

    path = edit(Path(source), unname)
    plan = read_workbook(path)
    assert plan.missing_columns == []
    got = plan.block("schedule", "activity")
    want = original.block("schedule", "activity")
    assert got is not None and want is not None
    assert [r.values for r in got.rows] == [r.values for r in want.rows]


def test_a_spec_hash_no_release_has_is_flagged(tmp_path: Path) -> None:
    """The fixture is a released build: known under any spec whose releases.toml
    lists it; a build of an edited spec that nobody recorded is flagged, visibly."""
    from kuk_xlsx.build.workbook import build_workbook
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.render import render
    from kuk_xlsx.spec.template import load_template

    edited = load_template("kuk_training", _spec_with_partners(tmp_path).parent)
    assert edited.spec_hash != read_workbook(FIXTURE_NOW).spec_hash
    assert read_workbook(FIXTURE_NOW).spec_known is True
    assert read_workbook(FIXTURE_NOW, edited).spec_known is True  # listed in releases.toml

    unrecorded = build_workbook(tmp_path / "edited.xlsx", template=edited, lang="ru")
    assert read_workbook(unrecorded).spec_known is False
    findings = [f for f in validate(unrecorded).findings if f.code == "KUK-FILE-SPEC-CHANGED"]
    assert len(findings) == 1
    message, _fix = render(findings[0], "ru")
    assert edited.spec_hash in message and edited.version in message
    assert validate(FIXTURE_NOW).findings == [
        f for f in validate(FIXTURE_NOW).findings if f.code != "KUK-FILE-SPEC-CHANGED"
    ]


def test_without_its_release_recorded_the_fixture_is_unknown(tmp_path: Path) -> None:
    from kuk_xlsx.spec.template import load_template

    folder = _spec_with_partners(tmp_path)
    (folder / "releases.toml").unlink()
    assert (
        read_workbook(FIXTURE_NOW, load_template("kuk_training", folder.parent)).spec_known is False
    )


def test_a_column_the_file_lacks_is_one_warning_not_a_cell_error_per_row(tmp_path: Path) -> None:
    """Reading the fixture with a spec that adds a required ``partners`` column:
    one KUK-FILE-COLUMN-MISSING naming the column in the reader's language, and no
    "required cell" error in each schedule row for a column the sheet does not have."""
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.render import render
    from kuk_xlsx.spec.template import load_template

    folder = _spec_with_partners(tmp_path)
    schedule = folder / "steps" / "schedule.toml"
    schedule.write_text(
        schedule.read_text(encoding="utf-8").replace(
            'key = "partners"\ntype = "text"', 'key = "partners"\ntype = "text"\nrequired = true'
        ),
        encoding="utf-8",
    )
    tpl = load_template("kuk_training", folder.parent)
    assert tpl.step("schedule").block("activity").column("partners").required
    before = validate(FIXTURE_NOW).findings
    after = validate(FIXTURE_NOW, tpl).findings
    missing = [f for f in after if f.code == "KUK-FILE-COLUMN-MISSING"]
    assert [(f.step, f.column) for f in missing] == [("schedule", "partners")]
    assert missing[0].sheet == read_workbook(FIXTURE_NOW).steps["schedule"].sheet
    assert "«Серіктестер»" in render(missing[0], "kk", tpl)[0]
    assert "«Партнёры»" in render(missing[0], "ru", tpl)[0]
    assert [f for f in after if f.code != "KUK-FILE-COLUMN-MISSING"] == before


def test_workbook_level_names_are_read_and_sheet_local_ones_are_not() -> None:
    """A print title Excel scopes to one sheet must not hide our workbook-level name."""
    from kuk_xlsx.read.parts import _parse_workbook_xml

    data = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr date1904="1"/><sheets><sheet name="Қадам" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="KUK_X" localSheetId="0">\'Қадам\'!$B$2</definedName>'
        "<definedName name=\"kuk_x\">'Қадам'!$A$1:$C$3</definedName></definedNames></workbook>"
    ).encode()
    sheets, names, destinations, date1904 = _parse_workbook_xml(data)
    assert sheets == (("Қадам", "visible", "rId1"),)
    assert names == {"kuk_x": "'Қадам'!$A$1:$C$3"}
    assert destinations["kuk_x"] == ("Қадам", (0, 0, 2, 2))
    assert date1904 is True
