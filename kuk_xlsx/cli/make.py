"""``kuk-xlsx new`` and ``kuk-xlsx demo``: the commands that make workbooks.

A workbook that is already there is never replaced without ``--force``: it may
be one an NGO has filled in.
"""

from __future__ import annotations

from pathlib import Path

import click

from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.console import (
    KukCommand,
    fail,
    lang_option,
    require_safe_openpyxl,
    say,
    usage,
)


def workbook_path(output: Path) -> Path:
    """``output`` with ``.xlsx`` added when it has no spreadsheet extension."""
    return output if output.suffix.lower() == ".xlsx" else output.with_name(output.name + ".xlsx")


@click.command("new", cls=KukCommand)
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False))
@lang_option()
@click.option("--modules", default="")
@click.option("--org", default="")
@click.option("--org-id", default="")
@click.option(
    "--level", type=click.Choice(["national", "regional"]), default="national", show_default=True
)
@click.option("--protect", is_flag=True)
@click.option("--force", is_flag=True)
@click.option("--roster", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False))
def new_cmd(
    output: Path | None,
    lang: str,
    modules: str,
    org: str,
    org_id: str,
    level: str,
    protect: bool,
    force: bool,
    roster: Path | None,
    out_dir: Path | None,
) -> None:
    """Write a blank training workbook (or one per organisation with --roster)."""
    from kuk_xlsx.build.workbook import BuildError, Organisation, build_workbook
    from kuk_xlsx.roster import RosterError, read_roster, roster_filenames
    from kuk_xlsx.spec.template import SpecError
    from kuk_xlsx.write.safe import OutputError

    mods = [m for m in modules.split(",") if m.strip()] or None
    if roster is not None and out_dir is None:
        raise usage(text("cli.new.needs_out_dir", lang), lang)
    if roster is None and out_dir is not None:
        raise usage(text("cli.new.out_dir_alone", lang), lang)
    try:
        if roster is not None and out_dir is not None:
            try:
                entries = read_roster(roster)
            except RosterError as exc:
                raise usage(exc, lang) from None
            written = kept = 0
            for entry, name in zip(entries, roster_filenames(entries), strict=True):
                target = out_dir / name
                if target.exists() and not force:
                    say(text("cli.new.exists", lang, path=target), err=True)
                    kept += 1
                    continue
                kw = {"lang": lang, "modules": mods, "level": level, "protect": protect}
                say(build_workbook(target, org=entry.org, **kw))
                written += 1
            say(text("cli.new.written", lang, n=written, folder=out_dir), err=True)
            if kept:
                say(text("cli.new.skipped", lang, n=kept), err=True)
            return
        target = workbook_path(output or Path(f"kuk_workbook_{lang}.xlsx"))
        if target.exists() and not force:
            raise fail(text("cli.new.exists", lang, path=target), lang)
        org_given = Organisation(id=org_id, name=org)
        kw = {"lang": lang, "modules": mods, "level": level, "protect": protect}
        say(build_workbook(target, org=org_given, **kw))
    except BuildError as exc:
        raise usage(exc, lang) from None
    except (OutputError, SpecError) as exc:
        raise fail(exc, lang) from None


@click.command("demo", cls=KukCommand)
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@lang_option()
def demo_cmd(out_dir: Path, lang: str) -> None:
    """Run the whole job on example data into OUT_DIR (see the catalogue's cli.help.demo)."""
    from kuk_xlsx.cli.demo import run_demo
    from kuk_xlsx.write.safe import OutputError

    require_safe_openpyxl(lang)
    try:
        for line in run_demo(out_dir, lang):
            say(line)
    except OutputError as exc:
        raise fail(exc, lang) from None
    nxt = {
        "report": out_dir / "validation_report.xlsx",
        "feedback": out_dir / "feedback",
        "cohort": out_dir / "cohort.xlsx",
    }
    if nxt["cohort"].exists():
        say(text("cli.demo.next", lang, **nxt), err=True)
