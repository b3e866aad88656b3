"""The ``kuk-xlsx`` command.  Thin: parse options, call one library function, print.

Heavy libraries (pandas, openpyxl, xlsxwriter) are imported inside commands so
``kuk-xlsx --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from kuk_xlsx import __version__

LANG_CHOICE = click.Choice(["kk", "ru", "en"])


def _say_error(exc: Exception, lang: str) -> str:
    """An error's message in ``lang`` when it has one there (output errors do)."""
    message = getattr(exc, "message", None)
    return message(lang) if callable(message) else str(exc)


def _fail(exc: Exception, lang: str = "kk") -> click.ClickException:
    return click.ClickException(_say_error(exc, lang))


def _warn_cut_cells(lang: str) -> None:
    """Say once if any output cell had to be cut to Excel's limit."""
    from kuk_xlsx.catalogue import text
    from kuk_xlsx.write.safe import cut_cells

    n = cut_cells.take()
    if n:
        click.echo(text("write.cut", lang, n=n), err=True)


def _require_safe_openpyxl(lang: str = "kk") -> None:
    """openpyxl opens NGOs' files only for feedback copies: make sure defusedxml guards it."""
    from kuk_xlsx.outputs.feedback.guard import SetupError, require_defusedxml

    try:
        require_defusedxml()
    except SetupError as exc:
        raise _fail(exc, lang) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kuk-xlsx")
def cli() -> None:
    """Training workbooks for NGO organisational development (kk / ru / en).

    Generate the workbooks, read completed ones back, validate them and
    aggregate a cohort for trainers.
    """


@cli.command("new")
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), help="Workbook to write."
)
@click.option(
    "--lang", type=LANG_CHOICE, default="kk", show_default=True, help="Language of the workbook."
)
@click.option(
    "--modules",
    default="",
    help="Comma-separated modules (strategy, project, fundraising, network) or step keys; default: all.",
)
@click.option("--org", default="", help="Organisation name to pre-fill.")
@click.option(
    "--org-id", default="", help="Organisation id to embed (for matching returned files)."
)
@click.option(
    "--level",
    type=click.Choice(["national", "regional"]),
    default="national",
    show_default=True,
    help="Programme level: sets the M&E budget band (5-10% national, 3-5% regional).",
)
@click.option("--protect", is_flag=True, help="Lock everything but the input cells.")
@click.option(
    "--roster",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="CSV or XLSX list of organisations: one pre-filled workbook each.",
)
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for --roster workbooks.",
)
def new_cmd(
    output: Path | None,
    lang: str,
    modules: str,
    org: str,
    org_id: str,
    level: str,
    protect: bool,
    roster: Path | None,
    out_dir: Path | None,
) -> None:
    """Write a blank training workbook (or one per organisation with --roster)."""
    from kuk_xlsx.build.workbook import BuildError, Organisation, build_workbook
    from kuk_xlsx.roster import RosterError, read_roster, roster_filenames
    from kuk_xlsx.spec.template import SpecError
    from kuk_xlsx.write.safe import OutputError

    mods = [m for m in modules.split(",") if m.strip()] or None
    try:
        if roster is not None:
            if out_dir is None:
                raise click.UsageError("--roster needs --out-dir")
            entries = read_roster(roster)
            for entry, name in zip(entries, roster_filenames(entries), strict=True):
                path = build_workbook(
                    out_dir / name,
                    lang=lang,
                    modules=mods,
                    org=entry.org,
                    level=level,
                    protect=protect,
                )
                click.echo(str(path))
            click.echo(f"{len(entries)} workbooks written to {out_dir}", err=True)
            return
        target = output or Path(f"kuk_workbook_{lang}.xlsx")
        path = build_workbook(
            target,
            lang=lang,
            modules=mods,
            org=Organisation(id=org_id, name=org),
            level=level,
            protect=protect,
        )
        click.echo(str(path))
    except (BuildError, RosterError, OutputError, SpecError) as exc:
        raise _fail(exc, lang) from None


