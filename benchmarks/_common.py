"""Shared helpers for the on-demand benchmarks (not a test module, never imported by tests).

Every benchmark measures its subject against a baseline *in the same run*:
runs are interleaved (the order alternates every round) after a warm-up, the
garbage collector is run between runs (outside the timed region), and the
median is reported.  The final line is ``RATIO <name> <value> (goal <= X)``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# ``python benchmarks/bench_x.py`` puts benchmarks/ (not the repo) on sys.path.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def parser(description: str, reps: int) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--reps", type=int, default=reps, help=f"timed runs of each (default {reps})")
    p.add_argument("--warmup", type=int, default=2, help="untimed runs of each first (default 2)")
    p.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    return p


def interleaved(
    subjects: dict[str, Callable[[], object]],
    reps: int,
    warmup: int = 2,
    every: dict[str, int] | None = None,
) -> dict[str, list[float]]:
    """Seconds per run of each callable, interleaved round by round.

    The order rotates every round so that slow drift of a shared machine hits
    all subjects alike.  ``every[name] = k`` runs that subject only every k-th
    round (for slow reference measurements).
    """
    every = every or {}
    names = list(subjects)
    for _ in range(warmup):
        for name in names:
            subjects[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(reps):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            if i % every.get(name, 1):
                continue
            gc.collect()
            t0 = time.perf_counter()
            subjects[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def table(times: dict[str, list[float]], baseline: str) -> None:
    """Median, quartiles and min per subject, and the ratio of medians to the baseline."""
    base = statistics.median(times[baseline])
    print(f"{'':34} {'n':>3} {'median ms':>10} {'p25':>8} {'p75':>8} {'min':>8} {'ratio':>7}")
    for name, ts in times.items():
        med = statistics.median(ts)
        q = statistics.quantiles(ts, n=4) if len(ts) > 1 else [ts[0], ts[0], ts[0]]
        print(
            f"{name:34} {len(ts):>3} {ms(med):>10} {ms(q[0])} {ms(q[2])} {ms(min(ts))} "
            f"{med / base:7.2f}"
        )


def finish(name: str, ratio: float, goal: float, check: bool) -> int:
    """Print the RATIO line; the exit code (1 only with --check and a missed goal)."""
    ok = ratio <= goal
    print(f"RATIO {name} {ratio:.3f} (goal <= {goal:.3f}){'' if ok else '  MISSED'}")
    return 1 if check and not ok else 0
