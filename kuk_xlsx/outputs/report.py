"""Findings -> terminal text, versioned JSON, and a filterable .xlsx report.

Findings are grouped per step and capped (first few of each rule, then "and N
more"), so one mistake repeated down a column cannot flood the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kuk_xlsx.catalogue import labels, text
from kuk_xlsx.checks.engine import Finding, Report
from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.render import column_label, render
from kuk_xlsx.render import shown as shown_value
from kuk_xlsx.spec.template import Template, load_template
from kuk_xlsx.write.safe import atomic_path, clean_text

JSON_VERSION = 1
CAP = 5

SEVERITY = labels("outputs.severity")  # (catalogue/outputs.toml)
MARK = {"error": "✗", "warning": "!", "coaching": "·"}
COLOUR = {
    "error": "red",
    "warning": "yellow",
    "coaching": "cyan",
    "OK": "green",
    "WARNINGS": "yellow",
    "ERRORS": "red",
    "UNREADABLE": "magenta",
}


def step_order(tpl: Template) -> dict[str, int]:
    """Step key -> its place in the template (file-level findings, key ``""``, first)."""
    order = {"": -1}
    order.update({s.key: i for i, s in enumerate(tpl.steps)})
    return order


def grouped(
    findings: Sequence[Finding], tpl: Template, cap: int = CAP
) -> Iterator[tuple[str, list[Finding], dict[str, int]]]:
    """(step, the findings shown, {code: how many more}) per step, in workbook order."""
    order = step_order(tpl)
    by_step: dict[str, list[Finding]] = {}
    for f in findings:
        by_step.setdefault(f.step if f.step in order else "", []).append(f)
    for step in sorted(by_step, key=lambda s: order[s]):
        shown: list[Finding] = []
        more: dict[str, int] = {}
        seen: dict[str, int] = {}
        severity_rank = {"error": 0, "warning": 1, "coaching": 2}
        for f in sorted(by_step[step], key=lambda f: severity_rank[f.severity]):
            seen[f.code] = seen.get(f.code, 0) + 1
            if seen[f.code] <= cap:
                shown.append(f)
            else:
                more[f.code] = more.get(f.code, 0) + 1
        yield step, shown, more


def text_lines(
    report: Report, lang: str, tpl: Template | None = None, cap: int = CAP
) -> Iterator[tuple[str, str | None]]:
    """(line, colour or None) for one file: its status line, then findings by step."""
    tpl = tpl or load_template()
    counts = text("outputs.text.counts", lang, **report.counts())
    org = f" — {report.plan.org_name}" if report.plan and report.plan.org_name else ""
    yield f"{report.status:<10} {report.file}{org}  ({counts})", COLOUR[report.status]
    if report.problem is not None:
        yield f"    {report.problem.message(lang)}", None
        return
    for step, shown, more in grouped(report.findings, tpl, cap):
        title = tpl.step(step).sheet.get(lang) if step else text("outputs.text.file_level", lang)
        in_file = (
            report.plan.steps[step].sheet if report.plan and step in report.plan.steps else title
        )
        yield (f"  [{title}]" if in_file == title else f"  [{title} — «{in_file}»]"), None
        for f in shown:
            message, fix = render(f, lang, tpl)
            where = f"{f.cell:<8} " if f.cell else ""
            yield f"    {MARK[f.severity]} {where}{message} → {fix}", COLOUR[f.severity]
        for code, n in more.items():
            yield f"      {text('outputs.text.more', lang, n=n)} ({code})", None


def summary_line(reports: Sequence[Report], lang: str) -> str:
    """One line counting files per status."""
    statuses = [r.verdict for r in reports]
    return text(
        "outputs.text.summary",
        lang,
        files=len(reports),
        ok=statuses.count("OK"),
        suggested=statuses.count("OK_COACHING"),
        warnings=statuses.count("WARNINGS"),
        errors=statuses.count("ERRORS"),
        unreadable=statuses.count("UNREADABLE"),
    )


def sha256(path: Path | str) -> str:
    """The file's SHA-256, or '' when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def finding_json(f: Finding, lang: str, tpl: Template) -> dict[str, Any]:
    """One finding as a JSON object, its message and fix rendered in ``lang``."""
    message, fix = render(f, lang, tpl)
    return {
        "code": f.code,
        "severity": f.severity,
        "step": f.step,
        "sheet": f.sheet,
        "cell": f.cell,
        "column": f.column,
        "column_label": column_label(tpl, f, lang),
        "value": _plain(shown_value(f.value, lang, tpl)),
        "expected": _plain(shown_value(f.expected, lang, tpl)),
        "params": {k: _plain(shown_value(v, lang, tpl)) for k, v in f.params.items()},
        "message": message,
        "fix": fix,
    }


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return str(v)


