"""Every released template version stays readable: one filled fixture per version."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kuk_xlsx.checks.base import Report
from kuk_xlsx.checks.engine import validate
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.template import Template, load_template

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


# --- an earlier released version, read by its own layout (#14 item 2) ---------------

RELEASED = (
    Path(__file__).resolve().parent.parent / "workbook_templates" / "kuk_training" / "released"
)
FIXTURE_1_0_0 = FIXTURES / "template_1.0.0_kk_filled.xlsx"


TEMPLATE = RELEASED.parent
NEXT = "9.0.0"  # a version after today's, made in each test from today's spec


def _later_version(tmp_path: Path) -> Template:
    """Version 9.0.0 made from today's spec, with today's kept in released/ beside
    1.0.0: a column renamed (and relabelled), a required column added, a field
    dropped, a table added, and the kk label of a choice the fixture uses changed.
    A 1.0.0 workbook is then read by the 1.0.0 layout through two versions' changes."""
    current = load_template()
    folder = tmp_path / "templates" / "kuk_training"
    shutil.copytree(TEMPLATE, folder)
    shutil.copytree(
        TEMPLATE, folder / "released" / current.version, ignore=shutil.ignore_patterns("released")
    )

    def change(name: str, old: str, new: str) -> None:
        path = folder / name
        body = path.read_text(encoding="utf-8")
        assert body.count(old) == 1, (name, old)
        path.write_text(body.replace(old, new), encoding="utf-8")

    change("template.toml", f'version = "{current.version}"', f'version = "{NEXT}"')
    change("steps/needs.toml", 'key = "comment"', 'key = "why"')
    needs = (folder / "steps/needs.toml").read_text(encoding="utf-8")
    label_at = needs.index("label = {", needs.index('key = "why"'))
    end = needs.index("\n", label_at)
    other = needs.index('[[blocks]]\nkey = "other"')
    (folder / "steps/needs.toml").write_text(
        needs[:label_at]
        + 'label = { kk = "Неге маңызды", ru = "Почему важно", en = "Why it matters" }'
        + needs[end:other]
        + '[[blocks.columns]]\nkey = "priority"\ntype = "text"\nrequired = true\n'
        + 'label = { kk = "Басымдық", ru = "Приоритет", en = "Priority" }\n\n'
        + needs[other:],
        encoding="utf-8",
    )
    mission = (folder / "steps/mission.toml").read_text(encoding="utf-8")
    start = mission.rindex("[[blocks.fields]]", 0, mission.index('key = "slogan"'))
    end = mission.index("[[blocks", mission.index('key = "slogan"'))
    (folder / "steps/mission.toml").write_text(mission[:start] + mission[end:], encoding="utf-8")
    with (folder / "steps/project.toml").open("a", encoding="utf-8") as project:
        project.write(
            '\n[[blocks]]\nkey = "lessons"\nkind = "table"\nrows = 5\nmin_rows = 1\n'
            'title = { kk = "Сабақтар", ru = "Уроки", en = "Lessons" }\n'
            '[[blocks.columns]]\nkey = "lesson"\ntype = "text"\nrequired = true\n'
            'label = { kk = "Сабақ", ru = "Урок", en = "Lesson" }\n'
        )
    change("choices.toml", 'kk = "Облыстық / өңірлік"', 'kk = "Өңірлік"')
    with (folder / "changes.toml").open("a", encoding="utf-8") as changes:
        changes.write(
            f'\n[[change]]\nversion = "{NEXT}"\nkind = "rename"\nkey = "needs.reasons.comment"\n'
            'to = "needs.reasons.why"\n\n'
            f'[[change]]\nversion = "{NEXT}"\nkind = "drop"\nkey = "mission.statement.slogan"\n\n'
            f'[[change]]\nversion = "{NEXT}"\nkind = "add"\nkey = "needs.reasons.priority"\n\n'
            f'[[change]]\nversion = "{NEXT}"\nkind = "add"\nkey = "project.lessons"\n'
        )
    return load_template("kuk_training", folder.parent)


