"""A cohort of N filled workbooks: ``kuk-xlsx cohort`` against a plain pandas.read_excel loop.

``kuk-xlsx cohort DIR -o cohort.xlsx --csv DIR`` against
``pandas.read_excel(f, sheet_name=None, engine="openpyxl")`` over the same files.

Goals (issue): 1,000 typical filled workbooks -> cohort.xlsx and CSV in <= 5 s end to end,
at least 10x faster than the pandas loop measured in the same run, and peak memory
<= 300 MB for 10,000 workbooks.

The workbooks are built from the samples' data (``samples/make_samples.py``
``load_sample``) with variation, deterministically from their index: the three
samples and the three languages mixed, a unique organisation name and id,
budget quantities/unit costs and fundraising amounts changed, some table rows
(now and then a whole table) dropped, now and then a whole step left empty,
some texts changed (the index appended, words reordered), the programme level
and the plan date sometimes changed.  They are cached in
``/tmp/kuk_bench_cohort_<N>`` (``--cache``), reused when complete, and built
by a 2-process pool otherwise (files of other cache folders of the same
generator version are hard-linked instead of rebuilt).

Timed, interleaved, median of ``--reps`` (default 3) after ``--warmup`` (1):

* ``kuk-xlsx cohort`` as a subprocess (``python -m kuk_xlsx cohort``) as a trainer
  types it (no ``--jobs``: the default, one process per core up to 4 for more than
  100 files, so 2 on this 2-core machine) -- the goals are checked on this one --
  and with ``--jobs 1``; outputs outside the input folder;
* in process: ``cohort.run`` + ``write_cohort_xlsx`` + ``write_cohort_csv``;
* baseline: ``pandas.read_excel(f, sheet_name=None, engine="openpyxl")`` for
  the first ``--baseline-n`` files (default 100), scaled linearly to N.
  pandas/openpyxl are imported before timing (the subprocesses pay their own
  start-up), which favours the baseline.

``--memory M`` builds M workbooks and runs the command on them with
``--jobs 1`` and ``--jobs 2``: peak RSS of the largest process
(``os.wait4`` rusage of the child and its workers) and the sampled peak of the
process tree's summed RSS and PSS.  The goal is checked on the largest of
``--jobs 1`` max RSS and ``--jobs 2`` tree PSS.

``--profile K``: cProfile of the in-process run on the first K files, top 25 by
cumulative time.

    python benchmarks/bench_cohort.py [--n 1000] [--reps 3] [--memory 10000] [--check]
"""

from __future__ import annotations

import copy
import cProfile
import io
import multiprocessing as mp
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from _common import REPO, interleaved, parser

NAME = "bench_cohort"
SPEED_GOAL = 10.0  # cohort at least 10x faster than the pandas loop
ABS_GOAL = 5.0  # seconds for 1,000 files
DEFAULT = "kuk-xlsx cohort (default --jobs)"
ABS_FILES = 1000
MEM_GOAL_MB = 300.0
GEN_VERSION = "kuk-bench-cohort v1"
MARKER = ".complete"

sys.path.insert(0, str(REPO / "samples"))

# ---------------------------------------------------------------- generation

_SAMPLES: list[dict[str, Any]] = []
_TYPES: dict[tuple[str, str, str], str] = {}


def _init_worker() -> None:
    """Load the sample data and the spec's column types once per process."""
    from make_samples import data_files, load_sample

    from kuk_xlsx.spec.template import load_template

    tpl = load_template()
    if not _SAMPLES:
        _SAMPLES.extend(load_sample(f, tpl) for f in data_files())
    if not _TYPES:
        for step in tpl.steps:
            for blk in step.blocks:
                for col in blk.columns:
                    _TYPES[(step.key, blk.key, col.key)] = col.type


def _vary_text(rng: random.Random, text: str, i: int) -> str:
    r = rng.random()
    if r < 0.25:
        return f"{text} (#{i})"
    if r < 0.40:
        words = text.split()
        rng.shuffle(words)
        return " ".join(words)
    return text


