"""``migrate``: an NGO's workbook carried into a fresh workbook of the current template.

The measure is ``dump``: the old file and the new one give the same value for
every key both have, step by step, and every key the new one lacks is on the
not-carried list.  Tables are compared row by row in order (row numbers move when
rows were inserted), fields and grid cells by key.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.catalogue import text
from kuk_xlsx.checks.engine import validate
from kuk_xlsx.migrate import (
    REASONS,
    Change,
    MigrationResult,
    NotCarried,
    changes_between,
    migrate_workbook,
)
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.roster import read_roster
from kuk_xlsx.spec.template import LANGS, column_name, load_template
from kuk_xlsx.write.safe import OutputError
from tests.support import libreoffice as lo
from tests.support.workbooks import edit as edit_beside
from tests.support.workbooks import named_cell

ROOT = Path(__file__).resolve().parent.parent
TPL = load_template()
# today's version's fixture, for the migration's own cases; the 1.0.0 one is carried
# across a version (and read by its own layout) in test_dump_is_the_same_for_every_step
FIXTURE = ROOT / "tests" / "fixtures" / f"template_{TPL.version}_kk_filled.xlsx"
FIXTURE_1_0_0 = ROOT / "tests" / "fixtures" / "template_1.0.0_kk_filled.xlsx"
RELEASED = ROOT / "workbook_templates" / "kuk_training" / "released"
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))

Flat = dict[str, dict[tuple[str, int | None, str], Any]]


def flat(path: Path) -> Flat:
    """step -> {(block, table row index or None, column): value} from ``dump``."""
    doc = read_workbook(path).to_json()
    out: Flat = {}
    for step, st in doc["steps"].items():
        values = out.setdefault(step, {})
        for block, b in st["blocks"].items():
            rows = b["rows"] if b["kind"] == "table" else [{"values": b["values"]}]
            for i, row in enumerate(rows):
                for col, v in row["values"].items():
                    values[(block, i if b["kind"] == "table" else None, col)] = v["value"]
    return out


def assert_carried(old: Path, new: Path, result: MigrationResult) -> dict[str, int]:
    """Every step: the same value for every key both files have, and every key the new
    one lacks listed as not carried.  Returns the values compared per step."""
    was, now = flat(old), flat(new)
    listed = {(i.step, i.block, i.column) for i in result.not_carried}
    listed_rows = Counter(
        (i.step, i.block) for i in result.not_carried if i.reason == "too-many-rows"
    )
    counts = {}
    for step, values in was.items():
        new_values = now.get(step, {})
        both = values.keys() & new_values.keys()
        differ = {k: (values[k], new_values[k]) for k in both if values[k] != new_values[k]}
        assert not differ, f"{step}: {differ}"
        lost = values.keys() - new_values.keys()
        capacity = {b.key: b.rows for b in TPL.step(step).blocks}
        unlisted = [
            (block, i, col)
            for block, i, col in lost
            if (step, block, col) not in listed
            and (step, block, col.split(".")[-1]) not in listed
            and not (i is not None and i >= capacity[block] and listed_rows[(step, block)])
        ]
        assert not unlisted, f"{step}: lost without a word: {unlisted}"
        assert not new_values.keys() - values.keys(), f"{step}: new values from nowhere"
        counts[step] = len(both)
    return counts


def edit(source: Path, change: Callable[[openpyxl.Workbook], None], folder: Path) -> Path:
    """``source`` copied into ``folder`` and edited there with openpyxl."""
    copy = Path(shutil.copy(source, folder / f"source_{source.name}"))
    return edit_beside(copy, change, f"edited_{source.name}")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def located(path: Path) -> list[tuple[str, str, str, str]]:
    """Findings without their cells (rows moved), as (code, step, sheet, column)."""
    return sorted((f.code, f.step, f.sheet, f.column) for f in validate(path).findings)


# --- the released fixture and the samples: everything carried ------------------------


@pytest.mark.parametrize("source", [FIXTURE_1_0_0, FIXTURE, *SAMPLES], ids=lambda p: p.name)
def test_dump_is_the_same_for_every_step(source: Path, tmp_path: Path) -> None:
    before = sha(source)
    target = tmp_path / source.name
    result = migrate_workbook(source, target)
    assert sha(source) == before  # the input is never modified
    old, new = read_workbook(source), read_workbook(target)
    counts = assert_carried(source, target, result)
    # nothing left behind; what later versions added to its steps is listed to fill
    added = {
        tuple([*c.key.split("."), ""][:3])
        for c in changes_between(old.template_version, TPL.version, TPL.changes)
        if c.kind == "add" and c.key.split(".")[0] in old.expected_steps
    }
    assert {(i.step, i.block, i.column) for i in result.not_carried} == added
    assert {i.reason for i in result.not_carried} <= {"new-in-template"}
    assert bool(added) == (old.template_version != TPL.version)
    assert set(counts) == set(old.steps) == set(new.steps)
    assert all(counts[s] > 0 for s in counts), counts  # every step had answers to carry
    assert sum(counts.values()) == result.carried
    assert (new.language, new.org_id, new.org_name, new.level) == (
        old.language,
        old.org_id,
        old.org_name,
        old.level,
    )
    assert new.template_version == TPL.version and new.spec_hash == TPL.spec_hash
    assert new.figures == old.figures
    # a fresh workbook: no sheet of what was not carried when all was and nothing is new
    assert (
        text("migrate.sheet.name", old.language)
        in openpyxl.load_workbook(target, read_only=True).sheetnames
    ) == bool(added)


def test_new_file_validates_as_the_old(tmp_path: Path) -> None:
    """Findings carried over too: a typed text where a number belongs, a share out of
    its band, a row too short, all found again in the new workbook."""

    def spoil(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("budget", "items", "unit_cost"), 2).value = "около 5 тысяч"
        named_cell(wb, column_name("budget", "items", "quantity"), 0).value = 40
        named_cell(wb, column_name("problem", "core", "core_problem")).value = None
        named_cell(wb, column_name("me_plan", "indicators", "quantitative"), 1).value = None

    source = edit(ROOT / "samples" / "ayel_densauly_project_ru.xlsx", spoil, tmp_path)
    source = shutil.copy(source, tmp_path / "spoilt.xlsx")
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert [(i.reason, i.step, i.column) for i in result.not_carried] == [
        ("kept-as-typed", "budget", "unit_cost")
    ]
    assert_carried(Path(source), tmp_path / "new.xlsx", result)
    old = located(Path(source))
    assert len(old) >= 3
    assert located(tmp_path / "new.xlsx") == old


# --- files NGOs edited ------------------------------------------------------------------


def _insert_reasons(wb: openpyxl.Workbook, count: int) -> None:
    """Rows inserted inside step 1's table and filled, as an NGO does in Excel."""
    first = named_cell(wb, column_name("needs", "reasons", "reason"), 2)
    ws, row, col = first.parent, first.row, first.column
    ws.insert_rows(row, count)
    for i in range(count):
        ws.cell(row + i, col, "Басқа (өзіңіз жазыңыз)")
        ws.cell(row + i, col + 1, f"Қосылған жол {i + 1}")


