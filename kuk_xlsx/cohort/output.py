"""Cohort outputs: cohort.xlsx (manifest, overview heat map, rules, native charts, long
data, copy-paste list) and tidy CSV files (UTF-8 with a BOM, so Excel opens Cyrillic).

Text from NGOs is always written as inert text: never a formula, never a link.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.copies import CopyCluster
from kuk_xlsx.cohort.items import ITEM_COLUMNS
from kuk_xlsx.outputs.report import write_inert
from kuk_xlsx.spec.template import Label
from kuk_xlsx.write.safe import CONTROL, EXCEL_CELL_LIMIT, atomic_path, clean_text, inert_field

XLSX_ITEM_LIMIT = 10_000  # more item rows go to CSV only (the sheet says so)

T = {
    "manifest": Label("Файлдар", "Файлы", "Manifest"),
    "overview": Label("Шолу", "Обзор", "Overview"),
    "rules": Label("Ережелер", "Правила", "Rules"),
    "charts": Label("Диаграммалар", "Диаграммы", "Charts"),
    "items": Label("Деректер", "Данные", "Items"),
    "copies": Label("Көшірмелер", "Копии", "Copies"),
    "file": Label("Файл", "Файл", "File"),
    "ngo": Label("Ұйым", "Организация", "NGO"),
    "id": Label("ID", "ID", "ID"),
    "region": Label("Өңір", "Регион", "Region"),
    "status": Label("Күйі", "Статус", "Status"),
    "included": Label("Есепке алынды", "Учтён", "Included"),
    "reason": Label("Себебі", "Причина", "Reason"),
    "sha256": Label("SHA-256", "SHA-256", "SHA-256"),
    "date": Label("Файлдағы күн", "Дата в файле", "Date in file"),
    "errors": Label("Қателер", "Ошибки", "Errors"),
    "warnings": Label("Ескертулер", "Предупреждения", "Warnings"),
    "coaching": Label("Кеңестер", "Советы", "Coaching"),
    "overall": Label("Жалпы толтырылуы", "Заполненность всего", "Overall completion"),
    "budget": Label("Бюджет, ₸", "Бюджет, ₸", "Budget, ₸"),
    "me_share": Label("БмБ үлесі", "Доля МиО", "M&E share"),
    "me_low": Label("Шек (төмен)", "Граница (низ)", "Band low"),
    "me_high": Label("Шек (жоғары)", "Граница (верх)", "Band high"),
    "ksf": Label("Жетістік факторлары", "Факторы успеха", "Key success factors"),
    "sources": Label("Қаржы көздері", "Источники средств", "Funding sources"),
    "largest": Label("Ең үлкен көздің үлесі", "Доля крупнейшего источника", "Largest source share"),
    "code": Label("Код", "Код", "Code"),
    "rule": Label("Ереже", "Правило", "Rule"),
    "severity": Label("Маңыздылығы", "Важность", "Severity"),
    "failing": Label("Табылған файлдар", "Файлов с замечанием", "Files with it"),
    "checked": Label("Тексерілді", "Проверено", "Files checked"),
    "pass_rate": Label("Өту үлесі", "Доля прошедших", "Pass rate"),
    "step": Label("Қадам", "Шаг", "Step"),
    "avg_completion": Label("Орташа толтырылуы", "Средняя заполненность", "Average completion"),
    "category": Label("Санат", "Категория", "Category"),
    "ngos_with": Label("Ұйымдар саны", "Число организаций", "NGOs with one or more"),
    "text": Label("Мәтін", "Текст", "Text"),
    "ngos": Label("Ұйымдар", "Организаций", "NGOs"),
    "places": Label("Қай жерде", "Где", "Places"),
    "missing": Label("тапсырмаған", "не сдано", "missing"),
    "yes": Label("иә", "да", "yes"),
    "no": Label("жоқ", "нет", "no"),
    "items_cut": Label(
        "Алғашқы {n} жол; қалғаны --csv файлдарында.",
        "Первые {n} строк; остальные — в файлах --csv.",
        "First {n} rows; the rest are in the --csv files.",
    ),
    "chart_completion": Label(
        "Қадамдар бойынша толтырылуы", "Заполненность по шагам", "Completion by step"
    ),
    "chart_me": Label(
        "Ұйымдардың БмБ үлесі және шегі",
        "Доля МиО по организациям и границы",
        "M&E share per NGO against the band",
    ),
    "chart_ksf": Label(
        "Ұйымдардың жетістік факторлары (4–8)",
        "Факторы успеха по организациям (4–8)",
        "Key success factors per NGO (4–8)",
    ),
    "chart_stakeholders": Label(
        "Санаттар бойынша маңызы бар орта",
        "Охват окружения по категориям",
        "Stakeholder coverage by category",
    ),
}
REASONS = {
    "unreadable": Label("оқылмады", "не прочитан", "unreadable"),
    "not-template": Label("біздің үлгі емес", "не наш шаблон", "not our template"),
    "duplicate": Label(
        "басқа файлдың көшірмесі", "копия другого файла", "duplicate of another file"
    ),
    "older": Label(
        "сол ұйымның ескі нұсқасы",
        "более старая версия той же организации",
        "older submission of the same NGO",
    ),
}


def overview_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Header and one row per NGO (included files, then roster organisations missing)."""
    steps = [s for s in cohort.tpl.steps]
    head = (
        [
            T["ngo"].get(lang),
            T["id"].get(lang),
            T["region"].get(lang),
            T["file"].get(lang),
            T["status"].get(lang),
            T["errors"].get(lang),
            T["warnings"].get(lang),
            T["coaching"].get(lang),
            T["overall"].get(lang),
        ]
        + [s.sheet.get(lang) for s in steps]
        + [
            T["budget"].get(lang),
            T["me_share"].get(lang),
            T["me_low"].get(lang),
            T["me_high"].get(lang),
            T["ksf"].get(lang),
            T["sources"].get(lang),
            T["largest"].get(lang),
        ]
    )
    rows = []
    for rec in cohort.included:
        s = rec.summary
        f, n, c = s["figures"], s["findings"], s["counts"]
        completion = [s["completion"].get(st.key) for st in steps]
        region = "***" if cohort.anonymise else rec.region
        rows.append(
            [
                rec.ngo,
                "" if cohort.anonymise else rec.org_id,
                region,
                cohort.shown_path(rec),
                rec.status,
                n["error"],
                n["warning"],
                n["coaching"],
                s["completion_overall"],
                *completion,
                f["budget_total"],
                f["me_share"],
                f["me_band"][0],
                f["me_band"][1],
                c["success_factors"] if "success_factors" in s["completion"] else None,
                f["funding_sources"] or None,
                f["largest_source_share"],
            ]
        )
    for e in cohort.missing:
        from kuk_xlsx.cohort.collect import anonymous_code
        from kuk_xlsx.read.values import normalise_label

        name = (
            anonymous_code(normalise_label(e.org.id or e.org.name))
            if cohort.anonymise
            else e.org.name
        )
        rows.append(
            [
                name,
                "" if cohort.anonymise else e.org.id,
                "" if cohort.anonymise else e.org.region,
                "",
                T["missing"].get(lang),
            ]
            + [None] * (len(head) - 5)
        )
    return head, rows


