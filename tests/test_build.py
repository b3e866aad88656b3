"""Generated workbooks: sheets, names, dropdowns, formulas, meta, print setup, reproducibility."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kuk_xlsx.build.workbook import BuildError, Organisation, build_workbook, select_steps
from kuk_xlsx.spec.template import LANGS, Template, all_defined_names, column_name, templates_root


def sheet_xml(path: Path, wb: openpyxl.Workbook, title: str) -> str:
    index = wb.sheetnames.index(title) + 1
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{index}.xml").decode()


@pytest.mark.parametrize("lang", LANGS)
def test_sheets_in_methodology_order(blank: dict[str, Path], tpl: Template, lang: str) -> None:
    wb = openpyxl.load_workbook(blank[lang])
    expected = [s.sheet.get(lang) for s in tpl.steps] + ["_lists", "_meta"]
    assert wb.sheetnames == expected
    assert wb["_lists"].sheet_state == "hidden"
    assert wb["_meta"].sheet_state == "hidden"
    assert all(wb[s.sheet.get(lang)].sheet_state == "visible" for s in tpl.steps)
    # The first sheet carries the training goal and how to return the workbook.
    first = wb.worksheets[0]
    texts = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    assert tpl.training_goal.get(lang) in texts
    assert tpl.how_to.get(lang).splitlines()[0] in texts


def test_every_defined_name_points_into_the_workbook(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["kk"])
    names = set(wb.defined_names)
    missing = [n for n in all_defined_names(tpl) if n not in names]
    assert missing == []
    for name in all_defined_names(tpl):
        for sheet, ref in wb.defined_names[name].destinations:
            assert sheet in wb.sheetnames, name
            assert re.fullmatch(r"\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", ref), (name, ref)


def test_dropdowns_come_from_the_hidden_lists(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["ru"])
    ws = wb[tpl.step("stakeholders").sheet.ru]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "kuk_list_stakeholder_category" in formulas
    # the list itself holds the Russian labels
    ((sheet, ref),) = wb.defined_names["kuk_list_stakeholder_category"].destinations
    values = [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]
    assert values == tpl.choices["stakeholder_category"].labels("ru")


def test_schedule_goal_dropdown_lists_step_7_goals(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["kk"])
    ws = wb[tpl.step("schedule").sheet.kk]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert column_name("goals", "goals", "goal") in formulas


def test_totals_are_live_formulas_with_empty_cache(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["kk"])
    title = tpl.step("budget").sheet.kk
    ws = wb[title]
    cells = {}
    for key in ("total", "me_amount", "me_share"):
        ((_, ref),) = wb.defined_names[column_name("budget", "items", key)].destinations
        cells[key] = ref.replace("$", "")
    assert ws[cells["total"]].value == "=SUM(kuk_budget_items_amount)"
    assert "SUMIF(kuk_budget_items_category" in ws[cells["me_share"]].value
    xml = sheet_xml(blank["kk"], wb, title)
    for ref in cells.values():
        cell = re.search(rf'<c r="{ref}"[^>]*>(.*?)</c>', xml).group(1)
        assert "<f>" in cell and "<v>0</v>" not in cell, (ref, cell)


def test_band_colours_follow_the_programme_level(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["kk"])
    ws = wb[tpl.step("budget").sheet.kk]
    ((_, ref),) = wb.defined_names[column_name("budget", "items", "me_share_min")].destinations
    formula = ws[ref.replace("$", "")].value
    assert "kuk_profile_org_level" in formula and "0.03" in formula and "0.05" in formula
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert len([r for r in rules if r.type == "expression"]) >= 2


def test_meta_sheet_and_custom_properties(tmp_path: Path, tpl: Template) -> None:
    path = build_workbook(
        tmp_path / "m.xlsx",
        lang="ru",
        level="regional",
        org=Organisation(id="KZ-9", name="ОФ Тест"),
    )
    wb = openpyxl.load_workbook(path)
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["template_id"] == tpl.id
    assert meta["template_version"] == tpl.version
    assert meta["spec_hash"] == tpl.spec_hash
    assert meta["language"] == "ru"
    assert meta["level"] == "regional"
    assert meta["org_id"] == "KZ-9"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["kuk_template_id"] == tpl.id
    assert props["kuk_org_id"] == "KZ-9"
    assert props["kuk_level"] == "regional"
    # the profile is pre-filled
    ws = wb.worksheets[0]
    ((_, ref),) = wb.defined_names[column_name("profile", "org", "name")].destinations
    assert ws[ref.replace("$", "")].value == "ОФ Тест"
    ((_, ref),) = wb.defined_names[column_name("profile", "org", "level")].destinations
    assert ws[ref.replace("$", "")].value == "Областной / региональный"


def test_input_cells_unlocked_and_styled(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["en"])
    ((sheet, ref),) = wb.defined_names[column_name("goals", "goals", "goal")].destinations
    ws = wb[sheet]
    for row in ws[ref.replace("$", "")]:
        for cell in row:
            assert cell.protection.locked is False
            assert cell.fill.fgColor.rgb.endswith("FFF2CC")
    title = ws.cell(row=1, column=1)
    assert title.protection.locked is True


def test_print_setup_and_freeze_panes_on_every_sheet(blank: dict[str, Path], tpl: Template) -> None:
    wb = openpyxl.load_workbook(blank["kk"])
    for step in tpl.steps:
        ws = wb[step.sheet.kk]
        assert ws.page_setup.paperSize == 9, step.key
        assert ws.page_setup.orientation == "landscape"
        # fitToWidth=1 is the XML default, so it is left out of the file
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes is not None, step.key
        tables = [b for b in step.blocks if b.kind == "table"]
        if len(tables) == 1:
            assert ws.print_title_rows, step.key  # the header repeats on every page
        elif len(tables) > 1:
            assert ws.print_title_rows is None, step.key  # one header would be wrong
    # sheets of several tables start a page before a table rather than split it
    detail = wb[tpl.step("stakeholder_detail").sheet.kk]
    assert detail.row_breaks.brk


def test_same_inputs_give_identical_bytes(tmp_path: Path) -> None:
    a = build_workbook(tmp_path / "a.xlsx", lang="ru", org=Organisation(id="1", name="X"))
    b = build_workbook(tmp_path / "b.xlsx", lang="ru", org=Organisation(id="1", name="X"))
    assert a.read_bytes() == b.read_bytes()


def test_committed_blank_templates_are_current(tmp_path: Path) -> None:
    from support.xlsx_diff import assert_same_xlsx  # names the part and cell that differ

    for lang in LANGS:
        committed = templates_root() / "blank" / f"kuk_workbook_{lang}.xlsx"
        fresh = build_workbook(tmp_path / committed.name, lang=lang)
        assert_same_xlsx(
            committed, fresh, f"{committed.name} is stale: run python -m kuk_xlsx.build.blanks"
        )


def test_modules_subset(tmp_path: Path, tpl: Template) -> None:
    path = build_workbook(tmp_path / "s.xlsx", modules=["strategy"], lang="en")
    wb = openpyxl.load_workbook(path)
    expected = [s.sheet.en for s in tpl.steps if s.module in ("core", "strategy")]
    assert wb.sheetnames[:-2] == expected
    meta = {r[0].value: r[1].value for r in wb["_meta"].iter_rows(min_row=2)}
    assert meta["steps"].split(",") == [s.key for s in select_steps(tpl, ["strategy"])]
    # step keys work too, and mix with modules
    keys = [s.key for s in select_steps(tpl, ["budget", "network"])]
    assert keys == ["profile", "budget", "network"]


def test_unknown_module_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="unknown module or step finance"):
        build_workbook(tmp_path / "x.xlsx", modules=["finance"])
    assert not (tmp_path / "x.xlsx").exists()


def test_org_text_never_becomes_a_formula_or_link(tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://evil.example","click")'
    path = build_workbook(
        tmp_path / "e.xlsx", org=Organisation(id="1", name=evil, contact="http://x.example")
    )
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ((_, ref),) = wb.defined_names[column_name("profile", "org", "name")].destinations
    cell = ws[ref.replace("$", "")]
    assert cell.data_type == "s" and cell.value == evil
    assert not any(
        c.hyperlink and "x.example" in str(c.hyperlink.target)
        for row in ws.iter_rows()
        for c in row
    )


def test_protect_locks_all_but_inputs_and_allows_rows(tmp_path: Path, tpl: Template) -> None:
    path = build_workbook(tmp_path / "p.xlsx", protect=True, modules=["budget"])
    wb = openpyxl.load_workbook(path)
    ws = wb[tpl.step("budget").sheet.kk]
    assert ws.protection.sheet is True
    assert (
        ws.protection.insertRows is False and ws.protection.deleteRows is False
    )  # False = allowed
    ((_, ref),) = wb.defined_names[column_name("budget", "items", "quantity")].destinations
    assert ws[ref.replace("$", "").split(":")[0]].protection.locked is False
    unprotected = openpyxl.load_workbook(build_workbook(tmp_path / "u.xlsx", modules=["budget"]))
    assert unprotected[tpl.step("budget").sheet.kk].protection.sheet is False


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_step_numbers_are_written_in_the_readers_script(lang: str, tmp_path: Path) -> None:
    """ "2a" is a key: on a kk or ru sheet the step is 2а with the Cyrillic letter
    (a Latin "a" in Cyrillic text is a different word to search, sort and read aloud)."""
    from kuk_xlsx.spec.template import load_template

    path = build_workbook(tmp_path / "w.xlsx", lang=lang)
    tpl = load_template()
    wb = openpyxl.load_workbook(path, read_only=True)
    for key in ("information", "stakeholder_detail"):
        step = tpl.step(key)
        title = next(wb[step.sheet.get(lang)].iter_rows(max_row=1, values_only=True))[0]
        assert step.number_in(lang) in title and step.number not in title, title
        assert step.number_in(lang)[-1] == "\u0430"
    wb.close()


def test_a_long_answer_given_in_a_field_gets_a_row_tall_enough(tmp_path: Path) -> None:
    """A sample or a migrated workbook carries long answers in: the row grows to show
    them in print (no program grows a row whose height is set), a blank keeps its size."""
    answer = "Қазақстанда сүт безі қатерлі ісігі тым кеш анықталады. " * 12
    blank = build_workbook(tmp_path / "blank.xlsx", modules=["project"])
    given = build_workbook(
        tmp_path / "given.xlsx",
        modules=["project"],
        data={"problem": {"core": {"core_problem": answer}}},
    )
    name = column_name("problem", "core", "core_problem")

    def height(path: Path) -> float:
        wb = openpyxl.load_workbook(path)
        (sheet, ref), *_ = wb.defined_names[name].destinations
        row = wb[sheet][ref.replace("$", "")].row
        return wb[sheet].row_dimensions[row].height

    assert height(blank) == 36  # (a long text's blank row)
    assert height(given) >= 13.5 * 5  # several lines, not two
