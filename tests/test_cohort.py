"""Summaries, cohorts, rounds and diffs: what trainers and programme managers see."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.catalogue import text
from kuk_xlsx.checks.engine import validate
from kuk_xlsx.cli.commands import cli
from kuk_xlsx.cohort.collect import Cohort, process_file, run
from kuk_xlsx.cohort.copies import find_copies, sketch_text
from kuk_xlsx.cohort.output import inert_csv, write_cohort_csv, write_cohort_xlsx
from kuk_xlsx.cohort.rows import T, overview_rows
from kuk_xlsx.cohort.store import append_round, compare_rounds
from kuk_xlsx.diff import diff_plans, unchanged
from kuk_xlsx.read.reader import read_workbook
from kuk_xlsx.summary import summarise, summary_lines

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LONG = (
    "Біздің ұйым Алматы қаласындағы 14-22 жастағы жасөспірімдерге психологиялық көмек көрсетіп, "
    "олардың өмірлік дағдыларын дамытуға арналған тренингтер өткізеді және отбасыларымен жұмыс істейді"
)


def ngo(
    tmp: Path,
    name: str,
    oid: str,
    *,
    filled: date | None = None,
    mission: str = LONG,
    budget: list[dict[str, Any]] | None = None,
    file: str | None = None,
    lang: str = "kk",
) -> Path:
    data: dict[str, Any] = {
        "profile": {"org": {"region": "Алматы", "contact_person": "Айгүл", "date": filled}},
        "mission": {
            "statement": {
                "vision": "Әр жас өз мәселесін шеше алады",
                "mission": mission,
                "values": "Ашықтық",
                "main_directions": "Оқыту",
            }
        },
    }
    if budget:
        data["budget"] = {"items": budget}
    return build_workbook(
        tmp / (file or f"{oid}.xlsx"), lang=lang, org=Organisation(id=oid, name=name), data=data
    )


def test_summary_of_a_sample_has_completion_counts_and_figures() -> None:
    s = summarise(validate(SAMPLES / "ayel_densauly_project_ru.xlsx"))
    assert s["status"] == "OK"
    assert s["completion"]["budget"] == 1.0 and s["completion_overall"] == 1.0
    assert s["figures"]["me_in_band"] is True
    assert 0.05 <= s["figures"]["me_share"] <= 0.10
    assert s["figures"]["funding_sources"] >= 3
    assert s["counts"]["logframe_cells"] == 16
    blank = summarise(
        validate(SAMPLES.parent / "workbook_templates" / "blank" / "kuk_workbook_kk.xlsx")
    )
    assert blank["completion"]["goals"] == 0.0 and blank["status"] == "ERRORS"


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_summary_command(fmt: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["summary", str(SAMPLES / "senin_kz_strategy_kk.xlsx"), "--format", fmt, "--lang", "ru"],
    )
    assert result.exit_code == 0, result.output
    assert "«Сенің KZ»" in result.output


def test_matching_latest_wins_duplicates_and_missing(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    old = ngo(src, "ОФ Альфа", "A1", filled=date(2026, 10, 1), file="alpha_v1.xlsx")
    new = ngo(
        src,
        "ОФ Альфа",
        "A1",
        filled=date(2026, 11, 1),
        file="alpha_v2.xlsx",
        mission=LONG + " жаңа",
    )
    os.utime(
        old, (2_000_000_000, 2_000_000_000)
    )  # newer file time, older date inside: the date wins
    dup = src / "alpha_v2 (1).xlsx"
    dup.write_bytes(new.read_bytes())
    by_name = ngo(src, "ОФ Бета", "", file="beta.xlsx")
    (src / "junk.xlsx").write_bytes(b"not a workbook")
    other = openpyxl.Workbook()
    other.active["A1"] = "budget 2027"
    other.save(src / "other.xlsx")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nA1,ОФ Альфа\nB2,ОФ Бета\nC3,ОФ Гамма\n", encoding="utf-8")
    from kuk_xlsx.roster import read_roster

    cohort = run(sorted(src.iterdir()), Cohort(roster=read_roster(roster)))
    by_file = {Path(r.path).name: r for r in cohort.records}
    twins = [by_file["alpha_v2.xlsx"], by_file["alpha_v2 (1).xlsx"]]  # identical bytes
    assert sorted(t.reason for t in twins) == ["", "duplicate"]
    assert sum(t.included for t in twins) == 1
    assert by_file["alpha_v1.xlsx"].reason == "older"
    assert by_file["beta.xlsx"].included and by_file["beta.xlsx"].org_id == "B2"  # matched by name
    assert by_file["junk.xlsx"].reason == "unreadable"
    assert by_file["other.xlsx"].reason == "not-template"
    assert [e.org.id for e in cohort.missing] == ["C3"]
    assert by_name.exists()
    out = write_cohort_xlsx(tmp_path / "cohort.xlsx", cohort, "en")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Overview", "Manifest", "Rules", "Copies", "Charts", "Items"]
    manifest = [[c.value for c in row] for row in wb["Manifest"].iter_rows(min_row=2)]
    assert len(manifest) == 7  # six files and one missing organisation
    assert sum(1 for r in manifest if r[3] == "yes") == 2
    overview = [[c.value for c in row] for row in wb["Overview"].iter_rows(min_row=2)]
    assert [r[0] for r in overview] == ["ОФ Альфа", "ОФ Бета", "ОФ Гамма"]
    assert overview[2][4] == "missing"
    cohort.close()


def test_cohort_workbook_has_heat_map_rules_and_native_charts(tmp_path: Path) -> None:
    files = [
        ngo(
            tmp_path,
            f"ОФ {i}",
            f"N{i}",
            budget=[
                {"category": "staff", "item": "Жалақы", "quantity": 10, "unit_cost": 100_000},
                {"category": "me", "item": "БмБ", "quantity": 1, "unit_cost": 1000 * (i + 1) ** 3},
            ],
        )
        for i in range(4)
    ]
    cohort = run(files, Cohort())
    out = write_cohort_xlsx(tmp_path / "cohort.xlsx", cohort, "ru")
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        overview_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert len(charts) == 4
    assert "colorScale" in overview_xml
    wb = openpyxl.load_workbook(out)
    rules = [[c.value for c in row] for row in wb["Правила"].iter_rows(min_row=2)]
    rates = [r[5] for r in rules]
    assert rates == sorted(rates)  # worst first
    assert ("KUK-BUDGET-ME-SHARE", 3) in [(r[0], r[3]) for r in rules]  # 3 of 4 outside 5-10%
    cohort.close()


def test_anonymise_removes_names_everywhere(tmp_path: Path) -> None:
    files = [
        ngo(tmp_path, "ОФ Тайна", "S1", file="ОФ Тайна.xlsx"),
        ngo(tmp_path, "ОФ Секрет", "S2"),
    ]
    cohort = run(files, Cohort(anonymise=True))
    xlsx = write_cohort_xlsx(tmp_path / "anon.xlsx", cohort, "kk")
    csvs = write_cohort_csv(tmp_path / "csv", cohort, "kk")
    texts = []
    with zipfile.ZipFile(xlsx) as zf:
        texts += [zf.read(n).decode("utf-8", "ignore") for n in zf.namelist() if n.endswith(".xml")]
    texts += [p.read_text(encoding="utf-8-sig") for p in csvs]
    blob = "\n".join(texts)
    # names, contacts and ids; free text the NGO wrote is not rewritten (README says so)
    for secret in ("Тайна", "Секрет", "Айгүл", "SECRET-ID"):
        assert secret not in blob, secret
    codes = {r.ngo for r in cohort.records}
    assert all(c.startswith("NGO-") for c in codes) and len(codes) == 2
    again = run(files, Cohort(anonymise=True))
    assert {r.ngo for r in again.records} == codes  # stable codes
    cohort.close()
    again.close()


def test_db_rounds_idempotent_and_compared(tmp_path: Path) -> None:
    a = ngo(tmp_path, "ОФ Альфа", "A1", file="a1.xlsx")
    db = tmp_path / "rounds.sqlite"
    c1 = run([a], Cohort())
    assert append_round(db, c1, "2026-09") == 1
    assert append_round(db, c1, "2026-09") == 0  # same files again: nothing new
    b = ngo(
        tmp_path,
        "ОФ Альфа",
        "A1",
        file="a2.xlsx",
        budget=[{"category": "me", "item": "БмБ", "quantity": 1, "unit_cost": 5}],
    )
    c2 = run([b], Cohort())
    append_round(db, c2, "2026-11")
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 2
        assert con.execute("SELECT COUNT(DISTINCT step) FROM completion").fetchone()[0] > 10
    (change,) = compare_rounds(db, "2026-09", "2026-11")
    assert change.ngo == "ОФ Альфа" and change.delta is not None and change.delta > 0
    with pytest.raises(KeyError):
        compare_rounds(db, "2026-09", "nope")
    result = CliRunner().invoke(cli, ["compare", str(db), "2026-09", "2026-11"])
    assert result.exit_code == 0 and "ОФ Альфа" in result.output
    c1.close()
    c2.close()


def test_copy_paste_detection(tmp_path: Path) -> None:
    near = LONG.replace("тренингтер", "семинарлар")
    files = [
        ngo(tmp_path, "ОФ 1", "1", mission=LONG),
        ngo(tmp_path, "ОФ 2", "2", mission=LONG),
        ngo(tmp_path, "ОФ 3", "3", mission=near),
        ngo(
            tmp_path,
            "ОФ 4",
            "4",
            mission="Мүлдем басқа мәтін: ауыл әйелдерінің құқықтарын қорғау, "
            "заң кеңестері, медиация және жергілікті билікпен диалог арқылы ауылдағы әйелдердің жағдайын жақсарту",
        ),
    ]
    cohort = run(files, Cohort())
    clusters = cohort.copies()
    assert len(clusters) == 1
    assert sorted({p[0] for p in clusters[0].places}) == ["ОФ 1", "ОФ 2", "ОФ 3"]
    assert all("!" in p[2] for p in clusters[0].places)  # sheet!cell
    cohort.close()


def test_copying_the_template_example_is_not_copy_paste(tmp_path: Path) -> None:
    from kuk_xlsx.spec.template import load_template

    example = load_template().step("mission").example.kk
    files = [
        ngo(tmp_path, "ОФ 1", "1", mission=example),
        ngo(tmp_path, "ОФ 2", "2", mission=example),
    ]
    cohort = run(files, Cohort())
    assert cohort.copies() == []
    cohort.close()


def test_long_text_columns_are_kept_per_template(tmp_path: Path) -> None:
    """process_file works out a template's long-text columns once; another template
    (here: the mission is plain text) gets its own, in whichever order they come."""
    import shutil

    from kuk_xlsx.spec.template import load_template, templates_root

    root = tmp_path / "tpl"
    shutil.copytree(templates_root() / "kuk_training", root / "kuk_training")
    mission = root / "kuk_training" / "steps" / "mission.toml"
    text = mission.read_text(encoding="utf-8")
    old = 'key = "mission"\ntype = "long_text"'
    assert old in text
    mission.write_text(text.replace(old, 'key = "mission"\ntype = "text"'), encoding="utf-8")
    other, default = load_template("kuk_training", root), load_template()
    path = str(ngo(tmp_path, "ОФ 1", "1"))

    def steps(tpl: Any) -> list[str]:
        return [t.step for t in process_file(path, tpl).texts]

    assert steps(default) == ["mission"]
    assert steps(other) == []
    assert steps(default) == ["mission"]
    assert steps(other) == []


def test_a_process_pool_judges_files_by_the_cohorts_own_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cohort --jobs 2`` with a custom template: the workers use that template, not
    the default one (there the mission is long text, here plain text, so no sketch)."""
    import shutil

    from kuk_xlsx.cohort import collect
    from kuk_xlsx.spec.template import load_template, templates_root

    root = tmp_path / "tpl"
    shutil.copytree(templates_root() / "kuk_training", root / "kuk_training")
    mission = root / "kuk_training" / "steps" / "mission.toml"
    text = mission.read_text(encoding="utf-8")
    mission.write_text(
        text.replace('key = "mission"\ntype = "long_text"', 'key = "mission"\ntype = "text"'),
        encoding="utf-8",
    )
    custom = load_template("kuk_training", root)
    files = [ngo(tmp_path, f"ОФ {i}", str(i)) for i in range(1, 4)]
    monkeypatch.setattr(collect, "POOL_MIN_FILES", 0)
    with Cohort(custom) as pooled, Cohort(custom) as alone:
        run(files, pooled, jobs=2)
        run(files, alone, jobs=1)
        assert [r.texts for r in pooled.records] == [[], [], []]
        assert [r.summary for r in pooled.records] == [r.summary for r in alone.records]


