"""Feedback copies: the NGO's workbook with its findings marked inside, and nothing lost.

Workbooks are built with findings of every severity (a blank one; the English
project sample with its M&E share pushed out of band, rows with no cost item and
NGO text that looks like formulas and links), fed through ``write_feedback``, and
the copy is checked cell by cell, feature by feature, again after a second run
on the copy itself, after a LibreOffice round trip, and as LibreOffice renders it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from kuk_xlsx.build.workbook import INPUT_FILL, build_workbook
from kuk_xlsx.catalogue import labels, text
from kuk_xlsx.checks.engine import Report, validate
from kuk_xlsx.outputs.feedback import (
    AUTHOR,
    COMMENT_MARK,
    HIGHLIGHT,
    LIGHT_FILL,
    REVIEW_SHEET,
    STATE_SHEET,
    feedback_path,
    write_feedback,
)
from kuk_xlsx.spec.template import Template, column_name
from kuk_xlsx.write.safe import OutputError

try:
    from tests.support import libreoffice as lo
except ImportError:  # pytest rootdir-relative import (tests/ on sys.path)
    from support import libreoffice as lo  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
EVIL_ORG = '=HYPERLINK("http://evil.example/x","click")'
EVIL_DATE = "http://evil.example/when"
EVIL_ITEM = "=1+1"
TOTALS = ("total", "me_amount", "me_share")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def samples_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples/make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def located(report: Report) -> list[tuple[str, str, str]]:
    return [(f.code, f.sheet, f.cell) for f in report.findings]


def fill_rgb(cell: Any) -> str:
    rgb = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fgColor else None
    return rgb[-6:].upper() if isinstance(rgb, str) and cell.fill.fill_type else ""


def name_cell(wb: Any, name: str) -> Any:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][ref.replace("$", "").split(":")[0]]


# --- workbooks with findings ------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback")


@pytest.fixture(scope="module")
def blank_en(folder: Path) -> Path:
    return build_workbook(folder / "src" / "blank_en.xlsx", lang="en")


@pytest.fixture(scope="module")
def project_en(folder: Path, tpl: Template) -> Path:
    """The English project sample with errors, warnings and coaching in different steps."""
    make = samples_module()
    kw = make.load_sample(make.DATA_DIR / "youth_employment_en.toml", tpl)
    kw["org"] = type(kw["org"])(**{**kw["org"].__dict__, "name": EVIL_ORG})
    data = kw["data"]
    items = [dict(r) for r in data["budget"]["items"]]
    for row in items:
        if row["category"] == "me":
            row["unit_cost"] = row["unit_cost"] * 10  # the M&E share out of the 3-5% band
    items[0]["item"] = EVIL_ITEM
    data["profile"] = {**data.get("profile", {})}
    data["profile"]["org"] = {**data["profile"].get("org", {}), "date": EVIL_DATE}
    # seven started rows with no cost item: more than the cap of five
    items += [{"category": "activities", "unit": "day", "quantity": 1, "unit_cost": 1000}] * 7
    data["budget"] = {**data["budget"], "items": items}
    return build_workbook(folder / "src" / "project_en.xlsx", **kw)


@pytest.fixture(scope="module")
def copies(folder: Path, blank_en: Path, project_en: Path) -> dict[str, Any]:
    """Each source's sha256 before, its report, and its feedback copy."""
    out: dict[str, Any] = {}
    for key, src in (("blank", blank_en), ("project", project_en)):
        before = sha256(src)
        report = validate(src)
        copy = write_feedback(report, folder / "out", "en")
        out[key] = {"src": src, "sha": before, "report": report, "copy": copy}
    return out


def test_sources_have_every_kind_of_finding(copies: dict[str, Any]) -> None:
    report = copies["project"]["report"]
    codes = {f.code for f in report.findings}
    assert {"KUK-BUDGET-ME-SHARE", "KUK-REQUIRED-CELL", "KUK-VALUE-NOT-DATE"} <= codes
    assert {f.severity for f in report.findings} == {"error", "warning", "coaching"}
    assert sum(f.code == "KUK-REQUIRED-CELL" for f in report.findings) == 7


# --- the original and the copy's place ---------------------------------------------------------


def test_original_is_never_modified(copies: dict[str, Any]) -> None:
    for entry in copies.values():
        assert sha256(entry["src"]) == entry["sha"]
        assert entry["copy"] != entry["src"]
        assert entry["copy"].name == entry["src"].name
        assert not list(entry["copy"].parent.glob(".~kuk-*")), "a temporary file was left"


def test_refuses_to_write_over_the_original(blank_en: Path) -> None:
    before = sha256(blank_en)
    report = validate(blank_en)
    with pytest.raises(OutputError, match="workbook itself"):
        write_feedback(report, blank_en.parent, "en")
    assert sha256(blank_en) == before


def test_unreadable_report_has_no_copy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    report = validate(bad)
    assert report.plan is None
    with pytest.raises(OutputError):
        write_feedback(report, tmp_path / "out", "en")
    assert not (tmp_path / "out" / "bad.xlsx").exists()


# --- the review sheet ----------------------------------------------------------------------


