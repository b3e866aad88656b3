"""One term per concept in each language (issue #14).

A trainer reads the sheets, the instructions, the dropdowns, the rules' messages and
the outputs side by side: a concept named two ways reads as two concepts, and some of
the deck's words mean something else ("сапалы" is "high-quality", "кеңестік" is also
"Soviet").  The table below pins each such concept to its one term per language and
names the variants people wrote instead; every text of the spec (template, choices,
steps) and of the catalogue is scanned for them.  It pins concepts, not sentences.

The decisions, kk / ru / en:
- indicators: Сандық / Сапалық көрсеткіш; Количественный / Качественный; Quantitative /
  Qualitative ("сапалы" stays where it means high-quality: "сапалы көмек").
- decision mechanisms: Кеңес арқылы / Через совет / Council, and Орталықтандырылған /
  Централизованный / Centralised (not Командалық / Командный / Command).
- SWOT: күшті / әлсіз жақтар (not әлді, жігерлі, осал); the one the group agrees
  matters most is шешуші / решающее / decisive (not сыни, критично, critical); a
  trend is беталыс (the deck's word; үрдіс also means "process") / тенденция / trend.
- миссия / миссия / mission for step 2; тапсырма / задача / objective for what a
  project, a plan, a network or a committee sets out to do (the deck's project module);
  міндетті only for "required" (and "құқықтары мен міндеттері", members' duties); work
  shared out in a group is жұмыс / работа / work.
- the vision is көрініс everywhere: Көріністі кеңейту (not Көзқарасты).
- бір / көп мәселелі желі (not мәселелік); a problem туындап отыр (not туылып тұр);
  M&E needs money: қаржы керек (not ақылы тұрады).
- step N and month N are ordinals in Kazakh: 3-қадам, 1-ай (ru 1-й мес.); SMART's T is
  Анықтылық / Определённость во времени / Time-bound (not "Срок").
- a value the reader took for something else: деп танылды / распознано как / read as.
- an NGO is КЕҰ (not ҚЕҰ); a file not sent in: жібермеген (not тапсырмаған); to work is
  жұмыс істеу (жұмыс жасау is a calque of "делать работу").
- step numbers 2а and 3а are written with the Cyrillic "а" in kk and ru text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kuk_xlsx import catalogue
from kuk_xlsx.spec.template import load_template, templates_root

LANGS = ("kk", "ru", "en")
SPEC = templates_root() / "kuk_training"
CATALOGUE = Path(catalogue.__file__).parent


def _spec_files() -> list[Path]:
    # released/ is frozen data of an earlier version; releases.toml holds no words
    return [SPEC / "template.toml", SPEC / "choices.toml", *sorted(SPEC.glob("steps/*.toml"))]


def _catalogue_files() -> list[Path]:
    return sorted(CATALOGUE.glob("*.toml"))


def _walk(node: object, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every {kk, ru, en} table under ``node``, with a readable key path."""
    if isinstance(node, dict):
        texts = {k: v for k, v in node.items() if k in LANGS and isinstance(v, str)}
        if texts:
            yield path, texts
        for k, v in node.items():
            if k not in LANGS:
                yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = item.get("key", i) if isinstance(item, dict) else i
            yield from _walk(item, f"{path}[{name}]")


def _where(file: Path) -> str:
    if file.is_relative_to(SPEC):
        return f"workbook_templates/kuk_training/{file.relative_to(SPEC).as_posix()}"
    return f"kuk_xlsx/catalogue/{file.name}"


TEXTS: dict[tuple[str, str], dict[str, str]] = {
    (_where(f), p): t
    for f in _spec_files() + _catalogue_files()
    for p, t in _walk(tomllib.loads(f.read_text(encoding="utf-8")), "")
}


@dataclass(frozen=True)
class Concept:
    name: str
    term: dict[str, str]
    # per language: regular expressions (case-insensitive) of the variants not to use
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (file, key path): places where the term itself must appear, in every language
    used_at: tuple[tuple[str, str], ...] = ()


STEPS = "workbook_templates/kuk_training/steps"
CHOICES = "workbook_templates/kuk_training/choices.toml"
TEMPLATE = "workbook_templates/kuk_training/template.toml"
RULES = "kuk_xlsx/catalogue/rules.toml"

