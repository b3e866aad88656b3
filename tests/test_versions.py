"""Every released template version stays readable: one filled fixture per version."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

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


def _later_version(tmp_path: Path) -> Template:
    """A version 1.1.0 made from the released 1.0.0 spec, with its 1.0.0 kept in
    released/: a column renamed (and relabelled), a required column added, a field
    dropped, a table added, and the kk label of a choice the fixture uses changed."""
    folder = tmp_path / "templates" / "kuk_training"
    shutil.copytree(RELEASED / "1.0.0", folder)
    shutil.copytree(RELEASED / "1.0.0", folder / "released" / "1.0.0")

    def change(name: str, old: str, new: str) -> None:
        path = folder / name
        body = path.read_text(encoding="utf-8")
        assert body.count(old) == 1, (name, old)
        path.write_text(body.replace(old, new), encoding="utf-8")

    change("template.toml", 'version = "1.0.0"', 'version = "1.1.0"')
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
    end = mission.index("[[blocks.fields]]", mission.index('key = "slogan"'))
    (folder / "steps/mission.toml").write_text(mission[:start] + mission[end:], encoding="utf-8")
    with (folder / "steps/project.toml").open("a", encoding="utf-8") as project:
        project.write(
            '\n[[blocks]]\nkey = "risks"\nkind = "table"\nrows = 5\nmin_rows = 1\n'
            'title = { kk = "Қауіптер", ru = "Риски", en = "Risks" }\n'
            '[[blocks.columns]]\nkey = "risk"\ntype = "text"\nrequired = true\n'
            'label = { kk = "Қауіп", ru = "Риск", en = "Risk" }\n'
        )
    change("choices.toml", 'kk = "Облыстық / өңірлік"', 'kk = "Өңірлік"')
    (folder / "changes.toml").write_text(
        '[[change]]\nversion = "1.1.0"\nkind = "rename"\nkey = "needs.reasons.comment"\n'
        'to = "needs.reasons.why"\n\n'
        '[[change]]\nversion = "1.1.0"\nkind = "drop"\nkey = "mission.statement.slogan"\n\n'
        '[[change]]\nversion = "1.1.0"\nkind = "add"\nkey = "needs.reasons.priority"\n\n'
        '[[change]]\nversion = "1.1.0"\nkind = "add"\nkey = "project.risks"\n',
        encoding="utf-8",
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


def test_an_earlier_version_is_read_by_its_own_layout(tmp_path: Path) -> None:
    """The 1.0.0 fixture under a 1.1.0 that relabelled a column and a choice: every
    value exactly as the 1.0.0 layout reads it, under today's keys; the dropped field
    kept visible; what 1.1.0 added named once, never guessed."""
    later = _later_version(tmp_path)
    own = read_workbook(FIXTURE_1_0_0, load_template("1.0.0", RELEASED))
    plan = read_workbook(FIXTURE_1_0_0, later)
    assert (plan.template_version, plan.read_as) == ("1.0.0", "1.0.0")
    assert plan.version_lacks == ["needs.reasons.priority", "project.risks"]
    renamed = {"comment": "why"}
    want = {
        (s, b, r, renamed.get(c, c)): v
        for (s, b, r, c), v in _values(own).items()
        if (s, b, c) != ("mission", "statement", "slogan")
    }
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


def test_the_same_file_read_by_todays_layout_alone_would_lose_the_choice(tmp_path: Path) -> None:
    """Why the released spec is kept: without released/1.0.0 the relabelled choice
    is not in today's list (the test above would be testing nothing)."""
    later = _later_version(tmp_path)
    shutil.rmtree(later.folder / "released")  # type: ignore[operator]
    alone = read_workbook(FIXTURE_1_0_0, load_template("kuk_training", later.folder.parent))  # type: ignore[union-attr]
    assert alone.read_as == ""
    assert [i.raw for i in alone.interpretations if i.code == "choice-unknown"] == [
        "Облыстық / өңірлік"
    ]


