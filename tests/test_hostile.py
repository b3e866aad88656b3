"""Hostile and broken inputs: one plain status each, within time and memory, input untouched.

Each file of the catalogue (tests/hostile_files.py) goes through ``python -m
kuk_xlsx validate FILE --format json`` and ``python -m kuk_xlsx dump FILE`` in a
subprocess with a 1 GiB address-space limit (Python and python-calamine map more
than they use) and a generous time-out (a hang is a failure); the run must print
no traceback, give the expected status and code, leave the file's SHA-256 and its
folder as they were, and never connect to the local listener the XXE files point
at.  Time and memory are not asserted here (a busy machine would fail a different
subset on each run): ``python benchmarks/stress.py`` measures every fixture
against the 2 s / 300 MB bounds.  Then the whole folder, with the samples and an Office lock file, goes
through one ``validate`` run: one status line (and one JSON entry) per file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_files import CATALOGUE, Hostile, build_all
from hypothesis import given, settings
from hypothesis import strategies as st

from kuk_xlsx.checks.engine import validate
from kuk_xlsx.outputs.feedback.guard import SetupError, require_defusedxml
from kuk_xlsx.package.preflight import check_package
from kuk_xlsx.package.problems import LIMITS, FileProblem, Limits, ReadError
from kuk_xlsx.package.prolog import _prolog, check_xml
from kuk_xlsx.package.sheetscan import scan_sheet
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.render import render
from kuk_xlsx.spec.template import LANGS

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (REPO / "samples").glob("*.xlsx") if not p.name.startswith("~$"))
BY_NAME = {h.name: h for h in CATALOGUE}
MEMORY_LIMIT = 1 << 30  # address space of each run: a runaway guard, not a measurement
HANG = 60  # seconds: a run still going by then has hung (no file takes that long)
EXIT = {"UNREADABLE": 2, "ERRORS": 1, "WARNINGS": 0, "OK": 0}
PLACEHOLDER = re.compile(r"\{\w*\}")


# --- running the command as a trainer would -------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(args: list[str], tmp: Path, timeout: float = HANG) -> Run:
    """Run ``python -m kuk_xlsx ARGS`` with the address-space limit; a run still
    going after ``timeout`` seconds is killed and fails the test as a hang."""
    tmp.mkdir(parents=True, exist_ok=True)
    out_path, err_path = tmp / "stdout.txt", tmp / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    with out_path.open("wb") as out, err_path.open("wb") as err:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "kuk_xlsx", *args],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=REPO,
                env=env,
                preexec_fn=_limit_memory,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"hung: kuk-xlsx {' '.join(args)} gave no answer in {timeout:g} s")
    return Run(
        done.returncode,
        out_path.read_text(encoding="utf-8"),
        err_path.read_text(encoding="utf-8"),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- a listener that XXE entities point at: it must never be called --------------------


class Listener:
    """A TCP listener on 127.0.0.1 counting connections (an entity URL points here)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> dict[str, Path]:
    """Every file of the catalogue, in a folder of its own (built once)."""
    root = tmp_path_factory.mktemp("hostile")
    return build_all(root / "bad", root / "work", f"http://127.0.0.1:{listener.port}/kuk")


def messages(report: object, lang: str) -> list[str]:
    """The plain messages a person reads for the file, in ``lang``."""
    if report.problem is not None:  # type: ignore[attr-defined]
        return [report.problem.message(lang)]  # type: ignore[attr-defined]
    return [part for f in report.findings for part in render(f, lang)]  # type: ignore[attr-defined]


def assert_plain(text: str) -> None:
    assert text.strip()
    assert "Traceback" not in text
    assert 'File "' not in text
    assert not PLACEHOLDER.search(text), text


def test_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 30
    assert len(BY_NAME) == len(CATALOGUE)