def _vary_value(rng: random.Random, key: tuple[str, str, str], value: Any, i: int) -> Any:
    kind = _TYPES.get(key, "")
    if key[2] in ("quantity", "unit_cost", "amount") and isinstance(value, int | float):
        if rng.random() < 0.6:
            return max(1, round(value * rng.choice([0.5, 0.8, 0.9, 1.1, 1.25, 1.5, 2, 3])))
        return value
    if kind in ("text", "long_text") and isinstance(value, str):
        return _vary_text(rng, value, i)
    return value


def variant(i: int) -> dict[str, Any]:
    """build_workbook kwargs for workbook ``i`` (deterministic)."""
    from kuk_xlsx.build.workbook import Organisation

    rng = random.Random(f"{GEN_VERSION}:{i}")
    base = _SAMPLES[i % len(_SAMPLES)]
    kw = copy.deepcopy(base)
    if rng.random() < 0.5:
        kw["lang"] = rng.choice(["kk", "ru", "en"])
    if rng.random() < 0.3:
        kw["level"] = "national" if kw["level"] == "regional" else "regional"
    org: Any = base["org"]
    kw["org"] = Organisation(
        id=f"BENCH-{i:05d}",
        name=f"{org.name} {i}",
        region=org.region,
        contact_person=org.contact_person,
        contact=f"+7 700 {i // 10000:03d} {i % 10000:04d}, ngo{i}@example.kz",
    )
    data: dict[str, Any] = kw["data"]
    for step_key in list(data):
        if step_key != "profile" and rng.random() < 0.08:
            del data[step_key]  # a step left empty
            continue
        for block_key, value in data[step_key].items():
            if isinstance(value, list):  # table
                rows = [] if rng.random() < 0.04 else [r for r in value if rng.random() > 0.12]
                data[step_key][block_key] = [
                    {k: _vary_value(rng, (step_key, block_key, k), v, i) for k, v in r.items()}
                    for r in rows
                ]
            elif value and all(isinstance(v, dict) for v in value.values()):  # grid
                for row in value.values():
                    for k, v in row.items():
                        row[k] = _vary_value(rng, (step_key, block_key, k), v, i)
            else:  # fields
                for k, v in value.items():
                    value[k] = _vary_value(rng, (step_key, block_key, k), v, i)
    prof = data.get("profile", {}).get("org", {})
    if "date" in prof and rng.random() < 0.4:
        prof["date"] = date(2026, rng.randint(1, 12), rng.randint(1, 28))
    return kw


def _build_one(job: tuple[int, str]) -> int:
    from kuk_xlsx.build.workbook import build_workbook

    i, target = job
    build_workbook(target, **variant(i))
    return i


def file_name(i: int) -> str:
    return f"ngo_{i:05d}.xlsx"