def _values(plan: PlanData) -> dict[tuple[str, str, str, str], tuple[Any, str]]:
    """(step, block, row or "", column) -> (value, cell), for every value read."""
    out: dict[tuple[str, str, str, str], tuple[Any, str]] = {}
    for sk, st in plan.steps.items():
        for bk, blk in st.blocks.items():
            for key, v in blk.fields.items():
                out[(sk, bk, "", key)] = (v.value, v.cell)
            for row in blk.rows:
                for key, v in row.values.items():
                    out[(sk, bk, str(row.number), key)] = (v.value, v.cell)
    return out


def _today(values: dict[tuple[str, str, str, str], Any]) -> dict[tuple[str, str, str, str], Any]:
    """Values read in 1.0.0's or today's keys, as 9.0.0 names them."""
    renamed = {"comment": "why"}
    return {
        (s, b, r, renamed.get(c, c) if (s, b) == ("needs", "reasons") else c): v
        for (s, b, r, c), v in values.items()
        if (s, b, c) != ("mission", "statement", "slogan")
    }


def test_an_earlier_version_is_read_by_its_own_layout(tmp_path: Path) -> None:
    """The 1.0.0 fixture under a 9.0.0 that relabelled a column and a choice: every
    value exactly as the 1.0.0 layout reads it, under 9.0.0's keys (through 1.1.0's
    changes and 9.0.0's); the dropped field kept visible; what the later versions
    added to this workbook's steps named, never guessed."""
    later = _later_version(tmp_path)
    own = read_workbook(FIXTURE_1_0_0, load_template("1.0.0", RELEASED))
    plan = read_workbook(FIXTURE_1_0_0, later)
    assert (plan.template_version, plan.read_as) == ("1.0.0", "1.0.0")
    assert {"swot_internal.decisions", "needs.reasons.priority"} <= set(plan.version_lacks)
    # (9.0.0's lessons table is on the project step: a module this workbook lacks)
    assert not [k for k in plan.version_lacks if k.startswith("project")]
    assert "project" not in plan.expected_steps
    want = _today(_values(own))
    assert _values(plan) == want
    assert len(want) > 250
    # the relabelled choice is read as its key, as 1.0.0 wrote it (no "not in list")
    assert plan.block("profile", "org").fields["level"].value == "regional"  # type: ignore[union-attr]
    assert not [i for i in plan.interpretations if i.code == "choice-unknown"]
    slogan = own.block("mission", "statement").fields["slogan"]  # type: ignore[union-attr]
    dropped = [i for i in plan.interpretations if i.code == "version-dropped"]
    assert [(i.step, i.column, i.cell, i.raw) for i in dropped] == [
        ("mission", "slogan", slogan.cell, slogan.value)
    ]
    assert plan.figures == own.figures
    dump = plan.to_json()
    assert dump["read_as"] == "1.0.0" and dump["version_lacks"] == plan.version_lacks


def test_the_1_0_0_fixture_reads_exactly_under_todays_template() -> None:
    """Today's template reads a 1.0.0 workbook by the 1.0.0 layout: every value and
    cell as 1.0.0 reads it (1.1.0 renamed nothing this workbook holds)."""
    today = load_template()
    assert today.version != "1.0.0"
    own = read_workbook(FIXTURE_1_0_0, load_template("1.0.0", RELEASED))
    plan = read_workbook(FIXTURE_1_0_0)
    assert plan.read_as == "1.0.0"
    assert _values(plan) == _values(own)
    assert plan.missing_columns == [] and plan.missing_steps == []


def test_todays_fixture_is_read_by_its_own_layout_too(tmp_path: Path) -> None:
    later = _later_version(tmp_path)
    today = load_template()
    fixture = FIXTURES / f"template_{today.version}_kk_filled.xlsx"
    own = read_workbook(fixture)
    assert (own.read_as, own.version_lacks) == ("", [])
    plan = read_workbook(fixture, later)
    assert plan.read_as == today.version
    assert set(plan.version_lacks) == {"needs.reasons.priority", "project.lessons"}
    assert _values(plan) == _today(_values(own))


