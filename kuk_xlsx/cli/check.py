"""The commands that read returned workbooks: ``validate``, ``summary``, ``dump``, ``diff``.

Every line goes out through :func:`kuk_xlsx.cli.console.say` (text from a
workbook or a file name cannot drive the terminal) and every word comes from the
catalogue.  Exit status: 0 fine, 1 errors found (validate), 2 a file could not be
read or an output could not be written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.console import (
    KukCommand,
    fail,
    lang_option,
    message_of,
    require_safe_openpyxl,
    say,
    say_json,
    usage,
    warn_cut_cells,
)

TEXT_OR_JSON = click.Choice(["text", "json"])


@click.command("validate", cls=KukCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@lang_option()
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--feedback", "feedback_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--cap", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--jobs", type=click.IntRange(0, 32), default=0, show_default=True)
def validate_cmd(
    paths: tuple[Path, ...],
    fmt: str,
    lang: str,
    report_path: Path | None,
    feedback_dir: Path | None,
    cap: int,
    jobs: int,
) -> None:
    """Check returned workbooks and say what to fix, cell by cell (cli.help.validate)."""
    from kuk_xlsx.outputs.report import document_json, summary_line, text_lines, write_xlsx_report
    from kuk_xlsx.package.files import collect
    from kuk_xlsx.write.safe import OutputError, cut_cells, refuse_inputs

    files, skipped = collect(paths)
    for s in skipped:
        say(s.message(lang), err=True)
    targets: dict[Path, Path] = {}
    try:
        refuse_inputs([report_path, feedback_dir], files)
        if feedback_dir is not None:
            from kuk_xlsx.outputs.feedback import feedback_targets

            targets = feedback_targets(files, feedback_dir)
    except OutputError as exc:
        raise usage(exc, lang) from None
    if feedback_dir is not None:
        require_safe_openpyxl(lang)
    written: list[Path] = []
    not_written = 0
    reports = []
    show_bar = fmt == "text" and len(files) > 1 and sys.stderr.isatty()
    if jobs == 0:
        from kuk_xlsx.cohort.collect import default_jobs

        # (a feedback copy costs about three reads; see benchmarks/bench_feedback.py)
        jobs = default_jobs(len(files) * (FEEDBACK_WEIGHT if feedback_dir is not None else 1))
    work = [(path, feedback_dir, lang, targets.get(path)) for path in files]
    with (
        click.progressbar(
            length=len(files), label="kuk-xlsx", file=sys.stderr, hidden=not show_bar
        ) as bar,
        _pool(jobs, len(files)) as pool,
    ):
        results = pool.map(_check_one, work) if pool is not None else map(_check_one, work)
        for report, copy, problem, cut in results:
            bar.update(1)
            cut_cells.count += cut
            reports.append(report)
            if copy is not None:
                written.append(copy)
            if problem is not None:
                say(message_of(problem, lang), err=True)
                not_written += 1
            if fmt == "text":
                for line, colour in text_lines(report, lang, cap=cap):
                    say(line, fg=colour)
    if fmt == "json":
        say_json(document_json(reports, lang))
    else:
        say(summary_line(reports, lang))
    if feedback_dir is not None:
        _tell_feedback(files, targets, written, feedback_dir, lang)
    if report_path is not None:
        try:
            say(
                text(
                    "cli.validate.report", lang, path=write_xlsx_report(report_path, reports, lang)
                ),
                err=True,
            )
        except OutputError as exc:
            raise fail(exc, lang) from None
    warn_cut_cells(lang)
    statuses = {r.status for r in reports}
    if (
        "UNREADABLE" in statuses
        or not_written
        or any(s.reason in ("missing", "not-file") for s in skipped)
    ):
        sys.exit(2)
    sys.exit(1 if "ERRORS" in statuses else 0)


FEEDBACK_WEIGHT = 3  # a feedback copy's cost in reads (bench_feedback: 2.85), for --jobs 0


def _pool(jobs: int, n_files: int) -> Any:
    """A process pool for ``jobs`` > 1 (and more than one file), else a null context."""
    import contextlib

    if jobs <= 1 or n_files <= 1:
        return contextlib.nullcontext(None)
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=min(jobs, n_files))


def _check_one(
    job: tuple[Path, Path | None, str, Path | None],
) -> tuple[Any, Path | None, Exception | None, int]:
    """Validate one file and write its feedback copy (in a worker process, or here):
    (report, the copy or None, why the copy was not written or None, cells cut)."""
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.write.safe import OutputError, cut_cells

    path, feedback_dir, lang, target = job
    before = cut_cells.count
    report = validate(path)
    copy, problem = None, None
    if feedback_dir is not None and report.plan is not None:
        from kuk_xlsx.outputs.feedback import write_feedback

        try:
            copy = write_feedback(report, feedback_dir, lang, target=target)
        except OutputError as exc:
            problem = exc
    return report, copy, problem, cut_cells.count - before


def _tell_feedback(
    files: list[Path], targets: dict[Path, Path], written: list[Path], folder: Path, lang: str
) -> None:
    """Say where the feedback copies went, and which were kept apart by folder."""
    done = set(written)
    for src in files:
        target = targets.get(src)
        if target in done and target.parent != folder:
            say(text("outputs.feedback.renamed", lang, src=src, target=target), err=True)
    say(text("outputs.feedback.written", lang, n=len(written), folder=folder), err=True)


@click.command("summary", cls=KukCommand)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True
)
@lang_option()
def summary_cmd(file: Path, fmt: str, lang: str) -> None:
    """One NGO's plan at a glance (cli.help.summary)."""
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.summary import summarise, summary_lines

    report = validate(file)
    data = summarise(report)
    if fmt == "json":
        say_json(data)
    else:
        if report.problem is not None:
            say(f"{file}: {report.problem.message(lang)}", err=True)
            sys.exit(2)
        for line in summary_lines(data, lang, markdown=fmt == "md"):
            say(line)
    sys.exit(2 if report.problem is not None else 0)


