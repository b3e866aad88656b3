"""The one kk/ru/en text catalogue: complete, translated, placeholders consistent."""

from __future__ import annotations

import string

import pytest

from kuk_xlsx import catalogue
from kuk_xlsx.catalogue import LANGS, CatalogueError, entries, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _looks_english(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isascii() for c in letters)


ALL = sorted(entries().items())


def test_the_catalogue_is_not_empty() -> None:
    assert len(ALL) > 10


@pytest.mark.parametrize(("key", "entry"), ALL, ids=[k for k, _ in ALL])
def test_every_text_is_there_in_every_language(key: str, entry: catalogue.Entry) -> None:
    texts = dict(zip(LANGS, entry.label.all(), strict=True))
    assert all(t.strip() for t in texts.values()), f"{key}: an empty text"
    assert len({frozenset(_fields(t)) for t in texts.values()}) == 1, (
        f"{key}: kk/ru/en use different placeholders: {texts}"
    )
    if not entry.same:
        for lang in ("kk", "ru"):
            assert not _looks_english(texts[lang]) or texts[lang] != texts["en"], (
                f"{key}: the {lang} text is left in English ({entry.source})"
            )


def test_text_fills_placeholders_in_the_language_asked() -> None:
    key, entry = next((k, e) for k, e in ALL if _fields(e.label.en))
    fields = {name: "X" for name in _fields(entry.label.en)}
    for lang in LANGS:
        assert text(key, lang, **fields) == entry.label.get(lang).format(**fields)


def test_an_unknown_key_is_named() -> None:
    with pytest.raises(KeyError, match="no-such"):
        text("no-such.key", "kk")


def test_a_key_without_a_language_is_refused() -> None:
    with pytest.raises(CatalogueError, match=r"\[a.b\].*missing \['en'\]"):
        catalogue._leaves({"a": {"b": {"kk": "x", "ru": "y"}}}, "", "t.toml")
