"""Template 1.1.0's new pieces (issue #14): what the deck has and 1.0.0 lacked.

SWOT turned into decisions, the problem tree's links, the risk table, work-plan rows
linked to objectives, the results chain and monitoring vs evaluation questions, the
fundraising horizon and cycle, both kinds of sustainability, the network's goal,
tasks and three steps to a partnership, and the deck's mission examples.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.migrate import migrate_workbook
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.template import LANGS, Template, column_name, load_template

RELEASED_1_0 = "1.0.0"


@pytest.fixture(scope="module")
def tpl() -> Template:
    return load_template()


@pytest.fixture(scope="module")
def old() -> Template:
    """The 1.0.0 spec as it went out (``released/1.0.0``)."""
    folder = load_template().folder
    assert folder is not None
    return load_template(RELEASED_1_0, folder / "released")


def _keys(t: Template) -> set[str]:
    """Every step, step.block and step.block.column key of a template."""
    out: set[str] = set()
    for step in t.steps:
        out.add(step.key)
        for blk in step.blocks:
            out.add(f"{step.key}.{blk.key}")
            out |= {f"{step.key}.{blk.key}.{c.key}" for c in blk.columns}
    return out


def _top(keys: set[str]) -> set[str]:
    """The keys whose parent is not in the set (a new block stands for its columns)."""
    return {k for k in keys if k.rpartition(".")[0] not in keys}


# --- the changes table names every key 1.1.0 added or dropped --------------------------------


def test_changes_list_every_added_and_dropped_key(tpl: Template, old: Template) -> None:
    changes = tpl.changes.get("1.1.0", ())
    renames = {c.key: c.to for c in changes if c.kind == "rename"}
    was = {renames.get(k, k) for k in _keys(old)}
    now = _keys(tpl)
    assert _top(now - was) == {c.key for c in changes if c.kind == "add"}
    assert _top(was - now) == {c.key for c in changes if c.kind == "drop"}


def test_the_free_text_risks_are_dropped_for_a_table(tpl: Template, old: Template) -> None:
    """The 1.0.0 field is listed as dropped (migrate lists its text, never loses it)."""
    assert "risks" in {c.key for c in old.step("project").block("summary").columns}
    assert "risks" not in {c.key for c in tpl.step("project").block("summary").columns}
    drops = [c for c in tpl.changes["1.1.0"] if c.kind == "drop"]
    assert [c.key for c in drops] == ["project.summary.risks"]


def test_a_1_0_workbooks_risks_text_is_listed_not_lost(
    tmp_path: Path, tpl: Template, old: Template
) -> None:
    """Migrating a 1.0.0 workbook: the free-text risks go on the "not carried" list with
    their cell and text, and the new pieces of the file's modules are named as new."""
    # (before the version is bumped to 1.1.0 the current spec is taken as 1.1.0)
    current = tpl if tpl.version != RELEASED_1_0 else dataclasses.replace(tpl, version="1.1.0")
    text = "Школы могут отказаться: заранее подписываем меморандумы."
    data = {
        "project": {
            "summary": {"title": "Тебя слышат", "goal": "Помощь вовремя", "risks": text},
            "objectives": [{"objective": "200 подростков знают, куда обратиться", "result": "200"}],
        }
    }
    src = build_workbook(
        tmp_path / "old.xlsx", lang="ru", data=data, template=old, modules=["project"]
    )
    result = migrate_workbook(src, tmp_path / "new.xlsx", template=current, source_template=old)
    dropped = [i for i in result.not_carried if i.reason == "not-in-template"]
    assert [(i.step, i.block, i.column, i.value) for i in dropped] == [
        ("project", "summary", "risks", text)
    ]
    assert dropped[0].sheet == old.step("project").sheet.ru and dropped[0].cell
    new = {
        ".".join(p for p in (i.step, i.block, i.column) if p)
        for i in result.not_carried
        if i.reason == "new-in-template"
    }
    assert {"project.risks", "workplan.activities.objective", "me_plan.chain"} <= new
    assert not any(k.startswith(("swot_internal", "network")) for k in new)  # other modules


# --- the new blocks -----------------------------------------------------------------------------


def test_swot_decisions_table(tpl: Template) -> None:
    blk = tpl.step("swot_internal").block("decisions")
    assert [c.key for c in blk.columns] == ["factor", "kind", "decision"]
    assert blk.column("kind").choices == "swot_kind"
    assert [c.key for c in tpl.choices["swot_kind"].choices] == [
        "strength",
        "weakness",
        "opportunity",
        "threat",
    ]
    # the list shows the letter the deck uses, in every language
    for choice, letter in zip(tpl.choices["swot_kind"].choices, "SWOT", strict=True):
        assert all(choice.label.get(lang).startswith(letter) for lang in LANGS)


