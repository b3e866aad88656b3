"""The trainer's seat: any console encoding, nothing overwritten, every line safe to print.

Each test runs the command as a trainer would (a subprocess, output redirected to
a file where it matters) and reads what it printed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.commands import cli
from kuk_xlsx.spec.template import load_template

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
KK = SAMPLES / "senin_kz_strategy_kk.xlsx"
RU = SAMPLES / "ayel_densauly_project_ru.xlsx"


def run(*args: str, encoding: str = "utf-8", cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run ``kuk-xlsx ARGS`` with stdout and stderr redirected; return (code, out, err)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(REPO)}
    env.pop("KUK_XLSX_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "kuk_xlsx", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("encoding", ["cp1251", "cp866", "ascii"])
@pytest.mark.parametrize(
    "args",
    [
        ("validate", str(KK)),
        ("validate", str(RU), "--lang", "ru"),
        ("validate", str(KK), "--format", "json"),
        ("summary", str(RU), "--lang", "ru"),
        ("dump", str(KK), "--format", "text"),
        ("diff", str(KK), str(RU)),
    ],
    ids=["validate-kk", "validate-ru", "validate-json", "summary-ru", "dump-text", "diff"],
)
def test_a_redirect_in_a_windows_code_page_never_crashes(
    args: tuple[str, ...], encoding: str
) -> None:
    code, out, err = run(*args, encoding=encoding)
    assert code in (0, 1), err.decode(encoding, "replace")
    assert b"Traceback" not in err and b"UnicodeEncodeError" not in err
    # what was written is in the console's own encoding (click takes a 7-bit ASCII
    # stream for a misconfigured one and writes UTF-8 there: nothing is lost)
    shown = out.decode("utf-8" if encoding == "ascii" else encoding)
    assert len(shown.splitlines()) >= 2
    if "--format" in args and "json" in args:
        doc = json.loads(shown)  # \u escapes where the code page lacks a letter
        assert doc["files"][0]["organisation"]


def test_a_roster_is_written_in_full_under_cp866(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    names = ["«Сенің KZ»", "Әйел денсаулығы", "Jas Maman", "Үміт", "Қамқор — Ұлы дала"]
    rows = [f"KZ-{i};{n}" for i, n in enumerate(names, 1)]
    roster.write_text("ID;Ұйымның атауы\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    code, out, err = run(
        "new", "--roster", str(roster), "--out-dir", str(tmp_path / "o"), encoding="cp866"
    )
    assert code == 0, err.decode("cp866", "replace")
    assert len(list((tmp_path / "o").glob("*.xlsx"))) == 5
    assert len(out.splitlines()) == 5


def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path: Path) -> None:
    evil = tmp_path / "ngo\x1b]0;owned\x07\x1b[2J\u202egpj.xlsx"
    shutil.copy(KK, evil)
    for args in (
        ("validate", str(evil)),
        ("summary", str(evil)),
        ("dump", str(evil), "--format", "text"),
    ):
        code, out, err = run(*args)
        assert code in (0, 1), err
        for stream in (out, err):
            said = stream.decode("utf-8")
            assert "\x1b" not in said and "\x07" not in said and "\u202e" not in said, args
        assert "\\x1b]0;owned\\x07" in out.decode("utf-8") + err.decode("utf-8"), args


def test_json_output_escapes_terminal_controls_and_stays_valid(tmp_path: Path) -> None:
    evil = tmp_path / "a\x1b[31m\u2028b.xlsx"
    shutil.copy(KK, evil)
    _, out, _ = run("validate", str(evil), "--format", "json")
    said = out.decode("utf-8")
    assert "\x1b" not in said and "\u2028" not in said
    assert json.loads(said)["files"][0]["file"] == str(evil)


def test_summary_markdown_never_turns_ngo_text_into_links_or_table_cells(tmp_path: Path) -> None:
    name = "[click me](http://evil.example) | <b>x</b>"
    path = build_workbook(tmp_path / "md.xlsx", org=Organisation(id="1", name=name))
    result = CliRunner().invoke(cli, ["summary", str(path), "--format", "md"])
    heading = result.output.splitlines()[0]
    assert "](http" not in heading and "<b>" not in heading and " | " not in heading
    assert heading.startswith("## \\[click me\\]\\(http\\:")


def test_an_existing_workbook_is_never_replaced_without_force(tmp_path: Path) -> None:
    mine = tmp_path / "mine.xlsx"
    shutil.copy(KK, mine)
    before = mine.read_bytes()
    result = CliRunner().invoke(cli, ["new", "-o", str(mine), "--lang", "ru"])
    assert result.exit_code == 2
    assert text("cli.new.exists", "ru", path=mine) in " ".join(result.output.split())
    assert mine.read_bytes() == before
    forced = CliRunner().invoke(cli, ["new", "-o", str(mine), "--force"])
    assert forced.exit_code == 0 and mine.read_bytes() != before


def test_a_roster_folder_keeps_a_returned_file_that_is_already_there(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("ID,Ұйымның атауы\nKZ-1,Бірінші\nKZ-2,Екінші\n", encoding="utf-8")
    out = tmp_path / "o"
    first = CliRunner().invoke(cli, ["new", "--roster", str(roster), "--out-dir", str(out)])
    assert first.exit_code == 0, first.output
    returned = out / "KZ-1_Бірінші.xlsx"
    shutil.copy(KK, returned)  # the NGO's filled file, saved back into the folder
    again = CliRunner().invoke(cli, ["new", "--roster", str(roster), "--out-dir", str(out)])
    assert again.exit_code == 0, again.output
    assert returned.read_bytes() == KK.read_bytes()
    assert text("cli.new.skipped", "kk", n=2) in again.output  # (KZ-2 was there too)


def test_a_name_without_extension_gets_xlsx_and_out_dir_alone_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "-o", str(tmp_path / "My plan")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "My plan.xlsx").is_file() and not (tmp_path / "My plan").exists()
    alone = CliRunner().invoke(cli, ["new", "--out-dir", str(tmp_path / "x"), "--lang", "ru"])
    assert alone.exit_code == 2
    assert text("cli.new.out_dir_alone", "ru") in " ".join(alone.output.split())


def test_cohort_of_a_path_that_does_not_exist_fails_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "cohort.xlsx"
    code, _, err = run("cohort", str(tmp_path / "nope"), "-o", str(out), "--lang", "ru")
    assert code == 2
    assert text("cli.cohort.nothing", "ru") in err.decode("utf-8")
    assert not out.exists()


def test_cohort_names_the_ngos_that_did_not_return_a_file(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("ID,Name\nKZ-9,Жібермеген қор\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(KK, folder / KK.name)
    result = CliRunner().invoke(
        cli, ["cohort", str(folder), "--roster", str(roster), "-o", str(tmp_path / "c.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert text("cli.cohort.missing_ngo", "kk", name="Жібермеген қор") in result.output


def test_diff_speaks_in_labels_and_warns_about_two_different_ngos() -> None:
    result = CliRunner().invoke(cli, ["diff", str(KK), str(RU), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "{'" not in result.output and "'}" not in result.output
    assert "Внимание: похоже, это файлы разных организаций" in result.output
    assert "строка" in result.output and "→" in result.output
    # a block of fields is named by its step's title, never by its key ("org:")
    tpl = load_template()
    keys = {f"{b.key}:" for st in tpl.steps for b in st.blocks}
    assert not [w for w in result.output.split() if w in keys]


def test_help_follows_the_environment_language() -> None:
    env = {"KUK_XLSX_LANG": "ru"}
    result = CliRunner().invoke(cli, ["validate", "--help"], env=env)
    assert result.output.startswith(text("cli.help.usage", "ru"))
    assert text("cli.opt.validate.cap", "ru")[:30] in " ".join(result.output.split())


def test_an_unexpected_error_is_one_line_in_the_users_language(tmp_path: Path) -> None:
    """One line in Russian; the traceback goes to a new private log file, never through
    a symlink planted at the old fixed name (#16 item 11)."""
    planted = tmp_path / "kuk-xlsx-error.log"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted.symlink_to(victim)
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp_path)}
    code = (
        "import kuk_xlsx.cli.check as c\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "import kuk_xlsx.checks.engine as e; e.validate = boom\n"
        "import sys; sys.argv = ['kuk-xlsx', 'validate', sys.argv[1], '--lang', 'ru']\n"
        "from kuk_xlsx.cli.commands import main; main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(KK)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert "непредвиденная ошибка (RuntimeError: boom)" in done.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    (log,) = [p for p in tmp_path.glob("kuk-xlsx-error-*.log")]
    assert str(log) in done.stderr
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    if os.name == "posix":
        assert log.stat().st_mode & 0o077 == 0  # only the trainer can read it


def test_an_amount_too_large_for_a_number_breaks_no_output(tmp_path: Path) -> None:
    """1e308 x 10 overflows to infinity: no figure, never a crash or invalid JSON (#16)."""
    import openpyxl

    path = tmp_path / "huge.xlsx"
    wb = openpyxl.load_workbook(RU)
    ws = wb["14 Бюджет"]
    ws["D6"], ws["E6"] = 1e308, 10
    ws["D7"], ws["E7"] = 1e308, 1e308
    wb.save(path)
    code, out, err = run(
        "validate", str(path), "--format", "json", "--report", str(tmp_path / "r.xlsx")
    )
    assert code in (0, 1), err
    json.loads(out)  # (NaN and Infinity are not JSON)
    code, out, err = run("summary", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["figures"]["budget_total"] is None
    code, _, err = run(
        "cohort", str(path), "-o", str(tmp_path / "c.xlsx"), "--csv", str(tmp_path / "csv")
    )
    assert code == 0, err
    assert (tmp_path / "c.xlsx").is_file()


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("utf16.csv", None, None),  # Excel's "Unicode text": read, not refused
        ("huge_field.csv", "id,name\n1," + "x" * 200_000 + "\n", "roster.damaged"),
        ("damaged.xlsx", "PK\x03\x04 not really a zip", "roster.damaged"),
        (
            "many.csv",
            "id,name\n" + "".join(f"{i},ОФ {i}\n" for i in range(6000)),
            "roster.too_many",
        ),
    ],
    # the file name alone: a 200 KB id would go into PYTEST_CURRENT_TEST, which every
    # child process inherits, and one environment string over 128 KB fails exec (E2BIG)
    ids=["utf16.csv", "huge_field.csv", "damaged.xlsx", "many.csv"],
)
def test_a_roster_that_cannot_be_used_is_a_usage_error_not_a_crash(
    tmp_path: Path, name: str, content: str | None, key: str | None
) -> None:
    from kuk_xlsx.roster import MAX_ROSTER_ROWS

    roster = tmp_path / name
    if content is None:
        roster.write_bytes("id\tname\n1\tОФ «Сенім»\n2\tҚоғамдық қор\n".encode("utf-16"))
    else:
        roster.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code, _stdout, stderr = run(
        "new", "--roster", str(roster), "--out-dir", str(out), "--lang", "ru"
    )
    said = stderr.decode("utf-8")
    assert "Traceback" not in said
    if key is None:
        assert code == 0, said
        assert len(list(out.glob("*.xlsx"))) == 2
        assert any("Сенім" in p.name for p in out.glob("*.xlsx"))
        return
    assert code == 2, said
    fields = {"rows": 6000, "limit": MAX_ROSTER_ROWS}
    assert text(key, "ru", **fields) in said
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["demo"], "cli.error.missing"),
        (["nope"], "cli.error.no_command"),
        (["validate", "--bogus", "x"], "cli.error.no_option"),
        (["new", "--level", "x"], "cli.error.bad_choice"),
    ],
)
def test_clicks_own_usage_errors_are_said_in_the_users_language(
    tmp_path: Path, lang: str, args: list[str], key: str
) -> None:
    """A mistyped command gets exit 2 and a line in the trainer's language (click's
    own "Missing argument", "No such option", "Try ... for help" are never shown)."""
    code, _out, err = run(*args, "--lang", lang, cwd=tmp_path)
    said = err.decode("utf-8")
    assert code == 2, said
    first = text(key, lang, name="X", choices="X", detail="X").split("X")[0]
    assert said.startswith(first) if first else True, said
    assert text("cli.help.try", lang, command="kuk-xlsx").split(":")[0] in said
    for english in ("Missing argument", "No such", "Try '", "Error:", "Usage:", "Invalid value"):
        assert english not in said, said


