"""``kuk-xlsx migrate``: NGOs' workbooks carried into fresh workbooks of the current template.

One status line per file in the user's language, and under it what was not
carried (the same list the new workbook's first sheet holds, in the file's own
language).  Exit status: 0 every file migrated, 2 a file could not be read or a
new workbook could not be written (or is there already, without ``--force``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.console import KukCommand, lang_option, message_of, say, usage, warn_cut_cells

VALUE_SHOWN = 80  # characters of a value on screen; the sheet has it whole


@click.command("migrate", cls=KukCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False))
@lang_option()
@click.option("--force", is_flag=True)
def migrate_cmd(
    paths: tuple[Path, ...], output: Path | None, out_dir: Path | None, lang: str, force: bool
) -> None:
    """Carry filled workbooks into the current template version (cli.help.migrate)."""
    from kuk_xlsx.migrate import migrate_targets
    from kuk_xlsx.package.files import collect

    if output is not None and out_dir is not None:
        raise usage(text("migrate.output_and_dir", lang), lang)
    files, skipped = collect(paths)
    for s in skipped:
        say(s.message(lang), err=True)
    if output is None and out_dir is None:
        raise usage(text("migrate.needs_output", lang), lang)
    if output is not None and len(files) > 1:
        raise usage(text("migrate.needs_output", lang), lang)
    if output is not None:
        targets = {src: output for src in files}
    else:
        assert out_dir is not None
        targets = migrate_targets(files, out_dir)
    failed = sum(s.reason in ("missing", "not-file") for s in skipped)
    for src in files:
        failed += not _migrate_one(src, targets[src], lang, force)
    if len(files) > 1 or failed:
        say(text("migrate.written", lang, n=len(files) - failed, m=failed), err=True)
    warn_cut_cells(lang)
    sys.exit(2 if failed or not files else 0)


def _migrate_one(src: Path, target: Path, lang: str, force: bool) -> bool:
    """Migrate one file and say how it went; False when no new workbook was written."""
    from kuk_xlsx.migrate import item_cells, migrate_workbook
    from kuk_xlsx.package.preflight import ReadError
    from kuk_xlsx.spec.template import load_template
    from kuk_xlsx.write.safe import OutputError, refuse_inputs

    try:
        refuse_inputs([target], [src])
        if target.exists() and not force:
            say(text("migrate.exists", lang, path=target), err=True)
            return False
        result = migrate_workbook(src, target)
    except ReadError as exc:
        say(text("migrate.unreadable", lang, source=src, why=exc.problem.message(lang)))
        return False
    except OutputError as exc:
        say(text("migrate.unreadable", lang, source=src, why=message_of(exc, lang)))
        return False
    fields = {
        "source": src,
        "target": target,
        "old": result.from_version or "?",
        "new": result.to_version,
        "n": result.carried,
    }
    if not result.not_carried:
        say(text("migrate.done", lang, **fields))
        return True
    sheet = text("migrate.sheet.name", result.language)
    say(text("migrate.done_with", lang, m=len(result.not_carried), sheet=sheet, **fields))
    tpl = load_template()
    for item in result.not_carried:
        step, where, column, value, why = item_cells(tpl, item, lang)
        place = " ".join(p for p in (where, column) if p)
        if len(value) > VALUE_SHOWN:
            value = value[: VALUE_SHOWN - 1] + "…"
        said = f"{place}: {value}" if value else place
        say(f"  [{step}] {said} — {why}" if said else f"  [{step}] {why}")
    return True