def test_the_same_file_read_by_todays_layout_alone_would_lose_the_choice(tmp_path: Path) -> None:
    """Why the released spec is kept: without released/1.0.0 the relabelled choice
    is not in the later list (the test above would be testing nothing)."""
    later = _later_version(tmp_path)
    shutil.rmtree(later.folder / "released" / "1.0.0")  # type: ignore[operator]
    alone = read_workbook(FIXTURE_1_0_0, load_template("kuk_training", later.folder.parent))  # type: ignore[union-attr]
    assert alone.read_as == ""
    assert "Облыстық / өңірлік" in [
        i.raw for i in alone.interpretations if i.code == "choice-unknown"
    ]


def test_what_an_old_version_lacks_is_named_once_not_asked_cell_by_cell(tmp_path: Path) -> None:
    from kuk_xlsx.render import render

    later = _later_version(tmp_path)
    findings = validate(FIXTURE_1_0_0, later).findings
    codes = [f.code for f in findings]
    assert codes.count("KUK-FILE-VERSION") == 1
    # the required priority column and the decisions table are not asked of it
    assert not [f for f in findings if f.column in ("priority", "decisions", "decision")]
    version = next(f for f in findings if f.code == "KUK-FILE-VERSION")
    message, fix = render(version, "ru", later)
    assert "1.0.0" in message and NEXT in message
    assert "Приоритет" in fix and "От SWOT к решениям" in fix and "kuk-xlsx migrate" in fix
    assert "Уроки" not in fix  # (a step this workbook does not have)
    assert "Басымдық" in render(version, "kk", later)[1]
    # the rest of the report is what today's template finds in it
    today = validate(FIXTURE_1_0_0).findings
    assert sorted(c for c in codes if c != "KUK-FILE-VERSION") == sorted(
        f.code for f in today if f.code != "KUK-FILE-VERSION"
    )


def test_completion_of_an_old_version_leaves_out_what_it_lacks(tmp_path: Path) -> None:
    from kuk_xlsx.summary import summarise

    later = _later_version(tmp_path)
    released = load_template("1.0.0", RELEASED)
    old = summarise(read_only(FIXTURE_1_0_0, released), released)
    new = summarise(validate(FIXTURE_1_0_0, later), later)
    assert new["completion"] == old["completion"]
    assert set(new["completion"].values()) == {1.0}  # (the fixture fills all it had)
    assert new["template"]["read_as"] == "1.0.0"
    assert "needs.reasons.priority" in new["template"]["lacks"]


def read_only(path: Path, tpl: Template) -> Report:
    """A report with the plan read by ``tpl`` and no findings (a released spec's own
    rule parameters are not today's: it is read by, never checked by)."""
    return Report(str(path), plan=read_workbook(path, tpl))


def test_an_old_workbook_migrated_reads_by_the_new_layout(tmp_path: Path) -> None:
    from kuk_xlsx.migrate import migrate_workbook

    later = _later_version(tmp_path)
    result = migrate_workbook(FIXTURE_1_0_0, tmp_path / "new.xlsx", template=later)
    items = {(i.reason, i.step, i.block, i.column) for i in result.not_carried}
    assert ("not-in-template", "mission", "statement", "slogan") in items
    assert ("new-in-template", "needs", "reasons", "priority") in items
    assert ("new-in-template", "swot_internal", "decisions", "") in items
    assert not [i for i in items if i[1] == "project"]  # (a module it did not have)
    new = read_workbook(tmp_path / "new.xlsx", later)
    assert (new.template_version, new.read_as, new.version_lacks) == (NEXT, "", [])
    old = read_workbook(FIXTURE_1_0_0, later)
    # every key both versions have: the same values (cells may differ: a fresh layout)
    by_key = lambda p: sorted((k[0], k[1], k[3], repr(v[0])) for k, v in _values(p).items())  # noqa: E731
    assert by_key(new) == by_key(old)