@pytest.mark.parametrize("fixture", [FIXTURE_1_0_0, FIXTURE], ids=lambda p: p.name)
def test_rows_inserted_sheets_renamed_and_moved(fixture: Path, tmp_path: Path) -> None:
    """An old file edited as NGOs do, of today's version or the one before (read by
    its own layout): every step's values carried to today's keys."""
    version = fixture.name.split("_")[1]
    own = TPL if version == TPL.version else load_template(version, RELEASED)

    def change(wb: openpyxl.Workbook) -> None:
        _insert_reasons(wb, 1)
        wb[own.step("swot_internal").sheet.get("kk")].title = "SWOT ішкі"
        wb["7 Мақсаттар"].title = "Біздің мақсаттар"
        wb.move_sheet("Біздің мақсаттар", offset=-6)
        extra = named_cell(wb, column_name("stakeholders", "map", "name"), 3).parent
        extra.insert_rows(8, 2)

    source = edit(fixture, change, tmp_path)
    old = read_workbook(source)
    assert old.read_as == ("" if own is TPL else version)
    assert len(old.block("needs", "reasons").rows) == 6  # type: ignore[union-attr]
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    counts = assert_carried(source, tmp_path / "new.xlsx", result)
    assert [i for i in result.not_carried if i.reason != "new-in-template"] == []
    assert set(counts) == set(old.steps)
    # (openpyxl moves no defined name when it inserts rows, so the field under the
    # table is lost on reading the old file already; LibreOffice's test below moves them)
    assert counts["needs"] == 12 and counts["stakeholders"] == 30
    comments = [r.values["comment"].value for r in new_rows(tmp_path / "new.xlsx")]
    assert comments[2] == "Қосылған жол 1" and len(comments) == 6
    new = read_workbook(tmp_path / "new.xlsx")
    assert new.steps["goals"].sheet == TPL.step("goals").sheet.get("kk")  # names as built


