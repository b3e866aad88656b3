"""Fuzzing the reader with damaged copies of a real sample, in-process.

Random truncations, byte flips, deleted zip members, and edits inside the sheet
XML (where python-calamine would abort the whole process on one far reference if
the preflight's sheet scan let it through) of samples/ayel_densauly_project_ru.xlsx
go through :func:`kuk_xlsx.checks.validate`.  Whatever the damage, it returns a
Report with one of the four statuses, and an UNREADABLE one carries a problem with
a plain message: no exception escapes, and the test process survives.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kuk_xlsx.checks.engine import Report, validate
from kuk_xlsx.package.problems import MESSAGES
from kuk_xlsx.spec.template import LANGS

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ayel_densauly_project_ru.xlsx"
DATA = SAMPLE.read_bytes()
with zipfile.ZipFile(io.BytesIO(DATA)) as _zf:
    PARTS = {i.filename: _zf.read(i.filename) for i in _zf.infolist()}
MEMBERS = sorted(PARTS)
XML_PARTS = sorted(n for n in MEMBERS if n.endswith((".xml", ".rels")))
STATUSES = {"OK", "WARNINGS", "ERRORS", "UNREADABLE"}
# Fragments that matter to a cell reader or an XML parser, spliced into a part.
TOKENS = [
    b'r="XFD1048576"',
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<row r="1048576">',
    b"<c><v>7</v></c>",
    b"<row>",
    b"</row>",
    b"r='ZZ99'",
    b' r="A1"',
    b'<c r="A1" t="s"><v>99999</v></c>',
    b'<c r="B2" t="b"><v>9</v></c>',
    b'<c r="B3" t="e"><v>#WHAT</v></c>',
    b'<c r="B4" s="99999"><v>1e308</v></c>',
    b'<dimension ref="A1:XFD1048576"/>',
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"&#0;",
    b"&a;",
    b"<![CDATA[<c r='XFD1'>]]>",
    b'<!-- <c r="XFD1"> -->',
    b'"',
    b">",
    b"<",
    b"\x00",
    b"\xff\xfe",
]
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "returned.xlsx"


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def check(path: Path, data: bytes) -> Report:
    path.write_bytes(data)
    report = validate(path)
    assert isinstance(report, Report)
    assert report.status in STATUSES
    if report.status == "UNREADABLE":
        assert report.problem is not None
        assert report.problem.code in MESSAGES
        for lang in LANGS:
            assert report.problem.message(lang).strip()
    else:
        assert report.plan is not None
    return report


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(DATA)))
def test_truncated(target: Path, cut: int) -> None:
    report = check(target, DATA[:cut])
    if cut < len(DATA):
        assert report.status == "UNREADABLE"


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(DATA) - 1), st.integers(1, 255)), min_size=1, max_size=12
    )
)
def test_byte_flips(target: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(DATA)
    for offset, mask in flips:
        data[offset] ^= mask
    check(target, bytes(data))


@FUZZ
@given(gone=st.sets(st.sampled_from(MEMBERS), min_size=1, max_size=len(MEMBERS)))
def test_deleted_members(target: Path, gone: set[str]) -> None:
    check(target, zip_of({n: b for n, b in PARTS.items() if n not in gone}))


@FUZZ
@given(
    part=st.sampled_from(XML_PARTS),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)),
            st.integers(0, 12),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_edited_xml(target: Path, part: str, edits: list[tuple[float, bytes, int]]) -> None:
    """Splice tokens into (or cut bytes out of) one part, then zip it again properly,
    so the damage reaches the XML readers instead of the zip checks."""
    body = bytearray(PARTS[part])
    for where, token, cut in edits:
        at = int(where * len(body))
        body[at : at + cut] = token
    check(target, zip_of({**PARTS, part: bytes(body)}))


@FUZZ
@given(
    gone=st.sets(st.sampled_from(MEMBERS), max_size=3),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=4),
)
def test_deleted_members_and_flips(
    target: Path, gone: set[str], flips: list[tuple[float, int]]
) -> None:
    data = bytearray(zip_of({n: b for n, b in PARTS.items() if n not in gone}))
    for where, mask in flips:
        data[int(where * (len(data) - 1))] ^= mask
    check(target, bytes(data))


# --- the sheet scan against python-calamine's way of placing cells -------------------

_REFS = ["A1", "B7", "BZ10000", "CA5", "A10001", "XFD1048576", "a3", "C", "7", ""]
_ATTR = st.sampled_from(['s="1"', 't="s"', 't="n"', "s='2'", 'cm="1"'])


@st.composite
def _r_attribute(draw: st.DrawFn) -> str:
    """An ``r`` attribute as a writer, careless or hostile, might spell it."""
    ref = draw(st.sampled_from(_REFS))
    before = draw(st.sampled_from([" ", "  ", "\t", "\n", '"', "'"]))
    eq = draw(st.sampled_from(["=", " =", "= ", "\t="]))
    quote = draw(st.sampled_from(['"', "'"]))
    name = draw(st.sampled_from(["r", "r", "r", "x:r", "R"]))
    return f"{before}{name}{eq}{quote}{ref}{quote}"


@st.composite
def _cell(draw: st.DrawFn) -> str:
    first = draw(st.one_of(st.just(""), st.sampled_from(_REFS).map(lambda r: f' r="{r}"')))
    rest = draw(st.lists(st.one_of(_ATTR.map(lambda a: " " + a), _r_attribute()), max_size=3))
    end = draw(st.sampled_from(["/>", "><v>1</v></c>"]))
    return f"<c{first}{''.join(rest)}{end}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(rows=[("", ['<c r="A1" x:r="CA5"/>'])])  # (found by this test: a prefixed r)
def _reference_extent(data: bytes, rows: bool = True) -> tuple[int, int]:
    """The slow scan as it was before it was made linear: a tag counts only when its
    pattern matches from its own "<" (retried from every start: quadratic, and fine
    on these small sheets)."""
    import re
    from unittest import mock

    from kuk_xlsx.package import sheetscan

    whole_tags = re.compile(
        rb"<(/?)" + sheetscan._P + rb"""(c|row)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)(>)"""
    )
    with mock.patch.object(sheetscan, "_ANY_TAG", whole_tags):
        return sheetscan._slow_extent(data, rows=rows)


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.just(""), st.sampled_from(["1", "5", "10001", "1048576"])),
            st.lists(_cell(), max_size=4),
        ),
        max_size=4,
    )
)
def test_sheet_scan_never_passes_a_cell_calamine_would_place_far(
    rows: list[tuple[str, list[str]]],
) -> None:
    """Whatever a sheet's cell and row tags look like, when the scan for python-calamine's
    view passes a sheet untouched, no ``r`` in it can place a cell beyond the limits:
    the slow scan (which counts every ``r``, prefixed or repeated, erring high) agrees."""
    from kuk_xlsx.package.problems import LIMITS
    from kuk_xlsx.package.sheetscan import _slow_extent, scan_sheet

    body = "".join(
        (f'<row r="{r}">' if r else "<row>") + "".join(cells) + "</row>" for r, cells in rows
    )
    sheet = f'<?xml version="1.0"?><worksheet><sheetData>{body}</sheetData></worksheet>'.encode()
    scan, out = scan_sheet(sheet, "s.xml", rows=False)
    if scan.readable:
        far_rows, far_cols = _reference_extent(out, rows=False)  # where cells can be placed
        assert far_rows <= LIMITS.max_rows and far_cols <= LIMITS.max_cols, out
    # the linear slow scan errs high, never low: a tag with a quote left open (which
    # the reference skips) makes its extent unbounded
    ours, reference = _slow_extent(sheet), _reference_extent(sheet)
    assert ours[0] >= reference[0] and ours[1] >= reference[1], sheet
