"""One blank template (``build_workbook(path, lang="kk")``) against a bare xlsxwriter write.

Goal: ratio <= 1.3 -- the builder's own work (spec walk, names, formats,
validation, atomic write) should cost little next to xlsxwriter itself.

The baseline writes exactly the same content: every call the builder makes on
xlsxwriter's Workbook and Worksheet objects is recorded once (the classes'
public methods are wrapped for one build; calls xlsxwriter makes on itself are
not recorded), then the call list is replayed against plain xlsxwriter, formats
and worksheets recreated in the same order.  The replayed file is compared part
by part with the builder's.

``load_template()`` is cached, so the timed builds are warm; the cold cost of
loading the spec (``load_template.__wrapped__()``) is timed in the same loop and
printed separately.

    python benchmarks/bench_build.py [--reps 30] [--lang kk] [--check] [--profile]
"""

from __future__ import annotations

import copy
import cProfile
import functools
import io
import pstats
import statistics
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import finish, interleaved, ms, parser, table

NAME = "bench_build"
GOAL = 1.3
# Queries the builder makes that write nothing: recorded, not replayed.
QUERIES = frozenset({"get_name", "get_worksheet_by_name", "worksheets", "get_default_url_format"})


@dataclass(frozen=True)
class Ref:
    """An xlsxwriter object made by an earlier call: ("fmt" | "ws", creation index)."""

    kind: str
    index: int


@dataclass
class Call:
    target: Ref | None  # None: the workbook
    method: str
    args: tuple
    kwargs: dict
    has_refs: bool
    makes: str | None  # "fmt" / "ws" when the call returns an object later calls use