def test_copy_detection_stays_linear_on_a_large_cohort() -> None:
    """Thousands of texts sharing common words: buckets are capped, no all-pairs blow-up."""
    from kuk_xlsx.cohort.records import FileRecord, TextSketch

    records = []
    for i in range(3000):
        rec = FileRecord(f"f{i}.xlsx", str(i), 0.0, "OK", ngo=f"N{i}")
        text = f"{LONG} {i} {'x' * (i % 7)} вариант {i * 7919}"
        exact, sk = sketch_text(text, 80)  # type: ignore[misc]
        rec.texts = [TextSketch("mission", "S!B1", text[:50], exact, sk)]
        records.append(rec)
    clusters = find_copies(records, set())
    assert clusters and clusters[0].ngos > 100


def test_copy_detection_makes_the_plain_comparisons() -> None:
    """find_copies skips comparisons that cannot change a cluster: its clusters are
    those of comparing every bucket member with the bucket's anchors, one pair at a time."""
    import random
    from array import array

    from kuk_xlsx.cohort.copies import _PACK, NEAR, SKETCH, _runs
    from kuk_xlsx.cohort.records import FileRecord, TextSketch

    def plain(records: list[FileRecord], anchors_per_bucket: int) -> list[Any]:
        texts = [(i, t) for i, rec in enumerate(records) for t in rec.texts]
        parent = list(range(len(texts)))

        def find(x: int) -> int:
            while parent[x] != x:
                x = parent[x]
            return x

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        def shingles(n: int) -> set[int]:
            return set(_PACK.unpack(texts[n][1].sketch)) - {0xFFFFFFFF}

        def near(a: int, b: int) -> bool:
            sa, sb = shingles(a), shingles(b)
            union_k = sorted(sa | sb)[:SKETCH]
            shared = sum(1 for h in union_k if h in sa and h in sb)
            return shared / max(len(union_k), 1) >= NEAR

        for run_ in _runs(array("Q", (t.exact << 32 | n for n, (_, t) in enumerate(texts)))):
            for n in run_[1:]:
                union(run_[0], n)
        keys = array("Q")
        for n, (_, t) in enumerate(texts):
            keys.extend(h << 32 | n for h in _PACK.unpack(t.sketch)[:3] if h != 0xFFFFFFFF)
        for members in _runs(keys):
            anchors = members[:anchors_per_bucket]
            for i, a in enumerate(members):
                for b in anchors if i >= len(anchors) else anchors[i + 1 :]:
                    if find(a) != find(b) and near(a, b):
                        union(a, b)
        groups: dict[int, list[int]] = {}
        for n in range(len(texts)):
            if find(n) != n:
                groups.setdefault(find(n), []).append(n)
        out = []
        for root, rest in groups.items():
            members = sorted({root, *rest})
            places = [
                (records[texts[n][0]].ngo, texts[n][1].step, texts[n][1].cell) for n in members
            ]
            if len({p[0] for p in places}) > 1:
                out.append((texts[members[0]][1].preview, places))
        out.sort(key=lambda c: (-len({p[0] for p in c[1]}), c[0]))
        return out

    rng = random.Random(7)
    words = LONG.split()
    bases = [rng.sample(words, len(words)) for _ in range(4)]
    records = []
    for i in range(150):
        rec = FileRecord(f"f{i}.xlsx", str(i), 0.0, "OK", ngo=f"N{i % 120}")
        for k in range(rng.randint(1, 3)):
            text = list(rng.choice(bases))
            for _ in range(rng.choice([0, 0, 1, 2, 6])):
                text[rng.randrange(len(text))] = rng.choice(["жаңа", "ескі", str(i)])
            sk = sketch_text(" ".join(text), 80)
            assert sk is not None
            rec.texts.append(TextSketch("mission", f"S!B{k}", " ".join(text)[:20], *sk))
        records.append(rec)
    for anchors in (1, 2, 8):
        got = [(c.preview, c.places) for c in find_copies(records, set(), anchors)]
        assert got == plain(records, anchors), anchors
        assert got