def test_problem_tree_links_causes_and_consequences_to_a_problem(tpl: Template) -> None:
    step = tpl.step("problem")
    assert [c.key for c in step.block("problems").columns] == ["problem"]
    for block in ("causes", "consequences"):
        link = step.block(block).column("problem")
        assert link.type == "ref" and link.ref == "problem.problems.problem"


def test_risk_table_with_levels(tpl: Template) -> None:
    blk = tpl.step("project").block("risks")
    assert {c.key for c in blk.columns} == {
        "risk",
        "likelihood",
        "impact",
        "mitigation",
        "responsible",
    }
    assert blk.column("likelihood").choices == blk.column("impact").choices == "risk_level"
    assert [c.key for c in tpl.choices["risk_level"].choices] == ["low", "medium", "high"]
    assert blk.min_rows >= 1  # a proposal names its risks (the deck's components)


def test_work_plan_rows_name_the_objective_they_serve(tpl: Template) -> None:
    col = tpl.step("workplan").block("activities").column("objective")
    assert col.type == "ref" and col.ref == "project.objectives.objective"
    assert col.required
    # as the six-month schedule does with step 7's goals
    assert tpl.step("schedule").block("activity").column("goal").type == "ref"


def test_results_chain_frames_the_me_plan(tpl: Template) -> None:
    step = tpl.step("me_plan")
    assert step.blocks[0].key == "chain"
    chain = step.block("chain")
    assert [r.key for r in chain.fixed_rows] == ["input", "process", "output", "outcome", "impact"]
    assert [c.key for c in step.block("questions").columns] == ["monitoring", "evaluation"]
    # the deck's questions, word for word in Kazakh
    labels = [c.label.kk for c in step.block("questions").columns]
    assert "Жұмыс қалай жүріп жатыр?" in labels[0]
    assert "Дұрыс нәрселер істейміз бе?" in labels[1]


def test_fundraising_horizon_and_cycle(tpl: Template) -> None:
    step = tpl.step("fundraising")
    horizon = step.block("horizon").column("years")
    assert horizon.choices == "fundraising_horizon"
    keys = [c.key for c in tpl.choices["fundraising_horizon"].choices]
    assert tpl.rules["fundraising_horizon_min"] in keys
    assert [r.key for r in step.block("cycle").fixed_rows] == [
        "need",
        "search",
        "request",
        "result",
    ]
    for lang in LANGS:  # the deck's 2–3 years, 3–5 best
        assert "2–3" in step.instructions.get(lang) and "3–5" in step.instructions.get(lang)


def test_sustainability_has_both_kinds(tpl: Template) -> None:
    col = tpl.step("sustainability").block("plan").column("kind")
    assert col.choices == "sustainability_kind" and col.required
    assert [c.label.kk for c in tpl.choices["sustainability_kind"].choices] == [
        "Ұйымдастыру-экономикалық",
        "Қаржы-экономикалық",
    ]


def test_network_goal_tasks_and_three_steps(tpl: Template) -> None:
    step = tpl.step("network")
    fields = [c.key for c in step.block("design").columns]
    assert fields.index("goal") < fields.index("tasks") < fields.index("form")
    steps = step.block("partnership").columns
    assert [c.label.en[:2] for c in steps] == ["1.", "2.", "2.", "3."]


# --- the deck's words ---------------------------------------------------------------------------

MY_STEPS = (
    "swot_internal",
    "swot_external",
    "network",
    "project",
    "workplan",
    "me_plan",
    "fundraising",
    "sustainability",
    "problem",
    "mission",
)


def _kk_texts(tpl: Template, step_key: str) -> list[str]:
    step = tpl.step(step_key)
    texts = [step.title.kk, step.sheet.kk, step.instructions.kk, step.example.kk]
    for blk in step.blocks:
        texts += [blk.title.kk] if blk.title else []
        texts += [r.label.kk for r in blk.fixed_rows]
        for c in blk.columns:
            texts += [c.label.kk] + ([c.hint.kk] if c.hint else [])
    return texts


@pytest.mark.parametrize("step_key", MY_STEPS)
def test_kazakh_word_fixes(tpl: Template, step_key: str) -> None:
    """The trainer's word list: Сандық/Сапалық, шешуші, күшті, туындап отыр, қаржы керек,
    one word for a trend (беталыс)."""
    banned = ("Санды ", "Сапалы ", "Сыни", "сыни", "Әлді", "әлді", "жігерлі")
    banned += ("туылып", "ақылы тұрады", "үрдіс", "мәселелік")
    found = [(w, t) for t in _kk_texts(tpl, step_key) for w in banned if w in t]
    assert found == []


def test_mission_is_миссия_in_step_2(tpl: Template) -> None:
    step = tpl.step("mission")
    assert step.sheet.kk == "2 Миссия"
    assert step.block("statement").column("mission").label.kk.startswith("Ұйымның миссиясы")
    assert "міндет" not in step.instructions.kk.lower()