def ensure_cohort(n: int, folder: Path) -> list[Path]:
    """N varied workbooks in ``folder``, built (or linked from another cache) when missing."""
    marker = folder / MARKER
    files = [folder / file_name(i) for i in range(n)]
    fresh = marker.exists() and marker.read_text() == f"{GEN_VERSION}\n{n}\n"
    if fresh and all(f.exists() for f in files):
        print(f"cohort: reusing {n} workbooks in {folder}")
        return files
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)  # complete again only once every file is there
    for stray in folder.iterdir():  # anything that is not ours would change the cohort
        if (
            stray.is_file()
            and stray.suffix == ".xlsx"
            and stray.name not in {f.name for f in files}
        ):
            stray.unlink()
    others = [
        p
        for p in folder.parent.glob("kuk_bench_cohort_*")
        if p != folder
        and (p / MARKER).exists()
        and (p / MARKER).read_text().split("\n")[0] == GEN_VERSION
    ]
    todo: list[tuple[int, str]] = []
    linked = 0
    for i, f in enumerate(files):
        if f.exists():
            continue
        for other in others:
            src = other / f.name
            if src.exists():
                try:
                    os.link(src, f)
                except OSError:
                    shutil.copy2(src, f)
                linked += 1
                break
        else:
            todo.append((i, str(f)))
    print(
        f"cohort: {n} workbooks in {folder}: {linked} linked from other caches, "
        f"{len(todo)} to build (2 processes)",
        flush=True,
    )
    if todo:
        _init_worker()  # parse the samples before forking
        t0 = time.perf_counter()
        step = max(1, len(todo) // 20)
        with mp.get_context("fork").Pool(2, initializer=_init_worker) as pool:
            for done, _ in enumerate(pool.imap_unordered(_build_one, todo, chunksize=8), 1):
                if done % step == 0 or done == len(todo):
                    el = time.perf_counter() - t0
                    print(
                        f"  built {done}/{len(todo)}  {el:6.1f} s  "
                        f"({el / done * 1000:.0f} ms/file, 2 processes)",
                        flush=True,
                    )
    marker.write_text(f"{GEN_VERSION}\n{n}\n")
    return files


def describe(files: list[Path]) -> None:
    sizes = [f.stat().st_size for f in files]
    print(
        f"files: {len(files)}, {sum(sizes) / 1e6:.1f} MB, median {statistics.median(sizes) / 1e3:.0f} KB"
    )


# ---------------------------------------------------------------- subjects


def cli_command(folder: Path, out: Path, jobs: int | None) -> list[str]:
    """The command a trainer types; ``jobs=None``: no ``--jobs``, the default."""
    command = [
        sys.executable,
        "-m",
        "kuk_xlsx",
        "cohort",
        str(folder),
        "-o",
        str(out / "cohort.xlsx"),
        "--csv",
        str(out / "csv"),
        "--lang",  # the status line checked below is the English one
        "en",
    ]
    return command if jobs is None else [*command, "--jobs", str(jobs)]


def _gnu_time() -> str:
    """/usr/bin/time when it is GNU time (``-f %M`` gives the command's max RSS in KB)."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        subprocess.run([path, "-f", "%M", "true"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return path


GNU_TIME = _gnu_time()


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB of one process, (0, 0) when it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class Run:
    """One subprocess run: wall time, its rusage max RSS and (optionally) the sampled tree peak."""

    def __init__(self, cmd: list[str], sample: bool = False, expect: str = "") -> None:
        self.cmd = cmd
        self.expect = expect  # the start of the command's last stderr line ("N files, N included")
        self.sample = sample
        self.maxrss_mb = 0.0
        self.tree_rss_mb = 0.0
        self.tree_pss_mb = 0.0
        self.stderr = ""

    @property
    def last_line(self) -> str:
        """The command's own last stderr line (``N files, N included, N missing``)."""
        lines = [x for x in self.stderr.strip().splitlines() if "exited with non-zero" not in x]
        return lines[-1] if lines else ""

    def __call__(self) -> Run:
        with (
            tempfile.TemporaryFile("w+") as err,
            tempfile.NamedTemporaryFile("w+", suffix=".time") as rusage,
        ):
            # ru_maxrss of a child forked (or vforked) from this big process counts this
            # process's pages until exec; GNU time's %M is measured from a small launcher.
            cmd = [GNU_TIME, "-f", "%M", "-o", rusage.name, *self.cmd] if GNU_TIME else self.cmd
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=REPO)
            stop = threading.Event()
            peak = [0, 0]

            def watch() -> None:
                while not stop.is_set():
                    rss = pss = 0
                    for p in _tree(proc.pid):
                        r, s = _mem_kb(p)
                        rss, pss = rss + r, pss + s
                    peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                    stop.wait(0.05)

            watcher = threading.Thread(target=watch, daemon=True) if self.sample else None
            if watcher:
                watcher.start()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            stop.set()
            if watcher:
                watcher.join()
            err.seek(0)
            self.stderr = err.read()
            if GNU_TIME:
                rusage.seek(0)
                lines = rusage.read().split()
                self.maxrss_mb = int(lines[-1]) / 1024 if lines else 0.0
            else:
                self.maxrss_mb = usage.ru_maxrss / 1024
        if proc.returncode:
            raise SystemExit(f"{' '.join(self.cmd)} failed ({proc.returncode}):\n{self.stderr}")
        if self.expect and not self.last_line.startswith(self.expect):
            raise SystemExit(f"{' '.join(self.cmd)}: expected {self.expect!r}:\n{self.stderr}")
        self.tree_rss_mb, self.tree_pss_mb = peak[0] / 1024, peak[1] / 1024
        return self