def new_rows(path: Path) -> list[Any]:
    return read_workbook(path).block("needs", "reasons").rows  # type: ignore[union-attr]


def test_more_rows_than_the_table_holds_are_listed(tmp_path: Path) -> None:
    source = edit(FIXTURE, lambda wb: _insert_reasons(wb, 3), tmp_path)
    old = read_workbook(source)
    rows = old.block("needs", "reasons").rows  # type: ignore[union-attr]
    capacity = TPL.step("needs").block("reasons").rows
    assert len(rows) == capacity + 2
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert [(i.reason, i.step, i.block, i.cell) for i in result.not_carried] == [
        ("too-many-rows", "needs", "reasons", f"A{r.number}") for r in rows[capacity:]
    ]
    assert result.not_carried[-1].value.endswith(str(rows[-1].values["comment"].value))
    assert_carried(source, tmp_path / "new.xlsx", result)
    new = read_workbook(tmp_path / "new.xlsx")
    assert len(new.block("needs", "reasons").rows) == capacity  # type: ignore[union-attr]
    # the list is the new workbook's first sheet, in the file's language
    wb = openpyxl.load_workbook(tmp_path / "new.xlsx")
    listing = wb.worksheets[0]
    assert listing.title == text("migrate.sheet.name", "kk") and wb.active == listing
    cells = [[c.value for c in row] for row in listing.iter_rows(min_row=5)]
    assert [c[1] for c in cells] == [f"{r.values['reason'].sheet}!A{r.number}" for r in rows[6:]]
    assert {c[4] for c in cells} == {text("migrate.reason.too-many-rows", "kk")}


def test_a_deleted_step_sheet_is_listed_and_left_empty(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        del wb["6 Жетістік факторлары"]

    source = edit(FIXTURE, change, tmp_path)
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert [(i.reason, i.step) for i in result.not_carried] == [("step-missing", "success_factors")]
    assert_carried(source, tmp_path / "new.xlsx", result)
    new = read_workbook(tmp_path / "new.xlsx")
    assert new.missing_steps == [] and new.block("success_factors", "factors").rows == []  # type: ignore[union-attr]


def test_a_value_outside_its_list_is_listed_not_carried(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("needs", "reasons", "reason"), 1).value = "Біздің өз себебіміз"
        named_cell(wb, column_name("profile", "org", "date")).value = "былтыр"

    source = edit(FIXTURE, change, tmp_path)
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert [(i.reason, i.step, i.column, i.cell, i.value) for i in result.not_carried] == [
        ("kept-as-typed", "profile", "date", "B13", "былтыр"),
        ("not-a-choice", "needs", "reason", "A7", "Біздің өз себебіміз"),
    ]
    assert_carried(source, tmp_path / "new.xlsx", result)
    assert flat(tmp_path / "new.xlsx")["profile"][("org", None, "date")] == "былтыр"


def test_ngo_text_stays_text_and_a_migrated_file_migrates_again(tmp_path: Path) -> None:
    """Text that looks like a formula is carried (and listed) as text, never run; the
    new workbook, its not-carried sheet included, migrates again to the same data."""
    link = '=HYPERLINK("http://example.com","click")'

    def change(wb: openpyxl.Workbook) -> None:
        for cell in (
            named_cell(wb, column_name("needs", "reasons", "reason"), 1),
            named_cell(wb, column_name("mission", "statement", "slogan")),
        ):
            cell.value = link
            cell.data_type = "s"  # typed as text, as a leading apostrophe does

    source = edit(FIXTURE, change, tmp_path)
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert [(i.reason, i.value) for i in result.not_carried] == [("not-a-choice", link)]
    assert flat(tmp_path / "new.xlsx")["mission"][("statement", None, "slogan")] == link
    with zipfile.ZipFile(tmp_path / "new.xlsx") as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"HYPERLINK" in zf.read(n) for n in sheets)  # no formula, no link
        assert not any("hyperlink" in n for n in zf.namelist())
    again = migrate_workbook(tmp_path / "new.xlsx", tmp_path / "again.xlsx")
    assert again.not_carried == []
    assert flat(tmp_path / "again.xlsx") == flat(tmp_path / "new.xlsx")