def test_review_sheet_first_with_traffic_lights(copies: dict[str, Any], tpl: Template) -> None:
    entry = copies["project"]
    wb = openpyxl.load_workbook(entry["copy"])
    assert wb.sheetnames[0] == "Feedback"
    assert wb.active.title == "Feedback"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Feedback"]
    ws = wb["Feedback"]
    lights: dict[str, tuple[str, str]] = {}
    words = {labels("outputs.light")[k].en: k for k in labels("outputs.light")}
    for row in ws.iter_rows():
        if len(row) > 1 and row[1].value in words:
            lights[str(row[0].value)] = (words[row[1].value], fill_rgb(row[1]))
    plan = entry["report"].plan
    by_step: dict[str, set[str]] = {}
    for f in entry["report"].findings:
        by_step.setdefault(f.step, set()).add(f.severity)
    for key in plan.expected_steps:
        severities = by_step.get(key, set())
        want = "red" if "error" in severities else ("amber" if severities else "green")
        sheet = plan.steps[key].sheet
        assert lights[sheet] == (want, LIGHT_FILL[want]), sheet
    seen = {light for light, _ in lights.values()}
    assert seen == {"green", "amber", "red"}


def test_review_sheet_lists_findings_with_links_and_cap(copies: dict[str, Any]) -> None:
    entry = copies["project"]
    wb = openpyxl.load_workbook(entry["copy"])
    ws = wb["Feedback"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    links = {
        c.coordinate: c.hyperlink for row in ws.iter_rows() for c in row if c.hyperlink is not None
    }
    budget = entry["report"].plan.steps["budget"].sheet
    required = [f for f in entry["report"].findings if f.code == "KUK-REQUIRED-CELL"]
    listed = [r for r in rows if r[1] in {f.cell for f in required}]
    assert len(listed) == 5  # capped like the text report
    more = text("outputs.text.more", "en", n=2)
    assert any(isinstance(r[3], str) and r[3].startswith(more) for r in rows)
    share = next(f for f in entry["report"].findings if f.code == "KUK-BUDGET-ME-SHARE")
    cell = next(c for row in ws.iter_rows() for c in row if c.value == share.cell)
    link = links[cell.coordinate]
    assert link.location == f"'{budget}'!{share.cell}"
    assert not link.target and not link.id  # internal: no relationship to anywhere
    with zipfile.ZipFile(entry["copy"]) as zf:
        rels = [n for n in zf.namelist() if n.endswith(".rels")]
        assert not any(b'TargetMode="External"' in zf.read(n) for n in rels)


def test_ngo_text_stays_text(copies: dict[str, Any]) -> None:
    entry = copies["project"]
    wb = openpyxl.load_workbook(entry["copy"])
    ws = wb["Feedback"]
    org = next(c for row in ws.iter_rows() for c in row if c.value == EVIL_ORG)
    assert org.data_type == "s" and org.hyperlink is None
    messages = [c for row in ws.iter_rows() for c in row if EVIL_DATE in str(c.value or "")]
    assert messages and all(c.data_type == "s" and c.hyperlink is None for c in messages)
    # and in the step sheet the NGO's own text is still text
    for step, evil in (("budget", EVIL_ITEM), ("profile", EVIL_DATE)):
        sheet = wb[entry["report"].plan.steps[step].sheet]
        texts = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value}
        assert texts[evil] == "s"
    from kuk_xlsx.outputs.feedback.copy import sheet_parts

    with zipfile.ZipFile(entry["copy"]) as zf:  # the review sheet's own part, wherever it is
        sheet_xml = zf.read(sheet_parts(zf)["Feedback"]).decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "HYPERLINK" in sheet_xml  # as text only


def test_review_sheet_in_each_language(blank_en: Path, tmp_path: Path) -> None:
    report = validate(blank_en)
    for lang in ("kk", "ru", "en"):
        copy = write_feedback(report, tmp_path / lang, lang)
        wb = openpyxl.load_workbook(copy)
        assert wb.sheetnames[0] == REVIEW_SHEET.get(lang)
        text = "\n".join(
            str(c.value) for row in wb[REVIEW_SHEET.get(lang)].iter_rows() for c in row if c.value
        )
        assert labels("outputs.light")["red"].get(lang) in text


# --- cells marked in the step sheets ------------------------------------------------------------


def test_finding_cells_are_coloured_and_commented(copies: dict[str, Any]) -> None:
    for entry in copies.values():
        wb = openpyxl.load_workbook(entry["copy"])
        for f in entry["report"].findings:
            if not f.cell or f.sheet not in wb.sheetnames:
                continue
            ws = wb[f.sheet]
            anchor = f.cell.split(":")[0]
            comment = ws[anchor].comment
            assert comment is not None, (f.sheet, f.cell)
            assert comment.author == AUTHOR
            assert comment.text.startswith(COMMENT_MARK)
            message_start = {
                "error": "✗ error:",
                "warning": "! warning:",
                "coaching": "· coaching:",
            }[f.severity]
            assert message_start in comment.text
            assert fill_rgb(ws[anchor]) in {HIGHLIGHT[s] for s in ("error", "warning", "coaching")}
            if ":" in f.cell:  # a range: one comment, at its top-left
                c0, r0, c1, _ = range_boundaries(f.cell)
                last = f.cell.split(":")[1]
                assert ws[last].comment is None or last == anchor
                # a column of fields: coloured whole; a table: its header row only
                top_right = ws.cell(row=r0, column=c1)
                assert fill_rgb(top_right) != ""
                if c1 == c0:
                    assert fill_rgb(ws[last]) != ""


