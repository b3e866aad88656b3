"""The trainer's commands for many NGOs: ``cohort`` and ``compare``.

``cohort`` always says on screen who is missing; ``compare`` reads the rounds
``cohort --db`` stored.  Exit status 2 when a path does not exist or an output
cannot be written: the batch still goes on for every file that is there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.console import KukCommand, fail, lang_option, say, say_json, usage, warn_cut_cells

MISSING_SHOWN = 20  # lines naming NGOs and files on screen; the cohort workbook has them all


@click.command("cohort", cls=KukCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("cohort.xlsx"),
    show_default=True,
)
@click.option("--roster", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--round", "round_name", default="")
@click.option("--anonymise", is_flag=True)
@lang_option()
@click.option("--jobs", type=click.IntRange(0, 32), default=0, show_default=True)
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
    """Aggregate returned workbooks (cli.help.cohort)."""
    from datetime import date as _date

    from kuk_xlsx.cohort.collect import Cohort, default_jobs, run
    from kuk_xlsx.cohort.output import write_cohort_csv, write_cohort_xlsx
    from kuk_xlsx.package.files import collect
    from kuk_xlsx.roster import RosterError, read_roster
    from kuk_xlsx.write.safe import OutputError, refuse_inputs

    files, skipped = collect(paths)
    for s in skipped:
        say(s.message(lang), err=True)
    lost = any(s.reason in ("missing", "not-file") for s in skipped)
    if not files and lost:
        raise fail(text("cli.cohort.nothing", lang), lang)
    try:
        refuse_inputs([output, db], files)
        entries = read_roster(roster) if roster else []
    except (OutputError, RosterError) as exc:
        raise usage(exc, lang) from None
    cohort = Cohort(roster=entries, anonymise=anonymise)
    show = sys.stderr.isatty() and len(files) > 1
    try:
        with click.progressbar(
            length=len(files), label="kuk-xlsx cohort", file=sys.stderr, hidden=not show
        ) as bar:
            if jobs == 0:
                jobs = default_jobs(len(files))
            run(files, cohort, jobs=jobs, progress=lambda _rec: bar.update(1))
        say(write_cohort_xlsx(output, cohort, lang))
        if csv_dir is not None:
            for path in write_cohort_csv(csv_dir, cohort, lang):
                say(path)
        if db is not None:
            from kuk_xlsx.cohort.store import append_round

            name = round_name or _date.today().isoformat()
            added = append_round(db, cohort, name)
            say(text("cli.cohort.round", lang, db=db, name=name, n=added))
    except OutputError as exc:
        raise fail(exc, lang) from None
    finally:
        cohort.close()
    warn_cut_cells(lang)
    n = {"files": len(cohort.records), "included": len(cohort.included)}
    say(text("cli.cohort.summary", lang, missing=len(cohort.missing), **n), err=True)
    lines = [
        *(
            text("cli.cohort.missing_ngo", lang, name=e.org.name or e.org.id)
            for e in cohort.missing
        ),
        *(text("cli.cohort.not_started", lang, file=r.path) for r in cohort.not_started),
        *(
            text(
                "cli.cohort.old_version",
                lang,
                file=r.path,
                version=r.read_as,
                current=cohort.tpl.version,
            )
            for r in cohort.old_version
        ),
        *(
            text("cli.cohort.off_roster", lang, name=r.org_name or r.org_id, file=r.path)
            for r in cohort.off_roster
        ),
        *(
            text(
                "cli.cohort.mismatch",
                lang,
                id=e.org.id,
                name=r.org_name,
                roster=e.org.name,
                file=r.path,
            )
            for r, e in cohort.mismatched
        ),
    ]
    for line in lines[:MISSING_SHOWN]:
        say(line, err=True)
    if len(lines) > MISSING_SHOWN:
        say(text("cli.cohort.more", lang, n=len(lines) - MISSING_SHOWN), err=True)
    if lost:
        sys.exit(2)


@click.command("compare", cls=KukCommand)
@click.argument("db", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("round_a")
@click.argument("round_b")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@lang_option()
def compare_cmd(db: Path, round_a: str, round_b: str, fmt: str, lang: str) -> None:
    """Change per NGO between two rounds stored with cohort --db (cli.help.compare)."""
    from kuk_xlsx.cohort.store import UnknownRound, compare_rounds

    try:
        changes = compare_rounds(db, round_a, round_b)
    except UnknownRound as exc:
        raise usage(exc, lang) from None
    if fmt == "json":
        doc = {
            "kuk_compare": 1,
            "rounds": [round_a, round_b],
            "ngos": [c.__dict__ | {"delta": c.delta} for c in changes],
        }
        say_json(doc)
        return

    from kuk_xlsx.read.figures import percent_text

    def pct(v: float | None) -> str:
        return percent_text(v, lang)

    def count(v: int | None) -> str:
        return "—" if v is None else str(v)

    errors = text("cli.compare.errors", lang)
    for c in changes:
        delta = "" if c.delta is None else f" ({c.delta * 100:+.0f})"
        say(
            f"{c.ngo:<40} {pct(c.completion_a):>5} → {pct(c.completion_b):>5}{delta}   "
            f"{errors} {count(c.errors_a)} → {count(c.errors_b)}"
        )