def test_roster_made_file_keeps_its_id(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("ID,Ұйымның атауы,Өңір / қала\nKZ-077,«Жарық» қоғамдық қоры,Шымкент\n")
    (entry,) = read_roster(roster)
    made = build_workbook(tmp_path / "made.xlsx", lang="ru", org=entry.org, level="regional")

    def fill(wb: openpyxl.Workbook) -> None:
        named_cell(wb, column_name("profile", "org", "name")).value = "ОФ «Жарық»"
        named_cell(wb, column_name("goals", "goals", "goal")).value = "Открыть три центра"

    source = edit(made, fill, tmp_path)
    result = migrate_workbook(source, tmp_path / "new.xlsx")
    assert (result.org_id, result.org_name, result.language) == (
        "KZ-077",
        "«Жарық» қоғамдық қоры",
        "ru",
    )
    assert_carried(source, tmp_path / "new.xlsx", result)
    new = read_workbook(tmp_path / "new.xlsx")
    assert (new.org_id, new.org_name, new.level) == ("KZ-077", "«Жарық» қоғамдық қоры", "regional")
    profile = flat(tmp_path / "new.xlsx")["profile"]
    assert profile[("org", None, "name")] == "ОФ «Жарық»"
    assert profile[("org", None, "region")] == "Шымкент"


def test_a_field_the_ngo_cleared_stays_empty(tmp_path: Path) -> None:
    made = build_workbook(
        tmp_path / "made.xlsx", lang="en", org=Organisation("KZ-1", "Umit", region="Aktobe")
    )
    source = edit(
        made, lambda wb: setattr(named_cell(wb, "kuk_profile_org_region"), "value", None), tmp_path
    )
    migrate_workbook(source, tmp_path / "new.xlsx")
    assert ("org", None, "region") not in flat(tmp_path / "new.xlsx")["profile"]


# --- refusing, and what a later version's changes do --------------------------------------


def test_the_input_is_never_the_output(tmp_path: Path) -> None:
    source = Path(shutil.copy(FIXTURE, tmp_path / "plan.xlsx"))
    before = sha(source)
    with pytest.raises(OutputError) as caught:
        migrate_workbook(source, tmp_path / "." / "plan.xlsx")
    assert caught.value.key == "write.is_input"
    assert sha(source) == before


def test_changes_between_versions() -> None:
    table = {
        "1.1.0": (Change("rename", "needs.reasons.comment", "needs.reasons.why"),),
        "1.2.0": (Change("rename", "needs.reasons", "needs.motives"),),
        "2.0.0": (Change("drop", "network"),),
    }
    assert [c.to for c in changes_between("1.0.0", "1.2.0", table)] == [
        "needs.reasons.why",
        "needs.motives",
    ]
    assert changes_between("1.1.0", "1.1.0", table) == []
    assert len(changes_between("", "2.0.0", table)) == 3  # a file that does not say


def test_a_later_version_renames_adds_and_drops(tmp_path: Path) -> None:
    """A version -> changes table is data: a target template with a column renamed,
    one added and a field dropped takes a 1.0.0 workbook's answers by it (read by the
    1.0.0 layout: ``source_template``)."""
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "workbook_templates" / "kuk_training", root / "kuk_training")
    folder = root / "kuk_training"
    top = folder / "template.toml"
    top.write_text(
        top.read_text(encoding="utf-8").replace(f'"{TPL.version}"', '"9.0.0"', 1), "utf-8"
    )
    needs = folder / "steps" / "needs.toml"
    body = needs.read_text(encoding="utf-8")
    assert body.count('key = "comment"') == 1
    priority = (
        '[[blocks.columns]]\nkey = "priority"\ntype = "text"\n'
        'label = { kk = "Басымдық", ru = "Приоритет", en = "Priority" }\n\n'
    )
    body = body.replace('key = "comment"', 'key = "why"')
    at = body.index("[[blocks]]", body.index('key = "why"'))
    needs.write_text(body[:at] + priority + body[at:], "utf-8")
    mission = folder / "steps" / "mission.toml"
    body = mission.read_text(encoding="utf-8")
    start = body.index('key = "slogan"')
    block_start = body.rindex("[[blocks.fields]]", 0, start)
    block_end = body.index("[[blocks.fields]]", start)
    mission.write_text(body[:block_start] + body[block_end:], "utf-8")
    target_tpl = load_template("kuk_training", root)
    assert target_tpl.version == "9.0.0"
    changes = {
        "9.0.0": (
            Change("rename", "needs.reasons.comment", "needs.reasons.why"),
            Change("drop", "mission.statement.slogan"),
            Change("add", "needs.reasons.priority"),
            Change("add", "network"),  # (its module is not in the old file: not listed)
        )
    }
    released = load_template("1.0.0", RELEASED)
    result = migrate_workbook(
        FIXTURE_1_0_0,
        tmp_path / "new.xlsx",
        template=target_tpl,
        changes=changes,
        source_template=released,
    )
    assert [(i.reason, i.step, i.column) for i in result.not_carried] == [
        ("not-in-template", "mission", "slogan"),
        ("new-in-template", "needs", "priority"),
    ]
    old = read_workbook(FIXTURE_1_0_0)
    new = read_workbook(tmp_path / "new.xlsx", target_tpl)
    assert new.template_version == "9.0.0"
    was = [r.values["comment"].value for r in old.block("needs", "reasons").rows]  # type: ignore[union-attr]
    now = [r.values["why"].value for r in new.block("needs", "reasons").rows]  # type: ignore[union-attr]
    assert now == was and len(now) == 5
    assert "slogan" not in new.block("mission", "statement").fields  # type: ignore[union-attr]
    assert "network" not in new.steps and new.block("needs", "reasons").columns["priority"] == 2  # type: ignore[union-attr]