def test_diff_between_submissions(tmp_path: Path) -> None:
    a = ngo(tmp_path, "ОФ", "1", file="a.xlsx")
    same = tmp_path / "same.xlsx"
    same.write_bytes(a.read_bytes())
    b = ngo(
        tmp_path,
        "ОФ",
        "1",
        file="b.xlsx",
        mission=LONG + " жаңа",
        budget=[{"category": "staff", "item": "Жалақы", "quantity": 1, "unit_cost": 10}],
    )
    assert unchanged(diff_plans(read_workbook(a), read_workbook(same)))
    diffs = {d.step: d for d in diff_plans(read_workbook(a), read_workbook(b))}
    assert diffs["mission"].counts() == {"added": 0, "removed": 0, "changed": 1}
    assert diffs["budget"].counts()["added"] == 1
    result = CliRunner().invoke(cli, ["diff", str(a), str(same), "--lang", "en"])
    assert result.exit_code == 0 and "resubmitted unchanged" in result.output
    result = CliRunner().invoke(cli, ["diff", str(a), str(b), "--format", "json"])
    assert result.exit_code == 0 and '"unchanged": false' in result.output


EVIL = [
    '=HYPERLINK("http://evil.example","x")',
    "+7 701 000",
    "-2+3",
    "@SUM(A1)",
    "http://evil.example",
    "\tTab",
    "=1+1",
    # a hidden first character, escaped in the sheet XML as Excel writes it: the
    # reader decodes it, and it must go before the formula test (issue 16, item 3)
    '_x0001_=HYPERLINK("http://evil.example","x")',
    "_x000B_=cmd|' /C calc'!A0",
]


