"""``kuk-xlsx --help`` start-up against a bare ``python -c pass``.

Goal: the CLI adds at most 150 ms to an interpreter start (trainers run it many
times in a row; heavy libraries must be imported inside commands).  The goal is
a difference, so the RATIO line's goal is derived from this run's baseline:
``(baseline + 150 ms) / baseline``.

Also prints the top 10 imports by cumulative time (``python -X importtime``,
median of a few runs) and whether any heavy library is imported at all.

    python benchmarks/bench_startup.py [--reps 20] [--check]
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys

from _common import REPO, finish, interleaved, ms, parser, table

NAME = "bench_startup"
GOAL_DIFF_S = 0.150
HEAVY = ("pandas", "numpy", "openpyxl", "xlsxwriter", "python_calamine", "kuk_xlsx.build.workbook")
SUBJECT = [sys.executable, "-m", "kuk_xlsx", "--help"]
BASELINE = [sys.executable, "-c", "pass"]
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=True)


def importtime(cmd: list[str]) -> list[tuple[str, int, int, int]]:
    """(module, depth, self us, cumulative us) in import order."""
    proc = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    out = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            out.append((m.group(4), len(m.group(3)) // 2, int(m.group(1)), int(m.group(2))))
    return out


def import_report(runs: int = 5) -> None:
    cumulative: dict[str, list[int]] = {}
    depth: dict[str, int] = {}
    for _ in range(runs):
        for mod, d, _self_us, cum in importtime(SUBJECT):
            cumulative.setdefault(mod, []).append(cum)
            depth[mod] = d
    bare = {mod for mod, *_ in importtime(BASELINE)}
    med = {mod: statistics.median(v) for mod, v in cumulative.items()}
    top_level = sum(v for mod, v in med.items() if depth[mod] == 0 and mod not in bare)
    extra = {mod: cum for mod, cum in med.items() if mod not in bare}
    print(
        f"\ntop 10 imports beyond bare python by cumulative time "
        f"(python -X importtime, median of {runs} runs):"
    )
    print(f"  {'module':40} {'depth':>5} {'cum ms':>8}")
    for mod, cum in sorted(extra.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {mod:40} {depth[mod]:>5} {cum / 1000:8.2f}")
    print(f"  {len(med)} modules imported, {len(extra)} of them beyond bare python")
    print(f"  top-level imports beyond bare python: {top_level / 1000:.1f} ms in all")
    heavy = [h for h in HEAVY if h in med]
    print(f"  heavy libraries imported: {', '.join(heavy) if heavy else 'none'}")


def main() -> int:
    args = parser(__doc__.splitlines()[0], reps=20).parse_args()
    times = interleaved(
        {
            "python -c pass": lambda: run(BASELINE),
            "python -m kuk_xlsx --help": lambda: run(SUBJECT),
        },
        reps=args.reps,
        warmup=args.warmup,
    )
    print(f"start-up, {args.reps} interleaved runs each (subprocesses):")
    table(times, "python -c pass")
    base = statistics.median(times["python -c pass"])
    subject = statistics.median(times["python -m kuk_xlsx --help"])
    diff = subject - base
    import_report()
    print(f"\nDIFF {NAME} {ms(diff).strip()} ms (goal <= {GOAL_DIFF_S * 1000:.0f} ms)")
    return finish(NAME, subject / base, (base + GOAL_DIFF_S) / base, args.check)


if __name__ == "__main__":
    sys.exit(main())
