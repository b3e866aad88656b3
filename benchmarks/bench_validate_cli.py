"""``kuk-xlsx validate DIR --feedback FB`` against ``kuk-xlsx validate DIR``, as a trainer runs them.

Issue 17: over 1,000 typical returned workbooks, validate with feedback copies should
take at most twice validate alone.  The folder holds ``--files`` copies of the samples
(the four ``samples/*.xlsx`` in turn); each command runs as its own process, with its
default ``--jobs`` (a pool on this many files), interleaved round by round, a fresh
feedback folder every run.  Printed per command: the wall time a trainer waits, and the
CPU time of the command and its workers (less disturbed by other work on a shared
machine); the RATIO line is the wall time's ratio.

    python benchmarks/bench_validate_cli.py [--files 1000] [--reps 5] [--check]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, finish, parser

NAME = "bench_validate_cli"
GOAL = 2.0


def _run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kuk_xlsx", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"kuk-xlsx {' '.join(args)} failed ({done.returncode}): {done.stderr[-500:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=5)
    p.add_argument("--files", type=int, default=1000, help="workbooks in the folder (1000)")
    args = p.parse_args()
    samples = sorted(f for f in (REPO / "samples").glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returned"
        folder.mkdir()
        for i in range(args.files):
            src = samples[i % len(samples)]
            shutil.copyfile(src, folder / f"{src.stem}_{i:04d}.xlsx")
        print(f"{args.files} files ({', '.join(s.name for s in samples)} in turn)")
        commands = {
            "validate DIR": lambda n: ["validate", str(folder)],
            "validate DIR --feedback FB": lambda n: [
                "validate",
                str(folder),
                "--feedback",
                str(Path(tmp) / f"fb{n}"),
            ],
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for i in range(args.warmup + args.reps):
            names = list(commands) if i % 2 == 0 else list(commands)[::-1]
            for name in names:
                measured = _run(commands[name](i))
                if i >= args.warmup:
                    times[name].append(measured)
            shutil.rmtree(Path(tmp) / f"fb{i}", ignore_errors=True)
    print(f"{'':30} {'n':>3} {'wall s':>8} {'cpu s':>8} {'ms/file':>8}")
    medians = {}
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        medians[name] = (wall, cpu)
        print(f"{name:30} {len(runs):>3} {wall:8.2f} {cpu:8.2f} {wall / args.files * 1000:8.2f}")
    (w0, c0), (w1, c1) = medians.values()
    print(f"cpu ratio {c1 / c0:.3f}")
    return finish(NAME, w1 / w0, GOAL, args.check)


if __name__ == "__main__":
    sys.exit(main())
