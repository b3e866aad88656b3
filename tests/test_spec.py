"""The spec covers the methodology, in every language, and fails loudly when malformed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kuk_xlsx.spec.template import LANGS, Label, SpecError, Template, load_template, templates_root

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
# Words that are the same in every language (acronyms, proper names in examples).
SHARED_WORDS = {
    "SWOT",
    "SMART",
    "PEST",
    "CAPACITY",
    "STATEMENT",
    "Specific",
    "Measurable",
    "Realistic",
    "Time",
    "bound",
    "Area",
    "specific",
}

METHODOLOGY_STEPS = [
    "profile",
    "needs",
    "mission",
    "information",
    "stakeholders",
    "stakeholder_detail",
    "swot_external",
    "swot_internal",
    "success_factors",
    "goals",
    "schedule",
    "problem",
    "project",
    "workplan",
    "logframe",
    "me_plan",
    "budget",
    "fundraising",
    "sustainability",
    "network",
]


def all_labels(tpl: Template) -> list[tuple[str, Label]]:
    out: list[tuple[str, Label]] = [
        ("title", tpl.title),
        ("training_goal", tpl.training_goal),
        ("how_to", tpl.how_to),
    ]
    out += [(f"ui.{k}", v) for k, v in tpl.ui.items()]
    out += [(f"modules.{k}", v) for k, v in tpl.modules.items()]
    out += [(f"roster.{c.key}", c.label) for c in tpl.roster]
    for clist in tpl.choices.values():
        out += [(f"choices.{clist.key}.{c.key}", c.label) for c in clist.choices]
    for step in tpl.steps:
        for name in ("title", "sheet", "instructions", "example"):
            out.append((f"{step.key}.{name}", getattr(step, name)))
        for blk in step.blocks:
            if blk.title:
                out.append((f"{step.key}.{blk.key}.title", blk.title))
            for col in blk.columns:
                out.append((f"{step.key}.{blk.key}.{col.key}", col.label))
                if col.hint:
                    out.append((f"{step.key}.{blk.key}.{col.key}.hint", col.hint))
            out += [(f"{step.key}.{blk.key}.{r.key}", r.label) for r in blk.fixed_rows]
            out += [(f"{step.key}.{blk.key}.{t.key}", t.label) for t in blk.totals]
    return out


def test_every_methodology_step_in_order(tpl: Template) -> None:
    assert [s.key for s in tpl.steps] == METHODOLOGY_STEPS


def test_every_label_is_translated(tpl: Template) -> None:
    problems = []
    for where, label in all_labels(tpl):
        for lang in LANGS:
            if not label.get(lang).strip():
                problems.append(f"{where}.{lang} empty")
        if CYRILLIC.search(label.en) and not re.search(r"[«»]", label.en):
            problems.append(f"{where}.en has Cyrillic: {label.en[:40]!r}")
        for lang in ("kk", "ru"):
            text = label.get(lang)
            latin = set(LATIN_WORD.findall(text)) - SHARED_WORDS
            if LATIN_WORD.search(label.en) and not CYRILLIC.search(text) and latin:
                problems.append(f"{where}.{lang} looks untranslated: {text[:40]!r}")
    assert problems == []


def test_kazakh_labels_use_corrected_spelling(tpl: Template) -> None:
    typos = ["боыйынша", "қоыйылған", "тәжіриби", "қысқырту", "жұмысытың"]
    found = [(w, t) for w, label in all_labels(tpl) for t in typos if t in label.kk]
    assert found == []


def test_methodology_columns_as_the_deck_writes_them(tpl: Template) -> None:
    """A few headers the trainers will look for, verbatim from the deck (typos corrected)."""
    labels = {c.label.kk for s in tpl.steps for b in s.blocks for c in b.columns}
    for expected in ["Сандық көрсеткіш", "Сапалық көрсеткіш", "Тексеру әдістері", "Болжамдар"]:
        assert any(expected in lab for lab in labels), expected


def test_rule_parameters(tpl: Template) -> None:
    assert tpl.rules["success_factors_min"] == 4
    assert tpl.rules["success_factors_max"] == 8
    assert tpl.rules["pest_main_trends"] == 3
    assert tpl.rules["schedule_months"] == 6
    assert tpl.rules["me_share_national"] == [0.05, 0.10]
    assert tpl.rules["me_share_regional"] == [0.03, 0.05]


def test_choice_lists_from_the_deck(tpl: Template) -> None:
    assert [c.key for c in tpl.choices["stakeholder_category"].choices] == [
        "beneficiaries",
        "donors",
        "partners",
        "competitors",
        "opponents",
    ]
    assert len(tpl.choices["funding_source"].choices) == 11
    assert [c.key for c in tpl.choices["pest_sphere"].choices] == [
        "economic",
        "political",
        "social",
        "technological",
    ]


def test_schedule_goal_is_a_dropdown_of_step_7(tpl: Template) -> None:
    for blk in tpl.step("schedule").blocks:
        assert blk.column("goal").ref == "goals.goals.goal"
        assert blk.column("months").type == "months"


def test_logframe_is_4x4(tpl: Template) -> None:
    frame = tpl.step("logframe").block("frame")
    assert [r.key for r in frame.fixed_rows] == ["goal", "purpose", "outputs", "activities"]
    assert [c.key for c in frame.columns] == [
        "summary",
        "indicators",
        "verification",
        "assumptions",
    ]


def _broken_copy(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    root = tmp_path / "tpl"
    shutil.copytree(templates_root() / "kuk_training", root / "kuk_training")
    path = root / "kuk_training" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("rel", "old", "new", "key_path"),
    [
        ("steps/goals.toml", 'type = "choice"', 'type = "colour"', "blocks[0].columns[0].type"),
        (
            "steps/goals.toml",
            'choices = "goal_kind"',
            'choices = "nope"',
            "blocks[0].columns[0].choices",
        ),
        ("steps/budget.toml", 'column = "amount"', 'column = "sum"', "blocks[0].totals[0].column"),
        ("steps/goals.toml", 'en = "7 Goals"', 'en = "7 Goals: [draft]"', "sheet.en"),
        ("template.toml", 'version = "', 'versio = "', "versio"),
        ("steps/goals.toml", "[title]", "[title", "(file)"),
    ],
)
def test_malformed_spec_names_file_and_key_path(
    tmp_path: Path, rel: str, old: str, new: str, key_path: str
) -> None:
    root = _broken_copy(tmp_path, rel, old, new)
    with pytest.raises(SpecError) as info:
        load_template("kuk_training", root)
    assert info.value.key_path == key_path
    assert Path(info.value.file).name == Path(rel).name
    assert str(info.value).startswith(info.value.file)


def test_missing_translation_is_an_error(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path, "steps/goals.toml", 'en = "Kind of goal"', 'fr = "Type"')
    with pytest.raises(SpecError) as info:
        load_template("kuk_training", root)
    assert info.value.key_path == "blocks[0].columns[0].label.en"


def test_the_specs_own_hash_is_recorded_as_a_release(tpl: Template) -> None:
    """Workbooks carry the spec's hash; one the spec does not list as released gets
    KUK-FILE-SPEC-CHANGED.  An edit that changes the hash must be recorded, or every
    workbook built from it would be flagged as coming from an unknown template."""
    listed = (templates_root() / "kuk_training" / "releases.toml").read_text(encoding="utf-8")
    assert f'hash = "{tpl.spec_hash}"' in listed, (
        f"the spec's hash is now {tpl.spec_hash}: add it to releases.toml with its version"
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('[[release]]\nversion = "1.0.0"\nhash = "xyz"\n', "release[0].hash"),
        (
            '[[release]]\nversion = "1.0.0"\nhash = "41b29dabed622a4e"\nnote = 1\n',
            "release[0].note",
        ),
        ('[[releases]]\nversion = "1.0.0"\n', "releases"),
    ],
)
def test_a_malformed_release_list_is_refused(tmp_path: Path, body: str, where: str) -> None:
    shutil.copytree(templates_root() / "kuk_training", tmp_path / "kuk_training")
    (tmp_path / "kuk_training" / "releases.toml").write_text(body, encoding="utf-8")
    with pytest.raises(SpecError, match=re.escape(where)):
        load_template("kuk_training", tmp_path)


@pytest.mark.parametrize(
    ("rel", "old", "new", "key_path", "says"),
    [
        # a misspelt key must not silently make a column optional
        (
            "steps/goals.toml",
            "required = true",
            "requried = true",
            "blocks[0].columns[0].requried",
            "did you mean 'required'",
        ),
        (
            "steps/goals.toml",
            'key = "goals"\nkind',
            'key = "goals"\nmin_row = 2\nkind',
            "blocks[0].min_row",
            "did you mean 'min_rows'",
        ),
        (
            "steps/budget.toml",
            'column = "amount"',
            'column = "amount"\nband = "me_share"',
            "blocks[0].totals[0].band",
            "unknown key in a sum total",
        ),
        (
            "steps/goals.toml",
            'module = "strategy"',
            'module = "strategy"\nmodul = "x"',
            "modul",
            "did you mean 'module'",
        ),
        (
            "choices.toml",
            'key = "yes"',
            'key = "yes"\ncolour = "green"',
            "yes_no[0].colour",
            "unknown key in a choice",
        ),
        (
            "template.toml",
            "\n[rules]\n",
            "\n[rules]\nlimit = { a = 1 }\n",
            "rules.limit",
            "expected a number",
        ),
        (
            "template.toml",
            "me_share_national = [0.05, 0.10]",
            "me_share_national = [5, 10]",
            "rules.me_share_national",
            "expected [low, high]",
        ),
        (
            "steps/schedule.toml",
            "schedule_months = 6",
            "schedule_months = 6\nlong_text_min_chars = 9",
            "rules.long_text_min_chars",
            "already set",
        ),
    ],
)
def test_a_key_or_rule_the_spec_does_not_know_is_refused(
    tmp_path: Path, rel: str, old: str, new: str, key_path: str, says: str
) -> None:
    root = _broken_copy(tmp_path, rel, old, new)
    with pytest.raises(SpecError) as info:
        load_template("kuk_training", root)
    assert info.value.key_path == key_path, str(info.value)
    assert Path(info.value.file).name == Path(rel).name
    assert says in info.value.message


def test_a_step_files_rules_are_part_of_the_model(tmp_path: Path) -> None:
    """A [rules] table in a step file is read (not dropped): the step has it, and the
    checks find it among the template's rules, where they look for every parameter."""
    default = load_template()
    assert default.step("success_factors").rules == {
        "success_factors_min": 4,
        "success_factors_max": 8,
    }
    root = _broken_copy(
        tmp_path, "steps/success_factors.toml", "success_factors_max = 8", "success_factors_max = 6"
    )
    edited = load_template("kuk_training", root)
    assert edited.step("success_factors").rules["success_factors_max"] == 6
    assert edited.rules["success_factors_max"] == 6
    assert {k: v for k, v in edited.rules.items() if k != "success_factors_max"} == {
        k: v for k, v in default.rules.items() if k != "success_factors_max"
    }


def test_two_templates_never_share_what_is_worked_out_from_them(
    tpl: Template, tmp_path: Path
) -> None:
    """A copy of the template with a 4-month schedule, loaded beside the default one:
    each keeps its own expanded columns (the cache is keyed by the template itself)."""
    from kuk_xlsx.read.tables import _table_plan

    short = load_template(
        "kuk_training",
        _broken_copy(tmp_path, "steps/schedule.toml", "schedule_months = 6", "schedule_months = 4"),
    )
    for _ in range(2):  # interleaved, so a shared entry would show on the second pass
        for t, months in ((tpl, 6), (short, 4)):
            blk = t.step("schedule").blocks[0]
            assert sum(m is not None for _, m in t.expanded(blk)) == months
            # and the reader's plan of the table, made from the expanded columns
            step = t.step("schedule")
            plan = _table_plan(t, step, step.blocks[0])
            assert sum(m is not None for _, m, *_ in plan.columns) == months
