"""Reading one typical filled workbook: ``read_workbook(path)`` against python-calamine's bare read.

Goal: ratio <= 2.0 -- preflight, names, typing and interpretation notes should
cost at most as much again as calamine's own value read.  Every timed read is a
cold one: what the reader remembers across reads (the parsed workbook.xml, which
the files of one template share) is forgotten before each.  The baseline is
``CalamineWorkbook.from_path`` + ``to_python()`` of every sheet; openpyxl
(``load_workbook(read_only=True, data_only=True)``, every row iterated) is timed
every few rounds as a reference ratio only.

The workbook is the largest ``samples/*.xlsx`` that is not a ``*_libreoffice``
file, else one built here with ``build_workbook(..., data=...)``: every step,
all fields and grids filled, about two thirds of every table's rows, realistic
kk/ru text (deterministic).

    python benchmarks/bench_read.py [--reps 200] [--file X.xlsx | --built] [--check] [--profile]
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from _common import REPO, finish, interleaved, ms, parser, table

NAME = "bench_read"
GOAL = 2.0
OPENPYXL_EVERY = 3

_CORPUS = (
    "ұйым жастар орталығы қоғамдық бірлестік жоба қаржыландыру грант серіктестер "
    "тұрақты даму волонтерлер мониторинг бағалау оқыту тренинг аймақ ауыл әйелдер "
    "балалар мүгедектігі бар адамдар денсаулық білім беру экология ақпарат желі "
    "организация молодёжь проект финансирование партнёры устойчивость волонтёры "
    "мониторинг оценка обучение регион село женщины дети здоровье образование сеть"
)
WORDS = _CORPUS.split()


def _text(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def filled_data(seed: int = 2024, fill: float = 0.66) -> dict[str, dict[str, Any]]:
    """``data`` for build_workbook: every step filled like a diligent participant would."""
    from kuk_xlsx.spec.template import load_template

    tpl = load_template()
    rng = random.Random(seed)
    months = int(tpl.rules.get("schedule_months", 6))
    goals: list[str] = []

    def value(col: Any) -> Any:
        kind = col.type
        if col.formula:
            return None  # left to the live formula, as a person would
        if kind == "long_text":
            return _text(rng, 8, 40)
        if kind == "text":
            return _text(rng, 1, 4)
        if kind == "number":
            return float(rng.choice([1, 2, 3, 5, 10, 12, 20]))
        if kind == "money":
            return float(rng.randrange(5_000, 2_000_000, 500))
        if kind == "percent":
            return rng.random()
        if kind == "yes_no":
            return rng.random() < 0.7
        if kind == "choice":
            return rng.choice(tpl.choices[col.choices].choices).key
        if kind == "months":
            return sorted(rng.sample(range(1, months + 1), rng.randint(1, months)))
        if kind == "date":
            return date(2026, rng.randint(1, 12), rng.randint(1, 28))
        if kind == "ref":
            return rng.choice(goals) if goals else _text(rng, 3, 8)
        return _text(rng, 1, 4)

    data: dict[str, dict[str, Any]] = {}
    for step in tpl.steps:
        blocks: dict[str, Any] = {}
        for blk in step.blocks:
            if blk.kind == "fields":
                blocks[blk.key] = {c.key: value(c) for c in blk.columns}
            elif blk.kind == "grid":
                blocks[blk.key] = {
                    fr.key: {c.key: value(c) for c in blk.columns} for fr in blk.fixed_rows
                }
            else:
                n = max(1, round(blk.rows * fill))
                rows = [{c.key: value(c) for c in blk.columns} for _ in range(n)]
                blocks[blk.key] = rows
                if (step.key, blk.key) == ("goals", "goals"):
                    goals = [r["goal"] for r in rows]
        data[step.key] = blocks
    data["profile"]["org"]["level"] = "national"
    return data


def pick_sample() -> Path | None:
    files = [p for p in (REPO / "samples").glob("*.xlsx") if not p.stem.endswith("_libreoffice")]
    return max(files, key=lambda p: p.stat().st_size) if files else None


def calamine_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def openpyxl_read(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
    finally:
        wb.close()


def profile(read: Any, runs: int = 20) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(runs):
        read()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(15)
    print(f"\ncProfile of read_workbook x{runs}, top 15 by tottime:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def cold_read(path: Path) -> Any:
    """``read_workbook(path)`` as for a file read on its own: the reader remembers the
    workbook.xml of the last files it read (a cohort's files share it); forgotten here."""
    from kuk_xlsx.read.parts import forget_parsed_parts
    from kuk_xlsx.read.reader import read_workbook

    forget_parsed_parts()
    return read_workbook(path)


def cold_package(data: bytes, name: str) -> Any:
    from kuk_xlsx.read.parts import forget_parsed_parts, read_package
    from kuk_xlsx.spec.template import LISTS_SHEET

    forget_parsed_parts()
    return read_package(data, name, unread=(LISTS_SHEET,))


def phases(path: Path, reps: int = 30) -> None:
    """Where read_workbook's time goes: the package (preflight, workbook.xml, the
    view of checked parts), python-calamine over that view, and the rest."""
    from python_calamine import CalamineWorkbook

    from kuk_xlsx.read.parts import read_package
    from kuk_xlsx.spec.template import LISTS_SHEET

    data = path.read_bytes()
    view = read_package(data, str(path), unread=(LISTS_SHEET,)).view
    assert view is not None

    def calamine_view() -> None:
        wb = CalamineWorkbook.from_filelike(view.reader())
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    times = interleaved(
        {
            "read_workbook": lambda: cold_read(path),
            "  read_package (preflight, xml, view)": lambda: cold_package(data, str(path)),
            "  calamine over the view, all grids": calamine_view,
        },
        reps=reps,
    )
    med = {k: statistics.median(v) for k, v in times.items()}
    rest = med["read_workbook"] - sum(v for k, v in med.items() if k != "read_workbook")
    print(f"\nphases (medians of {reps}, measured separately):")
    for k, v in med.items():
        print(f"  {k:38} {ms(v)} ms")
    print(f"  {'  the rest (locate, type, notes)':38} {ms(rest)} ms")


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=200)  # (a 3 ms read: 50 left +-5% of noise)
    p.add_argument("--file", type=Path, help="workbook to read (default: see module doc)")
    p.add_argument("--profile", action="store_true", help="cProfile top 15 of read_workbook")
    p.add_argument(
        "--fill", type=float, default=0.66, help="share of table rows filled (built file only)"
    )
    p.add_argument(
        "--built",
        action="store_true",
        help="read the built workbook (every step) even with samples",
    )
    args = p.parse_args()

    from kuk_xlsx.read.reader import read_workbook
    from kuk_xlsx.spec.template import load_template

    load_template()  # warm: read_workbook uses the cached template
    with tempfile.TemporaryDirectory(prefix="kuk-bench-") as tmp:
        path = args.file or (None if args.built else pick_sample())
        origin = "given" if args.file else "sample"
        if path is None:
            from kuk_xlsx.build.workbook import build_workbook

            path = build_workbook(
                Path(tmp) / "filled_kk.xlsx", lang="kk", data=filled_data(fill=args.fill)
            )
            origin = f"built with build_workbook(data=filled_data(fill={args.fill}))"
        plan = read_workbook(path)
        rows = sum(len(b.rows) for st in plan.steps.values() for b in st.blocks.values())
        fields = sum(len(b.fields) for st in plan.steps.values() for b in st.blocks.values())
        print(f"file: {path.name} ({origin}), {path.stat().st_size} bytes")
        print(
            f"read back: {len(plan.steps)} steps, {rows} table rows, {fields} fields/grid cells, "
            f"{len(plan.interpretations)} interpretations, missing steps {plan.missing_steps}"
        )

        times = interleaved(
            {
                "calamine bare (all sheets)": lambda: calamine_read(path),
                "read_workbook": lambda: cold_read(path),
                "openpyxl read_only (reference)": lambda: openpyxl_read(path),
            },
            reps=args.reps,
            warmup=args.warmup,
            every={"openpyxl read_only (reference)": OPENPYXL_EVERY},
        )
        print(f"\n{args.reps} interleaved runs (openpyxl in 1 of {OPENPYXL_EVERY} rounds):")
        table(times, "calamine bare (all sheets)")
        if args.profile:
            phases(path)
            profile(lambda: cold_read(path))

    base = statistics.median(times["calamine bare (all sheets)"])
    subject = statistics.median(times["read_workbook"])
    ref = statistics.median(times["openpyxl read_only (reference)"])
    print(
        f"reference: openpyxl {ms(ref).strip()} ms = {ref / base:.1f}x calamine, "
        f"{ref / subject:.1f}x read_workbook"
    )
    return finish(NAME, subject / base, GOAL, args.check)


if __name__ == "__main__":
    sys.exit(main())