@dataclass
class Recording:
    init_args: tuple = ()
    init_kwargs: dict = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.calls:
            out[c.method] = out.get(c.method, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def record(build: Any) -> Recording:
    """Run ``build()`` once with xlsxwriter's public methods wrapped; return the calls."""
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    rec = Recording()
    known: dict[int, Ref] = {}
    alive: list[object] = []  # keep recorded objects alive so their ids stay unique
    depth = 0

    def freeze(value: Any, found: list[bool]) -> Any:
        if isinstance(value, Format | Worksheet):
            found.append(True)
            return known[id(value)]
        if isinstance(value, dict):
            return {k: freeze(v, found) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(freeze(v, found) for v in value)
        return copy.deepcopy(value)

    def wrap(cls: type, name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal depth
            outer = depth == 0
            if outer:
                found: list[bool] = []
                fargs, fkwargs = freeze(args, found), freeze(kwargs, found)
            depth += 1
            try:
                result = fn(self, *args, **kwargs)
            finally:
                depth -= 1
            if outer:
                if name == "__init__":
                    rec.init_args, rec.init_kwargs = fargs, fkwargs
                    return result
                makes = None
                if isinstance(result, Format | Worksheet):
                    makes = "fmt" if isinstance(result, Format) else "ws"
                    known[id(result)] = Ref(
                        makes, sum(1 for r in known.values() if r.kind == makes)
                    )
                    alive.append(result)
                target = None if isinstance(self, Workbook) else known[id(self)]
                rec.calls.append(Call(target, name, fargs, fkwargs, bool(found), makes))
            return result

        return wrapper

    saved: list[tuple[type, str, Any]] = []
    for cls in (Workbook, Worksheet):
        for name in dir(cls):
            if name.startswith("_") and name != "__init__":
                continue
            fn = getattr(cls, name)
            if callable(fn) and not isinstance(fn, type):
                saved.append((cls, name, cls.__dict__.get(name)))
                setattr(cls, name, wrap(cls, name, fn))
    try:
        build()
    finally:
        for cls, name, original in saved:
            if original is None:
                delattr(cls, name)  # was inherited
            else:
                setattr(cls, name, original)
    return rec


def _resolve(value: Any, objs: dict[str, list[Any]]) -> Any:
    if isinstance(value, Ref):
        return objs[value.kind][value.index]
    if isinstance(value, dict):
        return {k: _resolve(v, objs) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_resolve(v, objs) for v in value)
    return value


def replay(rec: Recording, path: str) -> None:
    """The recorded calls against plain xlsxwriter, writing ``path``."""
    from xlsxwriter import Workbook

    wb = Workbook(path, *rec.init_args[1:], **rec.init_kwargs)
    objs: dict[str, list[Any]] = {"fmt": [], "ws": []}
    for call in rec.calls:
        if call.method in QUERIES:
            continue
        obj = wb if call.target is None else objs["ws"][call.target.index]
        if call.has_refs:
            result = getattr(obj, call.method)(
                *_resolve(call.args, objs), **_resolve(call.kwargs, objs)
            )
        else:
            result = getattr(obj, call.method)(*call.args, **call.kwargs)
        if call.makes:
            objs[call.makes].append(result)


def compare(a: Path, b: Path) -> str:
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names_a, names_b = set(za.namelist()), set(zb.namelist())
        if names_a != names_b:
            return f"DIFFERENT part lists: {sorted(names_a ^ names_b)}"
        differ = [n for n in sorted(names_a) if za.read(n) != zb.read(n)]
    if differ:
        return f"DIFFERENT parts: {', '.join(differ)}"
    return f"identical ({len(names_a)} parts)"


def profile(build: Any, runs: int = 10) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(runs):
        build()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    print(f"\ncProfile of build_workbook x{runs}, top 15 by tottime:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


def main() -> int:
    p = parser(__doc__.splitlines()[0], reps=30)
    p.add_argument("--lang", default="kk", choices=("kk", "ru", "en"))
    p.add_argument("--profile", action="store_true", help="cProfile top 15 of build_workbook")
    args = p.parse_args()

    from kuk_xlsx.build.workbook import build_workbook
    from kuk_xlsx.spec.template import load_template

    load_template()  # warm: the timed builds use the cached template
    with tempfile.TemporaryDirectory(prefix="kuk-bench-") as tmp:
        built, replayed = Path(tmp) / "built.xlsx", Path(tmp) / "replayed.xlsx"
        rec = record(lambda: build_workbook(built, lang=args.lang))
        replay(rec, str(replayed))
        same = compare(built, replayed)

        times = interleaved(
            {
                "bare xlsxwriter replay": lambda: replay(rec, str(replayed)),
                "build_workbook (warm)": lambda: build_workbook(built, lang=args.lang),
                "load_template (cold)": lambda: load_template.__wrapped__(),
            },
            reps=args.reps,
            warmup=args.warmup,
        )
        size = built.stat().st_size
        same_after = compare(built, replayed)
        code = report(rec, times, size, same, same_after, args.lang, args.reps, args.check)
        if args.profile:
            profile(lambda: build_workbook(built, lang=args.lang))
    return code


def report(
    rec: Recording,
    times: dict[str, list[float]],
    size: int,
    same: str,
    same_after: str,
    lang: str,
    reps: int,
    check: bool,
) -> int:
    writes = sum(1 for c in rec.calls if c.method not in QUERIES)
    top = ", ".join(f"{k} {v}" for k, v in list(rec.counts().items())[:8])
    print(f"recorded {len(rec.calls)} calls ({writes} replayed): {top}, ...")
    print(f"workbook {size} bytes; replayed file vs builder's: {same}; after timing: {same_after}")
    print(f"\nlang={lang}, {reps} interleaved runs each:")
    table(times, "bare xlsxwriter replay")
    base = statistics.median(times["bare xlsxwriter replay"])
    warm = statistics.median(times["build_workbook (warm)"])
    cold_tpl = statistics.median(times["load_template (cold)"])
    print(
        f"cold build = load_template + warm build ~ {ms(cold_tpl + warm).strip()} ms "
        f"(ratio {(cold_tpl + warm) / base:.2f}, for reference)"
    )
    return finish(NAME, warm / base, GOAL, check)


if __name__ == "__main__":
    sys.exit(main())
