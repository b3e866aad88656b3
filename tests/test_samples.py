"""The committed sample workbooks in samples/: fresh, faithful, LibreOffice-proof.

Each sample is built from samples/data/<stem>.toml by samples/make_samples.py.
These tests check that the committed .xlsx files are what the data files build
today, that reading a sample gives back exactly the data file's values, that a
LibreOffice re-save reads the same, and that the samples follow the methodology
(the content rules the deck states).
"""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from kuk_xlsx.build.workbook import build_workbook, select_steps
from kuk_xlsx.read.figures import band
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.spec.template import Column, Template, column_name

try:
    from tests.support import libreoffice as lo
    from tests.support.xlsx_diff import assert_same_xlsx
except ImportError:  # pytest rootdir-relative import (tests/ on sys.path)
    from support import libreoffice as lo  # type: ignore[no-redef]
    from support.xlsx_diff import assert_same_xlsx  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
REBUILD = "run `python samples/make_samples.py` from the repository root and commit the result"

# What the reader may never have to assume on a sample: a sample is our own
# builder's output filled with valid data.
FORBIDDEN_INTERPRETATIONS = {
    "choice-unknown",
    "not-a-number",
    "name-fallback",
    "not-yes-no",
    "not-a-date",
    "recomputed",
    "step-missing",
    "sheet-by-name",
    "sheet-by-title",
}


def _load_make_samples() -> ModuleType:
    name = "kuk_samples_make_samples"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_samples = _load_make_samples()
DATA_FILES = make_samples.data_files()
LO_DATA_FILES = [p for p in DATA_FILES if make_samples.libreoffice_file(p) is not None]
BUDGET_DATA_FILES = [p for p in DATA_FILES if "budget" in make_samples.read_toml(p).get("data", {})]


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


@pytest.fixture(scope="module")
def plans() -> dict[Path, PlanData]:
    """Each committed sample, read once."""
    return {p: read_workbook(make_samples.sample_file(p)) for p in DATA_FILES}


# --- the set of samples ------------------------------------------------------


def test_the_four_samples_and_nothing_stale():
    assert _ids(DATA_FILES) == [
        "ayel_densauly_project_kk",
        "ayel_densauly_project_ru",
        "senin_kz_strategy_kk",
        "youth_employment_en",
    ]
    assert _ids(LO_DATA_FILES) == ["senin_kz_strategy_kk"]
    expected = {make_samples.sample_file(p).name for p in DATA_FILES}
    expected |= {make_samples.libreoffice_file(p).name for p in LO_DATA_FILES}
    found = {p.name for p in SAMPLES.glob("*.xlsx")}
    assert found == expected, f"samples/ does not match samples/data/: {REBUILD}"


def test_load_sample_rejects_a_misspelt_column(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'file = "bad.xlsx"\nlang = "en"\n[[data.goals.goals]]\nkind = "activity"\ngaol = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(make_samples.SampleError, match="gaol"):
        make_samples.load_sample(bad)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('modules = ["project"]\n[data.mission.statement]\nvision = "x"\n', "leave out"),
        ('[[data.schedule.activity]]\ngoal = "x"\nmonths = [6, 7]\n', "month numbers"),
    ],
)
def test_load_sample_rejects_what_the_builder_would_drop(tmp_path: Path, body: str, match: str):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'file = "bad.xlsx"\nlang = "en"\n{body}', encoding="utf-8")
    with pytest.raises(make_samples.SampleError, match=match):
        make_samples.load_sample(bad)


# --- fresh: the committed files are what the data files build ---------------------


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_ids(DATA_FILES))
def test_committed_sample_is_a_fresh_build(data_file: Path, tmp_path: Path):
    committed = make_samples.sample_file(data_file)
    assert committed.is_file(), f"{committed.name} is missing: {REBUILD}"
    fresh = build_workbook(tmp_path / committed.name, **make_samples.load_sample(data_file))
    assert_same_xlsx(
        committed,
        fresh,
        f"samples/{committed.name} is stale (the data file, spec or builder changed): {REBUILD}",
    )


# --- round trip: reading a sample gives back the data file ---------------------------

Key = tuple[str, str, Any, str]


def _typed(col: Column, value: Any) -> Any:
    """The value the reader should return for ``value`` written into ``col``."""
    if col.type in ("number", "money", "percent"):
        return float(value)
    if col.type == "months":
        return sorted(int(m) for m in value)
    if col.type == "yes_no":
        assert isinstance(value, bool), f"{col.key}: yes/no values are booleans"
    if col.type == "date":
        assert isinstance(value, date), f"{col.key}: dates are TOML dates"
    return value


