"""The workbooks every client fixture starts from: ours, built with every input filled.

One per language, every step, every field and grid cell, every row of every table
(the budget's amounts are left to their formulas, as a person would), with values
that test a reader: Kazakh and Russian letters, XML's special characters, line
breaks, text that looks like a number, fractions, large sums, dates from 1905 on
(a Mac workbook in the 1904 system holds none before).  Deterministic: the same
bytes every run.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kuk_xlsx.build.workbook import Organisation, build_workbook
from kuk_xlsx.spec.template import Column, Template, load_template

LANGS = ("kk", "ru", "en")
ORGS = {
    "kk": Organisation(id="KZ-101", name="«Сенің KZ» қоғамдық бірлестігі"),
    "ru": Organisation(id="KZ-102", name="ОФ «Аяла & Денсаулық»"),
    "en": Organisation(id="KZ-103", name="Jas Maman <Public> Foundation"),
}
_PHRASES = {
    "kk": "жастар ұйымы өңір әйелдер ауыл мониторинг қаржыландыру серіктестік",
    "ru": "молодёжь организация регион женщины село мониторинг финансирование",
    "en": "youth organisation region women village monitoring funding partners",
}
_WORDS = {lang: phrase.split() for lang, phrase in _PHRASES.items()}
# (each text is unique: a value read from the wrong cell cannot pass for the right one)
_ODD = ('"quoted"', "A&B", "<tag>", "007", "1 500", "5,5%", "it's", "№ 12", "ə ғ қ ң")


def _text(lang: str, n: int, long: bool) -> str:
    words = _WORDS[lang]
    picked = [words[(n * 7 + i) % len(words)] for i in range(6 if long else 2)]
    text = f"{' '.join(picked)} {_ODD[n % len(_ODD)]} #{n}"
    return text.replace(" ", "\n", 1) if long and n % 3 == 0 else text


def filled_data(tpl: Template, lang: str) -> dict[str, dict[str, Any]]:
    """``data`` for build_workbook with every input of every block filled."""
    months = int(tpl.rules.get("schedule_months", 6))
    counter = iter(range(1, 1_000_000))
    goals: list[str] = []

    def value(col: Column) -> Any:
        n = next(counter)
        kind = col.type
        if col.formula:
            return None
        if kind in ("text", "long_text"):
            return _text(lang, n, kind == "long_text")
        if kind == "ref":
            return goals[n % len(goals)] if goals else _text(lang, n, False)
        if kind == "number":
            return float(n % 9 + 1) if n % 4 else n % 9 + 1.5
        if kind == "money":
            return float(5_000 + (n * 37_500) % 1_995_000) + (0.5 if n % 5 == 0 else 0)
        if kind == "percent":
            return (n % 100) / 100
        if kind == "yes_no":
            return n % 3 != 0
        if kind == "choice":
            choices = tpl.choices[col.choices or ""].choices
            return choices[n % len(choices)].key
        if kind == "months":
            return [m for m in range(1, months + 1) if (m + n) % 3 or m == 1]
        if kind == "date":
            return date(1905 + (n * 13) % 135, n % 12 + 1, n % 28 + 1)
        raise AssertionError(kind)

    data: dict[str, dict[str, Any]] = {}
    for step in tpl.steps:
        blocks: dict[str, Any] = {}
        for blk in step.blocks:
            if blk.kind == "fields":
                blocks[blk.key] = {c.key: value(c) for c in blk.columns}
            elif blk.kind == "grid":
                blocks[blk.key] = {
                    fr.key: {c.key: value(c) for c in blk.columns} for fr in blk.fixed_rows
                }
            else:
                rows = [{c.key: value(c) for c in blk.columns} for _ in range(blk.rows)]
                blocks[blk.key] = [{k: v for k, v in r.items() if v is not None} for r in rows]
                if (step.key, blk.key) == ("goals", "goals"):
                    goals = [r["goal"] for r in rows]
        data[step.key] = blocks
    return data


def build_sources(folder: Path, tpl: Template | None = None) -> dict[str, Path]:
    """One fully filled workbook per language in ``folder``."""
    tpl = tpl or load_template()
    return {
        lang: build_workbook(
            folder / f"filled_{lang}.xlsx",
            lang=lang,
            org=ORGS[lang],
            level="regional" if lang == "ru" else "national",
            template=tpl,
            data=filled_data(tpl, lang),
        )
        for lang in LANGS
    }
