"""Writing output files safely: atomically, never over an input, with text kept inert."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

EXCEL_CELL_LIMIT = 32_767

# Characters Excel cannot store (XML 1.0 forbids C0 controls except tab/LF/CR).
# Characters no cell or CSV field of ours keeps (tab and line ends stay).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A file name that is not UTF-8 reaches us with its bad bytes as lone surrogates
# (os.fsdecode): no file of ours can hold them, so each shows as U+FFFD.
SURROGATE = re.compile(r"[\ud800-\udfff]")
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # either of them
_WIN_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WIN_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)
}


# A CSV field starting with one of these opens as a formula (or a DDE command)
# in Excel and LibreOffice.
CSV_DANGER = frozenset(("=", "+", "-", "@", "\t", "\r"))


def storable(text: str) -> str:
    """``text`` any file of ours can hold: a lone surrogate (a file name's byte that is
    not UTF-8) shown as U+FFFD."""
    return text if text.isprintable() else SURROGATE.sub("\ufffd", text)


def inert_field(text: str) -> str:
    """``text`` as a CSV field no spreadsheet will run.

    Control characters go first, then a formula start is prefixed with an
    apostrophe: the other order let ``"\x01=HYPERLINK(…)"`` (or ``_x0001_`` in the
    sheet XML) lose its hidden first character after the check and open live.
    """
    if not text.isprintable():
        text = SURROGATE.sub("\ufffd", CONTROL.sub("", text))
    return "'" + text if text[:1] in CSV_DANGER else text


class OutputError(Exception):
    """An output could not be written; the message says what the user can do.

    Raised with a catalogue key and its fields (``OutputError("write.locked",
    path=target)``); :meth:`message` renders it in the reader's language, and
    ``str()`` gives the English text (logs, tracebacks for developers).
    """

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """What went wrong and what to do, in ``lang``."""
        from kuk_xlsx.catalogue import text

        return text(self.key, lang, **self.fields)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success.

    A crash or kill while writing leaves the previous ``target`` intact.  A target
    that is locked (open in Excel on Windows) keeps its old content and raises
    :class:`OutputError` asking the user to close it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".~kuk-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError("write.locked", path=target) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def refuse_inputs(outputs: list[Path | None], inputs: list[Path]) -> None:
    """Refuse an output path that is one of the inputs (or a folder holding them as outputs)."""
    resolved = {p.resolve() for p in inputs}
    for out in outputs:
        if out is not None and out.resolve() in resolved:
            raise OutputError("write.is_input", path=out)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _CutCells:
    """How many cells clean_text has cut, so a command can warn about them once."""

    count = 0

    @classmethod
    def take(cls) -> int:
        """The count since the last call."""
        n, cls.count = cls.count, 0
        return n


cut_cells = _CutCells


def clean_text(text: str, limit: int = EXCEL_CELL_LIMIT) -> tuple[str, bool]:
    """Remove control characters and cut to ``limit`` visibly; say whether it was cut."""
    text = CONTROL.sub("", text)
    if not text.isprintable():
        text = SURROGATE.sub("\ufffd", text)
    if len(text) <= limit:
        return text, False
    marker = " […]"
    _CutCells.count += 1
    return text[: limit - len(marker)] + marker, True


def safe_filename(stem: str, max_len: int = 80) -> str:
    """A file-name stem safe on Windows, macOS and Linux; keeps Cyrillic letters."""
    stem = unicodedata.normalize("NFC", stem)
    stem = _WIN_BAD.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    stem = stem[:max_len].rstrip(" .")
    if not stem or stem.split(".")[0].upper() in _WIN_RESERVED:
        stem = f"_{stem}"
    return stem


# Everything a terminal could act on: C0 and C1 controls (ESC starts ANSI/OSC
# sequences, CR/LF forge lines), DEL, the Unicode line/paragraph separators and
# the bidi embeddings, overrides and isolates that reorder what is shown.
_TERMINAL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_TERMINAL_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_TERMINAL_ESCAPES.update(
    {
        c: f"\\u{c:04x}"
        for c in (
            0x061C,
            0x200E,
            0x200F,
            0x2028,
            0x2029,
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
        )
    }
)


def printable(text: object) -> str:
    """``text`` safe to print on a terminal: every control character shown as an escape.

    ``"\\x1b[2J"`` becomes ``"\\\\x1b[2J"``, a newline ``"\\\\n"``, a right-to-left
    override ``"\\\\u202e"``: text from a workbook, a file name or a database can
    neither move the cursor, recolour, retitle or link the terminal, nor start a
    line of its own.  Everything else (Cyrillic, Kazakh, emoji) is kept as it is.
    """
    return str(text).translate(_TERMINAL_ESCAPES)


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark


def md_escape(text: object) -> str:
    """``text`` as literal Markdown: no link, image, table cell, heading or HTML.

    Every ASCII punctuation mark is backslash-escaped (CommonMark allows exactly
    that), so ``[x](http://…)``, ``| a |``, ``<b>`` and bare ``http://`` addresses
    show as typed; line breaks become spaces, so no text starts a line of its own.
    """
    flat = " ".join(str(text).splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