def _formula_value(col: Column, row: dict[str, Any]) -> float | None:
    """A per-row formula such as ``{quantity}*{unit_cost}``; ``None`` if an input is blank."""
    formula = col.formula or ""
    assert re.fullmatch(r"\{\w+\}(\*\{\w+\})*", formula), f"unexpected formula {formula!r}"
    inputs = re.findall(r"\{(\w+)\}", formula)
    if any(row.get(k) in (None, "") for k in inputs):
        return None
    return math.prod(float(row[k]) for k in inputs)


def expected_values(tpl: Template, kwargs: dict[str, Any]) -> dict[Key, Any]:
    """(step, block, row, column) -> value, from a sample's build arguments.

    ``row`` is the 0-based table row, ``None`` for a fields block, the fixed row
    key for a grid.  The profile's prefill (organisation and level) is included.
    """
    data = dict(kwargs["data"])
    org = kwargs["org"]
    profile = {
        "name": org.name,
        "region": org.region,
        "contact_person": org.contact_person,
        "contact": org.contact,
        "level": kwargs["level"],
    }
    profile = {k: v for k, v in profile.items() if v}
    data["profile"] = {"org": {**profile, **data.get("profile", {}).get("org", {})}}
    out: dict[Key, Any] = {}
    for step_key, blocks in data.items():
        step = tpl.step(step_key)
        for block_key, given in blocks.items():
            blk = step.block(block_key)
            if blk.kind == "fields":
                rows: list[tuple[Any, dict[str, Any]]] = [(None, given)]
            elif blk.kind == "grid":
                rows = list(given.items())
            else:
                rows = list(enumerate(given))
            for row_key, row in rows:
                for col in blk.columns:
                    value = row.get(col.key)
                    if col.formula and blk.kind == "table":
                        computed = _formula_value(col, row)
                        value = computed if computed is not None else value
                    if value is None or value == "" or value == []:
                        continue
                    out[(step_key, block_key, row_key, col.key)] = _typed(col, value)
    return out


def read_values(plan: PlanData) -> dict[Key, Any]:
    """(step, block, row, column) -> value, as the reader returned them."""
    out: dict[Key, Any] = {}
    for step_key, step in plan.steps.items():
        for block_key, blk in step.blocks.items():
            if blk.kind == "table":
                for i, row in enumerate(blk.rows):
                    for col_key, value in row.values.items():
                        out[(step_key, block_key, i, col_key)] = value.value
            elif blk.kind == "grid":
                for name, value in blk.fields.items():
                    fixed, col_key = name.split(".", 1)
                    out[(step_key, block_key, fixed, col_key)] = value.value
            else:
                for col_key, value in blk.fields.items():
                    out[(step_key, block_key, None, col_key)] = value.value
    return out


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_ids(DATA_FILES))
def test_round_trip_gives_back_the_data_file(data_file: Path, tpl: Template, plans):
    kwargs = make_samples.load_sample(data_file)
    plan = plans[data_file]
    expected = expected_values(tpl, kwargs)
    got = read_values(plan)
    # the same keys, and exactly equal values of exactly the same types
    assert got == expected
    for key, value in expected.items():
        assert type(got[key]) is type(value), key
    assert plan.language == kwargs["lang"]
    assert plan.level == kwargs["level"]
    assert (plan.org_id, plan.org_name) == (kwargs["org"].id, kwargs["org"].name)
    wanted = [s.key for s in select_steps(tpl, kwargs["modules"])]
    assert plan.expected_steps == wanted
    assert plan.missing_steps == []


def _interpretation_codes(plan: PlanData) -> Counter[str]:
    return Counter(i.code for i in plan.interpretations)


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_ids(DATA_FILES))
def test_reader_assumes_nothing_on_a_sample(data_file: Path, plans):
    codes = _interpretation_codes(plans[data_file])
    assert not set(codes) & FORBIDDEN_INTERPRETATIONS, codes


# --- LibreOffice: a re-saved sample reads the same ---------------------------------------


def _dump(path: Path) -> dict[str, Any]:
    out = read_workbook(path).to_json()
    out.pop("file")
    return out


@pytest.mark.parametrize("data_file", LO_DATA_FILES, ids=_ids(LO_DATA_FILES))
def test_committed_libreoffice_sample_reads_like_its_original(data_file: Path):
    lo_file = make_samples.libreoffice_file(data_file)
    assert lo_file.is_file(), f"{lo_file.name} is missing: {REBUILD}"
    resaved = _dump(lo_file)
    assert resaved == _dump(make_samples.sample_file(data_file)), (
        f"samples/{lo_file.name} no longer reads like its original: "
        "run `python samples/make_samples.py --refresh-libreoffice`"
    )
    codes = _interpretation_codes(read_workbook(lo_file))
    assert not set(codes) & FORBIDDEN_INTERPRETATIONS, codes


