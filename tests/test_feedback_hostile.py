"""Feedback copies never send one NGO's data to another, and never lose an NGO's sheet.

Issue 16, items 1 and 2: returned files that share a name (every NGO that keeps
the default name), a feedback folder inside the returned files, and an NGO's own
sheet called ``_feedback``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.checks.engine import validate
from kuk_xlsx.cli.commands import cli
from kuk_xlsx.outputs.feedback import STATE_SHEET, feedback_targets, write_feedback
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.template import Template
from kuk_xlsx.write.safe import OutputError


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ngo_file(path: Path, name: str, lang: str = "ru") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_workbook(path, lang=lang, org=Organisation(id=name.lower(), name=name))


def test_same_name_in_two_folders_gives_each_ngo_its_own_copy(tmp_path: Path) -> None:
    a = ngo_file(tmp_path / "in/almaty/plan.xlsx", "Alpha")
    b = ngo_file(tmp_path / "in/taraz/plan.xlsx", "Beta")
    before = {p: sha(p) for p in (a, b)}
    fb = tmp_path / "fb"
    result = CliRunner().invoke(
        cli, ["validate", str(tmp_path / "in"), "--feedback", str(fb), "--lang", "ru"]
    )
    assert result.exit_code in (0, 1), result.output
    copies = sorted(p.relative_to(fb).as_posix() for p in fb.rglob("*.xlsx"))
    assert copies == ["almaty/plan.xlsx", "taraz/plan.xlsx"]
    assert read_workbook(fb / "almaty/plan.xlsx").org_name == "Alpha"
    assert read_workbook(fb / "taraz/plan.xlsx").org_name == "Beta"
    assert {p: sha(p) for p in (a, b)} == before
    # the trainer is told where the copies went, in Russian
    assert "Копии с обратной связью (2)" in result.output
    assert "almaty" in result.output and "taraz" in result.output


def test_a_unique_name_keeps_the_flat_layout(tmp_path: Path) -> None:
    a, b = tmp_path / "x/one.xlsx", tmp_path / "y/two.xlsm"
    assert feedback_targets([a, b], tmp_path / "fb") == {
        a: tmp_path / "fb/one.xlsx",
        b: tmp_path / "fb/two.xlsx",
    }


def test_xlsm_and_xlsx_of_one_name_do_not_share_a_copy(tmp_path: Path) -> None:
    x, m = tmp_path / "in/x.xlsx", tmp_path / "in/x.xlsm"
    targets = feedback_targets([x, m], tmp_path / "fb")
    assert targets == {x: tmp_path / "fb/x.xlsx", m: tmp_path / "fb/x.xlsm.xlsx"}


def test_names_differing_only_in_case_are_kept_apart(tmp_path: Path) -> None:
    """Windows and macOS folders ignore case: Plan.xlsx and plan.xlsx are one file there."""
    a, b = tmp_path / "a/Plan.xlsx", tmp_path / "b/plan.xlsx"
    targets = feedback_targets([a, b], tmp_path / "fb")
    assert len({str(t).casefold() for t in targets.values()}) == 2


def test_a_feedback_folder_among_the_returned_files_is_refused(tmp_path: Path) -> None:
    a = ngo_file(tmp_path / "in/a/plan.xlsx", "Alpha")
    b = ngo_file(tmp_path / "in/b/plan.xlsx", "Beta")
    c = ngo_file(tmp_path / "in/b/other.xlsx", "Gamma")
    before = {p: sha(p) for p in (a, b, c)}
    # copies of in/a/plan.xlsx and in/b/other.xlsx into in/b: the first lands on in/b/plan.xlsx
    result = CliRunner().invoke(
        cli, ["validate", str(a), str(c), "--feedback", str(tmp_path / "in/b"), "--lang", "kk"]
    )
    assert result.exit_code == 2
    assert "кіріс файл" in result.output
    assert {p: sha(p) for p in (a, b, c)} == before
    assert sorted(p.name for p in (tmp_path / "in/b").iterdir()) == ["other.xlsx", "plan.xlsx"]


def test_targets_refuse_a_copy_over_any_input(tmp_path: Path) -> None:
    inside = tmp_path / "in/plan.xlsx"
    with pytest.raises(OutputError) as caught:
        feedback_targets([inside], tmp_path / "in")
    assert caught.value.key == "outputs.feedback.over_input"
    assert "заменила бы входной файл" in caught.value.message("ru")


def test_a_file_that_is_not_our_copy_is_never_replaced(tmp_path: Path) -> None:
    """The whole folder `in` is validated into `in/b` (issue 16: the first NGO's copy
    used to replace the second NGO's original): every original stays as it was and
    each copy holds its own NGO.  A file already in the feedback folder that is not
    one of our copies is left alone (that one file gets a message, the others go on)."""
    a = ngo_file(tmp_path / "in/a/plan.xlsx", "Alpha")
    b = ngo_file(tmp_path / "in/b/plan.xlsx", "Beta")
    before = {p: sha(p) for p in (a, b)}
    result = CliRunner().invoke(
        cli, ["validate", str(tmp_path / "in"), "--feedback", str(tmp_path / "in/b")]
    )
    assert result.exit_code in (0, 1), result.output
    assert {p: sha(p) for p in (a, b)} == before
    assert read_workbook(tmp_path / "in/b/a/plan.xlsx").org_name == "Alpha"
    assert read_workbook(tmp_path / "in/b/b/plan.xlsx").org_name == "Beta"

    fb = tmp_path / "fb"
    foreign = ngo_file(fb / "plan.xlsx", "Trainer's own")
    kept = sha(foreign)
    c = ngo_file(tmp_path / "c/other.xlsx", "Gamma")
    result = CliRunner().invoke(
        cli, ["validate", str(a), str(c), "--feedback", str(fb), "--lang", "ru"]
    )
    assert sha(foreign) == kept
    assert "не копия с обратной связью" in result.output
    assert read_workbook(fb / "other.xlsx").org_name == "Gamma"
    # our own copy is replaced on the next run (a trainer re-validates a folder)
    again = CliRunner().invoke(cli, ["validate", str(c), "--feedback", str(fb)])
    assert again.exit_code in (0, 1) and "plan.xlsx" not in again.output


def _step_sheets(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [n for n in wb.sheetnames if n[:1].isdigit()]
    finally:
        wb.close()


@pytest.mark.parametrize("hidden", [False, True], ids=["visible", "veryHidden-forged"])
def test_an_ngo_sheet_called_feedback_cannot_delete_step_sheets(
    tmp_path: Path, tpl: Template, hidden: bool
) -> None:
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha")
    steps = _step_sheets(src)
    assert len(steps) > 5
    wb = openpyxl.load_workbook(src)
    ws = wb.create_sheet(STATE_SHEET)
    rows = [("kind", "sheet"), ("version", "1")] + [("review", name) for name in steps]
    for row in rows:
        ws.append(row)
    if hidden:
        ws.sheet_state = "veryHidden"
    wb.save(src)
    before = sha(src)

    copy = write_feedback(validate(src, tpl), tmp_path / "fb", "ru", tpl)

    assert _step_sheets(copy) == steps
    assert sha(src) == before
    names = openpyxl.load_workbook(copy, read_only=True).sheetnames
    if not hidden:  # the NGO's own sheet is theirs: it stays, and ours is apart from it
        assert STATE_SHEET in names
    # a second run on the copy finds our record and still keeps every step sheet
    again = write_feedback(validate(copy, tpl), tmp_path / "fb2", "ru", tpl)
    assert _step_sheets(again) == steps