def test_the_demo_roster_names_each_sample_ngo_by_its_own_id() -> None:
    """The demo cohort must not list a sample NGO twice (once "not submitted") because
    its roster id differs from the one in its file (#12)."""
    import tomllib

    from kuk_xlsx.cli.demo import EXAMPLE_ROSTER

    roster = {row[0]: row[1] for row in EXAMPLE_ROSTER}
    for data in sorted((REPO / "samples" / "data").glob("*.toml")):
        org = tomllib.loads(data.read_text(encoding="utf-8"))["org"]
        assert roster.get(org["id"]) == org["name"], (data.name, org["id"], org["name"])


def test_the_demo_cohort_lists_every_ngo_once(tmp_path: Path) -> None:
    import csv

    code, _out, err = run("demo", str(tmp_path / "d"), "--lang", "en", cwd=tmp_path)
    assert code == 0, err.decode()
    manifest = tmp_path / "d" / "cohort_csv" / "manifest.csv"
    rows = list(csv.DictReader(manifest.read_text(encoding="utf-8-sig").splitlines()))
    missing = [r["NGO"] for r in rows if r["Status"] == "missing"]
    assert missing == ["Мүгедек балалар қоғамы"]  # the one NGO that sent nothing
    included = [r["NGO"] for r in rows if r["Included"] == "yes"]
    assert len(included) == len(set(included)) == 3