@click.command("dump", cls=KukCommand)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@lang_option()
def dump_cmd(file: Path, fmt: str, lang: str) -> None:
    """Print the data read from FILE with stable, language-independent keys (cli.help.dump)."""
    from kuk_xlsx.read.reader import ReadError, read_workbook

    try:
        plan = read_workbook(file)
    except ReadError as exc:
        say(f"{file}: {exc.problem.message(lang)}", err=True)
        sys.exit(2)
    if fmt == "json":
        say_json(plan.to_json())
        return
    for line in plan_lines(plan.to_json(), lang):
        say(line)


def plan_lines(doc: dict, lang: str = "en") -> list[str]:
    """A plain listing of a dump: one line per value, with its cell."""
    t = doc["template"]
    out = [f"{doc['file']}: {t['id']} {t['version']} ({t['language']})"]
    for step, st in doc["steps"].items():
        out.append(f"[{step}] {st['sheet']}")
        for block, b in st["blocks"].items():
            rows = b.get("rows") or [{"row": None, "values": b.get("values", {})}]
            for row in rows:
                for col, v in row["values"].items():
                    out.append(f"  {block}.{col} {v['cell']}: {v['value']}")
    out += [text("cli.dump.missing_step", lang, step=s) for s in doc["missing_steps"]]
    note = text("cli.dump.note", lang)
    out += [
        f"{note}: {i['code']} {i.get('sheet', '')}!{i.get('cell', '')} {i.get('note', '')}"
        for i in doc["interpretations"]
    ]
    return out


DIFF_SHOWN = 20  # changes listed per step; --format json has them all


@click.command("diff", cls=KukCommand)
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=TEXT_OR_JSON, default="text", show_default=True)
@lang_option()
def diff_cmd(old: Path, new: Path, fmt: str, lang: str) -> None:
    """What changed between two submissions of one NGO, step by step (cli.help.diff)."""
    from kuk_xlsx.diff import change_lines, diff_plans, same_organisation, unchanged
    from kuk_xlsx.read.reader import ReadError, read_workbook
    from kuk_xlsx.spec.template import load_template

    plans = []
    for path in (old, new):
        try:
            plans.append(read_workbook(path))
        except ReadError as exc:
            say(f"{path}: {exc.problem.message(lang)}", err=True)
            sys.exit(2)
    if not same_organisation(*plans):
        names = [p.org_name or p.org_id or p.path for p in plans]
        say(text("diff.other_ngo", lang, old=names[0], new=names[1]), err=True)
    diffs = diff_plans(*plans)
    if fmt == "json":
        say_json(
            {
                "kuk_diff": 1,
                "old": str(old),
                "new": str(new),
                "unchanged": unchanged(diffs),
                "steps": {
                    d.step: {"counts": d.counts(), "changes": [c.__dict__ for c in d.changes]}
                    for d in diffs
                },
            }
        )
        return
    if unchanged(diffs):
        say(text("cli.diff.unchanged", lang, path=new))
        return
    tpl = load_template()
    kinds = {k: text(f"cli.diff.{k}", lang) for k in ("added", "removed", "changed")}
    for d in diffs:
        if not d.changes:
            continue
        c = d.counts()
        counts = ", ".join(f"{kinds[k]} {c[k]}" for k in kinds)
        say(f"[{tpl.step(d.step).sheet.get(lang)}] {counts}")
        for ch in d.changes[:DIFF_SHOWN]:
            first, *rest = change_lines(tpl, d.step, ch, lang)
            say(f"  {kinds[ch.kind]}: {first}")
            for line in rest:
                say(line)
        if len(d.changes) > DIFF_SHOWN:
            say(text("cli.diff.more", lang, n=len(d.changes) - DIFF_SHOWN))
