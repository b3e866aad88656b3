"""The ``kuk-xlsx`` command: the group, its commands, and the entry point.

Thin: each command parses its options, calls one library function and prints.
The commands live by what they work on — :mod:`.make` (new, demo), :mod:`.check`
(validate, summary, dump, diff), :mod:`.rounds` (cohort, compare) — and print
through :mod:`.console`, whose help and words come from ``catalogue/cli.toml``.
Heavy libraries (pandas, openpyxl, xlsxwriter) are imported inside commands so
``kuk-xlsx --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from kuk_xlsx import __version__
from kuk_xlsx.catalogue import text
from kuk_xlsx.cli.check import diff_cmd, dump_cmd, plan_lines, summary_cmd, validate_cmd
from kuk_xlsx.cli.console import LANG_CHOICE, KukGroup, env_lang, say, setup_streams
from kuk_xlsx.cli.make import demo_cmd, new_cmd
from kuk_xlsx.cli.migrate import migrate_cmd
from kuk_xlsx.cli.rounds import cohort_cmd, compare_cmd

__all__ = ["cli", "main", "plan_lines"]


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta["kuk_lang"] = value


@click.group("kuk-xlsx", cls=KukGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kuk-xlsx", message="%(prog)s %(version)s")
@click.option(
    "--lang",
    type=LANG_CHOICE,
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_remember_lang,
)
def cli() -> None:
    """Training workbooks for NGO organisational development (kk / ru / en).

    Generate the workbooks, read completed ones back, validate them and
    aggregate a cohort for trainers.  (What a user reads is cli.help.group.)
    """


for _command in (
    new_cmd,
    demo_cmd,
    validate_cmd,
    summary_cmd,
    cohort_cmd,
    diff_cmd,
    compare_cmd,
    dump_cmd,
    migrate_cmd,
):
    cli.add_command(_command)


def main() -> None:
    """Console entry point: any console encoding, and no traceback ever reaches a user."""
    setup_streams()
    try:
        cli(prog_name="kuk-xlsx")
    except KeyboardInterrupt:
        say(text("cli.interrupted", env_lang()), err=True)
        sys.exit(130)
    except Exception as exc:
        import tempfile
        import traceback

        # a new private file each time (mode 0600, O_EXCL): never written through a
        # symlink someone else left at a fixed name
        log: Path | str = "-"
        with contextlib.suppress(OSError):
            fd, name = tempfile.mkstemp(prefix="kuk-xlsx-error-", suffix=".log")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(traceback.format_exc())
            log = Path(name)
        error = f"{type(exc).__name__}: {exc}"
        say(text("cli.unexpected", _lang_of(sys.argv[1:]), error=error, log=log), err=True)
        sys.exit(3)


def _lang_of(args: list[str]) -> str:
    from kuk_xlsx.cli.console import _scan_lang

    return _scan_lang(args) or env_lang()