def test_a_file_name_that_is_not_utf8_gets_its_status_and_every_output(tmp_path: Path) -> None:
    """Issue 16, item 8: a name with a byte that is not UTF-8 (an archive unpacked on
    Linux from a Windows zip).  Every output is written, the byte shown as U+FFFD;
    nothing exits 3."""
    import sqlite3

    inbox = tmp_path / "in"
    inbox.mkdir()
    try:
        bad = inbox / os.fsdecode(b"bad\xffname.xlsx")
        shutil.copy(KK, bad)
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    before = bad.read_bytes()
    code, out, err = run("validate", str(inbox), "--format", "json")
    assert code == 0, err
    doc = json.loads(out.decode("utf-8"))  # strict UTF-8: no raw 0xFF byte
    assert doc["files"][0]["status"] == "OK"
    report = tmp_path / "report.xlsx"
    code, _, err = run("validate", str(inbox), "--report", str(report), "--lang", "ru")
    assert code == 0, err
    assert report.exists()
    code, _, err = run(
        "cohort", str(inbox), "-o", str(tmp_path / "c.xlsx"), "--csv", str(tmp_path / "csv"),
        "--db", str(tmp_path / "db.sqlite"), "--lang", "ru",
    )  # fmt: skip
    assert code == 0, err
    assert "bad\ufffdname.xlsx" in (tmp_path / "csv/manifest.csv").read_text(encoding="utf-8-sig")
    with sqlite3.connect(tmp_path / "db.sqlite") as con:
        (shown,) = con.execute("SELECT file FROM submissions").fetchone()
    assert "\ufffd" in shown
    assert bad.read_bytes() == before