def test_several_findings_on_one_cell_make_one_comment(copies: dict[str, Any]) -> None:
    entry = copies["project"]
    by_cell: dict[tuple[str, str], list[Any]] = {}
    for f in entry["report"].findings:
        if f.cell:
            by_cell.setdefault((f.sheet, f.cell.split(":")[0]), []).append(f)
    shared = {k: v for k, v in by_cell.items() if len(v) > 1}
    wb = openpyxl.load_workbook(entry["copy"])
    for (sheet, ref), found in shared.items():
        text = wb[sheet][ref].comment.text
        assert text.count(COMMENT_MARK) == 1
        assert text.count("→ ") >= len(found)
    worst = {
        (f.sheet, f.cell): f.severity for f in entry["report"].findings if f.severity == "error"
    }
    for (sheet, ref), _ in worst.items():
        if ":" not in ref:
            assert fill_rgb(wb[sheet][ref]) == HIGHLIGHT["error"]


def test_hint_comments_survive_under_feedback(copies: dict[str, Any], tpl: Template) -> None:
    entry = copies["blank"]
    original = openpyxl.load_workbook(entry["src"])
    copy = openpyxl.load_workbook(entry["copy"])
    for ws in original.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is None:
                    continue
                now = copy[ws.title][cell.coordinate].comment
                assert now is not None and cell.comment.text in now.text


# --- what the NGO needs to go on filling it in ------------------------------------------------


def features(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"names": {}, "sheets": {}}
    for name, dn in wb.defined_names.items():
        out["names"][name] = dn.attr_text
    for ws in wb.worksheets:
        out["sheets"][ws.title] = {
            "state": ws.sheet_state,
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.errorStyle)
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), rule.type, tuple(rule.formula or ()), rule.dxf is not None)
                for rng in ws.conditional_formatting
                for rule in rng.rules
            ),
            "formulas": {
                c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"
            },
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "protected": bool(ws.protection.sheet),
        }
    out["custom"] = {p.name: p.value for p in wb.custom_doc_props.props}
    return out


@pytest.mark.parametrize("key", ["blank", "project"])
def test_features_survive(copies: dict[str, Any], key: str, tpl: Template) -> None:
    entry = copies[key]
    before, after = features(entry["src"]), features(entry["copy"])
    assert after["names"] == before["names"]
    assert after["custom"] == before["custom"]
    for sheet, was in before["sheets"].items():
        assert after["sheets"][sheet] == was, sheet
    assert after["sheets"]["_lists"]["state"] == "hidden"
    assert after["sheets"]["_meta"]["state"] == "hidden"
    assert after["sheets"][STATE_SHEET]["state"] == "veryHidden"
    budget = entry["report"].plan.steps["budget"].sheet
    assert sum(len(v) for v in (before["sheets"][budget]["validations"],)) >= 4
    assert len(before["sheets"][budget]["conditional"]) == 2
    wb = openpyxl.load_workbook(entry["copy"])
    for total in TOTALS:
        cell = name_cell(wb, column_name("budget", "items", total))
        assert cell.data_type == "f" and "SUM" in cell.value


def test_lost_dropdowns_are_rebuilt_from_the_spec(blank_en: Path, tmp_path: Path) -> None:
    stripped = tmp_path / "src" / "stripped.xlsx"
    stripped.parent.mkdir()
    wb = openpyxl.load_workbook(blank_en)
    budget = wb["14 Budget"]
    want = sorted(
        (str(dv.sqref), dv.type, dv.formula1) for dv in budget.data_validations.dataValidation
    )
    budget.data_validations.dataValidation = []
    wb.save(stripped)
    copy = write_feedback(validate(stripped), tmp_path / "out", "en")
    got = openpyxl.load_workbook(copy)["14 Budget"].data_validations.dataValidation
    assert sorted((str(dv.sqref), dv.type, dv.formula1) for dv in got) == want


def test_validating_the_copy_gives_the_same_findings(copies: dict[str, Any]) -> None:
    for entry in copies.values():
        again = validate(entry["copy"])
        assert located(again) == located(entry["report"])
        assert again.plan is not None and again.plan.org_name == entry["report"].plan.org_name


# --- feedback from feedback ---------------------------------------------------------------------


def test_feedback_from_feedback_does_not_stack(copies: dict[str, Any], tmp_path: Path) -> None:
    entry = copies["blank"]
    first = entry["copy"]
    second = write_feedback(validate(first), tmp_path / "second", "en")
    third = write_feedback(validate(second), tmp_path / "third", "en")
    one, three = openpyxl.load_workbook(first), openpyxl.load_workbook(third)
    assert three.sheetnames == one.sheetnames
    assert [n for n in three.sheetnames if n.startswith("Feedback")] == ["Feedback"]
    assert three.sheetnames.count(STATE_SHEET) == 1
    for ws in one.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                again = three[ws.title][cell.coordinate]
                assert fill_rgb(again) == fill_rgb(cell), (ws.title, cell.coordinate)
                if cell.comment is not None:
                    assert again.comment is not None
                    assert again.comment.text == cell.comment.text
                    assert again.comment.text.count(COMMENT_MARK) <= 1
                else:
                    assert again.comment is None
    state = [r for r in three[STATE_SHEET].iter_rows(values_only=True) if r[0] == "fill"]
    assert state and all(r[4] in HIGHLIGHT.values() for r in state)
    original = openpyxl.load_workbook(entry["src"])
    # the record keeps the look the cells had in the NGO's file, not our colours
    assert all(fill_rgb(original[r[1]][r[2]]) not in HIGHLIGHT.values() for r in state)
    assert {(r[1], r[2]) for r in state} == {
        (r[1], r[2]) for r in one[STATE_SHEET].iter_rows(values_only=True) if r[0] == "fill"
    }