@cli.command("demo")
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
def demo_cmd(out_dir: Path) -> None:
    """Run the whole job into OUT_DIR: blank templates (kk/ru/en), a roster and its workbooks,
    then the samples as returned files: validation report, feedback copies, cohort workbook."""
    from kuk_xlsx.cli.demo import run_demo
    from kuk_xlsx.write.safe import OutputError

    _require_safe_openpyxl()
    try:
        for line in run_demo(out_dir):
            click.echo(line)
    except OutputError as exc:
        raise _fail(exc) from None


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--lang", type=LANG_CHOICE, default="kk", show_default=True, help="Language of the messages."
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write one row per finding to this .xlsx (filterable).",
)
@click.option(
    "--feedback",
    "feedback_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write a copy of each workbook with the feedback inside into this folder.",
)
@click.option(
    "--cap",
    type=click.IntRange(1, 1000),
    default=5,
    show_default=True,
    help="Show at most this many findings of one rule per step.",
)
def validate_cmd(
    paths: tuple[Path, ...],
    fmt: str,
    lang: str,
    report_path: Path | None,
    feedback_dir: Path | None,
    cap: int,
) -> None:
    """Check returned workbooks (files, folders or globs) and say what to fix, cell by cell.

    Exit status: 0 no errors, 1 findings of severity error, 2 unreadable files.
    """
    import json

    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.outputs.report import document_json, summary_line, text_lines, write_xlsx_report
    from kuk_xlsx.package.files import collect
    from kuk_xlsx.write.safe import OutputError, refuse_inputs

    files, skipped = collect(paths)
    for s in skipped:
        click.echo(s.message(lang), err=True)
    targets: dict[Path, Path] = {}
    try:
        refuse_inputs([report_path, feedback_dir], files)
        if feedback_dir is not None:
            from kuk_xlsx.outputs.feedback import feedback_targets

            targets = feedback_targets(files, feedback_dir)
    except OutputError as exc:
        raise click.UsageError(_say_error(exc, lang)) from None
    if feedback_dir is not None:
        _require_safe_openpyxl(lang)
    written: list[Path] = []
    reports = []
    show_bar = fmt == "text" and len(files) > 1 and sys.stderr.isatty()
    with click.progressbar(files, label="kuk-xlsx", file=sys.stderr, hidden=not show_bar) as bar:
        for path in bar:
            report = validate(path)
            reports.append(report)
            if feedback_dir is not None and report.plan is not None:
                from kuk_xlsx.outputs.feedback import write_feedback

                try:
                    written.append(write_feedback(report, feedback_dir, lang, target=targets[path]))
                except OutputError as exc:
                    click.echo(_say_error(exc, lang), err=True)
            if fmt == "text":
                for line, colour in text_lines(report, lang, cap=cap):
                    click.echo(click.style(line, fg=colour) if colour else line)
    if fmt == "json":
        click.echo(json.dumps(document_json(reports, lang), ensure_ascii=False, indent=1))
    else:
        click.echo(summary_line(reports, lang))
    if feedback_dir is not None:
        _tell_feedback(files, targets, written, feedback_dir, lang)
    if report_path is not None:
        try:
            write_xlsx_report(report_path, reports, lang)
        except OutputError as exc:
            raise _fail(exc, lang) from None
    _warn_cut_cells(lang)
    statuses = {r.status for r in reports}
    if "UNREADABLE" in statuses or any(s.reason in ("missing", "not-file") for s in skipped):
        sys.exit(2)
    sys.exit(1 if "ERRORS" in statuses else 0)


def _tell_feedback(
    files: list[Path], targets: dict[Path, Path], written: list[Path], folder: Path, lang: str
) -> None:
    """Say where the feedback copies went, and which were kept apart by folder."""
    from kuk_xlsx.catalogue import text

    done = set(written)
    for src in files:
        target = targets.get(src)
        if target in done and target.parent != folder:
            click.echo(text("outputs.feedback.renamed", lang, src=src, target=target), err=True)
    click.echo(text("outputs.feedback.written", lang, n=len(written), folder=folder), err=True)