# Latin words a kk or ru reader may rightly meet: what they type (commands, options,
# choice values, file names), codes and statuses the README documents, and names.
DOCUMENTED = {
    "kuk", "xlsx", "xlsm", "csv", "CSV", "XLSX", "UTF", "BOM", "SQLite", "JSON", "Excel",
    "LibreOffice", "KUK_XLSX_LANG", "OK", "WARNINGS", "ERRORS", "UNREADABLE", "KZ", "ID",
    "M&E", "PEST", "SWOT", "SMART", "S", "W", "O", "T", "od", "training", "md",
}  # fmt: skip


def _latin_words(output: str, allowed: set[str]) -> set[str]:
    import re

    cleaned = re.sub(r"(?<![\w-])--?[\w-]+", " ", output)  # options as typed
    cleaned = re.sub(r"\[[\w|]+\]", " ", cleaned)  # choices: [text|json]
    cleaned = re.sub(r"\S*[/\\]\S*|\S+\.(?:xlsx|xlsm|csv|log|pdf)\b", " ", cleaned)  # paths
    cleaned = re.sub(r"\bKUK-[A-Z0-9-]+", " ", cleaned)  # rule codes
    cleaned = re.sub(r"\b[A-Z]{1,3}[0-9]+\b", " ", cleaned)  # cells: B9
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]*", cleaned) if w not in allowed}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_word_in_help_or_output(lang: str, tmp_path: Path) -> None:
    """Issue 12, item 2: every command's help and a trainer's day of output in kk and
    ru, with no Latin-letter word beyond what is typed, a code or a documented term."""
    commands = sorted(cli.commands)
    choices = {
        str(c)
        for cmd in cli.commands.values()
        for p in cmd.params
        if isinstance(p.type, click.Choice)
        for c in p.type.choices
    }
    tpl = load_template()  # --modules takes module and step keys
    keys = {s.module for s in tpl.steps} | {s.key for s in tpl.steps}
    allowed = DOCUMENTED | set(commands) | choices | keys | {"kk", "ru", "en", "Jas", "Maman"}
    allowed |= {"Public", "Foundation"}  # (a sample NGO's own English name)
    outputs = [run("--help", "--lang", lang)[1]] + [
        run(c, "--help", "--lang", lang)[1] for c in commands
    ]
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    outputs += [
        run("validate", str(KK), str(RU), str(tmp_path / "bad.xlsx"), "--lang", lang)[1],
        run("summary", str(RU), "--lang", lang)[1],
        run("diff", str(KK), str(SAMPLES / "senin_kz_strategy_kk_libreoffice.xlsx"),
            "--lang", lang)[1],
        b"".join(run("new", "-o", str(tmp_path / "x.xlsx"), "--lang", lang)[1:]),
        b"".join(run("cohort", str(SAMPLES), "-o", str(tmp_path / "c.xlsx"), "--lang", lang)[1:]),
        b"".join(run("migrate", str(SAMPLES), str(tmp_path / "bad.xlsx"), "--out-dir",
                     str(tmp_path / "m"), "--lang", lang)[1:]),
    ]  # fmt: skip
    found = _latin_words(b"\n".join(outputs).decode("utf-8"), allowed)
    assert not found, sorted(found)