def manifest_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [
        T["file"].get(lang),
        T["ngo"].get(lang),
        T["status"].get(lang),
        T["included"].get(lang),
        T["reason"].get(lang),
        T["date"].get(lang),
        T["sha256"].get(lang),
    ]
    rows = []
    for rec in cohort.records:
        reason = REASONS[rec.reason].get(lang) if rec.reason else ""
        if rec.reason == "unreadable" and rec.problem:
            from kuk_xlsx.package.preflight import FileProblem

            message = FileProblem(rec.problem, rec.path, **rec.problem_fields).message(lang)
            reason = f"{reason}: {message}"
        if rec.reason in ("duplicate", "older") and not cohort.anonymise:
            reason = f"{reason}: {rec.reason_detail}"
        rows.append(
            [
                cohort.shown_path(rec),
                rec.ngo if not rec.problem else "",
                rec.status,
                T["yes" if rec.included else "no"].get(lang),
                reason,
                rec.date_in_file,
                rec.sha256,
            ]
        )
    for e in cohort.missing:
        rows.append(
            [
                "",
                e.org.name if not cohort.anonymise else "",
                T["missing"].get(lang),
                T["no"].get(lang),
                T["missing"].get(lang),
                "",
                "",
            ]
        )
    return head, rows


def rules_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [
        T["code"].get(lang),
        T["rule"].get(lang),
        T["severity"].get(lang),
        T["failing"].get(lang),
        T["checked"].get(lang),
        T["pass_rate"].get(lang),
    ]
    rows = [
        [code, CATALOGUE[code].title.get(lang), CATALOGUE[code].severity, failing, n, rate]
        for code, failing, n, rate in cohort.rule_pass_rates()
    ]
    return head, rows


