"""Opt-in stress run: every hostile fixture through the three commands a trainer types.

    python benchmarks/stress.py                    # every fixture, every command (~2-4 min)
    python benchmarks/stress.py --only bomb --only far_cell --commands validate

Each file of ``tests/hostile_files.py`` (the catalogue the suite checks for
behaviour) is built into a temporary folder, then run, one process at a time,
through

* ``validate``:  ``kuk-xlsx validate FILE``
* ``feedback``:  ``kuk-xlsx validate FILE --feedback DIR --report X.xlsx``
* ``cohort``:    ``kuk-xlsx cohort DIR --csv X --db Y`` (DIR holds the one file)

under a 1 GiB address-space limit (``RLIMIT_AS``, set in the child before exec)
and a time-out.  Per fixture and command it prints the wall time, the peak RSS
(GNU ``/usr/bin/time`` ``%M``: the command's own high-water mark, measured from a
small launcher; without GNU time ``wait4``'s ``ru_maxrss``, which also counts the
pages this script had when it forked), the exit code and whether the run stayed
within the bounds (2 s, 300 MB).  A run is *over* when it took longer, used more,
was killed by the time-out, printed a traceback, exited 3 or more (an unexpected
error or a signal) or changed its input file.  The summary counts them per
command; the exit status is 1 when any run is over, 0 otherwise.

Times include the interpreter's start and the command's imports, as a trainer
sees them; the ``floor`` line gives ``python -c pass`` measured the same way.
This is a measurement for a quiet machine, not a test: nothing under ``tests/``
asserts time or memory.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30  # address space of every run
COMMANDS = ("validate", "feedback", "cohort")


@dataclass
class Result:
    fixture: str
    command: str
    seconds: float
    peak_mb: float
    code: int
    timed_out: bool
    traceback: bool
    changed: bool

    def problems(self, max_seconds: float, max_mb: float) -> list[str]:
        """Why this run is over the bounds (empty: within)."""
        out = []
        if self.timed_out:
            out.append("TIMEOUT")
        elif self.seconds > max_seconds:
            out.append("time")
        if self.peak_mb > max_mb:
            out.append("memory")
        if self.traceback:
            out.append("traceback")
        if self.code >= 3 or self.code < 0:
            out.append(f"exit {self.code}")
        if self.changed:
            out.append("input changed")
        return out


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _gnu_time() -> str:
    """/usr/bin/time when it is GNU time, else ""."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        subprocess.run([path, "-f", "%M", "true"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return path


GNU_TIME = _gnu_time()


def run(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, float, int, bool, str]:
    """Run ``cmd`` limited: (seconds, peak MB, exit code, timed out, stdout + stderr)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryDirectory(prefix="kuk-stress-run-") as scratch:
        usage_file = Path(scratch) / "rusage"
        full = [GNU_TIME, "-f", "%M", "-o", str(usage_file), *cmd] if GNU_TIME else cmd
        with (Path(scratch) / "out").open("w+b") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(
                full,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                preexec_fn=_limit_memory,
                start_new_session=True,  # a time-out kills the whole group
            )
            timed_out = threading.Event()

            def kill() -> None:
                timed_out.set()
                os.killpg(proc.pid, signal.SIGKILL)

            killer = threading.Timer(timeout, kill)
            killer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                killer.cancel()
            seconds = time.perf_counter() - start
            code = proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        peak = usage.ru_maxrss / 1024  # KiB on Linux
        if GNU_TIME and usage_file.exists():
            words = usage_file.read_text().split()
            if words and words[-1].isdigit():  # (a killed run leaves no number)
                peak = int(words[-1]) / 1024
    return seconds, peak, code, timed_out.is_set(), text


def command(kind: str, path: Path, out: Path) -> list[str]:
    """The command line of ``kind`` for one fixture, outputs under ``out``."""
    base = [sys.executable, "-m", "kuk_xlsx"]
    if kind == "validate":
        return [*base, "validate", str(path), "--lang", "en"]
    if kind == "feedback":
        return [
            *base,
            "validate",
            str(path),
            "--feedback",
            str(out / "feedback"),
            "--report",
            str(out / "report.xlsx"),
            "--lang",
            "en",
        ]
    folder = out / "in"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, folder / path.name)
    return [
        *base,
        "cohort",
        str(folder),
        "-o",
        str(out / "cohort.xlsx"),
        "--csv",
        str(out / "csv"),
        "--db",
        str(out / "cohort.db"),
        "--lang",
        "en",
    ]


def build_fixtures(folder: Path) -> list[Path]:
    """Every file of tests/hostile_files.py's catalogue, built by a child process
    (so that this process stays small), in catalogue order."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from hostile_files import build_all;"
        "paths = build_all(Path(sys.argv[2]), Path(sys.argv[3]));"
        "print('\\n'.join(paths))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(REPO / "tests"),
            str(folder / "bad"),
            str(folder / "work"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"building the fixtures failed:\n{done.stderr}")
    return [folder / "bad" / name for name in done.stdout.split("\n") if name]