def test_validate_with_jobs_says_and_writes_what_one_process_does(tmp_path: Path) -> None:
    """Issue 17, item 2: ``validate --jobs 2`` prints the same lines, in the same order,
    and writes the same feedback copies as one process."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i, src in enumerate([KK, RU, KK, RU]):
        shutil.copy(src, inbox / f"{i}_{src.name}")
    (inbox / "bad.xlsx").write_bytes(b"not a workbook")
    said = {}
    for jobs in ("1", "2"):
        fb = tmp_path / f"fb{jobs}"
        code, out, err = run("validate", str(inbox), "--feedback", str(fb), "--jobs", jobs,
                             "--lang", "ru")  # fmt: skip
        assert code == 2, err  # the bad file
        said[jobs] = (out, err.replace(str(fb).encode(), b"FB"))
        assert sorted(p.name for p in fb.iterdir()) == sorted(
            p.name for p in inbox.iterdir() if p.name != "bad.xlsx"
        )
    assert said["1"] == said["2"]


@pytest.mark.parametrize("encoding", ["cp1251", "cp866", "ascii"])
def test_the_writing_commands_and_help_never_crash_in_a_windows_code_page(
    encoding: str, tmp_path: Path
) -> None:
    """Issue 12, item 1, for the commands that write files, and every help, in kk:
    stdout and stderr are pipes in the console's code page."""
    db = tmp_path / "r.sqlite"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nKZ-1,Үміт қоғамдық қоры\nKZ-2,Жігер — әйелдер ұйымы\n", "utf-8")
    runs = [
        ("--help",),
        *((c, "--help") for c in sorted(cli.commands)),
        ("new", "-o", str(tmp_path / "x.xlsx")),
        ("new", "--roster", str(roster), "--out-dir", str(tmp_path / "books")),
        ("cohort", str(SAMPLES), "-o", str(tmp_path / "c.xlsx"), "--db", str(db), "--round", "1"),
        ("cohort", str(SAMPLES), "-o", str(tmp_path / "c2.xlsx"), "--db", str(db), "--round", "2"),
        ("compare", str(db), "1", "2"),
        ("demo", str(tmp_path / "demo")),
        ("migrate", str(KK), "-o", str(tmp_path / "migrated.xlsx")),
        ("migrate", str(SAMPLES), "--out-dir", str(tmp_path / "migrated")),
    ]  # fmt: skip
    for args in runs:
        code, out, err = run(*args, "--lang", "kk", encoding=encoding)
        assert code in (0, 1, 2), (args, err.decode(encoding, "replace"))
        assert b"Traceback" not in err and b"UnicodeEncodeError" not in err, args
        assert out or err, args  # something was said