def copies_rows(clusters: Sequence[CopyCluster], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [T["text"].get(lang), T["ngos"].get(lang), T["places"].get(lang)]
    rows = []
    for c in clusters:
        shown = "; ".join(f"{ngo} — {where}" for ngo, _step, where in c.places[:6])
        more = f" (+{len(c.places) - 6})" if len(c.places) > 6 else ""
        rows.append([c.preview, c.ngos, shown + more])
    return head, rows


def write_cohort_xlsx(path: Path, cohort: Cohort, lang: str = "kk") -> Path:
    """Write cohort.xlsx atomically."""
    from kuk_xlsx.write.xlsx import new_workbook

    clusters = cohort.copies()
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp, constant_memory=True)
        fmt = _Formats(wb)
        ov_head, ov_rows = overview_rows(cohort, lang)
        rules = rules_rows(cohort, lang)
        # constant_memory writes rows as they come: every sheet's column and row
        # formats are set before its data (10,000 NGOs stay within the memory goal)
        for key, (head, rows) in (
            ("overview", (ov_head, ov_rows)),
            ("manifest", manifest_rows(cohort, lang)),
            ("rules", rules),
            ("copies", copies_rows(clusters, lang)),
        ):
            ws = wb.add_worksheet(T[key].get(lang))
            _table_setup(ws, head, len(rows), fmt)
            if key == "overview":
                _overview_formats(ws, ov_head, ov_rows, cohort, fmt)
            elif key == "rules":
                _rules_formats(ws, rules[1], fmt)
            _table_rows(ws, rows)
        charts = wb.add_worksheet(T["charts"].get(lang))
        _charts(wb, charts, cohort, lang, ov_head, ov_rows, T["overview"].get(lang), fmt)
        items = wb.add_worksheet(T["items"].get(lang))
        _items(items, cohort, fmt, lang)
        wb.close()
    return path


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1}
        )
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.pct = wb.add_format({"num_format": "0%"})
        self.pct1 = wb.add_format({"num_format": "0.0%"})
        self.money = wb.add_format({"num_format": "#,##0"})
        self.count = wb.add_format({"num_format": "0"})
        self.bad = wb.add_format({"bg_color": "#FFC7CE"})
        self.good = wb.add_format({"bg_color": "#C6EFCE"})


def _table_setup(ws: Any, head: list[str], n_rows: int, fmt: _Formats) -> None:
    """Header, widths, filters and print set-up; data rows follow in _table_rows."""
    ws.set_row(0, 45)
    ws.set_column(0, 0, 28)
    ws.set_column(1, len(head) - 1, 14)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(n_rows, 1), len(head) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    for c, h in enumerate(head):
        ws.write_string(0, c, h, fmt.head)


def _table_rows(ws: Any, rows: list[list[Any]]) -> None:
    write = _inert_writer(ws)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            write(r, c, v)


def _inert_writer(ws: Any) -> Callable[[int, int, Any], None]:
    """``write(r, c, value)``: :func:`report.write_inert` without a format, for many cells.

    The same cells: plain text without control characters and within Excel's limit
    is written as it is (``isprintable()`` tells most of it without a regex), other
    text goes through ``clean_text``; numbers are numbers; None and "" are no cell
    (xlsxwriter writes no blank cell without a format); any other type is left to
    ``write_inert``.
    """
    write_string, write_number = ws.write_string, ws.write_number

    def write(r: int, c: int, v: Any) -> None:
        cls = v.__class__
        if cls is str:
            if not v:
                return
            if len(v) > EXCEL_CELL_LIMIT or (not v.isprintable() and CONTROL.search(v)):
                v = clean_text(v)[0]
            write_string(r, c, v)
        elif cls is float or cls is int:
            write_number(r, c, v)
        elif v is not None:
            write_inert(ws, r, c, v)

    return write