PHASES: dict[str, list[float]] = {}


def in_process(files: list[Path], out: Path) -> None:
    """run + write_cohort_xlsx + write_cohort_csv; each phase's time goes to PHASES."""
    from kuk_xlsx.cohort.collect import Cohort, run
    from kuk_xlsx.cohort.output import write_cohort_csv, write_cohort_xlsx

    t = [time.perf_counter()]
    with Cohort() as cohort:
        run(files, cohort)
        t.append(time.perf_counter())
        write_cohort_xlsx(out / "inproc.xlsx", cohort, "kk")
        t.append(time.perf_counter())
        write_cohort_csv(out / "inproc_csv", cohort, "kk")
        t.append(time.perf_counter())
    if len(cohort.records) != len(files) or len(cohort.included) != len(files):
        raise SystemExit(
            f"in process: {len(cohort.records)} records, {len(cohort.included)} included"
        )
    for name, a, b in zip(
        ("run (read, validate, summarise)", "write_cohort_xlsx", "write_cohort_csv"),
        t,
        t[1:],
        strict=False,
    ):
        PHASES.setdefault(name, []).append(b - a)


def pandas_loop(files: list[Path]) -> None:
    import pandas

    for f in files:
        pandas.read_excel(f, sheet_name=None, engine="openpyxl")


def profile(files: list[Path], out: Path) -> None:
    prof = cProfile.Profile()
    prof.enable()
    in_process(files, out)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumtime").print_stats(25)
    print(f"\ncProfile of the in-process cohort on {len(files)} files, top 25 by cumtime:")
    print("\n".join(line for line in buf.getvalue().splitlines() if line.strip()))


# ---------------------------------------------------------------- main


def _fmt_s(ts: list[float]) -> str:
    med = statistics.median(ts)
    return f"{med:8.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ts)})"