# --- words ------------------------------------------------------------------------------


def test_every_reason_has_words_in_every_language() -> None:
    for reason in REASONS:
        for lang in LANGS:
            assert text(f"migrate.reason.{reason}", lang)
    assert {NotCarried(r, "s").reason for r in REASONS} == set(REASONS)


# --- the command -----------------------------------------------------------------------


def run(*args: str, encoding: str = "utf-8") -> tuple[int, str, str]:
    """``kuk-xlsx ARGS`` in a subprocess, its output in a console's ``encoding``."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    env.pop("KUK_XLSX_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "kuk_xlsx", *args], capture_output=True, env=env, timeout=300
    )
    shown = "utf-8" if encoding == "ascii" else encoding
    return done.returncode, done.stdout.decode(shown), done.stderr.decode(shown)


@pytest.mark.parametrize("lang", LANGS)
def test_the_command_says_what_was_not_carried(lang: str, tmp_path: Path) -> None:
    source = edit(FIXTURE, lambda wb: _insert_reasons(wb, 3), tmp_path)
    target = tmp_path / "new.xlsx"
    code, out, err = run("migrate", str(source), "-o", str(target), "--lang", lang)
    assert code == 0, err
    status, *items = out.splitlines()
    fields = {"source": source, "target": target, "old": TPL.version, "new": TPL.version}
    sheet = text("migrate.sheet.name", "kk")  # the sheet is in the file's language
    n = sum(map(len, flat(target).values()))  # every value the new workbook holds
    assert status == text("migrate.done_with", lang, n=n, m=2, sheet=sheet, **fields)
    why = text("migrate.reason.too-many-rows", lang)
    step = TPL.step("needs").sheet.get(lang)
    assert [i.split(":")[0] for i in items] == [
        f"  [{step}] 1 Қажеттілік!A12",
        f"  [{step}] 1 Қажеттілік!A13",
    ]
    assert all(i.endswith(f" — {why}") for i in items)
    # run again: the new workbook is there, and is kept without --force
    code, out, err = run("migrate", str(source), "-o", str(target), "--lang", lang)
    assert code == 2 and text("migrate.exists", lang, path=target) in err


@pytest.mark.parametrize("encoding", ["cp1251", "cp866", "ascii"])
def test_a_folder_in_a_windows_code_page(encoding: str, tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    (inbox / "almaty").mkdir(parents=True)
    (inbox / "taraz").mkdir()
    shutil.copy(FIXTURE, inbox / "almaty" / "plan.xlsx")
    shutil.copy(SAMPLES[0], inbox / "taraz" / "plan.xlsx")
    edit(FIXTURE, lambda wb: _insert_reasons(wb, 3), inbox)
    (inbox / "bad.xlsx").write_bytes(b"not a workbook")
    before = {p: sha(p) for p in inbox.rglob("*.xlsx")}
    code, out, err = run(
        "migrate", str(inbox), "--out-dir", str(tmp_path / "out"), encoding=encoding
    )
    assert code == 2, err  # the bad file
    assert "Traceback" not in err
    assert len([line for line in out.splitlines() if not line.startswith("  ")]) == 5
    written = sorted(
        str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.xlsx")
    )
    assert written == [
        "almaty/plan.xlsx",
        f"edited_{FIXTURE.name}",
        f"source_{FIXTURE.name}",
        "taraz/plan.xlsx",
    ]
    assert {p: sha(p) for p in inbox.rglob("*.xlsx")} == before  # inputs untouched
    assert (
        read_workbook(tmp_path / "out" / "taraz" / "plan.xlsx").language
        == read_workbook(SAMPLES[0]).language
    )


def test_the_command_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = Path(shutil.copy(FIXTURE, tmp_path / "plan.xlsx"))
    before = sha(source)
    code, out, err = run("migrate", str(source), "-o", str(source), "--force", "--lang", "ru")
    assert code == 2 and "Traceback" not in err
    assert text("write.is_input", "ru", path=source) in out
    assert sha(source) == before
    code, out, err = run("migrate", str(source), "--lang", "ru")
    assert code == 2 and text("migrate.needs_output", "ru") in err


# --- LibreOffice ------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_edited_in_libreoffice_then_migrated_then_opened(tmp_path: Path) -> None:
    """Rows inserted inside the budget and filled, a sheet renamed and moved, all in
    LibreOffice; the new workbook carries every value, and LibreOffice opens it."""
    lo.require_libreoffice(uno=True)
    source = ROOT / "samples" / "ayel_densauly_project_ru.xlsx"
    wb = openpyxl.load_workbook(source, read_only=False)
    ((sheet, ref),) = wb.defined_names[column_name("budget", "items", "item")].destinations
    first_row = int(ref.replace("$", "").split(":")[0][1:])
    at = first_row + 3
    actions: list[dict[str, Any]] = [
        {"op": "insert_rows", "sheet": sheet, "row": at, "count": 2},
        {"op": "set", "sheet": sheet, "cell": f"A{at}", "value": "Мероприятия"},
        {"op": "set", "sheet": sheet, "cell": f"B{at}", "value": "Аренда зала"},
        {"op": "set", "sheet": sheet, "cell": f"D{at}", "value": "3"},
        {"op": "set", "sheet": sheet, "cell": f"E{at}", "value": "50000"},
        {"op": "set", "sheet": sheet, "cell": f"B{at + 1}", "value": "Канцелярия"},
        {"op": "set", "sheet": sheet, "cell": f"F{at + 1}", "value": "20000"},
        {"op": "rename_sheet", "sheet": sheet, "new": "Наш бюджет"},
        {"op": "move_sheet", "sheet": "Наш бюджет", "to": 1},
    ]
    edited = tmp_path / "edited.xlsx"
    lo.run_uno(actions, source, edited)
    old = read_workbook(edited)
    assert old.steps["budget"].sheet == "Наш бюджет"
    assert len(old.block("budget", "items").rows) == 17  # type: ignore[union-attr]
    result = migrate_workbook(edited, tmp_path / "new.xlsx")
    assert result.not_carried == []  # 17 rows: the table holds 18
    counts = assert_carried(edited, tmp_path / "new.xlsx", result)
    assert counts["budget"] > 0
    assert read_workbook(tmp_path / "new.xlsx").figures == old.figures
    # the same findings, on the sheet's own name; but the total the old file showed
    # (LibreOffice's sum, without the amount a filled row had no formula for) is gone:
    # a fresh workbook's totals are live formulas
    was = located(edited)
    assert ("KUK-BUDGET-TOTAL-MISMATCH", "budget", "Наш бюджет", "total") in was
    assert located(tmp_path / "new.xlsx") == [
        (code, step, TPL.step(step).sheet.get("ru") if sheet == "Наш бюджет" else sheet, col)
        for code, step, sheet, col in was
        if code != "KUK-BUDGET-TOTAL-MISMATCH"
    ]
    resaved = lo.convert(tmp_path / "new.xlsx", "xlsx", tmp_path / "lo")
    assert_carried(edited, resaved, result)


@pytest.mark.libreoffice
def test_the_not_carried_sheet_prints(tmp_path: Path) -> None:
    lo.require_libreoffice(pdftoppm=True)
    source = edit(FIXTURE, lambda wb: _insert_reasons(wb, 4), tmp_path)
    migrate_workbook(source, tmp_path / "new.xlsx")
    pdf = lo.convert(tmp_path / "new.xlsx", "pdf", tmp_path / "pdf")
    pages = lo.pdf_to_pngs(pdf, tmp_path / "png", dpi=60)
    assert pages and pages[0].stat().st_size > 5_000
