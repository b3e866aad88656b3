"""Every scan of a part grows linearly: the same hostile shape at n, 2n and 4n.

Issue 16, item 12: patterns that retried every start over unbounded input made
~40 KB files take 8-14 s.  Python's ``re`` has no step counter a test could read,
so the proof is measured here, on demand: each scan (and a whole ``validate`` of a
file holding the shape) is timed at n, 2n and 4n, and the growth from n to 4n is
printed.  Linear work doubles from 2n to 4n; quadratic work grows 4x.  The goal is
the worst growth from 2n to 4n <= 3x (2x plus room for a shared machine's noise;
the first doubling is shown too, but small inputs still fit a CPU cache).

    python benchmarks/bench_linear.py [--reps 5] [--n 40000] [--check]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import REPO, finish, parser

sys.path.insert(0, str(REPO / "tests"))

NAME = "bench_linear"
GOAL = 3.0


def _scans() -> dict[str, tuple[Any, ...]]:
    """name -> (one unit of the hostile shape, the scan run over repeats of it, and
    optionally what ends the input)."""
    from kuk_xlsx.package import preflight
    from kuk_xlsx.package.sheetscan import _ATTR, _slow_extent

    # (their units end in ">" once, at the very end of the input: what is cut off after
    # the last ">" is never scanned)
    def rels(data: bytes) -> object:
        return preflight._RELATIONSHIP.findall(preflight._to_last_tag_end(data))

    def overrides(data: bytes) -> object:
        return preflight._OVERRIDE.findall(preflight._to_last_tag_end(data))

    def formulas(data: bytes) -> object:
        from types import SimpleNamespace

        from kuk_xlsx.read.sheet import _SheetReader

        view = SimpleNamespace(xml={"s": data})
        reader = SimpleNamespace(_formulas={}, pkg=SimpleNamespace(view=view))
        return _SheetReader.formulas(reader, "s")  # type: ignore[arg-type]

    return {
        "sheet: formulas, dense": (b"<f>", formulas),
        "sheet: formulas never closed": (b'<c r="A1"><f>1', formulas),
        "sheet: open prefixed row tags": (b"<x:row ", _slow_extent),
        "sheet: open tags, a quote left open": (b'<x:row a="', _slow_extent),
        "sheet: attribute names without '='": (b":", lambda d: _ATTR.findall(d)),
        "rels: open relationships": (b'<Relationship Target="x', rels, b">"),
        "content types: open overrides": (b"<Override ", overrides, b">"),
    }


def _files(work: Path) -> dict[str, Callable[[int], bytes]]:
    """Whole files holding the shapes in a comment (see tests/hostile_files.py)."""
    import hostile_files as h

    ctx = h.Context(work)

    def comment(part: str, before: bytes, unit: bytes, tail: bytes = b"") -> Callable[[int], bytes]:
        # (numbered units: a repeated one would deflate past the ratio limit and be
        # refused before any scan)
        def make(n: int) -> bytes:
            junk = b"".join(b"%s%x " % (unit, i) for i in range(n)) + tail
            return h._in_comment(part, before, junk)(ctx)

        return make

    return {
        "file: open row tags in a sheet": comment("sheet", b"<sheetData", b"<x:row "),
        "file: ... and a quote left open": comment("sheet", b"<sheetData", b"<x:row ", b'"'),
        "file: open relationships": comment(
            "xl/_rels/workbook.xml.rels", b"<Relationship ", b'<Relationship Target="x'
        ),
    }


def _median(run: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=5)
    p.add_argument("--n", type=int, default=40_000, help="repeats of the unit at 1x")
    args = p.parse_args()
    from kuk_xlsx.package.preflight import check_package
    from kuk_xlsx.package.problems import ReadError
    from kuk_xlsx.read.reader import read_workbook_bytes

    sizes = (args.n, 2 * args.n, 4 * args.n)
    rows: list[tuple[str, list[float]]] = []
    for name, (unit, scan, *tail) in _scans().items():
        inputs = [unit * k + b"".join(tail) for k in sizes]  # (built before any timing)
        runs = [lambda d=d, f=scan: f(d) for d in inputs]
        rows.append((name, [_median(run, args.reps) for run in runs]))

    def whole(data: bytes) -> None:
        try:
            read_workbook_bytes(data, "x.xlsx")
            check_package(data, "x.xlsx").close()  # the feedback copy's preflight
        except ReadError:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        for name, make in _files(Path(tmp)).items():
            datas = [make(k) for k in sizes]
            runs = [lambda d=d: whole(d) for d in datas]
            rows.append((name, [_median(run, args.reps) for run in runs]))

    print(
        f"{'':40} {'1x ms':>9} {'2x ms':>9} {'4x ms':>9} {'2x/1x':>7} {'4x/2x':>7}  (n = {args.n})"
    )
    worst = 0.0
    for name, (a, b, c) in rows:
        growth = c / max(b, 1e-9)
        worst = max(worst, growth)
        first = b / max(a, 1e-9)
        print(f"{name:40} {a * 1e3:9.2f} {b * 1e3:9.2f} {c * 1e3:9.2f} {first:7.2f} {growth:7.2f}")
    print("linear work doubles with its input; quadratic work grows 4x")
    return finish(NAME, worst, GOAL, args.check)


if __name__ == "__main__":
    sys.exit(main())