def _overview_formats(
    ws: Any, head: list[str], rows: list[list[Any]], cohort: Cohort, fmt: _Formats
) -> None:
    n = max(len(rows), 1)
    first_step = 8
    last_step = first_step + len(cohort.tpl.steps)
    ws.set_column(first_step, last_step, 9, fmt.pct)
    ws.conditional_format(
        1,
        first_step,
        n,
        last_step,
        {
            "type": "3_color_scale",
            "min_color": "#F8696B",
            "mid_color": "#FFEB84",
            "max_color": "#63BE7B",
            "min_type": "num",
            "min_value": 0,
            "mid_type": "num",
            "mid_value": 0.5,
            "max_type": "num",
            "max_value": 1,
        },
    )
    ws.set_column(last_step + 1, last_step + 1, 14, fmt.money)
    ws.set_column(last_step + 2, last_step + 4, 10, fmt.pct1)
    ws.set_column(last_step + 7, last_step + 7, 10, fmt.pct)
    share = last_step + 2
    col = _col(share)
    lo, hi = _col(share + 1), _col(share + 2)
    ws.conditional_format(
        1,
        share,
        n,
        share,
        {
            "type": "formula",
            "format": fmt.bad,
            "criteria": f'=AND({col}2<>"",OR({col}2<{lo}2,{col}2>{hi}2))',
        },
    )
    ws.conditional_format(
        1,
        share,
        n,
        share,
        {
            "type": "formula",
            "format": fmt.good,
            "criteria": f'=AND({col}2<>"",{col}2>={lo}2,{col}2<={hi}2)',
        },
    )


def _rules_formats(ws: Any, rows: list[list[Any]], fmt: _Formats) -> None:
    ws.set_column(1, 1, 40, fmt.wrap)
    ws.set_column(5, 5, 10, fmt.pct)
    ws.conditional_format(
        1,
        5,
        max(len(rows), 1),
        5,
        {
            "type": "data_bar",
            "bar_color": "#63BE7B",
            "min_type": "num",
            "min_value": 0,
            "max_type": "num",
            "max_value": 1,
        },
    )


def _col(c: int) -> str:
    from kuk_xlsx.write.xlsx import xl_col_to_name

    return xl_col_to_name(c)