def report_json(report: Report, lang: str, tpl: Template | None = None) -> dict[str, Any]:
    """One file's entry in the ``kuk-xlsx validate --format json`` document."""
    tpl = tpl or load_template()
    plan = report.plan
    return {
        "file": report.file,
        "sha256": sha256(report.file),
        "status": report.status,
        "counts": report.counts(),
        "problem": None
        if report.problem is None
        else {
            "code": report.problem.code,
            "message": report.problem.message(lang),
        },
        "template": None
        if plan is None
        else {
            "id": plan.template_id,
            "version": plan.template_version,
            "language": plan.language,
        },
        "organisation": None if plan is None else {"id": plan.org_id, "name": plan.org_name},
        "findings": [finding_json(f, lang, tpl) for f in report.findings],
    }


def document_json(
    reports: Iterable[Report], lang: str, tpl: Template | None = None
) -> dict[str, Any]:
    """The whole versioned JSON document: one entry per file."""
    tpl = tpl or load_template()
    return {
        "kuk_validate": JSON_VERSION,
        "lang": lang,
        "files": [report_json(r, lang, tpl) for r in reports],
    }


REPORT_COLUMNS = (
    "file",
    "organisation",
    "status",
    "severity",
    "code",
    "step",
    "sheet",
    "cell",
    "column",
    "value",
    "expected",
    "message",
    "fix",
)


def report_headers(lang: str) -> tuple[str, ...]:
    """The xlsx report's column headers in ``lang``, in :data:`REPORT_COLUMNS` order."""
    return tuple(text(f"outputs.headers.{column}", lang) for column in REPORT_COLUMNS)


def write_xlsx_report(
    path: Path, reports: Sequence[Report], lang: str, tpl: Template | None = None
) -> Path:
    """One row per finding (and per unreadable file), with filters: written atomically."""
    from kuk_xlsx.write.xlsx import new_workbook

    tpl = tpl or load_template()
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp, in_memory=True)
        ws = wb.add_worksheet(text("outputs.report_sheet", lang))
        bold = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top"}
        )
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for c, head in enumerate(report_headers(lang)):
            ws.write_string(0, c, head, bold)
        r = 0
        for report in reports:
            org = report.plan.org_name if report.plan else ""
            rows = [finding_json(f, lang, tpl) for f in report.findings] or [{"message": ""}]
            for f in rows:
                r += 1
                values = {
                    "file": report.file,
                    "organisation": org,
                    "status": report.status,
                    "severity": SEVERITY[f["severity"]].get(lang) if "severity" in f else "",
                    "code": f.get("code", ""),
                    "step": tpl.step(f["step"]).sheet.get(lang) if f.get("step") else "",
                    "sheet": f.get("sheet", ""),
                    "cell": f.get("cell", ""),
                    "column": f.get("column_label", ""),
                    "value": f.get("value"),
                    "expected": f.get("expected"),
                    "message": f.get("message", ""),
                    "fix": f.get("fix", ""),
                }
                if report.problem is not None:
                    values["message"] = report.problem.message(lang)
                for c, key in enumerate(REPORT_COLUMNS):
                    write_inert(ws, r, c, values[key], wrap)
        ws.autofilter(0, 0, max(r, 1), len(REPORT_COLUMNS) - 1)
        ws.freeze_panes(1, 0)
        for c, width in enumerate((30, 24, 11, 12, 26, 18, 16, 8, 22, 24, 20, 60, 50)):
            ws.set_column(c, c, width)
        wb.close()
    return path


def write_inert(ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> bool:
    """Write a value so that text from NGOs never becomes a formula or a link.

    Control characters are removed and text over Excel's cell limit is cut
    visibly; returns True when it was cut.
    """
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    elif value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    else:
        text, cut = clean_text(str(value))
        ws.write_string(r, c, text, fmt)
        return cut
    return False


def rule_title(code: str, lang: str) -> str:
    return CATALOGUE[code].title.get(lang)