@pytest.mark.parametrize("name", [h.name for h in CATALOGUE])
def test_validate_gives_one_plain_status(
    name: str, hostile: dict[str, Path], listener: Listener, tmp_path: Path
) -> None:
    h: Hostile = BY_NAME[name]
    path = hostile[name]
    before, listing = sha256(path), sorted(os.listdir(path.parent))

    run = run_limited(["validate", str(path), "--format", "json", "--lang", "en"], tmp_path)

    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    doc = json.loads(run.stdout)
    assert doc["kuk_validate"] == 1
    (entry,) = doc["files"]
    assert entry["status"] == h.expect.status, (h.what, entry["problem"], entry["findings"][:3])
    assert run.code == EXIT[h.expect.status]
    codes = {f["code"] for f in entry["findings"]}
    if h.expect.problem:
        assert entry["problem"]["code"] == h.expect.problem
        assert codes == {"KUK-FILE-UNREADABLE"}
        assert_plain(entry["problem"]["message"])
    else:
        assert entry["problem"] is None
    if h.expect.finding:
        assert h.expect.finding in codes

    # In-process now that the run showed the file cannot take the process down.
    report = validate(path)
    assert report.status == h.expect.status
    if h.expect.limit:
        assert report.problem is not None and report.problem.limit == h.expect.limit
        if report.problem.maximum:  # the message names the limit
            assert str(report.problem.maximum) in entry["problem"]["message"]
    for lang in LANGS:
        for text in messages(report, lang) or ["(no findings)"]:
            assert_plain(text)
    if h.expect.note or h.expect.no_note or h.expect.check:
        plan = read_workbook(path)
        notes = {i.code for i in plan.interpretations}
        assert not h.expect.note or h.expect.note in notes, notes
        assert not h.expect.no_note or h.expect.no_note not in notes, notes
        if h.expect.check is not None:
            h.expect.check(plan)

    assert sha256(path) == before
    assert sorted(os.listdir(path.parent)) == listing
    assert listener.connections == 0


@pytest.mark.parametrize("name", [h.name for h in CATALOGUE])
def test_dump_gives_data_or_one_plain_message(
    name: str, hostile: dict[str, Path], listener: Listener, tmp_path: Path
) -> None:
    h = BY_NAME[name]
    path = hostile[name]
    before = sha256(path)

    run = run_limited(["dump", str(path), "--lang", "ru"], tmp_path)

    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    if h.expect.status == "UNREADABLE":
        assert run.code == 2
        assert run.stdout == ""
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith(f"{path}: ")
        assert_plain(line.split(": ", 1)[1])
    else:
        assert run.code == 0, run.stderr
        assert json.loads(run.stdout)["kuk_dump"] == 1
    assert sha256(path) == before
    assert listener.connections == 0


