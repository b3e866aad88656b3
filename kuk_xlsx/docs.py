"""Generated documentation: ``python -m kuk_xlsx.docs`` writes docs/rules.md and docs/steps.md.

Both come from the rule catalogue and the spec, so they cannot drift; a test
fails when the committed files are stale.
"""

from __future__ import annotations

from pathlib import Path

from kuk_xlsx.catalogue import labels
from kuk_xlsx.checks.rules import RULES, SEVERITIES
from kuk_xlsx.spec.template import LANGS, Template, load_template

HEAD = {"kk": "Ережелер", "ru": "Правила", "en": "Rules"}
COLS = {
    "kk": ("Код", "Маңыздылығы", "Атауы", "Хабар", "Қалай түзету"),
    "ru": ("Код", "Важность", "Название", "Сообщение", "Как исправить"),
    "en": ("Code", "Severity", "Title", "Message", "How to fix"),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """The rules page in kk, ru and en."""
    out = [
        "# kuk_xlsx validation rules",
        "",
        "Generated from `kuk_xlsx/checks/rules.py` and `kuk_xlsx/catalogue/rules.toml` by `python -m kuk_xlsx.docs`; do not edit by hand.",
        f"Severities: {', '.join(SEVERITIES)}. Codes are stable and never renumbered.",
        "",
    ]
    for lang in LANGS:
        out += [
            f"## {HEAD[lang]} ({lang})",
            "",
            "| " + " | ".join(COLS[lang]) + " |",
            "|" + "---|" * len(COLS[lang]),
        ]
        for r in RULES:
            # a rule with a fix per case (the M&E share: add or cut) shows every one
            fixes = [
                v.get(lang) for k, v in labels(f"rules.{r.code}").items() if k.startswith("fix")
            ]
            out.append(
                f"| `{r.code}` | {r.severity} | {_cell(r.title.get(lang))} | "
                f"{_cell(r.message.get(lang))} | {'<br>'.join(_cell(f) for f in fixes)} |"
            )
        out.append("")
    return "\n".join(out)


def steps_markdown(tpl: Template | None = None) -> str:
    """Every step, block and column with its key, type and labels: the JSON and cohort keys."""
    tpl = tpl or load_template()
    out = [
        f"# Workbook steps and keys ({tpl.id} {tpl.version})",
        "",
        "Generated from `workbook_templates/` by `python -m kuk_xlsx.docs`; do not edit by hand.",
        "These keys are what `kuk-xlsx dump`, the cohort long data and the database use.",
        "",
    ]
    for step in tpl.steps:
        out += [f"## `{step.key}` — {step.sheet.en} / {step.sheet.kk} / {step.sheet.ru}", ""]
        for blk in step.blocks:
            rows = f", {blk.rows} rows, at least {blk.min_rows}" if blk.kind == "table" else ""
            out += [
                f"### `{step.key}.{blk.key}` ({blk.kind}{rows})",
                "",
                "| key | type | required | en | kk | ru |",
                "|---|---|---|---|---|---|",
            ]
            for col in blk.columns:
                kind = (
                    f"{col.type}: {col.choices}"
                    if col.choices
                    else (f"ref: {col.ref}" if col.ref else col.type)
                )
                out.append(
                    f"| `{col.key}` | {kind} | {'yes' if col.required else ''} | "
                    f"{_cell(col.label.en)} | {_cell(col.label.kk)} | {_cell(col.label.ru)} |"
                )
            for fr in blk.fixed_rows:
                out.append(
                    f"| row `{fr.key}` | | | {_cell(fr.label.en)} | {_cell(fr.label.kk)} | {_cell(fr.label.ru)} |"
                )
            out.append("")
    return "\n".join(out)


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in (("rules.md", rules_markdown()), ("steps.md", steps_markdown())):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write_docs(Path(__file__).resolve().parent.parent / "docs"):
        print(p)
