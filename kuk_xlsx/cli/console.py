"""What the command prints, and how: safe text, any console encoding, help in kk/ru/en.

- :func:`say` is the one way a command prints a line: the line goes through
  :func:`kuk_xlsx.write.safe.printable`, so text from a workbook, a file name or a
  database cannot drive the terminal (escape sequences, forged lines).
- :func:`setup_streams` makes stdout and stderr never fail on an encoding: a
  character the console or redirect cannot hold is replaced, never a crash.
- :class:`KukCommand` and :class:`KukGroup` render ``--help`` from the catalogue
  (``cli.help.*``, ``cli.opt.*``) in the language of ``--lang``, else of the
  ``KUK_XLSX_LANG`` environment variable, else Kazakh.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click
from click.formatting import HelpFormatter

from kuk_xlsx.catalogue import DEFAULT_LANG, LANGS, entries, labels, text
from kuk_xlsx.write.safe import printable

ENV_LANG = "KUK_XLSX_LANG"
LANG_CHOICE = click.Choice(list(LANGS))


def setup_streams() -> None:
    """Let stdout and stderr replace what their encoding cannot hold instead of failing.

    The encoding is kept (``PYTHONIOENCODING``, the console's code page), except on
    Windows when the output is a file or a pipe and no ``PYTHONIOENCODING`` is set:
    then it is UTF-8, so Kazakh letters (which cp1251 and cp866 lack) survive.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if not isinstance(stream, io.TextIOWrapper):
            continue
        encoding = stream.encoding
        if sys.platform == "win32" and not os.environ.get("PYTHONIOENCODING"):
            try:
                if not stream.isatty():
                    encoding = "utf-8"
            except ValueError:
                pass
        with contextlib.suppress(ValueError, io.UnsupportedOperation):  # (a closed stream)
            stream.reconfigure(encoding=encoding, errors="replace")


def say(line: object = "", err: bool = False, fg: str | None = None) -> None:
    """Print one line, every control character in it made visible (see ``printable``)."""
    shown = printable(line)
    click.echo(click.style(shown, fg=fg) if fg else shown, err=err)


def _stream_is_unicode(err: bool = False) -> bool:
    encoding = getattr(sys.stderr if err else sys.stdout, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "").startswith(("utf", "ucs"))


# json.dumps escapes C0 controls itself; these it leaves raw with ensure_ascii=False.
_JSON_ESCAPES = {
    c: f"\\u{c:04x}"
    for c in (
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}


def _finite(doc: Any) -> Any:
    """``doc`` with every infinite or NaN number as null: JSON has no such numbers."""
    if isinstance(doc, float):
        return doc if math.isfinite(doc) else None
    if isinstance(doc, dict):
        return {k: _finite(v) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [_finite(v) for v in doc]
    return doc


def say_json(doc: Any) -> None:
    """Print ``doc`` as JSON: readable Cyrillic on a UTF-8 output, ``\\u`` escapes elsewhere.

    Either way the document is valid JSON holding exactly the data, and no
    character in it can drive a terminal.
    """
    dumped = json.dumps(
        _finite(doc), ensure_ascii=not _stream_is_unicode(), indent=1, default=str, allow_nan=False
    )
    click.echo(dumped.translate(_JSON_ESCAPES))


# --- the language of help and of the commands' defaults ------------------------


def _scan_lang(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` among ``args`` (before ``--``), if valid."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            found = value
    return found


def env_lang() -> str:
    """``KUK_XLSX_LANG`` when it names a language we have, else Kazakh."""
    value = os.environ.get(ENV_LANG, "").strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def current_lang(ctx: click.Context | None = None) -> str:
    """The language for help and defaults: ``--lang`` given, else ``KUK_XLSX_LANG``, else kk."""
    ctx = ctx or click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    return meta.get("kuk_help_lang") or meta.get("kuk_lang") or env_lang()


class LangOption(click.Option):
    """``--lang``: its default is the group's ``--lang``, else ``KUK_XLSX_LANG``, else kk."""

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        return ctx.meta.get("kuk_lang") or env_lang()


def lang_option(**kwargs: Any) -> Any:
    """The ``--lang kk|ru|en`` option of a command."""
    return click.option("--lang", cls=LangOption, type=LANG_CHOICE, **kwargs)


def _metavars(usage: str, lang: str) -> str:
    """click's placeholders (``[OPTIONS]``, ``FILE``, ``INTEGER RANGE``, ...) in ``lang``."""
    names = labels("cli.metavar")
    pattern = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.sub(rf"\b(?:{pattern})\b", lambda m: names[m.group(0)].get(lang), usage)


def _help_for(command: str, param: click.Parameter) -> str:
    name = (param.name or "").removeprefix("_click_default_")  # (click 8.2+: help, version)
    for key in (f"cli.opt.{command}.{name}", f"cli.opt.{name}"):
        if key in entries():
            return key
    raise KeyError(f"no help text cli.opt.{command}.{name} in the catalogue")


class _Localised:
    """Help rendered from the catalogue (mixed into click's Command and Group)."""

    name: str | None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        found = _scan_lang(args)
        if found:
            ctx.meta["kuk_help_lang"] = found
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as exc:
            raise _said(exc, ctx) from None

    def _key(self) -> str:
        return f"cli.help.{self.name}" if self.name != "kuk-xlsx" else "cli.help.group"

    def get_short_help_str(self, limit: int = 45) -> str:
        from click.utils import make_default_short_help

        return make_default_short_help(text(self._key(), current_lang()), limit)

    def format_usage(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        lang = current_lang(ctx)
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = text("cli.help.usage", lang) + " "
        formatter.write_usage(ctx.command_path, _metavars(" ".join(pieces), lang), prefix)

    def format_help_text(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text(self._key(), current_lang(ctx)))

    def format_options(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        lang = current_lang(ctx)
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None or isinstance(param, click.Argument):
                continue
            words = text(_help_for(self.name or "", param), lang)
            if isinstance(param, LangOption):
                words += " " + text("cli.help.lang_default", lang, env=ENV_LANG)
            elif getattr(param, "show_default", False) and param.default not in (None, False):
                default = param.default
                words += " " + text(
                    "cli.help.default", lang, value=getattr(default, "name", default)
                )
            rows.append((_metavars(record[0], lang), words))
        if rows:
            with formatter.section(text("cli.help.options", lang)):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: HelpFormatter) -> None:
        lang = current_lang(ctx)
        commands = []
        for name in self.list_commands(ctx):  # type: ignore[attr-defined]
            cmd = self.get_command(ctx, name)  # type: ignore[attr-defined]
            if cmd is not None and not cmd.hidden:
                commands.append((name, cmd))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in commands]
            with formatter.section(text("cli.help.commands", lang)):
                formatter.write_dl(rows)


class KukCommand(_Localised, click.Command):
    """A command whose help comes from the catalogue."""


class KukGroup(_Localised, click.Group):
    """The ``kuk-xlsx`` group: help from the catalogue, commands of :class:`KukCommand`."""

    command_class = KukCommand

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise _said(exc, ctx, command=args[0] if args else "") from None


def _said(exc: click.UsageError, ctx: click.Context, command: str = "") -> click.UsageError:
    """click's own usage errors (a missing argument, an unknown option or command, a
    bad value) said in the user's language; click's detail kept only for a bad value."""
    if isinstance(exc, Usage):
        return exc
    lang = current_lang(ctx)
    if command:
        said = text("cli.error.no_command", lang, name=command)
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        said = text("cli.error.missing", lang, name=exc.param.get_error_hint(ctx))
    elif isinstance(exc, click.NoSuchOption):
        said = text("cli.error.no_option", lang, name=exc.option_name)
    elif isinstance(exc, click.BadParameter) and isinstance(
        getattr(exc.param, "type", None), click.Choice
    ):
        said = text(
            "cli.error.bad_choice",
            lang,
            name=exc.param.get_error_hint(ctx),  # type: ignore[union-attr]
            choices=", ".join(map(str, exc.param.type.choices)),  # type: ignore[union-attr]
        )
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        said = text(
            "cli.error.bad_value",
            lang,
            name=exc.param.get_error_hint(ctx),
            detail=exc.message,
        )
    else:
        said = text("cli.error.usage", lang, detail=exc.message)
    out = Usage(said, lang)
    out.ctx = ctx
    return out


# --- failing cleanly ---------------------------------------------------------------


class Failed(click.ClickException):
    """A command could not do its work (an output not written, a bad roster): exit 2.

    Exit 1 is kept for "validated, and the files have errors"; a trainer's script
    can tell the two apart.
    """

    exit_code = 2

    def show(self, file: Any = None) -> None:
        say(self.format_message(), err=True)


def message_of(exc: Exception, lang: str) -> str:
    """An error's message in ``lang`` when it has one there (our errors do)."""
    message = getattr(exc, "message", None)
    return message(lang) if callable(message) else str(exc)


def fail(exc: Exception | str, lang: str) -> Failed:
    """A clean error (exit 2, no traceback) saying ``exc`` in ``lang``."""
    return Failed(exc if isinstance(exc, str) else message_of(exc, lang))


class Usage(click.UsageError):
    """The command was asked for something it cannot do (exit 2), said in the user's language."""

    def __init__(self, message: str, lang: str) -> None:
        super().__init__(message)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        command = self.ctx.command_path if self.ctx is not None else "kuk-xlsx"
        say(self.format_message(), err=True)
        say(text("cli.help.try", self.lang, command=command), err=True)


def usage(exc: Exception | str, lang: str) -> Usage:
    """A usage error (exit 2) saying ``exc`` in ``lang``."""
    return Usage(exc if isinstance(exc, str) else message_of(exc, lang), lang)


def warn_cut_cells(lang: str) -> None:
    """Say once if any output cell had to be cut to Excel's limit."""
    from kuk_xlsx.write.safe import cut_cells

    n = cut_cells.take()
    if n:
        say(text("write.cut", lang, n=n), err=True)


def require_safe_openpyxl(lang: str) -> None:
    """openpyxl opens NGOs' files only for feedback copies: make sure defusedxml guards it."""
    from kuk_xlsx.outputs.feedback.guard import SetupError, require_defusedxml

    try:
        require_defusedxml()
    except SetupError as exc:
        raise fail(exc, lang) from None