def test_outputs_are_inert(tmp_path: Path) -> None:
    files = [ngo(tmp_path, name, f"E{i}", mission=name + " " + LONG) for i, name in enumerate(EVIL)]
    cohort = run(files, Cohort())
    xlsx = write_cohort_xlsx(tmp_path / "c.xlsx", cohort, "en")
    csv_files = write_cohort_csv(tmp_path / "csv", cohort, "en")
    wb = openpyxl.load_workbook(xlsx)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(e.strip() in cell.value for e in EVIL):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None
    with zipfile.ZipFile(xlsx) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        rels = [zf.read(n).decode() for n in zf.namelist() if "worksheets/_rels" in n]
        assert not [n for n in zf.namelist() if "externalLink" in n]
    assert not [r for r in rels if "hyperlink" in r]  # only the charts' drawing
    assert not any("HYPERLINK" in f for xml in sheets for f in xml.split("<f>")[1:])
    for path in csv_files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for field in row:
                    assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), (
                        path.name,
                        field,
                    )
    assert inert_csv(-5) == -5 and inert_csv(2.5) == 2.5  # numbers stay numbers
    assert inert_csv("=1+1") == "'=1+1"
    cohort.close()


TRICKY = [
    *EVIL,
    "plain",
    "",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "cr\rhere",
    "\rCR first",
    "nul\x00 and bell\x07",
    '\x01=HYPERLINK("http://evil.example")',
    "\x0b=cmd|' /C calc'!A0",
    "Қазақ, «тырнақша» — ₸",
    " spaced ",
    "x" * 33_000,
    None,
    0,
    -3,
    1.5,
    1e20,
    True,
    date(2026, 1, 2),
]


