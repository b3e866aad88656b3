"""A finding's message and fix in the reader's language, filled from its fields.

Checks yield keys and values only; every word comes from the catalogue here, at
output time, so one report can be shown in kk, ru or en.
"""

from __future__ import annotations

from typing import Any

from kuk_xlsx.checks.base import Choices, Finding, SpecKeys
from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.package.preflight import FileProblem
from kuk_xlsx.read.figures import percent_text
from kuk_xlsx.spec.template import Template, load_template


def shown(value: Any, lang: str, tpl: Template) -> Any:
    """A finding's value as a reader sees it: choices as their labels in ``lang``;
    anything else as it is."""
    if isinstance(value, Choices):
        labels = {c.key: c.label.get(lang) for c in tpl.choices[value.list_key].choices}
        return ", ".join(labels.get(k, k) for k in value.keys)
    if isinstance(value, SpecKeys):
        return "; ".join(spec_key_label(tpl, k, lang) for k in value.keys)
    return value


def spec_key_label(tpl: Template, key: str, lang: str) -> str:
    """A step, block or column as a person sees it: «sheet: block title · column»."""
    step_key, _, rest = key.partition(".")
    try:
        step = tpl.step(step_key)
        if not rest:
            return step.sheet.get(lang)
        block_key, _, col_key = rest.partition(".")
        blk = step.block(block_key)
        # (a block with no title of its own is named by its columns)
        title = blk.title.get(lang) if blk.title is not None else ""
        title = title or ", ".join(c.label.get(lang) for c in blk.columns)
        if not col_key:
            return f"{step.sheet.get(lang)}: {title}" if title else step.sheet.get(lang)
        names = {c.key: c.label for c in blk.columns} | {t.key: t.label for t in blk.totals}
        return f"{step.sheet.get(lang)}: {names[col_key].get(lang)}"
    except KeyError:
        return key


def _fmt(value: Any, lang: str, tpl: Template, percent: bool = False, grouped: bool = True) -> str:
    value = shown(value, lang, tpl)
    if isinstance(value, float | int) and not isinstance(value, bool):
        sep = "\u202f" if grouped else ""  # (plain: a number as it is to be typed)
        if percent:
            text = percent_text(value)  # 50%, 7.5%
        elif float(value).is_integer():
            text = f"{int(value):,}".replace(",", sep)
        else:
            text = f"{value:,.2f}".replace(",", sep)
        return text.replace(".", ",") if lang in ("kk", "ru") else text
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def column_label(tpl: Template, finding: Finding, lang: str) -> str:
    """The header a person sees for the finding's column (or grid cell), in ``lang``."""
    if not finding.step or not finding.column:
        return finding.column
    try:
        step = tpl.step(finding.step)
    except KeyError:
        return finding.column
    key = finding.column
    for blk in step.blocks:
        if "." in key and blk.kind == "grid":
            row_key, col_key = key.split(".", 1)
            for fr in blk.fixed_rows:
                for col in blk.columns:
                    if fr.key == row_key and col.key == col_key:
                        return f"{fr.label.get(lang)} / {col.label.get(lang)}"
        for col in blk.columns:
            if col.key == key:
                return col.label.get(lang)
        for tot in blk.totals:
            if tot.key == key:
                return tot.label.get(lang)
    quadrant = {"strength": "S", "weakness": "W", "opportunities": "O", "threats": "T"}
    return quadrant.get(key, key)


def render(finding: Finding, lang: str, tpl: Template | None = None) -> tuple[str, str]:
    """(message, how to fix) in ``lang``, filled from the finding's fields."""
    tpl = tpl or load_template()
    rule = CATALOGUE[finding.code]
    if finding.code == "KUK-FILE-UNREADABLE":
        problem = FileProblem(str(finding.value), "", **finding.params)
        return problem.message(lang), rule.fix.get(lang)
    percent_keys = {"share", "low", "high", "cap"}
    fields = {
        k: _fmt(v, lang, tpl, k in percent_keys, grouped=k != "plain")
        for k, v in finding.params.items()
    }
    fields["column"] = column_label(tpl, finding, lang)
    fields["sheet"] = finding.sheet
    fields["value"] = _fmt(finding.value, lang, tpl, finding.code == "KUK-BUDGET-ME-SHARE")
    fields["expected"] = _fmt(finding.expected, lang, tpl)
    fields.setdefault("row", "")
    fields.setdefault("count", "")
    fix = rule.fix_for(finding.params).get(lang)
    return rule.message.get(lang).format(**fields), fix.format(**fields)