def test_fixed_cells_get_their_look_and_hint_back(
    copies: dict[str, Any], tmp_path: Path, tpl: Template
) -> None:
    entry = copies["blank"]
    edited = tmp_path / "edited" / entry["copy"].name
    edited.parent.mkdir()
    wb = openpyxl.load_workbook(entry["copy"])
    vision = name_cell(wb, column_name("mission", "statement", "vision"))
    region = name_cell(wb, column_name("profile", "org", "region"))
    assert fill_rgb(vision) == HIGHLIGHT["error"] and fill_rgb(region) == HIGHLIGHT["error"]
    vision.value = "Every young person in Almaty finds work they value by 2030."
    region.value = "Almaty"
    wb.save(edited)
    report = validate(edited)
    assert not any(
        f.cell in (vision.coordinate,) and f.sheet == vision.parent.title for f in report.findings
    )
    copy = write_feedback(report, tmp_path / "out", "en")
    original = openpyxl.load_workbook(entry["src"])
    after = openpyxl.load_workbook(copy)
    for cell in (vision, region):
        was = original[cell.parent.title][cell.coordinate]
        now = after[cell.parent.title][cell.coordinate]
        assert fill_rgb(now) == fill_rgb(was) == INPUT_FILL.lstrip("#").upper()
        if was.comment is None:
            assert now.comment is None
        else:  # the hint the builder wrote is back, alone
            assert (now.comment.text, now.comment.author) == (
                was.comment.text,
                was.comment.author,
            )


def test_an_ngo_recolouring_is_kept(copies: dict[str, Any], tmp_path: Path) -> None:
    entry = copies["blank"]
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(entry["copy"])
    region = name_cell(wb, column_name("profile", "org", "region"))
    region.fill = openpyxl.styles.PatternFill("solid", fgColor="00FF00")
    region.value = "Almaty"
    wb.save(edited)
    copy = write_feedback(validate(edited), tmp_path / "out", "en")
    now = openpyxl.load_workbook(copy)[region.parent.title][region.coordinate]
    assert fill_rgb(now) == "00FF00"


# --- macros --------------------------------------------------------------------------------------


def make_xlsm(src: Path, target: Path) -> Path:
    """``src`` with a (dummy) VBA project, as Excel stores an .xlsm."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                text = data.decode()
                text = text.replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                text = text.replace(
                    "<Default ",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    "<Default ",
                    1,
                )
                data = text.encode()
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 508)
    return target


def test_xlsm_copy_is_xlsx_without_macros(blank_en: Path, tmp_path: Path) -> None:
    xlsm = make_xlsm(blank_en, tmp_path / "with_macros.xlsm")
    before = sha256(xlsm)
    report = validate(xlsm)
    assert "KUK-FILE-MACROS" in {f.code for f in report.findings}
    copy = write_feedback(report, tmp_path / "out", "en")
    assert copy == feedback_path(report, tmp_path / "out") == tmp_path / "out/with_macros.xlsx"
    assert sha256(xlsm) == before
    with zipfile.ZipFile(copy) as zf:
        assert not any("vba" in n.lower() for n in zf.namelist())
        assert b"macroEnabled" not in zf.read("[Content_Types].xml")
    again = validate(copy)
    assert located(again) == [x for x in located(report) if x[0] != "KUK-FILE-MACROS"]
    text = "\n".join(
        str(c.value) for row in openpyxl.load_workbook(copy)["Feedback"].iter_rows() for c in row
    )
    assert "Not in this copy: macros" in text


# --- LibreOffice ----------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_saved_original_keeps_its_findings_and_totals(
    project_en: Path, tmp_path: Path
) -> None:
    """A file saved by a real spreadsheet has cached totals; the copy keeps them."""
    lo.require_libreoffice()
    saved = lo.convert(project_en, "xlsx", tmp_path / "lo")
    report = validate(saved)
    share = next(f for f in report.findings if f.code == "KUK-BUDGET-ME-SHARE")
    assert ":" not in share.cell  # located at the share cell through its cached value
    copy = write_feedback(report, tmp_path / "out", "en")
    assert located(validate(copy)) == located(report)
    # the totals as the file shows them (cached results) read the same from the copy
    shown = {k: (v.value, v.cell) for k, v in report.plan.file_figures.items()}
    assert (
        shown
        and {k: (v.value, v.cell) for k, v in validate(copy).plan.file_figures.items()} == shown
    )
    was = openpyxl.load_workbook(saved, data_only=True)
    now = openpyxl.load_workbook(copy, data_only=True)
    for total in TOTALS:
        name = column_name("budget", "items", total)
        assert name_cell(now, name).value == pytest.approx(name_cell(was, name).value)
    again = write_feedback(validate(copy), tmp_path / "again", "en")
    assert located(validate(again)) == located(report)


@pytest.mark.libreoffice
def test_libreoffice_opens_and_renders_the_copy(copies: dict[str, Any], tmp_path: Path) -> None:
    lo.require_libreoffice(pdftoppm=True)
    copy = copies["project"]["copy"]
    pdf = lo.convert(copy, "pdf", tmp_path / "pdf")
    pages = lo.pdf_to_pngs(pdf, tmp_path / "png", dpi=80)
    assert pages and pages[0].stat().st_size > 10_000
    # LibreOffice reads the copy back as a workbook too
    resaved = lo.convert(copy, "xlsx", tmp_path / "xlsx")
    assert located(validate(resaved))[:3] == located(copies["project"]["report"])[:3]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        first = subprocess.run(
            [pdftotext, "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        assert "Feedback on your workbook" in first
        assert all(
            labels("outputs.light")[k].en.split()[-1] in first for k in ("green", "amber", "red")
        )
        assert EVIL_ORG in re.sub(r"\s+", " ", first)


def test_copy_zip_is_well_formed(copies: dict[str, Any]) -> None:
    for entry in copies.values():
        data = entry["copy"].read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None
            assert "xl/vbaProject.bin" not in zf.namelist()


def test_validate_command_writes_feedback(blank_en: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kuk_xlsx.cli.commands import cli

    out = tmp_path / "feedback"
    result = CliRunner().invoke(
        cli, ["validate", str(blank_en), "--lang", "ru", "--feedback", str(out)]
    )
    assert result.exit_code == 1, result.output  # the blank workbook has errors
    copy = out / blank_en.name
    assert openpyxl.load_workbook(copy).sheetnames[0] == REVIEW_SHEET.ru


@pytest.fixture
def drawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Russian strategy workbook with a text box and a sparkline on its first sheet."""
    from kuk_xlsx.build import workbook as build

    meta_sheet = build._Builder.meta_sheet

    def with_drawings(self: Any) -> None:
        ws = self.wb.worksheets()[0]
        ws.insert_textbox("H2", "our own drawing")
        ws.add_sparkline("H20", {"range": f"'{ws.get_name()}'!A1:A3"})
        meta_sheet(self)

    monkeypatch.setattr(build._Builder, "meta_sheet", with_drawings)
    src = build_workbook(tmp_path / "drawn.xlsx", lang="ru", modules=["strategy"])
    monkeypatch.undo()
    return src