def memory(m: int) -> float:
    folder = Path(tempfile.gettempdir()) / f"kuk_bench_cohort_{m}"
    files = ensure_cohort(m, folder)
    describe(files)
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="kuk-bench-cohort-mem-") as tmp:
        for jobs in (1, 2):
            out = Path(tmp) / f"j{jobs}"
            out.mkdir()
            t0 = time.perf_counter()
            r = Run(
                cli_command(folder, out, jobs), sample=True, expect=f"{m} files, {m} included"
            )()
            el = time.perf_counter() - t0
            print(
                f"memory, {m} files, --jobs {jobs}: {el:6.1f} s; max RSS of the largest process "
                f"{r.maxrss_mb:6.1f} MB; sampled tree peak RSS {r.tree_rss_mb:6.1f} MB, "
                f"PSS {r.tree_pss_mb:6.1f} MB   [{r.last_line}]"
            )
            worst = max(worst, r.maxrss_mb if jobs == 1 else r.tree_pss_mb)
    return worst


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=3)
    for action in p._actions:
        if action.dest == "warmup":
            action.default, action.help = 1, "untimed runs of each first (default 1)"
    p.add_argument("--n", type=int, default=1000, help="workbooks in the cohort (default 1000)")
    p.add_argument("--cache", type=Path, help="cache folder (default /tmp/kuk_bench_cohort_<N>)")
    p.add_argument(
        "--baseline-n", type=int, default=100, help="files for the pandas loop (scaled to N)"
    )
    p.add_argument("--memory", type=int, metavar="M", help="also the peak-memory run on M files")
    p.add_argument("--memory-only", action="store_true", help="skip the timing (with --memory)")
    p.add_argument("--profile", type=int, metavar="K", help="cProfile in-process on K files")
    args = p.parse_args()

    ok = True
    ratio = abs_1000 = None
    if not args.memory_only:
        folder = args.cache or Path(tempfile.gettempdir()) / f"kuk_bench_cohort_{args.n}"
        files = ensure_cohort(args.n, folder)
        describe(files)
        base_files = files[: min(args.baseline_n, len(files))]
        scale = len(files) / len(base_files)
        import openpyxl  # noqa: F401 - imported outside the timed region
        import pandas  # noqa: F401

        with tempfile.TemporaryDirectory(prefix="kuk-bench-cohort-") as tmp:
            # the command as trainers run it (no --jobs), and with one process
            variants: dict[str, int | None] = {"default": None, "1": 1}
            out = {v: Path(tmp) / f"cli_{v}" for v in variants}
            for o in out.values():
                o.mkdir()
            expect = f"{len(files)} files, {len(files)} included"
            runs = {
                v: Run(cli_command(folder, out[v], j), expect=expect) for v, j in variants.items()
            }
            rss: dict[str, list[float]] = {v: [] for v in variants}

            def cli(v: str) -> None:
                rss[v].append(runs[v]().maxrss_mb)

            subjects = {
                f"pandas loop ({len(base_files)} files)": lambda: pandas_loop(base_files),
                DEFAULT: lambda: cli("default"),
                "kuk-xlsx cohort --jobs 1": lambda: cli("1"),
                "in process (run + xlsx + csv)": lambda: in_process(files, Path(tmp)),
            }
            times = interleaved(subjects, reps=args.reps, warmup=args.warmup)
            print(f"cohort command: {runs['default'].last_line}")
            print(f"outputs: {sorted(x.name for x in out['default'].rglob('*'))}")
            phases = {k: statistics.median(v[-args.reps :]) for k, v in PHASES.items()}
            if args.profile:
                profile(files[: args.profile], Path(tmp))

        base_name = f"pandas loop ({len(base_files)} files)"
        pandas_n = statistics.median(times[base_name]) * scale
        print(f"\n{args.reps} interleaved runs after {args.warmup} warm-up, {len(files)} files:")
        for name, ts in times.items():
            print(f"  {name:34} {_fmt_s(ts)}")
        print(
            f"  {'pandas loop scaled to ' + str(len(files)):34} {pandas_n:8.2f} s  "
            f"(measured on {len(base_files)} files x {scale:g}, linear; "
            f"{pandas_n / len(files) * 1000:.1f} ms/file)"
        )
        print("  in-process phases (medians):")
        for k, v in phases.items():
            print(f"    {k:32} {v:8.2f} s  ({v / len(files) * 1000:.2f} ms/file)")
        for v, sizes in rss.items():
            print(
                f"  max RSS kuk-xlsx cohort ({v} jobs): median {statistics.median(sizes):.1f} MB, "
                f"max {max(sizes):.1f} MB (largest process)"
            )
        print()
        for name in list(times)[1:]:
            med = statistics.median(times[name])
            print(
                f"  {name:34} {pandas_n / med:6.1f}x faster than pandas, "
                f"{med * ABS_FILES / len(files):6.2f} s per 1,000 files"
            )
        from kuk_xlsx.cohort.collect import default_jobs

        subject = statistics.median(times[DEFAULT])
        ratio = subject / pandas_n
        abs_1000 = subject * ABS_FILES / len(files)
        abs_ok = abs_1000 <= ABS_GOAL
        ok &= abs_ok and ratio <= 1 / SPEED_GOAL
        print(
            f"ABS {NAME} {abs_1000:.2f} s per 1,000 files, kuk-xlsx cohort as typed "
            f"(--jobs {default_jobs(len(files))} by default here) "
            f"(goal <= {ABS_GOAL:.0f} s){'' if abs_ok else '  MISSED'}"
        )
        print(f"SPEEDUP {NAME} {1 / ratio:.1f}x (goal >= {SPEED_GOAL:.0f}x)")

    if args.memory:
        worst = memory(args.memory)
        mem_ok = worst <= MEM_GOAL_MB
        ok &= mem_ok
        print(
            f"MEM {NAME} {worst:.1f} MB for {args.memory} files "
            f"(goal <= {MEM_GOAL_MB:.0f} MB){'' if mem_ok else '  MISSED'}"
        )

    if ratio is not None:
        speed_ok = ratio <= 1 / SPEED_GOAL
        print(
            f"RATIO {NAME} {ratio:.3f} (goal <= {1 / SPEED_GOAL:.3f})"
            f"{'' if speed_ok else '  MISSED'}"
        )
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
