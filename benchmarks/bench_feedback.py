"""A feedback copy against a read of the same file: ``write_feedback`` vs ``read_workbook``.

Issue 17: a copy should cost at most 3x the read (the goal).  The package writer
copies every part and rewrites only the marked ones (openpyxl's full load and save,
28-30x, is kept for macros, outward links and earlier feedback).  In one interleaved run on the same file this
prints the read, ``validate`` and ``validate`` + feedback copy per file, and the
copy alone as a ratio of the read.  The file is the largest ``samples/*.xlsx``
that is not a ``*_libreoffice`` file, or ``--file``.

    python benchmarks/bench_feedback.py [--reps 30] [--file X.xlsx] [--check]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from _common import REPO, finish, interleaved, parser, table

NAME = "bench_feedback"
GOAL = 3.0


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=30)
    p.add_argument("--file", type=Path, help="a workbook to use instead of the largest sample")
    args = p.parse_args()
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.outputs.feedback import write_feedback
    from kuk_xlsx.read.parts import forget_parsed_parts
    from kuk_xlsx.read.reader import read_workbook

    path = args.file or max(
        (f for f in (REPO / "samples").glob("*.xlsx") if "_libreoffice" not in f.name),
        key=lambda f: f.stat().st_size,
    )
    print(f"file: {path.name}, {path.stat().st_size} bytes")
    report = validate(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        n = iter(range(1_000_000))

        def copy() -> None:
            write_feedback(report, out / str(next(n)), "ru")

        def validate_and_copy() -> None:
            forget_parsed_parts()
            write_feedback(validate(path), out / str(next(n)), "ru")

        def read() -> None:
            forget_parsed_parts()  # a cold read, as bench_read times it
            read_workbook(path)

        def check() -> None:
            forget_parsed_parts()
            validate(path)

        times = interleaved(
            {
                "read_workbook": read,
                "validate": check,
                "feedback copy (validated)": copy,
                "validate + feedback copy": validate_and_copy,
            },
            reps=args.reps,
            warmup=args.warmup,
        )
    table(times, "read_workbook")
    ratio = statistics.median(times["feedback copy (validated)"]) / statistics.median(
        times["read_workbook"]
    )
    return finish(NAME, ratio, GOAL, args.check)


if __name__ == "__main__":
    sys.exit(main())