def _named_values(path: Path, names: list[str]) -> dict[str, Any]:
    """Cached values of single-cell defined names (LibreOffice computed them on save)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        out = {}
        for name in names:
            if name not in wb.defined_names:
                continue
            sheet, ref = next(iter(wb.defined_names[name].destinations))
            out[name] = wb[sheet][ref.replace("$", "")].value
        return out
    finally:
        wb.close()


@pytest.mark.libreoffice
@pytest.mark.parametrize("data_file", DATA_FILES, ids=_ids(DATA_FILES))
def test_fresh_libreoffice_resave_reads_like_the_original(
    data_file: Path, tpl: Template, tmp_path: Path
):
    lo.require_libreoffice()
    original = make_samples.sample_file(data_file)
    resaved = lo.convert(original, "xlsx", tmp_path / "lo")
    assert _dump(resaved) == _dump(original)
    # LibreOffice computed the live totals on load: they agree with the reader's figures
    figures = read_workbook(original).figures
    names = {
        column_name(step.key, blk.key, key): f"{step.key}.{blk.key}.{key}"
        for step in tpl.steps
        for blk in step.blocks
        for tot in blk.totals
        for key in (tot.key, *((f"{tot.key}_min", f"{tot.key}_max") if tot.band else ()))
    }
    computed = _named_values(resaved, list(names))
    for name, value in computed.items():
        figure = figures[names[name]]
        if figure is None:
            assert value in (None, ""), name
        else:
            assert value == pytest.approx(figure, rel=1e-9), name


def _numbers(value: Any) -> Any:
    """A number as is; a text as the sorted digit groups it holds ('1 300', '20,6', '1-3')."""
    if isinstance(value, str):
        return sorted(re.findall(r"\d+(?:[ ,.]\d+)*", value.replace("\u00a0", " ")))
    return value


def test_the_kk_and_ru_project_samples_are_one_project(plans):
    """«ӘЙЕЛ ДЕНСАУЛЫҒЫ» in Kazakh and in Russian: the same cells filled, the same numbers."""
    kk = plans[SAMPLES / "data" / "ayel_densauly_project_kk.toml"]
    ru = plans[SAMPLES / "data" / "ayel_densauly_project_ru.toml"]
    got_kk, got_ru = read_values(kk), read_values(ru)
    assert set(got_kk) == set(got_ru)
    differ = {
        k: (got_kk[k], got_ru[k]) for k in got_kk if _numbers(got_kk[k]) != _numbers(got_ru[k])
    }
    assert not differ
    assert kk.figures == ru.figures
    assert (kk.org_id, kk.level) == (ru.org_id, ru.level)


# --- figures: the M&E share sits in the band of the sample's programme level ------------


@pytest.mark.parametrize("data_file", BUDGET_DATA_FILES, ids=_ids(BUDGET_DATA_FILES))
def test_me_share_is_inside_its_band(data_file: Path, tpl: Template, plans):
    figures = plans[data_file].figures
    share = figures["budget.items.me_share"]
    low, high = figures["budget.items.me_share_min"], figures["budget.items.me_share_max"]
    assert share is not None and low is not None and high is not None
    assert low <= share <= high, f"M&E share {share:.1%} outside {low:.0%}-{high:.0%}"
    level = make_samples.load_sample(data_file)["level"]
    assert (low, high) == band(tpl, "me_share", level)


def test_every_project_sample_has_a_budget():
    assert _ids(BUDGET_DATA_FILES) == [
        "ayel_densauly_project_kk",
        "ayel_densauly_project_ru",
        "youth_employment_en",
    ]


# --- content: the samples follow the methodology ---------------------------------------


@pytest.mark.parametrize("data_file", DATA_FILES, ids=_ids(DATA_FILES))
def test_sample_is_complete(data_file: Path, tpl: Template, plans):
    """Every block of every step in the workbook is filled; required cells are never blank."""
    plan = plans[data_file]
    for step_key in plan.expected_steps:
        step = tpl.step(step_key)
        for blk in step.blocks:
            got = plan.block(step_key, blk.key)
            assert got is not None
            where = f"{step_key}.{blk.key}"
            if blk.kind == "table":
                assert len(got.rows) >= max(blk.min_rows, 1), where
                for row in got.rows:
                    missing = [c.key for c in blk.columns if c.required and c.key not in row.values]
                    assert not missing, f"{where} row {row.number}: {missing}"
            elif blk.kind == "grid":
                cells = {f"{r.key}.{c.key}" for r in blk.fixed_rows for c in blk.columns}
                assert set(got.fields) == cells, where
            else:
                assert set(got.fields) == {c.key for c in blk.columns}, where


def _rows(plan: PlanData, step: str, block: str) -> list[dict[str, Any]]:
    blk = plan.block(step, block)
    return [{k: v.value for k, v in r.values.items()} for r in blk.rows] if blk else []


def test_strategy_sample_follows_the_steps(tpl: Template, plans):
    plan = plans[SAMPLES / "data" / "senin_kz_strategy_kk.toml"]
    rules = tpl.rules
    # step 3: all five categories; step 3a repeats every name under its category
    stakeholders = _rows(plan, "stakeholders", "map")
    categories = {c.key for c in tpl.choices["stakeholder_category"].choices}
    assert {r["category"] for r in stakeholders} == categories
    for category in categories:
        names = {r["name"] for r in stakeholders if r["category"] == category}
        detail = {r["name"] for r in _rows(plan, "stakeholder_detail", category)}
        assert detail == names, category
    # step 4: the three main trends (at least), each with its PEST sphere
    trends = _rows(plan, "swot_external", "trends")
    assert len(trends) >= rules["pest_main_trends"]
    assert all(r.get("sphere") for r in trends)
    # step 5: critical marks are given, both ways
    internal = _rows(plan, "swot_internal", "items")
    marks = {r[k] for r in internal for k in ("strength_critical", "weakness_critical")}
    assert marks == {True, False}
    # step 6: 4-8 factors in all
    factors = sum(len(r) for r in _rows(plan, "success_factors", "factors"))
    assert rules["success_factors_min"] <= factors <= rules["success_factors_max"]
    # step 7: goals of all three kinds
    goals = _rows(plan, "goals", "goals")
    assert {g["kind"] for g in goals} == {c.key for c in tpl.choices["goal_kind"].choices}
    # step 8: every goal is one of step 7's, word for word; months 1..6 marked
    goal_texts = {g["goal"] for g in goals}
    for block in ("activity", "capacity"):
        rows = _rows(plan, "schedule", block)
        assert rows, block
        for row in rows:
            assert row["goal"] in goal_texts
            assert row["months"] and set(row["months"]) <= set(
                range(1, rules["schedule_months"] + 1)
            )


def test_strategy_sample_builds_the_decks_network(plans):
    """Step 17: the network's frame is filled, its three steps to a partnership start
    from step 3's competitors, and the working committees are the deck's (6, 5, 5, 4)."""
    plan = plans[SAMPLES / "data" / "senin_kz_strategy_kk.toml"]
    design = plan.block("network", "design")
    assert design is not None and design.fields["goal"].value and design.fields["tasks"].value
    stakeholders = _rows(plan, "stakeholders", "map")
    competitors = {r["name"] for r in stakeholders if r["category"] == "competitors"}
    partners = [r["partner"] for r in _rows(plan, "network", "partnership")]
    assert any(p.startswith(c) for p in partners for c in competitors)
    assert [r["people"] for r in _rows(plan, "network", "committees")] == [6, 5, 5, 4]


# The deck's own figures, kept in the samples.
DECK_FIGURES = {
    "ayel_densauly_project_kk": [
        ("problem", "core", "key_figures", ["3000", "800", "26%", "1 300", "42%"]),
        ("project", "objectives", "result", ["12 мемлекеттік ауруханада", "50%"]),
        ("project", "objectives", "result", ["20%", "15%", "80%", "60%"]),
        ("workplan", "activities", "timing", ["1-3 ай", "2-4 ай", "1 ай", "1-2 жоба айы"]),
    ],
    "ayel_densauly_project_ru": [
        ("problem", "core", "key_figures", ["3000", "800", "26%", "1 300", "42%"]),
        ("project", "objectives", "result", ["12 государственных больницах", "50%"]),
        ("project", "objectives", "result", ["20%", "15%", "80%", "60%"]),
        ("workplan", "activities", "timing", ["1-3 мес.", "2-4 мес.", "1 мес."]),
    ],
    "youth_employment_en": [
        ("logframe", "frame", "purpose.indicators", ["80%", "September 2000"]),
        ("logframe", "frame", "outputs.indicators", ["95%", "exam"]),
    ],
    "senin_kz_strategy_kk": [
        ("mission", "statement", "slogan", ["Өзіңді сүй, елді сүй, өмірді сүй"]),
        ("mission", "statement", "vision", ["Әрбір жас жеткіншек"]),
    ],
}


@pytest.mark.parametrize("stem", sorted(DECK_FIGURES))
def test_sample_keeps_the_decks_figures(stem: str, plans):
    plan = plans[SAMPLES / "data" / f"{stem}.toml"]
    for step, block, key, needles in DECK_FIGURES[stem]:
        blk = plan.block(step, block)
        assert blk is not None
        if blk.kind == "table":
            text = " | ".join(str(r.values[key].value) for r in blk.rows if key in r.values)
        else:
            text = str(blk.fields[key].value)
        for needle in needles:
            assert needle in text, f"{step}.{block}.{key}: {needle!r}"