@pytest.mark.parametrize("lang", LANGS)
def test_mission_examples_from_the_deck(tpl: Template, lang: str) -> None:
    example = tpl.step("mission").example.get(lang)
    assert "KZ" in example  # «Сенің KZ»
    assert ("КАМЕДА" if lang != "en" else "KAMEDA") in example
    society = {"kk": "Мүгедек балалар қоғамы", "ru": "Общества детей-инвалидов", "en": "Disabled"}
    assert society[lang] in example
    assert {"kk": "құндылық", "ru": "ценност", "en": "value"}[lang] in example.lower()


# --- a workbook with the new blocks filled, read back -----------------------------------------

OBJECTIVE = "12 ауруханада маммология қызметі жұмыс істейді"
PROBLEM = "Сүт безі қатерлі ісігі кеш анықталады"

FILLED: dict[str, Any] = {
    "swot_internal": {
        "items": [{"strength": "Тәжірибелі команда", "strength_critical": True}],
        "decisions": [
            {"kind": "strength", "factor": "Тәжірибелі команда", "decision": "Тренинг ашамыз"}
        ],
    },
    "problem": {
        "problems": [{"problem": PROBLEM}],
        "causes": [{"cause": "Құрал-жабдық жетіспейді", "problem": PROBLEM}],
        "consequences": [{"consequence": "Отбасылар анасыз қалады", "problem": PROBLEM}],
    },
    "project": {
        "objectives": [{"objective": OBJECTIVE, "result": "12 аурухана"}],
        "risks": [
            {
                "risk": "Басқарма кеш келіседі",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "Басынан бірге жұмыс",
                "responsible": "Менеджер",
            }
        ],
    },
    "workplan": {
        "activities": [
            {
                "section": "project",
                "objective": OBJECTIVE,
                "activity": "Тұжырымдама",
                "timing": "1-3 ай",
                "result": "Келісілді",
                "responsible": "Менеджер",
            }
        ]
    },
    "me_plan": {
        "chain": {"input": {"description": "2 маммолог"}, "impact": {"indicator": "Өлім −15%"}},
        "questions": {"monitoring": "Ай сайын есеп", "evaluation": "Жыл соңында сауалнама"},
    },
    "fundraising": {
        "horizon": {"years": "three_five_years"},
        "cycle": {"need": {"what": "3 млн ₸ тренингке", "when": "қаңтар"}},
    },
    "sustainability": {
        "plan": [{"kind": "financial", "goal": "Қызмет жалғасады", "strategy": "Бюджет"}]
    },
    "network": {
        "design": {"goal": "Қызмет сапасы", "tasks": "Ақпарат алмасу"},
        "partnership": [
            {
                "partner": "ҚҚ «Жастар»",
                "interests": "Гранттар",
                "common": "Жастар",
                "joint_plan": "Ортақ жоба",
            }
        ],
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_new_blocks_round_trip(tmp_path: Path, lang: str) -> None:
    path = build_workbook(tmp_path / f"{lang}.xlsx", lang=lang, data=FILLED)
    plan = read_workbook(path)

    def got(step: str, block: str) -> Any:
        blk = plan.block(step, block)
        assert blk is not None, (step, block)
        return blk

    decision = got("swot_internal", "decisions").rows[0].values
    assert decision["kind"].value == "strength" and decision["decision"].value == "Тренинг ашамыз"
    cause = got("problem", "causes").rows[0].values
    assert cause["problem"].value == PROBLEM
    risk = got("project", "risks").rows[0].values
    assert (risk["likelihood"].value, risk["impact"].value) == ("medium", "high")
    assert got("workplan", "activities").rows[0].values["objective"].value == OBJECTIVE
    chain = got("me_plan", "chain").fields
    assert chain["input.description"].value == "2 маммолог"
    assert chain["impact.indicator"].value == "Өлім −15%"
    assert got("me_plan", "questions").fields["evaluation"].value == "Жыл соңында сауалнама"
    assert got("fundraising", "horizon").fields["years"].value == "three_five_years"
    assert got("fundraising", "cycle").fields["need.when"].value == "қаңтар"
    assert got("sustainability", "plan").rows[0].values["kind"].value == "financial"
    assert got("network", "design").fields["tasks"].value == "Ақпарат алмасу"
    assert got("network", "partnership").rows[0].values["joint_plan"].value == "Ортақ жоба"


def test_links_are_dropdowns_of_the_source_column(tmp_path: Path) -> None:
    """The work plan's objective lists step 10's objectives; a cause's and an effect's
    problem list the problems table (as the schedule lists step 7's goals)."""
    path = build_workbook(tmp_path / "kk.xlsx", data=FILLED)
    wb = openpyxl.load_workbook(path)
    sources: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            sources.setdefault(ws.title, set()).add(str(dv.formula1))
    wb.close()
    tpl = load_template()
    want = {
        "workplan": column_name("project", "objectives", "objective"),
        "problem": column_name("problem", "problems", "problem"),
    }
    for step, name in want.items():
        assert name in sources[tpl.step(step).sheet.kk], (step, sources)