def test_a_file_name_with_a_hidden_first_character_stays_inert(tmp_path: Path) -> None:
    """A returned file named "\x01=HYPERLINK(…).xlsx" must not open as a formula in the
    items CSV's file column."""
    bad = ngo(tmp_path, "Альфа", "A1", file='\x01=HYPERLINK("http:evil")+1.xlsx')
    cohort = run([bad], Cohort())
    for path in write_cohort_csv(tmp_path / "csv", cohort, "en"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            fields = [f for row in csv.reader(fh) for f in row]
        assert not [f for f in fields if f.lstrip("\x01\x0b")[:1] in ("=", "+", "-", "@")], (
            path.name
        )
    cohort.close()


def test_csv_lines_are_what_csv_writer_writes() -> None:
    """The long rows' CSV is made by hand (quoting the NGO and file once per file):
    byte for byte what csv.writer writes once the first two and the last field are
    inert and the control characters are gone."""
    from kuk_xlsx.cohort.items import csv_lines
    from kuk_xlsx.write.safe import CONTROL, CSV_DANGER

    heads = [("=ОФ, «Альфа»", "/tmp/a,b.xlsx"), ('ОФ "Бета"', "-b.xlsx"), ("plain", "c.xlsx")]
    rows = [
        (*heads[i // 7 % 3], "step", "blk,1", i if i % 2 else "", f"col{i % 3}", v)
        for i, v in enumerate(TRICKY)
    ]
    rows += [(v, v, v, v, v, v, v) for v in TRICKY]

    def inert(v: Any) -> Any:
        if isinstance(v, str):
            v = CONTROL.sub("", v)
            return "'" + v if v[:1] in CSV_DANGER else v
        return v

    buf = io.StringIO()
    csv.writer(buf).writerows((inert(r[0]), inert(r[1]), *r[2:-1], inert(r[-1])) for r in rows)
    assert csv_lines(rows) == CONTROL.sub("", buf.getvalue()).encode("utf-8")
    assert csv_lines([]) == b""


def test_cells_are_written_as_write_inert_writes_them() -> None:
    """The cohort sheets' fast cell writer makes the same calls as report.write_inert."""
    from kuk_xlsx.cohort.sheets import _inert_writer
    from kuk_xlsx.outputs.report import write_inert
    from kuk_xlsx.write.safe import cut_cells

    class Sheet:
        def __init__(self) -> None:
            self.calls: list[tuple[Any, ...]] = []

        def __getattr__(self, name: str) -> Any:
            return lambda *args: self.calls.append((name, *args))

    fast, slow = Sheet(), Sheet()
    cut_cells.take()
    write = _inert_writer(fast)
    for c, v in enumerate(TRICKY):
        write(1, c, v)
        write_inert(slow, 1, c, v)
    assert all(call[4:] in ((), (None,)) for call in fast.calls + slow.calls)  # no format
    blank = [call for call in slow.calls if call[0] == "write_blank"]
    assert len(blank) == 2  # None and "": xlsxwriter writes no blank cell without a format
    assert [call[:4] for call in fast.calls] == [
        call[:4] for call in slow.calls if call[0] != "write_blank"
    ]
    assert cut_cells.take() == 2  # the overlong text, cut by both


def test_cohort_command_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "cohort.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "cohort",
            str(SAMPLES),
            "-o",
            str(out),
            "--csv",
            str(tmp_path / "csv"),
            "--db",
            str(tmp_path / "r.sqlite"),
            "--round",
            "r1",
            "--lang",
            "kk",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "csv" / "items.csv").exists()
    assert (tmp_path / "csv" / "items.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (tmp_path / "csv" / "items.csv").open(encoding="utf-8-sig", newline="") as fh:
        items = list(csv.reader(fh))
    assert items[0] == ["ngo", "file", "step", "block", "row", "column", "value"]
    # every value of the included samples, one per NGO: the LibreOffice copy is an older
    # twin, and the kk and ru «Әйел денсаулығы» are one NGO's plan (the same cells filled)
    from kuk_xlsx.cohort.items import plan_items

    per_ngo = {}
    for p in SAMPLES.glob("*.xlsx"):
        if "libreoffice" not in p.name:
            plan = read_workbook(p)
            per_ngo[plan.org_name] = len(list(plan_items(plan)))
    expected = sum(per_ngo.values())
    assert len(items) - 1 == expected
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb["Деректер"].max_row - 1 == expected
    wb.close()
    refused = CliRunner().invoke(
        cli,
        [
            "cohort",
            str(SAMPLES / "youth_employment_en.xlsx"),
            "-o",
            str(SAMPLES / "youth_employment_en.xlsx"),
        ],
    )
    assert refused.exit_code == 2


@pytest.mark.libreoffice
def test_libreoffice_renders_cohort_charts(tmp_path: Path) -> None:
    from tests.support import libreoffice as lo

    lo.require_libreoffice(pdftoppm=True)
    cohort = run(sorted(SAMPLES.glob("*.xlsx")), Cohort())
    xlsx = write_cohort_xlsx(tmp_path / "cohort.xlsx", cohort, "kk")
    pdf = lo.convert(xlsx, "pdf", tmp_path / "pdf")
    assert lo.pdf_to_pngs(pdf, tmp_path / "png", dpi=30)
    cohort.close()


def test_process_file_never_raises(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    rec = process_file(str(bad))
    assert rec.status == "UNREADABLE" and rec.problem == "truncated"
    missing = process_file(str(tmp_path / "nope.xlsx"))
    assert missing.status == "UNREADABLE"


def test_overlong_text_is_cut_visibly_with_a_warning(tmp_path: Path) -> None:
    """A message quoting a 32,000-character value would pass Excel's cell limit."""
    from kuk_xlsx.write.safe import EXCEL_CELL_LIMIT

    a = ngo(
        tmp_path,
        "ОФ Ұзын",
        "L1",
        budget=[{"category": "staff", "item": "x", "quantity": 1, "unit_cost": 1}],
    )
    wb = openpyxl.load_workbook(a)
    ((sheet, ref),) = wb.defined_names["kuk_budget_items_category"].destinations
    wb[sheet][ref.replace("$", "").split(":")[0]] = "Ұзын " * 7000  # not a choice: quoted back
    wb.save(a)
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["validate", str(a), "--report", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "were cut" in result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    values = [v for row in wb.active.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(len(v) == EXCEL_CELL_LIMIT and v.endswith(" […]") for v in values)
    wb.close()


def test_a_blank_off_roster_or_mismatched_file_is_named_on_screen(tmp_path: Path) -> None:
    """Issue 12, item 4: a blank workbook sent back is "not started" (not a
    submission: its NGO stays missing); a filled one no roster entry matches, and
    one whose id the roster gives another name, are named on the closing lines."""
    src = tmp_path / "in"
    src.mkdir()
    build_workbook(src / "blank.xlsx", lang="ru", org=Organisation(id="C3", name="ОФ Гамма"))
    ngo(src, "ОФ Альфа", "A1")
    ngo(src, "ОФ Дельта", "D4")  # not on the roster
    ngo(src, "ОФ Бета-Плюс", "B2")  # B2 is «ОФ Бета» on the roster
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nA1,ОФ Альфа\nB2,ОФ Бета\nC3,ОФ Гамма\n", encoding="utf-8")
    from kuk_xlsx.roster import read_roster

    cohort = run(sorted(src.iterdir()), Cohort(roster=read_roster(roster)))
    by_file = {Path(r.path).name: r for r in cohort.records}
    assert by_file["blank.xlsx"].reason == "not-started" and not by_file["blank.xlsx"].included
    assert [e.org.id for e in cohort.missing] == ["C3"]
    assert [Path(r.path).name for r in cohort.not_started] == ["blank.xlsx"]
    assert [Path(r.path).name for r in cohort.off_roster] == ["D4.xlsx"]
    assert [(Path(r.path).name, e.org.id) for r, e in cohort.mismatched] == [("B2.xlsx", "B2")]
    # the round database keeps the blank too, but it is no new submission
    assert append_round(tmp_path / "rounds.sqlite", cohort, "r1") == 3
    cohort.close()
    result = CliRunner().invoke(
        cli,
        [
            "cohort",
            str(src),
            "--roster",
            str(roster),
            "-o",
            str(tmp_path / "c.xlsx"),
            "--lang",
            "ru",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    said = {
        key: [ln for ln in lines if ln.startswith(text(f"cli.cohort.{key}", "ru").split("{")[0])]
        for key in ("missing_ngo", "not_started", "off_roster")
    }
    assert [len(v) for v in said.values()] == [1, 1, 1], lines
    assert any("B2" in ln and "ОФ Бета-Плюс" in ln and "«ОФ Бета»" in ln for ln in lines), lines


@pytest.mark.parametrize(("me", "inside"), [(1004, True), (1006, False)])
def test_one_rounding_and_band_rule_in_every_output(tmp_path: Path, me: int, inside: bool) -> None:
    """Issue 12, item 7: an M&E share of 10.04% is shown as 10% and is in the 5-10%
    band in validate, summary and cohort alike; 10.06% is 10.1% and out of it."""
    items = [
        {"category": "me", "item": "Бағалау", "quantity": 1, "unit_cost": me},
        {"category": "activities", "item": "Тренинг", "quantity": 1, "unit_cost": 10_000 - me},
    ]
    path = ngo(tmp_path, "ОФ Альфа", "A1", budget=items)
    report = validate(path)
    assert ("KUK-BUDGET-ME-SHARE" not in {f.code for f in report.findings}) is inside
    s = summarise(report)
    assert s["figures"]["me_in_band"] is inside
    lines = "\n".join(summary_lines(s, "ru"))
    assert ("10%" if inside else "10,1%") in lines
    cohort = run([path], Cohort())
    head, rows = overview_rows(cohort, "en")
    cohort.close()
    shown = rows[0][head.index(T["me_share"].get("en"))]
    lo, hi = rows[0][head.index(T["me_low"].get("en"))], rows[0][head.index(T["me_high"].get("en"))]
    assert (lo <= shown <= hi) is inside  # what the cohort's colour formula compares


def test_a_summary_lists_only_the_steps_the_workbook_has() -> None:
    """Issue 12, item 7: the strategy workbook (steps 0-8) has no logframe or M&E line."""
    from kuk_xlsx.summary import _t

    s = summarise(validate(SAMPLES / "senin_kz_strategy_kk.xlsx"))
    for lang in ("kk", "ru"):
        lines = "\n".join(summary_lines(s, lang))
        assert _t("goals", lang) in lines
        assert _t("logframe_cells", lang) not in lines and _t("indicators", lang) not in lines
    project = "\n".join(
        summary_lines(summarise(validate(SAMPLES / "ayel_densauly_project_ru.xlsx")), "ru")
    )
    assert _t("logframe_cells", "ru") in project and _t("goals", "ru") not in project


def test_the_overview_prints_the_ngo_on_every_page_and_whole_header_words(
    tmp_path: Path,
) -> None:
    """Issue 12, item 8: printed across pages, every page starts with the NGO column;
    no header breaks inside a word (each column as wide as its longest word)."""
    cohort = run([ngo(tmp_path, "ОФ Альфа", "A1")], Cohort())
    out = write_cohort_xlsx(tmp_path / "cohort.xlsx", cohort, "ru")
    cohort.close()
    ws = openpyxl.load_workbook(out)[T["overview"].get("ru")]
    assert ws.print_title_cols.replace("$", "") == "A:A"
    assert ws.print_title_rows.replace("$", "") == "1:1"
    for cell in ws[1]:
        longest = max(len(w) for w in str(cell.value).split())
        width = ws.column_dimensions[cell.column_letter].width
        assert width >= longest, (cell.value, width)
