"""What the coaching reads in a text: a process or a result, a target, a period, a
place or group, an outside trend or the organisation itself, evidence, inputs.

The words are data in ``kuk_xlsx/checks/lexicon/{kk,ru,en}.toml``; this module holds
the few rules of where in a sentence they count.  All languages are always checked:
people mix Kazakh and Russian in one sentence.
"""

from __future__ import annotations

import re

from kuk_xlsx.checks.lexicon import Text, clauses
from kuk_xlsx.read.values import normalise_label

NUMBER = re.compile(r"\d")

# What is not a target: a year or a span of years, a date, a day of a month, an age,
# a school's number, a period of months.
_MONTHS = (
    r"(?:қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
    r"|январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)"
)
_AGE_WORDS = r"(?:жас|лет|год|years?|y\.?o\.?)"
_NOT_TARGETS = re.compile(
    r"\b(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)?\d\d)?\b"  # 2027, 2026–2028
    r"|\b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b"  # 01.09.2027
    rf"|\b\d{{1,2}}\s*(?:-?(?:ші|шы|ое|го|st|nd|rd|th))?\s*{_MONTHS}"  # 31 декабря, 1 қыркүйегіне
    rf"|\b\d{{1,2}}\s*(?:[-–—]|to|до|-?ден|-?дан)\s*\d{{1,2}}\s*(?=\S*\s*{_AGE_WORDS}|{_AGE_WORDS})"
    r"|(?:aged|ages|age)\s+\d{1,2}(?:\s*(?:[-–—]|to|and)\s*\d{1,2})?"  # aged 18 to 45
    r"|(?:старше|младше)\s+\d{1,2}\b"  # older than 65
    rf"|\b\d{{1,2}}\s*(?:жастан|жасқа|жастағы|жас\b|лет\b|years? old)"  # 65 жастан асқан
    r"|(?:№|no\.|n°)\s*\d+"  # school No. 25
    r"|\bq[1-4]\b|\b\d\s*-?\s*(?:тоқсан|квартал|полугоди|полугод)"  # Q2, 2-тоқсан, 3 квартал
    r"|\b\d{1,2}\s*(?=(?:-|\s)?(?:ай|айда|айлық|айдың|айға|месяц\w*|мес\b|months?|сағат)\b)",
    re.IGNORECASE,
)


def has_target(text: object) -> bool:
    """Whether a goal names a figure to reach: a number that is not a year, a date, an
    age or a period, or a number written as a word ("төртке", "четырёх", "fifty")."""
    s = "" if text is None else str(text)
    return bool(NUMBER.search(_NOT_TARGETS.sub(" ", s))) or Text(s).has("number")


_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_AGES = re.compile(
    r"\b\d{1,2}\s*[-–—]\s*\d{1,2}\s*(?:лет|жас\w*)|\bстарше\s+\d+\s*лет", re.IGNORECASE
)


def has_period(text: object) -> bool:
    """Whether a goal states when: a year, a date, a month, or a period word (an age in
    years, "14–29 лет", is no period)."""
    s = "" if text is None else str(text)
    return bool(_YEAR.search(s)) or Text(_AGES.sub(" ", s)).has("time", "months")


def names_group(text: object, *, actors: bool = False) -> bool:
    """Whether a goal names a place or a group of people (``actors``: or organisations it
    deals with, which is whom a goal about relations is for)."""
    t = Text(text)
    keys = ("area",) + (ACTORS if actors else ())
    return t.has(*keys)


ACTORS = ("actor_state", "actor_school", "actor_media", "actor_business")


def is_process(text: object) -> bool:
    """Whether a goal, objective or result is written as a process (what is done)
    rather than a result: a clause that begins with a process word in Russian or
    English (after its time and place), or ends on one in Kazakh, which puts the verb
    last ("... семинарларын ұйымдастыру")."""
    for clause in clauses(text):
        # a process told in the future passive, wherever it stands ("Встречи будут
        # организованы", "Meetings will be organised"); the past ("организованы") is done
        if clause.has("process_future"):
            return True
        # Kazakh joins verbs with "және" and commas: each part ends on its own verb
        if any(part.ends_with("process", "kk") for part in clauses(text, _KK_JOINS)):
            return True
        for lang in ("ru", "en"):
            first = _first_word(clause, lang)
            if first is None:
                continue
            # "Создание и проведение ...": the verbs joined to the first one count too
            heads = {0, first}  # ("будут организованы ..." begins on a lead word)
            while first + 2 < len(clause.words) and clause.words[first + 1] in _AND:
                first += 2
                heads.add(first)
            if any(start in heads for _l, start, _e in clause.matches("process", (lang,))):
                return True
    return False