CONCEPTS = [
    Concept(
        "quantitative indicator",
        {
            "kk": "Сандық көрсеткіш",
            "ru": "Количественный показатель",
            "en": "Quantitative indicator",
        },
        {"kk": (r"\bсанды\s+(?:және\s+сапалы\s+)?көрсеткіш", r"\bсанды\s*:")},
        ((f"{STEPS}/me_plan.toml", "blocks[indicators].columns[quantitative].label"),),
    ),
    Concept(
        "qualitative indicator",
        {"kk": "Сапалық көрсеткіш", "ru": "Качественный показатель", "en": "Qualitative indicator"},
        {"kk": (r"\bсапалы\s+көрсеткіш", r"\bсапалы\s*:", r"\bсанды\s+және\s+сапалы\b")},
        ((f"{STEPS}/me_plan.toml", "blocks[indicators].columns[qualitative].label"),),
    ),
    Concept(
        "decision by a council (majority vote)",
        {"kk": "Кеңес арқылы", "ru": "Через совет", "en": "Council"},
        {"kk": (r"\bкеңестік\b",)},
        ((CHOICES, "decision_mechanism[council].label"),),
    ),
    Concept(
        "centralised decision mechanism",
        {"kk": "Орталықтандырылған", "ru": "Централизованный", "en": "Centralised"},
        {"kk": (r"\bкомандалық\b",), "ru": (r"\bкомандн(?:ый|ая|ое|ого|ым)\b",)},
        ((CHOICES, "decision_mechanism[command].label"),),
    ),
    Concept(
        "decisive (a SWOT item the group agrees matters most)",
        {"kk": "Шешуші ме?", "ru": "Решающее?", "en": "Decisive?"},
        {"kk": (r"\bсыни\b",), "ru": (r"\bкритичн",), "en": (r"\bcritical\b",)},
        (
            (f"{STEPS}/swot_internal.toml", "blocks[items].columns[strength_critical].label"),
            (f"{STEPS}/swot_internal.toml", "blocks[items].columns[weakness_critical].label"),
        ),
    ),
    Concept(
        "strengths",
        {"kk": "Күшті жақтары", "ru": "Сильные стороны", "en": "Strengths"},
        {"kk": (r"\bәлді\b", r"\bжігерлі\b")},
        ((f"{STEPS}/swot_internal.toml", "blocks[items].columns[strength].label"),),
    ),
    Concept(
        "weaknesses",
        {"kk": "Әлсіз жақтары", "ru": "Слабые стороны", "en": "Weaknesses"},
        {"kk": (r"\bосал\s+жақ",)},
        ((f"{STEPS}/swot_internal.toml", "blocks[items].columns[weakness].label"),),
    ),
    Concept(
        "trend (PEST)",
        {"kk": "беталыс", "ru": "тенденция", "en": "trend"},
        {"kk": (r"\bүрдіс",), "ru": (r"\bтренд",)},
        ((f"{STEPS}/swot_external.toml", "blocks[trends].columns[trend].label"),),
    ),
    Concept(
        "mission (step 2)",
        {"kk": "Миссия", "ru": "Миссия", "en": "Mission"},
        {},
        (
            (f"{STEPS}/mission.toml", "sheet"),
            (f"{STEPS}/mission.toml", "blocks[statement].fields[mission].label"),
            (f"{STEPS}/profile.toml", "blocks[org].fields[mission].label"),
        ),
    ),
    Concept(
        "mindet (read as mission, objective, task and required at once)",
        {"kk": "миссия (mission), тапсырма (objective, task) or міндетті (required)"},
        # kept: міндетті (required, optional = міндетті емес) and members' duties
        {"kk": (r"(?<!құқықтары мен )\bміндет(?!ті\b)\w*",)},
    ),
    Concept(
        "objective (ru: zadacha)",
        {"kk": "тапсырма", "ru": "задача", "en": "objective"},
        {},
        (
            (f"{STEPS}/schedule.toml", "blocks[activity].columns[objective].label"),
            (f"{STEPS}/schedule.toml", "blocks[capacity].columns[objective].label"),
            (f"{STEPS}/me_plan.toml", "blocks[indicators].columns[objective].label"),
        ),
    ),
    Concept(
        "required",
        {"kk": "Міндетті", "ru": "Обязательн", "en": "Required"},
        {},
        ((RULES, "rules.KUK-REQUIRED-FIELD.title"),),
    ),
    Concept(
        "vision",
        {"kk": "Көрініс", "ru": "Видени", "en": "Vision"},
        {"kk": (r"\bкөзқарас\w*\s+кеңейт",)},
        (
            (f"{STEPS}/mission.toml", "blocks[statement].fields[vision].label"),
            (CHOICES, "network_stage[widening].label"),
        ),
    ),
    Concept(
        "single- / multi-issue network",
        {"kk": "мәселелі", "ru": "проблемная", "en": "-issue"},
        {"kk": (r"мәселелік\b",)},
        (
            (CHOICES, "network_type[single_issue].label"),
            (CHOICES, "network_type[multi_issue].label"),
        ),
    ),
    Concept("a problem arises", {"kk": "туындап отыр"}, {"kk": (r"\bтуылып\b",)}),
    Concept("M&E needs money", {"kk": "қаржы керек"}, {"kk": (r"\bақылы\s+тұр",)}),
    Concept(
        "SMART T",
        {"kk": "T Анықтылық", "ru": "T Определённость во времени", "en": "T Time-bound"},
        {"ru": (r"\bT\s+Срок\b",)},
        (
            (f"{STEPS}/goals.toml", "blocks[goals].columns[time_bound].label"),
            (f"{STEPS}/goals.toml", "instructions"),
        ),
    ),
    Concept(
        "step N (an ordinal)",
        {"kk": "-қадам"},
        # "(6 қадам)", "3 қадамдағы"; a count stays: "Серіктестікке 3 қадам"
        {"kk": (r"(?<![\w-])\d+[аa]?\s+қадам(?:\w+|(?=\s*\)))",)},
    ),
    Concept(
        "a value the reader took as something else",
        {"kk": "деп танылды", "ru": "распознано как", "en": "read as"},
        {"kk": (r"түсіндіріліп",), "ru": (r"с\s+толкованием",)},
        (
            (RULES, "rules.KUK-VALUE-INTERPRETED.title"),
            (RULES, "rules.KUK-VALUE-INTERPRETED.message"),
        ),
    ),
    Concept(
        "NGO",
        {"kk": "КЕҰ", "ru": "НКО", "en": "NGO"},
        {"kk": (r"\bҚЕҰ\b",)},
        ((TEMPLATE, "title"),),
    ),
    Concept("not sent in", {"kk": "жібермеген"}, {"kk": (r"\bтапсырмаған\b",)}),
    Concept("to work (with)", {"kk": "жұмыс істеу"}, {"kk": (r"\bжұмыс\s+жаса",)}),
]