def extra_files(sources: list[Path], folder: Path) -> list[Path]:
    """Copies of the ``--extra`` files (a folder: its .xlsx and .xlsm files), so that a
    run can never touch the originals."""
    out = []
    for src in sources:
        files = sorted(src.glob("*.xls[xm]")) if src.is_dir() else [src]
        for f in files:
            dst = folder / f.name
            if dst.exists():
                dst = folder / f"{f.parent.name}_{f.name}"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dst)
            out.append(dst)
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", action="append", default=[], help="fixtures whose name contains this")
    p.add_argument(
        "--commands", default=",".join(COMMANDS), help=f"comma-separated, of {', '.join(COMMANDS)}"
    )
    p.add_argument("--max-seconds", type=float, default=2.0, help="time bound (default 2)")
    p.add_argument("--max-mb", type=float, default=300.0, help="peak RSS bound (default 300)")
    p.add_argument("--timeout", type=float, default=120.0, help="kill a run after this (s)")
    p.add_argument("--keep", type=Path, help="build and write everything here (kept)")
    p.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="also run this file (or every .xlsx/.xlsm in this folder); never modified",
    )
    p.add_argument("--no-catalogue", action="store_true", help="run only the --extra files")
    args = p.parse_args(argv)
    kinds = [k.strip() for k in args.commands.split(",") if k.strip()]
    if unknown := set(kinds) - set(COMMANDS):
        p.error(f"unknown command(s): {', '.join(sorted(unknown))}")

    root = args.keep or Path(tempfile.mkdtemp(prefix="kuk-stress-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        fixtures = [] if args.no_catalogue else build_fixtures(root)
        fixtures += extra_files(args.extra, root / "extra")
        if args.only:
            fixtures = [f for f in fixtures if any(s in f.name for s in args.only)]
        floor = run([sys.executable, "-c", "pass"], root, args.timeout)
        print(
            f"{len(fixtures)} fixtures x {len(kinds)} commands; limit 1 GiB address space; "
            f"bounds {args.max_seconds:g} s / {args.max_mb:g} MB; "
            f"peak RSS by {'GNU time' if GNU_TIME else 'wait4 (counts this process too)'}"
        )
        print(f"floor: python -c pass {floor[0]:.2f} s, {floor[1]:.0f} MB")
        print(f"{'fixture':28} {'command':9} {'seconds':>8} {'peak MB':>8} {'exit':>5}  within?")
        results: list[Result] = []
        for path in fixtures:
            for kind in kinds:
                out = root / "out" / path.name / kind
                out.mkdir(parents=True, exist_ok=True)
                cmd = command(kind, path, out)
                before = sha256(path)
                seconds, peak, code, timed_out, text = run(cmd, out, args.timeout)
                r = Result(
                    path.name,
                    kind,
                    seconds,
                    peak,
                    code,
                    timed_out,
                    "Traceback" in text or "panicked" in text,
                    sha256(path) != before,
                )
                results.append(r)
                why = r.problems(args.max_seconds, args.max_mb)
                print(
                    f"{r.fixture:28} {r.command:9} {r.seconds:8.2f} {r.peak_mb:8.0f} "
                    f"{r.code:5}  {'yes' if not why else 'OVER: ' + ', '.join(why)}",
                    flush=True,
                )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)

    print()
    print(f"{'command':9} {'runs':>5} {'within':>7} {'over':>5} {'max s':>7} {'max MB':>7}")
    over_total = 0
    for kind in kinds:
        rs = [r for r in results if r.command == kind]
        over = [r for r in rs if r.problems(args.max_seconds, args.max_mb)]
        over_total += len(over)
        print(
            f"{kind:9} {len(rs):5} {len(rs) - len(over):7} {len(over):5} "
            f"{max((r.seconds for r in rs), default=0):7.2f} "
            f"{max((r.peak_mb for r in rs), default=0):7.0f}"
        )
    print(
        f"SUMMARY {len(results) - over_total} of {len(results)} runs within bounds, {over_total} over"
    )
    for r in results:
        if why := r.problems(args.max_seconds, args.max_mb):
            print(
                f"  over: {r.fixture} {r.command}: {', '.join(why)} ({r.seconds:.2f} s, {r.peak_mb:.0f} MB)"
            )
    return 1 if over_total else 0


if __name__ == "__main__":
    sys.exit(main())
