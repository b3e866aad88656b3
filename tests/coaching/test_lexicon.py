"""The stemmer and the word lists (kuk_xlsx/checks/lexicon): inflected forms meet
their entry, and words that only look alike do not."""

from __future__ import annotations

import pytest

from kuk_xlsx.checks.lexicon import LANGS, Text, lexicon
from kuk_xlsx.read.values import normalise_label


def _meet(lang: str, a: str, b: str) -> bool:
    stem = lexicon(lang).stemmer.stems
    return bool(stem(normalise_label(a)) & stem(normalise_label(b)))


@pytest.mark.parametrize(
    ("lang", "a", "b", "meet"),
    [
        ("kk", "Талдықорғанда", "Талдықорған", True),  # -да, not -нда
        ("kk", "мектебі", "мектеп", True),  # unvoiced again
        ("kk", "әкімдігінің", "әкімдік", True),
        ("kk", "көрсетуге", "көрсету", True),
        ("kk", "балаларға", "бала", True),
        ("kk", "өткізілді", "өткізу", False),  # was held (done) / to hold (a process)
        ("kk", "өткізілді", "өткізіледі", False),  # is held: kept whole (exceptions)
        ("kk", "баланс", "бала", False),
        ("kk", "жасау", "жас", False),
        ("ru", "проведения", "проведение", True),
        ("ru", "проведено", "проведение", False),  # done / the process
        ("ru", "управлениями", "управление", True),
        ("ru", "пожилых", "пожилой", True),
        ("ru", "семьям", "семь", False),  # families / seven (exceptions)
        ("en", "logs", "log", True),
        ("en", "held", "hold", False),
    ],
)
def test_stems_meet_only_for_one_word(lang: str, a: str, b: str, meet: bool) -> None:
    assert _meet(lang, a, b) is meet


# lists only one kind of language needs: Russian and English put the verb after a
# lead of time and place; only Kazakh marks "our" with an ending
ONLY = {"lead": {"ru", "en"}, "internal_endings": {"kk"}}


def test_every_language_has_every_list() -> None:
    keys = set().union(*(lexicon(lang).words for lang in LANGS))
    for lang in LANGS:
        wanted = {k for k in keys if lang in ONLY.get(k, set(LANGS))}
        assert set(lexicon(lang).words) == wanted, lang
        assert all(entries for entries in lexicon(lang).words.values()), lang


def test_a_phrase_matches_as_consecutive_words() -> None:
    assert Text("Ата-аналарға қолдау көрсету").ends_with("process", "kk")
    assert not Text("көрсету үшін").ends_with("process", "kk")
    found = [(lang, s, e) for lang, s, e in Text("оказание помощи").matches("process", ("ru",))]
    assert ("ru", 0, 1) in found
