"""Property: random valid values typed into any table of the spec read back equal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.read.parts import _open_view, read_package
from kuk_xlsx.read.reader import _Reader, read_workbook, read_workbook_bytes
from kuk_xlsx.spec.template import LISTS_SHEET, Block, Column, Step, column_name, load_template

TPL = load_template()
TABLES = [(s, b) for s in TPL.steps for b in s.blocks if b.kind == "table"]
WORDS = st.text(
    alphabet=st.sampled_from(list("аәбвгғқңөұүіһ ABCxyz.,")), min_size=1, max_size=25
).filter(lambda s: any(ch.isalpha() for ch in s))


def value_for(col: Column) -> st.SearchStrategy[Any]:
    if col.type in ("text", "long_text", "ref"):
        return WORDS.map(str.strip)
    if col.type in ("number", "money"):
        return st.integers(0, 10**9).map(float)
    if col.type == "percent":
        return st.integers(0, 100).map(lambda n: n / 100)
    if col.type == "yes_no":
        return st.booleans()
    if col.type == "choice":
        return st.sampled_from([c.key for c in TPL.choices[col.choices or ""].choices])
    if col.type == "date":
        return st.dates(date(2000, 1, 1), date(2040, 12, 31))
    if col.type == "months":
        return st.lists(st.integers(1, 6), min_size=1, max_size=6, unique=True).map(sorted)
    raise AssertionError(col.type)


@st.composite
def table_values(draw: st.DrawFn) -> tuple[Step, Block, list[dict[str, Any]], str]:
    step, blk = draw(st.sampled_from(TABLES))
    inputs = [c for c in blk.columns if not c.formula]
    rows = draw(
        st.lists(
            st.fixed_dictionaries({c.key: value_for(c) for c in inputs}),
            min_size=1,
            max_size=min(blk.rows, 4),
        )
    )
    return step, blk, rows, draw(st.sampled_from(["kk", "ru", "en"]))


def typed(col: Column, value: Any, lang: str, month: int | None = None) -> Any:
    """What a person types (in the workbook's language)."""
    if col.type == "yes_no":
        return TPL.choices["yes_no"].choices[0 if value else 1].label.get(lang)
    if col.type == "choice":
        return next(
            c.label.get(lang) for c in TPL.choices[col.choices or ""].choices if c.key == value
        )
    if col.type == "months":
        return "x" if month in value else None
    return value


def input_cells(
    wb: openpyxl.Workbook, step: Step, blk: Block, rows: int
) -> Iterator[tuple[Column, int, int | None, Any]]:
    """(column, row index, month or None, cell) of a table's first ``rows`` input
    rows, found through the columns' defined names; a months column gives 6 cells."""
    for col in blk.columns:
        if col.formula:
            continue
        ((sheet, ref),) = wb.defined_names[column_name(step.key, blk.key, col.key)].destinations
        ws = wb[sheet]
        top_left = ws[ref.replace("$", "").split(":")[0]]
        months = range(1, 7) if col.type == "months" else [None]
        for i in range(rows):
            for j, month in enumerate(months):
                yield col, i, month, ws.cell(row=top_left.row + i, column=top_left.column + j)


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("prop")
    return {lang: build_workbook(folder / f"{lang}.xlsx", lang=lang) for lang in ("kk", "ru", "en")}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=table_values())
def test_random_values_round_trip(
    case: Any, blanks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    step, blk, rows, lang = case
    wb = openpyxl.load_workbook(blanks[lang])
    for col, i, month, cell in input_cells(wb, step, blk, len(rows)):
        cell.value = typed(col, rows[i][col.key], lang, month)
    out = tmp_path_factory.mktemp("p") / "filled.xlsx"
    wb.save(out)
    plan = read_workbook(out)
    data = plan.block(step.key, blk.key)
    assert data is not None
    got = [
        {k: v.value for k, v in r.values.items() if not blk.column(k).formula} for r in data.rows
    ]
    assert got == rows
    assert [i for i in plan.interpretations if i.code not in ("date-from-text",)] == []


def _spellings() -> list[str]:
    """Texts people type into any cell: yes/no and dropdown labels of every list in
    every language, in odd case and spacing, month marks, numbers as text, and words
    that are none of these."""
    labels = [
        text
        for lst in TPL.choices.values()
        for ch in lst.choices
        for text in (ch.key, *ch.label.all())
    ]
    odd = [v for t in labels for v in (t.upper(), f"  {t}\u00a0", t.lower().swapcase())]
    return sorted(
        set(labels + odd + ["x", "Х", "✓", "+", "-", "0", "1", "да ", "ЖОҚ", "5 000", "10%"])
        | {"?", "бәлкім", "maybe", "12.03.2027", "иә иә"}  # (none blank: every row is read)
    )


SPELLINGS = _spellings()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=st.sampled_from(TABLES),
    texts=st.lists(st.sampled_from(SPELLINGS), min_size=40, max_size=40),
    lang=st.sampled_from(["kk", "ru", "en"]),
)
def test_table_cells_typed_as_the_one_cell_path_types_them(
    case: tuple[Step, Block],
    texts: list[str],
    lang: str,
    blanks: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The table reader types common values inline (a speed path); every cell must
    come out as :meth:`_Reader.typed` gives it, with the same notes."""
    step, blk = case
    wb = openpyxl.load_workbook(blanks[lang])
    pool = iter(texts * 10)
    for _, _, _, cell in input_cells(wb, step, blk, 2):
        cell.value = next(pool)
    out = tmp_path_factory.mktemp("p") / "typed.xlsx"
    wb.save(out)
    data = out.read_bytes()
    plan = read_workbook_bytes(data, str(out))
    got = plan.block(step.key, blk.key)
    assert got is not None and len(got.rows) == 2

    pkg = read_package(data, str(out), unread=(LISTS_SHEET,))
    one = _Reader(TPL, pkg, _open_view(pkg, str(out)), str(out))
    one.identify()
    for row in got.rows:
        for col in blk.columns:
            if col.formula or col.type == "months":
                continue
            c = got.columns[col.key]
            expected = one.typed(step, col, got.sheet, row.number - 1, c)
            assert row.values.get(col.key) == expected, (col.key, row.number)
    value_notes = {"choice-unknown", "not-a-number", "not-yes-no", "number-from-text"}
    value_notes |= {"percent-scaled", "not-a-date", "date-from-text"}
    assert [i for i in plan.interpretations if i.code in value_notes] == [
        i for i in one.plan.interpretations if i.code in value_notes
    ]
