"""Every word a person reads, in kk, ru and en: one catalogue, read from the TOML files here.

Each ``*.toml`` file beside this module holds the texts of one area (``cli``,
``package``, ``feedback``, ...) as tables::

    [cli.written]
    kk = "{n} жұмыс дәптері жазылды: {folder}"
    ru = "Записано рабочих тетрадей: {n} — {folder}"
    en = "{n} workbooks written to {folder}"

The key is the table's dotted path (``cli.written``).  Texts are rendered with
:func:`text` only at output time, in the reader's language; code and findings
carry keys and values, never rendered words.  ``tests/test_catalogue.py`` fails
on a missing language, an empty text, placeholders that differ between
languages, or a kk/ru text left in English (mark a text that is rightly the
same in every language with ``same = true``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "kk"


@dataclass(frozen=True)
class Label:
    """One text in every supported language."""

    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (Kazakh for a language we do not have)."""
        return str(getattr(self, lang if lang in LANGS else DEFAULT_LANG))

    def all(self) -> tuple[str, str, str]:
        """The text in kk, ru and en, in that order."""
        return (self.kk, self.ru, self.en)


class CatalogueError(Exception):
    """A catalogue file is malformed: a programming error, caught by the tests."""


@dataclass(frozen=True)
class Entry:
    label: Label
    same: bool  # rightly identical in every language (a code, a symbol, a name)
    source: str  # "file.toml" it came from, for error messages


def _leaves(table: dict[str, object], prefix: str, source: str) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    if any(k in table for k in LANGS):
        unknown = set(table) - set(LANGS) - {"same"}
        missing = [k for k in LANGS if not isinstance(table.get(k), str)]
        if unknown or missing:
            raise CatalogueError(
                f"{source}: [{prefix}] needs kk, ru and en texts"
                + (f"; unknown keys {sorted(unknown)}" if unknown else "")
                + (f"; missing {missing}" if missing else "")
            )
        texts = {k: str(table[k]) for k in LANGS}
        return {
            prefix: Entry(Label(**texts), bool(table.get("same", False)), source),
        }
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if not isinstance(value, dict):
            raise CatalogueError(f"{source}: {path} is not a table of kk/ru/en texts")
        out.update(_leaves(value, path, source))
    return out


@cache
def entries() -> dict[str, Entry]:
    """Every entry of every catalogue file, by key; a key defined twice is an error."""
    out: dict[str, Entry] = {}
    for path in sorted(Path(__file__).parent.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, entry in _leaves(data, "", path.name).items():
            if key in out:
                raise CatalogueError(f"{key} is in both {out[key].source} and {path.name}")
            out[key] = entry
    return out


def label(key: str) -> Label:
    """The entry ``key`` in every language; KeyError names a key not in the catalogue."""
    try:
        return entries()[key].label
    except KeyError:
        raise KeyError(f"no text {key!r} in the catalogue") from None


def text(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, its ``{placeholders}`` filled from ``fields``."""
    template = label(key).get(lang)
    return template.format(**fields) if fields else template


def labels(prefix: str) -> dict[str, Label]:
    """All entries under ``prefix.`` keyed by the rest of their key (a table of choices)."""
    start = prefix + "."
    return {k[len(start) :]: e.label for k, e in entries().items() if k.startswith(start)}