def test_every_text_file_is_scanned() -> None:
    files = {f for f, _ in TEXTS}
    assert TEMPLATE in files and CHOICES in files and RULES in files
    assert len([f for f in files if f.startswith(STEPS)]) == len(load_template().steps)


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c.name)
def test_one_term_per_concept(concept: Concept) -> None:
    found = []
    for (file, path), texts in TEXTS.items():
        for lang, patterns in concept.forbidden.items():
            for pattern in patterns:
                for m in re.finditer(pattern, texts.get(lang, ""), re.IGNORECASE):
                    found.append(
                        f"{file}: {path}.{lang} has {m.group(0)!r}; write {concept.term[lang]!r}"
                    )
    assert found == []


@pytest.mark.parametrize("concept", [c for c in CONCEPTS if c.used_at], ids=lambda c: c.name)
def test_the_term_is_used_where_the_concept_is_named(concept: Concept) -> None:
    missing = []
    for file, path in concept.used_at:
        texts = TEXTS.get((file, path))
        if texts is None:
            missing.append(f"{file}: {path} not found")
            continue
        for lang, term in concept.term.items():
            if term.lower() not in texts.get(lang, "").lower():
                missing.append(
                    f"{file}: {path}.{lang} lacks {term!r}: {texts.get(lang, '')[:60]!r}"
                )
    assert missing == []


def test_every_text_is_there_in_kk_ru_and_en() -> None:
    """Any text of the spec or the catalogue, hints and titles included, in all three."""
    gaps = [
        f"{file}: {path}.{lang}"
        for (file, path), texts in TEXTS.items()
        for lang in LANGS
        if not texts.get(lang, "").strip()
    ]
    assert gaps == []


def test_month_headers_are_ordinals() -> None:
    month = load_template().ui["month"]
    assert [month.get(lang).format(n=1) for lang in LANGS] == ["1-ай", "1-й мес.", "M1"]


CYRILLIC = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
MIXED_WORD = re.compile(rf"\b(?=\w*[{CYRILLIC}])(?=\w*[A-Za-z])\w+\b")
# a step number such as 3a typed with a Latin letter in Cyrillic text
LATIN_STEP = re.compile(r"(?<![\w{])\d+[a-z](?![\w}])")
# a lone Latin look-alike of a Cyrillic one-letter word (ru а, о, с, у; e-mail is fine)
LONE_LOOKALIKE = re.compile(r"(?<![\w\-.{])[aocy](?![\w\-.}])")


def test_no_latin_look_alikes_in_kazakh_or_russian_words() -> None:
    found = []
    for (file, path), texts in TEXTS.items():
        for lang in ("kk", "ru"):
            text = texts.get(lang, "")
            if not re.search(f"[{CYRILLIC}]", text):
                continue
            for pattern in (MIXED_WORD, LATIN_STEP, LONE_LOOKALIKE):
                found += [f"{file}: {path}.{lang}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert found == []