@cli.command("summary")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True
)
@click.option("--lang", type=LANG_CHOICE, default="kk", show_default=True)
def summary_cmd(file: Path, fmt: str, lang: str) -> None:
    """One NGO's plan at a glance: completion per step, counts, key figures, findings."""
    import json

    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.summary import summarise, summary_lines

    report = validate(file)
    data = summarise(report)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        if report.problem is not None:
            click.echo(f"{file}: {report.problem.message(lang)}", err=True)
            sys.exit(2)
        for line in summary_lines(data, lang, markdown=fmt == "md"):
            click.echo(line)
    sys.exit(2 if report.problem is not None else 0)


@cli.command("cohort")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("cohort.xlsx"),
    show_default=True,
    help="The cohort workbook to write.",
)
@click.option(
    "--roster",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="CSV/XLSX list of organisations: match by id, list who is missing.",
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write tidy CSV files (UTF-8 with BOM) into this folder.",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Append this round to a SQLite file.",
)
@click.option(
    "--round",
    "round_name",
    default="",
    help="Name of this round (for --db); default: today's date.",
)
@click.option(
    "--anonymise", is_flag=True, help="Replace organisation names and contacts by stable codes."
)
@click.option("--lang", type=LANG_CHOICE, default="kk", show_default=True)
@click.option(
    "--jobs",
    type=click.IntRange(0, 32),
    default=0,
    show_default=True,
    help="Worker processes; 0: one per core (up to 4) for more than 100 files.",
)
def cohort_cmd(
    paths: tuple[Path, ...],
    output: Path,
    roster: Path | None,
    csv_dir: Path | None,
    db: Path | None,
    round_name: str,
    anonymise: bool,
    lang: str,
    jobs: int,
) -> None:
    """Aggregate returned workbooks: manifest, overview heat map, rules, charts, long data."""
    from datetime import date as _date

    from kuk_xlsx.cohort.collect import Cohort, default_jobs, run
    from kuk_xlsx.cohort.output import write_cohort_csv, write_cohort_xlsx
    from kuk_xlsx.package.files import collect
    from kuk_xlsx.roster import RosterError, read_roster
    from kuk_xlsx.write.safe import OutputError, refuse_inputs

    files, skipped = collect(paths)
    for s in skipped:
        click.echo(s.message(lang), err=True)
    try:
        refuse_inputs([output, db], files)
        entries = read_roster(roster) if roster else []
    except (OutputError, RosterError) as exc:
        raise click.UsageError(_say_error(exc, lang)) from None
    cohort = Cohort(roster=entries, anonymise=anonymise)
    show = sys.stderr.isatty() and len(files) > 1
    try:
        with click.progressbar(
            length=len(files), label="kuk-xlsx cohort", file=sys.stderr, hidden=not show
        ) as bar:
            if jobs == 0:
                jobs = default_jobs(len(files))
            run(files, cohort, jobs=jobs, progress=lambda _rec: bar.update(1))
        write_cohort_xlsx(output, cohort, lang)
        click.echo(str(output))
        if csv_dir is not None:
            for path in write_cohort_csv(csv_dir, cohort, lang):
                click.echo(str(path))
        if db is not None:
            from kuk_xlsx.cohort.store import append_round

            name = round_name or _date.today().isoformat()
            added = append_round(db, cohort, name)
            click.echo(f"{db}: round {name}: {added} new submissions")
    except OutputError as exc:
        raise _fail(exc, lang) from None
    finally:
        cohort.close()
    _warn_cut_cells(lang)
    included = len(cohort.included)
    click.echo(
        f"{len(cohort.records)} files, {included} included, {len(cohort.missing)} missing", err=True
    )