def _charts(
    wb: Any,
    ws: Any,
    cohort: Cohort,
    lang: str,
    ov_head: list[str],
    ov_rows: list[list[Any]],
    overview: str,
    fmt: _Formats,
) -> None:
    """Native charts; their data tables sit on this sheet, left of the charts."""
    included = cohort.included
    steps = cohort.tpl.steps
    ws.set_row(0, 30)
    ws.set_column(0, 0, 30)
    ws.write_string(0, 0, T["step"].get(lang), fmt.head)
    ws.write_string(0, 1, T["avg_completion"].get(lang), fmt.head)
    ws.set_column(1, 1, 14, fmt.pct)
    for i, st in enumerate(steps, start=1):
        values = [
            r.summary["completion"][st.key] for r in included if st.key in r.summary["completion"]
        ]
        ws.write_string(i, 0, st.sheet.get(lang))
        if values:
            ws.write_number(i, 1, sum(values) / len(values), fmt.pct)
    cats = cohort.tpl.choices["stakeholder_category"].choices
    top = len(steps) + 3
    ws.write_string(top, 0, T["category"].get(lang), fmt.head)
    ws.write_string(top, 1, T["ngos_with"].get(lang), fmt.head)
    for i, ch in enumerate(cats, start=1):
        ws.write_string(top + i, 0, ch.label.get(lang))
        ws.write_number(
            top + i,
            1,
            sum(1 for r in included if r.summary["counts"]["stakeholders"].get(ch.key, 0) > 0),
            fmt.count,
        )
    sheet = f"'{overview}'"
    n = len(ov_rows)
    charts = []
    c1 = wb.add_chart({"type": "column"})
    c1.add_series(
        {
            "name": T["avg_completion"].get(lang),
            "categories": [ws.name, 1, 0, len(steps), 0],
            "values": [ws.name, 1, 1, len(steps), 1],
            "fill": {"color": "#4472C4"},
        }
    )
    c1.set_title({"name": T["chart_completion"].get(lang)})
    c1.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
    charts.append(c1)
    if n:
        share = 8 + len(steps) + 2
        c2 = wb.add_chart({"type": "column"})
        c2.add_series(
            {
                "name": T["me_share"].get(lang),
                "categories": f"={sheet}!$A$2:$A${n + 1}",
                "values": f"={sheet}!${_col(share)}$2:${_col(share)}${n + 1}",
                "fill": {"color": "#4472C4"},
            }
        )
        line = wb.add_chart({"type": "line"})
        for offset, colour in ((1, "#C00000"), (2, "#C00000")):
            line.add_series(
                {
                    "name": ov_head[share + offset],
                    "categories": f"={sheet}!$A$2:$A${n + 1}",
                    "values": f"={sheet}!${_col(share + offset)}$2:${_col(share + offset)}${n + 1}",
                    "line": {"color": colour, "dash_type": "dash"},
                    "marker": {"type": "none"},
                }
            )
        c2.combine(line)
        c2.set_title({"name": T["chart_me"].get(lang)})
        c2.set_y_axis({"num_format": "0%", "min": 0})
        charts.append(c2)
        ksf = share + 3
        c3 = wb.add_chart({"type": "column"})
        c3.add_series(
            {
                "name": T["ksf"].get(lang),
                "categories": f"={sheet}!$A$2:$A${n + 1}",
                "values": f"={sheet}!${_col(ksf)}$2:${_col(ksf)}${n + 1}",
                "fill": {"color": "#70AD47"},
            }
        )
        c3.set_title({"name": T["chart_ksf"].get(lang)})
        c3.set_y_axis({"min": 0, "major_unit": 1})
        charts.append(c3)
    c4 = wb.add_chart({"type": "bar"})
    c4.add_series(
        {
            "name": T["ngos_with"].get(lang),
            "categories": [ws.name, top + 1, 0, top + len(cats), 0],
            "values": [ws.name, top + 1, 1, top + len(cats), 1],
            "fill": {"color": "#ED7D31"},
        }
    )
    c4.set_title({"name": T["chart_stakeholders"].get(lang)})
    c4.set_x_axis({"min": 0, "major_unit": 1})
    charts.append(c4)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    for i, chart in enumerate(charts):
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": 320})
        ws.insert_chart(1 + (i // 2) * 17, 3 + (i % 2) * 10, chart)


def _items(ws: Any, cohort: Cohort, fmt: _Formats, lang: str) -> None:
    for c, h in enumerate(ITEM_COLUMNS):
        ws.write_string(0, c, h, fmt.head)
    write = _inert_writer(ws)
    r = 0
    for r, row in enumerate(cohort.items(), start=1):
        if r > XLSX_ITEM_LIMIT:
            ws.write_string(r, 0, T["items_cut"].get(lang).format(n=XLSX_ITEM_LIMIT))
            break
        for c, v in enumerate(row):
            write(r, c, v)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(min(r, XLSX_ITEM_LIMIT), 1), len(ITEM_COLUMNS) - 1)
    ws.set_column(0, 1, 24)
    ws.set_column(2, 5, 14)
    ws.set_column(6, 6, 60)


# --- CSV ---------------------------------------------------------------------------------


def inert_csv(value: Any) -> Any:
    """A CSV field that no spreadsheet will run: text starting with = + - @ tab or CR is
    prefixed with an apostrophe; control characters go; numbers stay numbers."""
    if value.__class__ is str:
        if len(value) > EXCEL_CELL_LIMIT:
            value = clean_text(value)[0]
        return inert_field(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return inert_csv(str(value))


def write_csv(path: Path, head: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """UTF-8 with a BOM (Excel then reads Cyrillic right), written atomically."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(head)
        for row in rows:
            writer.writerow([inert_csv(v) for v in row])
    return path


def write_cohort_csv(folder: Path, cohort: Cohort, lang: str = "kk") -> list[Path]:
    """overview.csv, manifest.csv, rules.csv, copies.csv and items.csv (all item rows)."""
    out = []
    for name, (head, rows) in (
        ("overview", overview_rows(cohort, lang)),
        ("manifest", manifest_rows(cohort, lang)),
        ("rules", rules_rows(cohort, lang)),
        ("copies", copies_rows(cohort.copies(), lang)),
    ):
        out.append(write_csv(folder / f"{name}.csv", head, rows))
    out.append(write_items_csv(folder / "items.csv", cohort))
    return out


def write_items_csv(path: Path, cohort: Cohort) -> Path:
    """All long rows of the included files: lines the workers already made inert."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        buf = io.StringIO()
        csv.writer(buf).writerow(ITEM_COLUMNS)
        fh.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        for chunk in cohort.items_csv():
            fh.write(chunk)
    return path