def test_a_cohort_over_two_versions_aligns_on_todays_keys(tmp_path: Path) -> None:
    """A 1.0.0 and a 9.0.0 workbook of two NGOs: one overview over 9.0.0's steps, each
    NGO's completion as its own version asked it, and the old file named."""
    from kuk_xlsx.build.workbook import Organisation, build_workbook
    from kuk_xlsx.cohort.collect import Cohort, run
    from kuk_xlsx.cohort.rows import manifest_rows, overview_rows
    from kuk_xlsx.summary import summarise

    later = _later_version(tmp_path)
    newer = build_workbook(
        tmp_path / "b.xlsx",
        lang="ru",
        org=Organisation(id="B-2", name="Другая НКО"),
        template=later,
        data={"needs": {"reasons": [{"reason": "improve", "why": "Важно", "priority": "1"}]}},
    )
    old = Path(shutil.copy(FIXTURE_1_0_0, tmp_path / "a.xlsx"))
    cohort = Cohort(tpl=later)
    try:
        run([old, newer], cohort, jobs=1)
        assert [r.read_as for r in cohort.old_version] == ["1.0.0"]
        assert Path(cohort.old_version[0].path).name == "a.xlsx"
        head, rows = manifest_rows(cohort, "ru")
        at = head.index("Версия шаблона")
        assert sorted(r[at] for r in rows) == ["1.0.0", NEXT]
        head, rows = overview_rows(cohort, "ru")
        needs = head.index(later.step("needs").sheet.get("ru"))
        by_file = {Path(r[3]).name: r for r in rows}
        assert by_file["a.xlsx"][needs] == 1.0  # (all 1.0.0 asked, filled)
        mine = summarise(validate(newer, later), later)["completion"]["needs"]
        assert by_file["b.xlsx"][needs] == mine > 0  # (its one row, with the new column)
    finally:
        cohort.close()


@pytest.mark.parametrize("version", ["../../etc", "1.0.0/../../x", "1.0", "", "9.9.9", "1.0.0 "])
def test_a_version_a_file_names_is_never_a_path(version: str, tmp_path: Path) -> None:
    from kuk_xlsx.spec.template import released_template

    later = _later_version(tmp_path)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "template.toml").write_text('id = "kuk-od-training"\n', "utf-8")
    assert released_template(later, version) is None
    assert released_template(later, "1.0.0") is not None


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('[[change]]\nversion = "../1"\nkind = "add"\nkey = "needs"\n', "change[0].version"),
        ('[[change]]\nversion = "1.1.0"\nkind = "move"\nkey = "needs"\n', "change[0].kind"),
        ('[[change]]\nversion = "1.1.0"\nkind = "rename"\nkey = "needs"\n', "change[0].to"),
        ('[[change]]\nversion = "1.1.0"\nkind = "add"\nkey = "a"\nto = "b"\n', "change[0].to"),
        ('[[change]]\nversion = "1.1.0"\nkind = "drop"\nkey = "a.b.c.d"\n', "change[0]"),
        ('[[change]]\nversion = "1.1.0"\nkind = "drop"\nkey = "Needs"\n', "change[0]"),
        ('[[changes]]\nversion = "1.1.0"\n', "changes"),
    ],
)
def test_a_changes_table_that_is_wrong_is_refused_by_name(
    body: str, where: str, tmp_path: Path
) -> None:
    from kuk_xlsx.spec.template import SpecError

    folder = tmp_path / "kuk_training"
    shutil.copytree(RELEASED / "1.0.0", folder)
    (folder / "changes.toml").write_text(body, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_template("kuk_training", tmp_path)
    assert "changes.toml" in str(caught.value) and where in str(caught.value)