@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--lang", type=LANG_CHOICE, default="kk", show_default=True)
def diff_cmd(old: Path, new: Path, fmt: str, lang: str) -> None:
    """What changed between two submissions of one NGO, step by step."""
    import json

    from kuk_xlsx.diff import diff_plans, unchanged
    from kuk_xlsx.read.reader import ReadError, read_workbook
    from kuk_xlsx.spec.template import load_template

    plans = []
    for path in (old, new):
        try:
            plans.append(read_workbook(path))
        except ReadError as exc:
            click.echo(f"{path}: {exc.problem.message(lang)}", err=True)
            sys.exit(2)
    diffs = diff_plans(*plans)
    if fmt == "json":
        doc = {
            "kuk_diff": 1,
            "old": str(old),
            "new": str(new),
            "unchanged": unchanged(diffs),
            "steps": {
                d.step: {"counts": d.counts(), "changes": [c.__dict__ for c in d.changes]}
                for d in diffs
            },
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return
    words = {
        "kk": ("өзгеріссіз қайта жіберілді", "қосылды", "жойылды", "өзгерді"),
        "ru": ("прислано повторно без изменений", "добавлено", "удалено", "изменено"),
        "en": ("resubmitted unchanged", "added", "removed", "changed"),
    }[lang]
    if unchanged(diffs):
        click.echo(f"{new}: {words[0]}")
        return
    tpl = load_template()
    for d in diffs:
        if not d.changes:
            continue
        c = d.counts()
        click.echo(
            f"[{tpl.step(d.step).sheet.get(lang)}] {words[1]} {c['added']}, {words[2]} {c['removed']}, "
            f"{words[3]} {c['changed']}"
        )
        for ch in d.changes[:20]:
            label = dict(zip(("added", "removed", "changed"), words[1:], strict=True))[ch.kind]
            click.echo(f"  {label}: {ch.block} {ch.key}: {ch.old!s:.60} → {ch.new!s:.60}")


@cli.command("compare")
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("round_a")
@click.argument("round_b")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def compare_cmd(db: Path, round_a: str, round_b: str, fmt: str) -> None:
    """Change per NGO between two rounds stored with cohort --db."""
    import json

    from kuk_xlsx.cohort.store import compare_rounds

    try:
        changes = compare_rounds(db, round_a, round_b)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "kuk_compare": 1,
                    "rounds": [round_a, round_b],
                    "ngos": [c.__dict__ | {"delta": c.delta} for c in changes],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v * 100:.0f}%"

    for c in changes:
        delta = "" if c.delta is None else f" ({c.delta * 100:+.0f})"
        click.echo(
            f"{c.ngo:<40} {pct(c.completion_a):>5} → {pct(c.completion_b):>5}{delta}   "
            f"errors {c.errors_a if c.errors_a is not None else '—'} → "
            f"{c.errors_b if c.errors_b is not None else '—'}"
        )


@cli.command("dump")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--lang", type=LANG_CHOICE, default="kk", show_default=True, help="Language of messages."
)
def dump_cmd(file: Path, fmt: str, lang: str) -> None:
    """Print the data read from FILE with stable, language-independent keys."""
    import json

    from kuk_xlsx.read.reader import ReadError, read_workbook

    try:
        plan = read_workbook(file)
    except ReadError as exc:
        click.echo(f"{file}: {exc.problem.message(lang)}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(plan.to_json(), ensure_ascii=False, indent=1))
        return
    for line in plan_lines(plan.to_json()):
        click.echo(line)


def plan_lines(doc: dict) -> list[str]:
    """A plain listing of a dump: one line per value, with its cell."""
    out = [
        f"{doc['file']}: {doc['template']['id']} {doc['template']['version']} ({doc['template']['language']})"
    ]
    for step, st in doc["steps"].items():
        out.append(f"[{step}] {st['sheet']}")
        for block, b in st["blocks"].items():
            rows = b.get("rows") or [{"row": None, "values": b.get("values", {})}]
            for row in rows:
                for col, v in row["values"].items():
                    out.append(f"  {block}.{col} {v['cell']}: {v['value']}")
    out += [f"missing step: {s}" for s in doc["missing_steps"]]
    out += [
        f"note: {i['code']} {i.get('sheet', '')}!{i.get('cell', '')} {i.get('note', '')}"
        for i in doc["interpretations"]
    ]
    return out


def main() -> None:
    """Console entry point: no traceback ever reaches a user."""
    try:
        cli(prog_name="kuk-xlsx")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        import tempfile
        import traceback

        log = Path(tempfile.gettempdir()) / "kuk-xlsx-error.log"
        with contextlib.suppress(OSError):
            log.write_text(traceback.format_exc(), encoding="utf-8")
        click.echo(
            f"kuk-xlsx: unexpected error ({type(exc).__name__}: {exc}). "
            f"Details are in {log}; please send that file to the developers.",
            err=True,
        )
        sys.exit(3)