_AND = {normalise_label(w) for w in ("и", "and", "или", "or")}
_KK_JOINS = r"[,.;!?\n]+|\s(?:және|әрі)\s"


def _first_word(clause: Text, lang: str) -> int | None:
    """The clause's first word past its lead (time, place, numbers), if any."""
    lead = {i for _l, s, e in clause.matches("lead", (lang,)) for i in range(s, e)}
    lead |= {i for _l, s, e in clause.matches("months", (lang,)) for i in range(s, e)}
    for i, word in enumerate(clause.words):
        if i not in lead and not word.isdigit():
            return i
    return None


def stakeholder_kind(name: object) -> str | None:
    """The kind of organisation a stakeholder's name is (``state``, ``school``,
    ``media``, ``business``), or None for a group of people.

    The head word decides where there is one: the last word in Kazakh ("аудан
    әкімдігінің қызметкерлері", the akimat's staff, are people; "әкімдіктің жастар
    бөлімі", its youth department, is the akimat), the word before "of" in English,
    the first word in Russian ("Сотрудники акимата", "Отдел по делам молодёжи").
    Otherwise a name with an organisation's word and no people's word."""
    text = re.sub(r"\([^)]*\)", " ", "" if name is None else str(name))  # (a note)
    t = Text(text)
    if not t.words:
        return None
    if _KAZAKH.search(text):
        head = len(t.words) - 1
    elif _LATIN.search(text):
        before_of = text.casefold().split(" of ")[0]
        head = len(Text(before_of).words) - 1
    else:
        head = 0
    kinds = [k for k in ACTORS if any(s <= head < e for _l, s, e in t.matches(k))]
    if kinds:
        return kinds[0].removeprefix("actor_")
    if any(s <= head < e for _l, s, e in t.matches("people")) or t.has("people"):
        return None
    for key in ACTORS:
        if t.has(key):
            return key.removeprefix("actor_")
    return None


_KAZAKH = re.compile(r"[әіңғүұқөһӘІҢҒҮҰҚӨҺ]")
_LATIN = re.compile(r"^[^\u0400-\u04ff]*[a-z][^\u0400-\u04ff]*$", re.IGNORECASE)


def _outside(t: Text) -> bool:
    return t.has("external", *ACTORS)


def _inside(t: Text) -> bool:
    return t.has("internal") or t.raw_endings("internal_endings", "kk")


def is_outside_trend(text: object) -> bool:
    """A weakness that is an outside trend (a law, prices, a crisis, donors' cuts) and
    says nothing of the organisation itself: a threat, for step 4."""
    t = Text(text)
    return _outside(t) and not _inside(t)


def is_inside_problem(text: object) -> bool:
    """A threat that is the organisation's own problem (our staff, no accountant, no
    plan) and names no outside trend or actor: a weakness, for step 5."""
    t = Text(text)
    return _inside(t) and not _outside(t)


def names_no_evidence(text: object, indicator: object = None) -> bool:
    """Whether a means of verification names no document or source: a dash, a word
    such as "тексеріледі" / "проверяется" / "will be checked" with no evidence named,
    or the indicator copied over."""
    t = Text(text)
    if not t.words:
        return True
    copied = normalise_label(text)
    if indicator is not None and copied and copied == normalise_label(indicator):
        return True
    return not t.has("evidence") and t.has("vague")


_MONEY = re.compile(r"₸|\bkzt\b|\d[\d\s\u00a0]{4,}\d", re.IGNORECASE)


def names_inputs(text: object) -> bool:
    """Whether the logframe's activities row lists inputs: money, people, things or time
    (the deck: "schedule and budget"), not results."""
    s = "" if text is None else str(text)
    return bool(_MONEY.search(s)) or Text(s).has("inputs")


_WORD = re.compile(r"[^\W_]+")


def _stems(text: str) -> set[str]:
    """Content words cut to five letters (so endings do not matter), and numbers."""
    words = _WORD.findall(normalise_label(text))
    return {w[:5] for w in words if len(w) >= 4 or w.isdigit()}


def restates(original: str, restated: str) -> bool:
    """``restated`` names the same thing as ``original`` (an M&E row its objective, a
    SWOT decision its factor): copied, contained, or most words shared."""
    a, b = normalise_label(original), normalise_label(restated)
    if a in b or b in a:
        return True
    sa, sb = _stems(original), _stems(restated)
    shorter = min(len(sa), len(sb))
    return shorter >= 2 and len(sa & sb) >= 0.6 * shorter
