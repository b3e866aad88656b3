"""The coaching's words, per language, and how a text is matched against them.

The words are data (``kk.toml``, ``ru.toml``, ``en.toml`` beside this module): each
file has a small suffix-stripping stemmer's endings and exceptions, and word lists
by key (``process``, ``time``, ``area``, ...).  A text and every entry are cut into
words and each word to its stem in each language; an entry matches where its stems
follow one another in the text.  Every language's words are looked for in every
text: people mix Kazakh and Russian in one sentence.

Why our own stemmer (issue 13): Snowball has Russian but no Kazakh, and the one
Kazakh analyser on the package index needs a native toolchain; the corpus in
tests/coaching measures this one against Snowball's Russian stemmer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from kuk_xlsx.read.values import normalise_label

LANGS = ("kk", "ru", "en")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Stemmer:
    """Cuts nominal endings (and, for Russian, verb endings) off one word."""

    suffixes: tuple[str, ...]  # longest first
    min_stem: int
    min_stem_short: int
    repeat: bool
    exceptions: dict[str, str]
    unvoice: dict[str, str]

    def stems(self, word: str) -> frozenset[str]:
        """Every stem the endings allow (an ending can be read more than one way:
        "Талдықорғанда" is "Талдықорған" + "да", not "Талдықорға" + "нда"); two words
        are one word when their stems meet."""
        if word in self.exceptions:
            return frozenset((self.exceptions[word],))
        if word.isdigit():
            return frozenset((word,))
        seen = {word}
        todo = [word]
        while todo:
            w = todo.pop()
            for suffix in self.suffixes:
                keep = self.min_stem_short if len(suffix) == 1 else self.min_stem
                if w.endswith(suffix) and len(w) - len(suffix) >= keep:
                    cut = w[: -len(suffix)]
                    if cut not in seen:
                        seen.add(cut)
                        if self.repeat:
                            todo.append(cut)
        return frozenset(
            seen | {w[:-1] + self.unvoice[w[-1]] for w in seen if w[-1] in self.unvoice}
        )


Entry = tuple[frozenset[str], ...]  # an entry's words, each as its stems


@dataclass(frozen=True)
class Lexicon:
    lang: str
    stemmer: Stemmer
    words: dict[str, tuple[Entry, ...]]  # key -> entries
    raw: dict[str, tuple[str, ...]]  # key -> entries as normalised text
    by_first: dict[str, dict[str, list[Entry]]]  # key -> a first word's stem -> entries


def _index(words: dict[str, tuple[Entry, ...]]) -> dict[str, dict[str, list[Entry]]]:
    """key -> a stem -> the entries whose first word has that stem."""
    out: dict[str, dict[str, list[Entry]]] = {}
    for key, entries in words.items():
        index = out.setdefault(key, {})
        for entry in entries:
            for stem in entry[0] if entry else ():
                index.setdefault(stem, []).append(entry)
    return out


def _norm(text: str) -> str:
    return normalise_label(text)


@cache
def lexicon(lang: str) -> Lexicon:
    """One language's word lists, each entry cut into stems."""
    with open(Path(__file__).with_name(f"{lang}.toml"), "rb") as fh:
        data = tomllib.load(fh)
    st = data["stemmer"]
    stemmer = Stemmer(
        suffixes=tuple(sorted({_norm(s) for s in st["suffixes"]}, key=len, reverse=True)),
        min_stem=int(st["min_stem"]),
        min_stem_short=int(st["min_stem_short"]),
        repeat=bool(st["repeat"]),
        exceptions={_norm(k): _norm(v) for k, v in st.get("exceptions", {}).items()},
        unvoice={_norm(k): _norm(v) for k, v in st.get("unvoice", {}).items()},
    )
    words = {
        key: tuple(
            tuple(stemmer.stems(w) for w in _WORD.findall(_norm(entry))) for entry in entries
        )
        for key, entries in data["words"].items()
    }
    raw = {key: tuple(_norm(e) for e in entries) for key, entries in data["words"].items()}
    return Lexicon(lang, stemmer, words, raw, _index(words))


class Text:
    """A text cut into words, each word's stem in every language, ready to match."""

    def __init__(self, text: object) -> None:
        self.text = "" if text is None else str(text)
        self.words = _WORD.findall(_norm(self.text))

    @cached_property
    def stems(self) -> dict[str, list[frozenset[str]]]:
        return {lang: [_stems(lang, w) for w in self.words] for lang in LANGS}

    @cached_property
    def every_stem(self) -> dict[str, frozenset[str]]:
        """Each language's stems of all the words, to pass over a key none of whose
        entries can start here (most keys, on most texts)."""
        return {lang: frozenset().union(*stems) for lang, stems in self.stems.items()}

    def matches(self, key: str, langs: Iterable[str] = LANGS) -> Iterator[tuple[str, int, int]]:
        """(language, first word, word after the last) of every entry of ``key`` found."""
        for lang in langs:
            index = lexicon(lang).by_first.get(key, {})
            if index.keys().isdisjoint(self.every_stem[lang]):
                continue
            stems = self.stems[lang]
            for i, first in enumerate(stems):
                found = dict.fromkeys(e for stem in first for e in index.get(stem, ()))
                for entry in found:
                    n = len(entry)
                    if i + n <= len(stems) and all(stems[i + j] & entry[j] for j in range(1, n)):
                        yield lang, i, i + n

    def has(self, *keys: str) -> bool:
        """Whether an entry of any of ``keys`` is in the text, in any language."""
        return any(next(self.matches(k), None) is not None for k in keys)

    def ends_with(self, key: str, lang: str) -> bool:
        """Whether an entry of ``key`` ends on the text's last word."""
        return any(end == len(self.words) for _l, _s, end in self.matches(key, (lang,)))

    def raw_endings(self, key: str, lang: str) -> bool:
        """Whether a word ends with one of ``key``'s entries as typed (not stemmed)."""
        endings = lexicon(lang).raw.get(key, ())
        return any(w.endswith(e) and len(w) > len(e) + 2 for w in self.words for e in endings)


@lru_cache(maxsize=20000)
def _stems(lang: str, word: str) -> frozenset[str]:
    return lexicon(lang).stemmer.stems(word)


def clauses(text: object, split: str = r"[.;!?\n]+") -> list[Text]:
    """A text's clauses (split at . ; ! ? and line ends, or at ``split``), each as a
    :class:`Text`."""
    parts = re.split(split, "" if text is None else str(text))
    return [Text(p) for p in parts if _WORD.search(p)]
