"""Word lists for the coaching heuristics, and how a text is matched against them.

All languages are always checked: people mix Kazakh and Russian in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from kuk_xlsx.read.values import normalise_label

# An entry matches at the start of a word ("месяц" in "месяцев"); an entry ending in a
# space must be the whole word ("ай " is a month, not the start of "айтарлықтай").

TIME_WORDS = (
    # kk
    "ай ",
    "айда",
    "айдың",
    "айына",
    "айында",
    "айға",
    "айлық",
    "жыл",
    "жылы",
    "жылға",
    "жылдың",
    "жылдан",
    "дейін",
    "соңына",
    "тоқсан",
    "апта",
    "күн",
    "мерзім",
    # ru
    "месяц",
    "месяца",
    "месяцев",
    "мес ",
    "год",
    "года",
    "году",
    "лет",
    "полгод",
    "полугод",
    "до конца",
    "к концу",
    "квартал",
    "недел",
    "срок",
    "ежемесяч",
    "ежегод",
    # en
    "month",
    "year",
    "quarter",
    "week",
    "by the end",
    "within",
    "until",
    "deadline",
    "annual",
)
MONTH_NAMES = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
    "январ",
    "феврал",
    "март",
    "апрел",
    "мая",
    "май",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
AREA_WORDS = (
    # kk
    "қала",
    "облыс",
    "аудан",
    "ауыл",
    "өңір",
    "жастағы",
    "жас ",
    "әйел",
    "бала",
    "жасөспірім",
    "жастар",
    "тұрғын",
    "отбасы",
    "мүгедек",
    "қарт",
    "студент",
    "түлек",
    # ru
    "город",
    "област",
    "район",
    "сел",
    "регион",
    "возраст",
    "лет ",
    "женщин",
    "дет",
    "молод",
    "подрост",
    "жител",
    "семь",
    "инвалид",
    "пожил",
    "студент",
    "выпускник",
    # en
    "city",
    "region",
    "district",
    "village",
    "aged",
    "women",
    "children",
    "youth",
    "young",
    "teenager",
    "residents",
    "families",
    "disab",
    "elderly",
    "students",
    "graduates",
    # places
    "алматы",
    "астана",
    "шымкент",
    "қарағанды",
    "караганд",
    "ақтөбе",
    "актобе",
    "тараз",
    "павлодар",
    "өскемен",
    "усть-каменогорск",
    "семей",
    "атырау",
    "қостанай",
    "костанай",
    "қызылорда",
    "кызылорда",
    "орал",
    "уральск",
    "петропавл",
    "ақтау",
    "актау",
    "түркістан",
    "туркестан",
    "көкшетау",
    "кокшетау",
    "талдықорған",
    "талдыкорган",
    "жезқазған",
    "жезказган",
    "kazakhstan",
    "қазақстан",
    "казахстан",
    "almaty",
    "astana",
    "shymkent",
)
PROCESS_WORDS = (
    # kk: verbal nouns of doing rather than of having achieved
    "жүргізу",
    "өткізу",
    "ұйымдастыру",
    "көмектесу",
    "көмек көрсету",
    "қолдау көрсету",
    "жұмыс істеу",
    "іске асыру",
    "жүзеге асыру",
    "қатысу",
    "талқылау",
    "жәрдемдесу",  # (the sheet's own instructions call it a process word)
    "оқыту",
    # ru
    "проведение",
    "провести",
    "проводить",
    "организация",
    "организовать",
    "содействие",
    "оказание помощи",
    "работа по",
    "осуществление",
    "реализация",
    "поддержка",
    "оказание",
    "оказывать",
    "содействовать",
    "обучение",
    "участие",
    # en
    "conduct",
    "organise",
    "organize",
    "hold ",
    "holding",
    "support",
    "help",
    "work on",
    "carry out",
    "implement",
    "provide",
    "participate",
    "discuss",
)


# Numbers written as words (the start of each: "төртке", "четырёх", "fifty").
NUMBER_WORDS = (
    "екі ", "үш ", "төрт", "бес ", "алты ", "жеті ", "сегіз", "тоғыз", "жиырма", "отыз",
    "қырық", "елу ", "алпыс", "жетпіс", "сексен", "тоқсан", "жүз ", "мың ",
    "два ", "две ", "двух", "двум", "три ", "трёх", "трех", "четыре", "четырёх", "четырех",
    "пять", "пяти", "шесть", "шести", "семь ", "семи ", "восемь", "восьми", "девять",
    "девяти", "десять", "десяти", "десятк", "двадцат", "тридцат", "сорок", "сто ", "сотн",
    "тысяч", "two ", "three", "four", "five", "six ", "seven", "eight", "nine ", "ten ",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
)  # fmt: skip

# Words that begin like a listed word but are another word ("қала", the city, is not
# in "қалай", how): no listed word matches at the start of one of these.
NOT_WORDS = (
    "қалай",
    "баланс",
    "жылдам",
    "күнделікті",
    "мерзімсіз",
    "детал",
    "қатысушы",
    "оқытушы",
)

NUMBER = re.compile(r"\d")

# A letter (any script); digits, spaces, dashes and punctuation all end a word.
_LETTER = r"[^\W\d_]"


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Each word matches at the start of a word only ("city" not in "capacity"); a word
    listed with a trailing space must also end there ("жас " not in "жасау")."""
    parts = [
        re.escape(normalise_label(w)) + (f"(?!{_LETTER})" if w.endswith(" ") else "") for w in words
    ]
    others = "|".join(re.escape(normalise_label(w)) for w in NOT_WORDS)
    return re.compile(f"(?<!{_LETTER})(?!{others})(?:{'|'.join(parts)})")


def has_word(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` contains one of ``words`` (raw word-list entries) as a word or
    the beginning of one, in any case and with look-alike letters folded."""
    return _word_pattern(tuple(words)).search(normalise_label(text)) is not None