def test_what_an_old_version_lacks_is_named_once_not_asked_cell_by_cell(tmp_path: Path) -> None:
    from kuk_xlsx.render import render

    later = _later_version(tmp_path)
    findings = validate(FIXTURE_1_0_0, later).findings
    codes = [f.code for f in findings]
    assert codes.count("KUK-FILE-VERSION") == 1
    # 1.1.0's required priority column and its risks table (min 1 row) are not asked
    assert not [f for f in findings if f.column in ("priority", "risks", "risk")]
    version = next(f for f in findings if f.code == "KUK-FILE-VERSION")
    message, fix = render(version, "ru", later)
    assert "1.0.0" in message and "1.1.0" in message
    assert "Приоритет" in fix and "Риски" in fix and "kuk-xlsx migrate" in fix
    assert "Басымдық" in render(version, "kk", later)[1]
    # the rest of the report is what the 1.0.0 layout finds
    own = validate(FIXTURE_1_0_0, load_template("1.0.0", RELEASED)).findings
    assert sorted(c for c in codes if c != "KUK-FILE-VERSION") == sorted(
        f.code for f in own if f.code != "KUK-FILE-VERSION"
    )


def test_completion_of_an_old_version_leaves_out_what_it_lacks(tmp_path: Path) -> None:
    from kuk_xlsx.summary import summarise

    later = _later_version(tmp_path)
    released = load_template("1.0.0", RELEASED)
    old = summarise(validate(FIXTURE_1_0_0, released), released)
    new = summarise(validate(FIXTURE_1_0_0, later), later)
    assert new["completion"] == old["completion"]
    assert new["template"]["read_as"] == "1.0.0"
    assert new["template"]["lacks"] == ["needs.reasons.priority", "project.risks"]


def test_a_workbook_of_the_later_version_reads_by_its_own(tmp_path: Path) -> None:
    from kuk_xlsx.migrate import migrate_workbook

    later = _later_version(tmp_path)
    result = migrate_workbook(FIXTURE_1_0_0, tmp_path / "new.xlsx", template=later)
    assert [(i.reason, i.step, i.column) for i in result.not_carried] == [
        ("not-in-template", "mission", "slogan"),
        ("new-in-template", "needs", "priority"),
    ]  # (the risks table is new too, on the project step: a module this NGO did not take)
    assert "project" not in read_workbook(FIXTURE_1_0_0).expected_steps
    new = read_workbook(tmp_path / "new.xlsx", later)
    assert (new.template_version, new.read_as, new.version_lacks) == ("1.1.0", "", [])
    old = read_workbook(FIXTURE_1_0_0, later)
    # every key both versions have: the same values (cells may differ: a fresh layout)
    strip = {k: v[0] for k, v in _values(old).items()}
    got = {k: v[0] for k, v in _values(new).items()}
    by_key = lambda d: sorted((k[0], k[1], k[3], repr(v)) for k, v in d.items())  # noqa: E731
    assert by_key(got) == by_key(strip)


@pytest.mark.parametrize("version", ["../../etc", "1.0.0/../../x", "1.0", "", "9.9.9", "1.0.0 "])
def test_a_version_a_file_names_is_never_a_path(version: str, tmp_path: Path) -> None:
    from kuk_xlsx.spec.template import released_template

    later = _later_version(tmp_path)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "template.toml").write_text('id = "kuk-od-training"\n', "utf-8")
    assert released_template(later, version) is None
    assert released_template(later, "1.0.0") is not None


def test_a_cohort_over_two_versions_aligns_on_todays_keys(tmp_path: Path) -> None:
    """A 1.0.0 and a 1.1.0 workbook of two NGOs: one overview over today's steps, each
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
        assert sorted(r[at] for r in rows) == ["1.0.0", "1.1.0"]
        head, rows = overview_rows(cohort, "ru")
        needs = head.index(later.step("needs").sheet.get("ru"))
        by_file = {Path(r[3]).name: r for r in rows}
        released = load_template("1.0.0", RELEASED)
        own = summarise(validate(FIXTURE_1_0_0, released), released)["completion"]
        assert by_file["a.xlsx"][needs] == own["needs"] == 1.0
        mine = summarise(validate(newer, later), later)["completion"]["needs"]
        assert by_file["b.xlsx"][needs] == mine > 0  # (its one row, with the new column)
    finally:
        cohort.close()


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