def review_text(copy: Path, lang: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns it would drop the sparkline
        wb = openpyxl.load_workbook(copy)
    return "\n".join(
        str(c.value) for row in wb[REVIEW_SHEET.get(lang)].iter_rows() for c in row if c.value
    )


def test_a_text_box_and_a_sparkline_are_kept_in_the_copy(drawn: Path, tmp_path: Path) -> None:
    """Issue 15: the copy keeps what openpyxl would drop (here a text box and an Excel
    2010 sparkline), part for part, and names no loss."""
    report = validate(drawn)
    copy = write_feedback(report, tmp_path / "out", "ru")
    with zipfile.ZipFile(drawn) as was, zipfile.ZipFile(copy) as now:
        drawings = [n for n in was.namelist() if n.startswith("xl/drawings/drawing")]
        assert drawings and all(now.read(n) == was.read(n) for n in drawings)
        first = next(n for n in was.namelist() if n.endswith("sheet1.xml"))
        assert b"sparklineGroup" in now.read(first) and b"our own drawing" in now.read(drawings[0])
    assert "В этой копии нет" not in review_text(copy, "ru")
    assert located(validate(copy)) == located(report)


def test_what_an_openpyxl_copy_cannot_carry_is_named(drawn: Path, tmp_path: Path) -> None:
    """A file the full writer must take (macros to drop) names what openpyxl drops."""
    xlsm = make_xlsm(drawn, tmp_path / "drawn.xlsm")
    report = validate(xlsm)
    copy = write_feedback(report, tmp_path / "out", "ru")
    text = review_text(copy, "ru")
    assert "В этой копии нет: макросы, фигуры и надписи, дополнительные возможности Excel" in text
    assert located(validate(copy)) == [x for x in located(report) if x[0] != "KUK-FILE-MACROS"]


def test_a_table_finding_marks_its_header_and_leaves_a_wrong_cell_visible(
    copies: dict[str, Any], tpl: Template
) -> None:
    """Issue 12, item 6: a finding on a whole table colours its header row (comment on
    its first cell), not every cell; a cell's own finding inside stays visible, and
    the cells around it keep their look."""
    import dataclasses

    from kuk_xlsx.outputs.feedback.mark import mark_cells

    found = copies["project"]["report"].findings
    warning = next(f for f in found if f.severity == "warning")
    error = next(f for f in found if f.severity == "error")
    table = dataclasses.replace(warning, sheet="S", cell="A5:D9")
    cell = dataclasses.replace(error, sheet="S", cell="B7")
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    mark_cells(wb, [table, cell], "en", tpl)
    ws = wb["S"]
    assert {fill_rgb(ws.cell(row=5, column=c)) for c in range(1, 5)} == {HIGHLIGHT["warning"]}
    assert fill_rgb(ws["B7"]) == HIGHLIGHT["error"]
    assert fill_rgb(ws["C8"]) == fill_rgb(ws["A9"]) == ""  # inside the table, not marked
    assert ws["A5"].comment is not None and ws["B7"].comment is not None
    assert ws["D9"].comment is None


# --- the package writer: only marked parts change ----------------------------------------------


def test_parts_without_marks_are_byte_identical(copies: dict[str, Any]) -> None:
    """Issue 17: a copy's parts that carry no mark are the original's, byte for byte;
    the ones that change are the ones feedback needs, and two sheets are new."""
    from kuk_xlsx.outputs.feedback.copy import normalise, sheet_parts

    for entry in copies.values():
        with zipfile.ZipFile(entry["src"]) as was, zipfile.ZipFile(entry["copy"]) as now:
            parts = sheet_parts(was)
            first = re.search(rb'<sheet [^>]*name="([^"]+)"', was.read("xl/workbook.xml"))
            marked = {f.sheet for f in entry["report"].findings if f.cell}
            marked.add(first.group(1).decode())  # its tab is no longer the selected one
            allowed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
            allowed.add("xl/styles.xml")
            for sheet in marked & set(parts):
                part = parts[sheet]
                folder, _, leaf = part.rpartition("/")
                rels = f"{folder}/_rels/{leaf}.rels"
                allowed |= {part, rels}
                if rels in was.namelist():  # its comments and their drawing
                    for target in re.findall(rb'Target="([^"]+)"', was.read(rels)):
                        allowed.add(normalise(f"{folder}/{target.decode()}"))
            changed = {n for n in was.namelist() if was.read(n) != now.read(n)}
            assert changed <= allowed, changed - allowed
            assert "docProps/custom.xml" not in changed and "xl/theme/theme1.xml" not in changed
            assert len(set(now.namelist()) - set(was.namelist())) >= 2  # review + record


def _stored_bytes(zf: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """A member's bytes as they lie in the zip (compressed), after its local header."""
    info = zf.getinfo(name)
    off = info.header_offset
    start = off + 30 + int.from_bytes(data[off + 26 : off + 28], "little")
    start += int.from_bytes(data[off + 28 : off + 30], "little")
    return data[start : start + info.compress_size]


def test_unchanged_parts_are_copied_compressed_as_they_are(copies: dict[str, Any]) -> None:
    """The copy does not inflate and deflate again what it does not change: an unchanged
    part's compressed bytes, checksum and sizes are the original's, and the zip checks out."""
    for entry in copies.values():
        was_data, now_data = entry["src"].read_bytes(), entry["copy"].read_bytes()
        with zipfile.ZipFile(entry["src"]) as was, zipfile.ZipFile(entry["copy"]) as now:
            assert now.testzip() is None
            same = [n for n in was.namelist() if was.read(n) == now.read(n)]
            assert "xl/theme/theme1.xml" in same
            for name in same:
                a, b = was.getinfo(name), now.getinfo(name)
                assert (a.CRC, a.file_size, a.compress_size) == (
                    b.CRC,
                    b.file_size,
                    b.compress_size,
                )
                assert _stored_bytes(was, was_data, name) == _stored_bytes(now, now_data, name)


def test_the_copy_zip_reads_back_in_zipfile() -> None:
    """zip_parts writes what zipfile reads: deflated and stored members, a Kazakh name, an
    empty part, in the order given."""
    import io
    import zlib

    from kuk_xlsx.outputs.feedback.zipcopy import Member, deflated, zip_parts

    body = "Мақсат: 40 түлек жұмысқа орналасады".encode() * 50
    stored = Member("xl/media/сурет.txt", zipfile.ZIP_STORED, zlib.crc32(b"raw"), 3, b"raw")
    members = [deflated("[Content_Types].xml", body), stored, deflated("empty.xml", b"")]
    with zipfile.ZipFile(io.BytesIO(zip_parts(members))) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ["[Content_Types].xml", "xl/media/сурет.txt", "empty.xml"]
        assert zf.read("[Content_Types].xml") == body
        assert zf.read("xl/media/сурет.txt") == b"raw" and zf.read("empty.xml") == b""
        assert zf.getinfo("[Content_Types].xml").compress_size < len(body) // 10


def excel_x14_validations(src: Path, target: Path, sheet: str) -> Path:
    """``src`` as Excel saves a list validation that points at another sheet: moved out of
    ``<dataValidations>`` into ``extLst/x14:dataValidations`` (openpyxl drops those)."""
    from kuk_xlsx.outputs.feedback.copy import sheet_parts

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        part = sheet_parts(zin)[sheet]
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                xml = data.decode()
                block = re.search(r"<dataValidations\b.*?</dataValidations>", xml, re.S)
                assert block is not None
                items = re.findall(r"<dataValidation\b.*?</dataValidation>", block.group(0), re.S)
                ext = []
                for item in items:
                    sqref = re.search(r'sqref="([^"]+)"', item).group(1)
                    f1 = re.search(r"<formula1>(.*?)</formula1>", item).group(1)
                    ext.append(
                        '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1"'
                        f' showErrorMessage="1"><x14:formula1><xm:f>{f1}</xm:f></x14:formula1>'
                        f"<xm:sqref>{sqref}</xm:sqref></x14:dataValidation>"
                    )
                x14 = (
                    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14='
                    '"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                    f'<x14:dataValidations count="{len(ext)}" xmlns:xm="http://schemas.'
                    'microsoft.com/office/excel/2006/main">'
                    f"{''.join(ext)}</x14:dataValidations></ext></extLst>"
                )
                xml = xml.replace(block.group(0), "")
                xml = xml.replace("</worksheet>", x14 + "</worksheet>")
                data = xml.encode()
            zout.writestr(info, data)
    return target


def test_excel_2010_validations_are_kept_not_doubled(blank_en: Path, tmp_path: Path) -> None:
    """Issue 15: Excel's x14 dropdowns stay in the copy as Excel wrote them, and no
    second dropdown is added over them."""
    x14 = excel_x14_validations(blank_en, tmp_path / "x14.xlsx", "14 Budget")
    report = validate(x14)
    copy = write_feedback(report, tmp_path / "out", "en")
    from kuk_xlsx.outputs.feedback.copy import sheet_parts

    with zipfile.ZipFile(x14) as was, zipfile.ZipFile(copy) as now:
        part = sheet_parts(was)["14 Budget"]
        before, after = was.read(part).decode(), now.read(part).decode()
    ext = re.search(r"<extLst>.*</extLst>", before, re.S).group(0)
    assert ext in after and after.count("<x14:dataValidation ") == before.count(
        "<x14:dataValidation "
    )
    assert "<dataValidations" not in after  # nothing rebuilt over them
    assert located(validate(copy)) == located(report)


@pytest.mark.libreoffice
def test_libreoffice_reads_the_package_copy_marks(copies: dict[str, Any], tmp_path: Path) -> None:
    """The comments and fills the package writer put in are what LibreOffice shows:
    after its round trip every marked cell still has its colour and our comment."""
    lo.require_libreoffice()
    entry = copies["project"]
    resaved = lo.convert(entry["copy"], "xlsx", tmp_path / "lo")
    wb = openpyxl.load_workbook(resaved)
    for f in entry["report"].findings:
        if not f.cell or f.sheet not in wb.sheetnames:
            continue
        cell = wb[f.sheet][f.cell.split(":")[0]]
        assert cell.comment is not None and COMMENT_MARK in cell.comment.text, f.cell
        assert fill_rgb(cell) in set(HIGHLIGHT.values()), f.cell


# --- a second round: the NGO sends the feedback copy back --------------------------------------


def _sheet_states(path: Path) -> list[tuple[str, str]]:
    """(name, state) of every sheet, in order, from workbook.xml."""
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
    out = []
    for tag in re.findall(r"<sheet\b[^>]*>", book):
        state = re.search(r'\bstate="(\w+)"', tag)
        out.append((re.search(r'\bname="([^"]+)"', tag).group(1), state.group(1) if state else ""))
    return out


def test_a_second_round_keeps_what_excel_wrote_and_does_not_stack(
    blank_en: Path, tmp_path: Path
) -> None:
    """A feedback copy sent back is undone and marked again inside the package: Excel's
    x14 dropdowns stay as written, parts no mark touches keep their bytes, and the copy
    has one review sheet and one record, as the first one had."""
    x14 = excel_x14_validations(blank_en, tmp_path / "x14.xlsx", "14 Budget")
    first = write_feedback(validate(x14), tmp_path / "one", "en")
    second = write_feedback(validate(first), tmp_path / "two", "en")
    assert _sheet_states(second) == _sheet_states(first)
    from kuk_xlsx.outputs.feedback.copy import sheet_parts

    with zipfile.ZipFile(first) as was, zipfile.ZipFile(second) as now:
        part = sheet_parts(was)["14 Budget"]
        kept = was.read(part).count(b"<x14:dataValidation ")
        assert kept > 0 and now.read(part).count(b"<x14:dataValidation ") == kept
        first_data, second_data = first.read_bytes(), second.read_bytes()
        for name in ("xl/theme/theme1.xml", "docProps/custom.xml"):  # never marked
            assert _stored_bytes(was, first_data, name) == _stored_bytes(now, second_data, name)
    assert located(validate(second)) == located(validate(first))


@pytest.mark.libreoffice
def test_a_copy_fixed_in_libreoffice_does_not_stack(copies: dict[str, Any], tmp_path: Path) -> None:
    """LibreOffice saves our very hidden record as hidden: the next round still finds it,
    so the copy has one review sheet, and a cell the NGO fixed loses our colour."""
    lo.require_libreoffice()
    entry = copies["blank"]
    resaved = lo.convert(entry["copy"], "xlsx", tmp_path / "lo")
    assert (STATE_SHEET, "hidden") in _sheet_states(resaved)
    wb = openpyxl.load_workbook(resaved)
    region = name_cell(wb, column_name("profile", "org", "region"))
    assert fill_rgb(region) == HIGHLIGHT["error"]
    region.value = "Almaty"
    fixed = tmp_path / "fixed.xlsx"
    wb.save(fixed)
    again = write_feedback(validate(fixed), tmp_path / "two", "en")
    names = [n for n, _ in _sheet_states(again)]
    assert names.count("Feedback") == 1 and not any(n.startswith("Feedback (") for n in names)
    assert [n for n in names if n.startswith(STATE_SHEET)] == [STATE_SHEET]
    cell = openpyxl.load_workbook(again)[region.parent.title][region.coordinate]
    assert fill_rgb(cell) != HIGHLIGHT["error"]


def test_a_copy_saved_by_google_sheets_does_not_stack(
    copies: dict[str, Any], tmp_path: Path
) -> None:
    """Google Sheets shows every hidden sheet (our _meta and _lists too): the record it
    shows is still ours, so the next copy has one review sheet and one record; an NGO's
    own visible `_feedback` in a file whose _meta is hidden stays (see
    test_an_ngo_sheet_called_feedback_cannot_delete_step_sheets)."""
    from tests.clients.others import google_sheets
    from tests.clients.zipxml import Book

    book = Book(copies["blank"]["copy"].read_bytes())
    google_sheets(book)
    shown = tmp_path / "google.xlsx"
    shown.write_bytes(book.to_bytes())
    assert {s for _, s in _sheet_states(shown)} == {""}  # every sheet visible
    again = write_feedback(validate(shown), tmp_path / "two", "en")
    names = [n for n, _ in _sheet_states(again)]
    assert names.count("Feedback") == 1 and not any(n.startswith("Feedback (") for n in names)
    assert [(n, s) for n, s in _sheet_states(again) if n.startswith(STATE_SHEET)] == [
        (STATE_SHEET, "veryHidden")
    ]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_file_with_only_suggestions_is_never_called_correct(
    blank_en: Path, tmp_path: Path, lang: str
) -> None:
    """The review sheet's status for a file with suggestions and nothing worse says so
    ("OK, with 2 suggestions"), as the text output does, never a bare "OK"/"Дұрыс"."""
    from dataclasses import replace

    from kuk_xlsx.checks.base import Finding
    from kuk_xlsx.checks.rules import RULES

    coaching = next(r.code for r in RULES if r.severity == "coaching" and r.step)
    report = validate(blank_en)
    report = replace(report, findings=[Finding(coaching), Finding(coaching)])
    assert report.verdict == "OK_COACHING"
    copy = write_feedback(report, tmp_path / lang, lang)
    review = openpyxl.load_workbook(copy).worksheets[0]
    shown = {c.value for row in review.iter_rows(max_row=6) for c in row}
    assert text("outputs.status.OK_COACHING", lang, n=2) in shown
    assert text("outputs.status.OK", lang) not in shown


def test_rows_and_cells_without_references_are_marked_in_their_place() -> None:
    """A row or cell without ``r`` is the one after the last (as every reader takes it):
    a mark lands on the cell meant, a cell added between explicit ones keeps its order,
    and every other cell keeps its place."""
    import xml.etree.ElementTree as ET

    from kuk_xlsx.outputs.feedback.xmlparts import MAIN
    from kuk_xlsx.outputs.feedback.xmlsheet import SheetXml

    xml = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row><c s="1"><v>11</v></c><c><v>12</v></c></row>'  # A1, B1
        '<row><c r="B2"><v>22</v></c><c><v>23</v></c></row>'  # B2, C2
        '<row r="5"><c r="E5"><v>55</v></c></row>'
        "</sheetData></worksheet>"
    )
    sx = SheetXml(xml)
    before = sx.restyle(
        {(1, 2): lambda s: 7, (2, 3): lambda s: 8, (2, 1): lambda s: 9, (4, 2): lambda s: 6}
    )
    assert before == {(1, 2): 0, (2, 3): 0, (2, 1): 0, (4, 2): 0}

    places: dict[str, tuple[str | None, str | None]] = {}
    r = 0
    for row in ET.fromstring(sx.text).iter(f"{{{MAIN}}}row"):
        r = int(row.get("r") or r + 1)
        c = 0
        for cell in row.iter(f"{{{MAIN}}}c"):
            ref = cell.get("r")
            c = (ord(ref[0]) - 64) if ref else c + 1
            v = cell.find(f"{{{MAIN}}}v")
            places[f"{chr(64 + c)}{r}"] = (v.text if v is not None else None, cell.get("s"))
    assert places == {
        "A1": ("11", "1"),
        "B1": ("12", "7"),
        "A2": (None, "9"),
        "B2": ("22", None),
        "C2": ("23", "8"),
        "B4": (None, "6"),
        "E5": ("55", None),
    }


def test_prefixed_spreadsheetml_is_read_as_the_edits_know_it() -> None:
    """``<x:worksheet xmlns:x=…>`` (the Open XML SDK's way) becomes the same XML with a
    default namespace; mixed markup the rewrite could change in meaning is refused."""
    from kuk_xlsx.outputs.feedback.xmlparts import MAIN, NotHere, unprefixed

    xml = f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData/></x:worksheet>'
    assert (
        unprefixed(xml)
        == f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    )
    plain = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    assert unprefixed(plain) == plain
    for mixed in (
        f'<x:worksheet xmlns:x="{MAIN}"><sheetData/></x:worksheet>',  # an unprefixed element
        f'<x:worksheet xmlns:x="{MAIN}" xmlns="urn:other"><x:sheetData/></x:worksheet>',
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData x:odd="1"/></x:worksheet>',
    ):
        with pytest.raises(NotHere):
            unprefixed(mixed)


def test_a_forged_fill_in_the_record_never_reaches_the_styles(
    copies: dict[str, Any], tmp_path: Path
) -> None:
    """The record comes back inside the NGO's file: a fill written there with other markup
    after it is not put into styles.xml; the copy's styles stay well-formed."""
    import xml.etree.ElementTree as ET

    first = copies["blank"]["copy"]
    forged = '<fill></fill><cellXfs count="1"><xf numFmtId="999"/></cellXfs><fill></fill>'
    with zipfile.ZipFile(first) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    record = next(
        p for p, b in parts.items() if p.startswith("xl/worksheets/") and b">fill</t>" in b
    )
    xml = parts[record].decode()
    # the original fills the record keeps (column D of its "fill" rows), as XML text
    cells = re.findall(r'(<c r="D\d+"[^>]*><is><t[^>]*>)(&lt;fill[^<]*)(</t>)', xml)
    assert cells, "the record lists the fills it changed"
    head, old, tail = cells[0]
    parts[record] = xml.replace(head + old + tail, head + escape(forged) + tail, 1).encode()
    sent_back = tmp_path / "sent_back.xlsx"
    with zipfile.ZipFile(sent_back, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)

    again = write_feedback(validate(sent_back), tmp_path / "two", "en")
    with zipfile.ZipFile(again) as zf:
        styles = zf.read("xl/styles.xml").decode()
    ET.fromstring(styles)  # well-formed
    assert 'numFmtId="999"' not in styles