def test_a_folder_of_good_and_bad_files(hostile: dict[str, Path], tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for src in [*SAMPLES, *hostile.values()]:
        shutil.copy(src, inbox / src.name)
    expected = sorted(str(inbox / p.name) for p in [*SAMPLES, *hostile.values()])
    lock = inbox / f"~${SAMPLES[0].name}"  # what Excel leaves while the file is open
    lock.write_bytes(b"\x0bTrainer Name" + b" " * 40 + b"\x00" * 100)
    (inbox / ".hidden.xlsx").write_bytes(b"")
    before = {p.name: sha256(p) for p in inbox.iterdir()}

    text = run_limited(["validate", str(inbox), "--lang", "ru"], tmp_path / "t", timeout=5 * HANG)
    doc_run = run_limited(
        ["validate", str(inbox), "--format", "json"], tmp_path / "j", timeout=5 * HANG
    )

    for run in (text, doc_run):
        assert run.code == 2
        assert "Traceback" not in run.stdout + run.stderr
        assert str(lock) in run.stderr and str(inbox / ".hidden.xlsx") in run.stderr
    status_lines = [
        line for line in text.stdout.splitlines() if line.split(" ", 1)[0] in EXIT and "/" in line
    ]
    assert len(status_lines) == len(expected)
    for path in expected:
        assert sum(f" {path}" in line for line in status_lines) == 1, path
    entries = json.loads(doc_run.stdout)["files"]
    assert sorted(e["file"] for e in entries) == expected
    by_file = {Path(e["file"]).name: e["status"] for e in entries}
    for h in CATALOGUE:
        assert by_file[h.name] == h.expect.status
    for sample in SAMPLES:
        assert by_file[sample.name] in ("OK", "WARNINGS")
    assert {p.name: sha256(p) for p in inbox.iterdir()} == before


@pytest.mark.parametrize(
    "name",
    [
        "far_cell.xlsx",
        "far_format.xlsx",
        "styled_300k.xlsx",
        "many_formats.xlsx",  # openpyxl would make (and write back) 130,000 formats
        "texts_renamed.xlsx",  # ... and 200,000 texts found through [Content_Types].xml
    ],
)
def test_feedback_copies_of_what_openpyxl_would_build_whole(
    name: str, hostile: dict[str, Path], tmp_path: Path
) -> None:
    """Our reader clips these files, and the package writer copies them part for part
    without building their grid (openpyxl would build every cell up to XFD1048576):
    each gets its copy under the same memory limit, and the copy reads as the original."""
    from kuk_xlsx.checks.engine import validate

    path = hostile[name]
    before = sha256(path)
    out = tmp_path / "feedback"
    run = run_limited(["validate", str(path), "--feedback", str(out), "--lang", "en"], tmp_path)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.code in (0, 1), run.stderr
    copy = out / name
    assert copy.exists() and sha256(path) == before
    was, now = validate(path), validate(copy)
    assert now.status == was.status
    assert [(f.code, f.cell) for f in now.findings] == [(f.code, f.cell) for f in was.findings]


def test_a_far_cell_copy_openpyxl_must_write_is_refused(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """A file only openpyxl's writer can copy (here: it says it has macros) is still
    refused with a plain message when openpyxl would build it whole; the batch goes on."""
    src = hostile["far_cell.xlsx"]
    path = tmp_path / "far_cell.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
                ).replace(
                    b"vnd.openxmlformats-officedocument.sheet.macro", b"vnd.ms-excel.sheet.macro"
                )
            zout.writestr(info, data)
    out = tmp_path / "feedback"
    run = run_limited(["validate", str(path), "--feedback", str(out), "--lang", "en"], tmp_path)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.code == 2  # a copy that could not be written is not "all well"
    assert "too large" in run.stderr
    assert not list(out.glob("*.xlsx")) if out.exists() else True


def test_pipes_and_devices_are_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    run = run_limited(["validate", str(pipe), "--lang", "en"], tmp_path / "v")
    assert run.code == 2 and "not a regular file" in run.stderr
    run = run_limited(["dump", str(pipe), "--lang", "en"], tmp_path / "d")
    assert run.code == 2
    assert "Traceback" not in run.stderr


def test_a_good_sample_runs_under_the_same_limit(tmp_path: Path) -> None:
    run = run_limited(["validate", str(SAMPLES[0]), "--format", "json"], tmp_path)
    assert run.code in (0, 1)
    assert "Traceback" not in run.stdout + run.stderr
    assert json.loads(run.stdout)["kuk_validate"] == 1


# --- the preflight's own pieces ----------------------------------------------------------


def test_limits_are_configurable_and_named_in_every_language(hostile: dict[str, Path]) -> None:
    data = (REPO / "samples" / "ayel_densauly_project_ru.xlsx").read_bytes()
    with pytest.raises(ReadError) as err:
        check_package(data, "x.xlsx", Limits(max_entries=5))
    problem = err.value.problem
    assert (problem.code, problem.limit, problem.maximum) == ("too-large", "max_entries", 5)
    assert "limit 5" in problem.message("en")
    assert "предел 5" in problem.message("ru")
    assert "шегі 5" in problem.message("kk")
    with pytest.raises(ReadError) as err:
        check_package(data, "x.xlsx", Limits(max_part_bytes=10_000))
    assert err.value.problem.limit == "max_part_bytes"
    with pytest.raises(ReadError) as err:
        check_package(data, "x.xlsx", Limits(max_file_bytes=1_000))
    assert err.value.problem.limit == "max_file_bytes"
    check_package(data, "x.xlsx", LIMITS)  # the defaults take a real workbook


def test_messages_without_detail_read_cleanly() -> None:
    for code in ("too-large", "unsafe-xml", "not-workbook", "damaged"):
        for lang in LANGS:
            text = FileProblem(code, "x.xlsx").message(lang)
            assert_plain(text)
            assert "()" not in text


@pytest.mark.parametrize(
    ("row", "readable", "clipped"),
    [
        (b'<row r="5"><c r="BZ5"><v>1</v></c></row>', True, False),
        (b'<row r="10000"><c r="A10000"><v>1</v></c></row>', True, False),
        (b'<row r="10001"><c r="A10001"><v>1</v></c></row>', True, True),
        (b'<row r="5"><c r="CA5"><v>1</v></c></row>', True, True),
        (b'<row r="5"><c r="XFD5" s="1"/></row>', True, True),
        (b'<row r="5"><c r="xfd5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r = "XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c s="1" r="XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><x:c r="XFD5"><x:v>1</x:v></x:c></row>', False, False),
        (b'<row r="5"><c r="A5"><v>1</v></c><c><v>2</v></c></row>', True, False),
        (b'<row r="99999999999"><c><v>1</v></c></row>', False, False),
        (b'<row r="0"><c><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="B"><v>1</v></c></row>', False, False),
        # a second r: python-calamine places the cell by the last one
        (b'<row r="5"><c r="A5" r="XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="A5" s="1"r="XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="A5"\tr="XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="A5" r ="XFD5"><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="A5" r=\'XFD5\'><v>1</v></c></row>', False, False),
        (b'<row r="5"><c r="A5" r="C5"><v>1</v></c></row>', True, False),
        (b'<row r="5"><c r="A5" x:r="CA5"><v>1</v></c></row>', False, False),
    ],
)
@pytest.mark.parametrize("rows", [True, False])
def test_sheet_scan(row: bytes, readable: bool, clipped: bool, rows: bool) -> None:
    sheet = b'<?xml version="1.0"?><worksheet><sheetData>' + row + b"</sheetData></worksheet>"
    scan, out = scan_sheet(sheet, "s.xml", rows=rows)
    assert (scan.readable, scan.clipped) == (readable, clipped)
    if readable:
        assert scan.rows <= LIMITS.max_rows and scan.cols <= LIMITS.max_cols
        again, _ = scan_sheet(out, "s.xml", rows=rows)
        assert again.readable and not again.clipped


def test_sheet_scan_for_a_reader_placing_cells_by_their_own_r() -> None:
    """A far empty row places nothing when every cell has its own plain ``r``: the
    cell reader's view keeps the sheet whole; a reader building every row is refused it.
    A cell without ``r`` takes its row's: then the far row counts again."""
    head = b'<?xml version="1.0"?><worksheet><sheetData><row r="5"><c r="A5"><v>1</v></c></row>'
    far_row = head + b'<row r="1048576" ht="20" customHeight="1"/></sheetData></worksheet>'
    scan, out = scan_sheet(far_row, "s.xml", rows=False)
    assert (scan.readable, scan.clipped, out) == (True, False, far_row)
    scan, out = scan_sheet(far_row, "s.xml")
    assert scan.clipped and b"1048576" not in out
    placed = head + b'<row r="1048576"><c><v>2</v></c></row></sheetData></worksheet>'
    scan, _ = scan_sheet(placed, "s.xml", rows=False)
    assert not scan.readable


DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


@pytest.mark.parametrize(
    ("head", "safe"),
    [
        (DECL + b"\r\n<worksheet>", True),  # Excel
        (DECL + b"\n<worksheet>", True),  # xlsxwriter, openpyxl
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst>', True),  # LibreOffice
        (b'<?xml version="1.0" encoding="utf-8"?><sst>', True),
        (b"<worksheet>", True),
        (DECL + b"\n<!DOCTYPE worksheet>\n<worksheet>", False),
        (DECL + b"<!ENTITY x 'y'><worksheet>", False),
        (DECL + b"\n\n<!DOCTYPE worksheet><worksheet>", False),
        (DECL + b"\r\n <!DOCTYPE worksheet><worksheet>", False),
        (DECL + b"<!-- c --><!DOCTYPE worksheet><worksheet>", False),
        (DECL + b"<?pi x?><!DOCTYPE worksheet><worksheet>", False),
        (b"\xef\xbb\xbf" + DECL + b"<!DOCTYPE worksheet><worksheet>", False),
        (DECL.replace(b"UTF-8", b"UTF-16") + b"<worksheet>", False),
        ('<?xml version="1.0"?><!DOCTYPE w><w/>'.encode("utf-16"), False),
        (b"<!DOCTYPE worksheet><worksheet>", False),
    ],
)
def test_xml_prolog_check(head: bytes, safe: bool) -> None:
    """The quick match for the usual prolog never passes what the full check refuses."""
    assert _prolog(head, 4096) is safe
    for whole in (False, True):  # (a head, or a whole part: then searched for DTDs too)
        if safe:
            check_xml(head, "p.xml", "f.xlsx", whole=whole)
        else:
            with pytest.raises(ReadError):
                check_xml(head, "p.xml", "f.xlsx", whole=whole)


def test_defusedxml_is_active() -> None:
    require_defusedxml()


def test_defusedxml_check_refuses_an_unprotected_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    import xml.etree.ElementTree as ET

    import openpyxl.xml
    import openpyxl.xml.functions

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(SetupError, match="defusedxml"):
        require_defusedxml()
    monkeypatch.undo()
    monkeypatch.setattr(openpyxl.xml.functions, "iterparse", ET.iterparse)
    with pytest.raises(SetupError, match="defusedxml"):
        require_defusedxml()


def test_defusedxml_switched_off_by_the_environment_is_refused() -> None:
    code = "from kuk_xlsx.outputs.feedback.guard import require_defusedxml; require_defusedxml()"
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert done.returncode != 0
    assert "SetupError" in done.stderr and "defusedxml" in done.stderr


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=40), max_size=8),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("read"), st.integers(-1, 50)),
            st.tuples(st.just("seek"), st.integers(-5, 200), st.integers(0, 2)),
        ),
        max_size=12,
    ),
)
def test_chunk_reader_reads_what_the_joined_bytes_hold(
    chunks: list[bytes], steps: list[tuple[int, ...]]
) -> None:
    """The view is handed to python-calamine in pieces: every read gives the next
    bytes of the joined zip (at most as many as asked, fewer only at a piece's end),
    seeks land where BytesIO's do, and reading on to the end gives the rest."""
    import io

    from kuk_xlsx.package.view import ChunkReader

    joined = b"".join(chunks)
    ours, theirs = ChunkReader(chunks), io.BytesIO(joined)
    for step in steps:
        if step[0] == "seek":
            offset, whence = step[1], step[2]
            if whence == 0 and offset < 0:
                continue  # (BytesIO refuses it)
            assert ours.seek(offset, whence) == min(theirs.seek(offset, whence), len(joined))
            theirs.seek(min(theirs.tell(), len(joined)))
        else:
            n = step[1]
            got = ours.read(n)
            assert got == theirs.read(len(got) if n >= 0 else -1)
            assert n < 0 or len(got) <= n
            assert got or n == 0 or ours.tell() == len(joined)
        assert ours.tell() == theirs.tell()
    rest = []
    while piece := ours.read(7):
        rest.append(piece)
    assert b"".join(rest) == theirs.read()


def test_parts_are_inflated_as_zipfile_reads_them() -> None:
    """The checked package inflates parts straight from the buffer: for every part of
    every sample, the same bytes zipfile reads."""
    import io
    import zipfile

    for path in SAMPLES:
        data = path.read_bytes()
        pkg = check_package(data, path.name)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                assert pkg.read_raw(info.filename) == zf.read(info.filename), (path, info)


def test_a_part_that_inflates_past_its_declared_size_is_damaged() -> None:
    """A directory that understates a part's size (a zip bomb's trick) gets "damaged",
    never the extra bytes."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/big.xml", b"<a>" + b" " * 100_000 + b"</a>")
    data = bytearray(buf.getvalue())
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (1000).to_bytes(4, "little")  # declared size: 1,000 bytes
    pkg = zipfile.ZipFile(io.BytesIO(bytes(data)))
    from kuk_xlsx.package.container import CheckedPackage

    checked = CheckedPackage(pkg.NameToInfo, {}, "bomb.xlsx", bytes(data))
    with pytest.raises(ReadError) as info:
        checked.read_raw("xl/big.xml")
    assert info.value.problem.code == "damaged"
