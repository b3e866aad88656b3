"""The charts sheet of cohort.xlsx: native Excel charts and the small tables they draw.

Average completion per step and the number of NGOs that named each stakeholder
category are tabled on the sheet itself, left of the charts; the M&E share
against its band and the key success factors per NGO are drawn from the overview
sheet.  The charts are native (xlsxwriter's), so they stay live in Excel and
LibreOffice and need no image library.
"""

from __future__ import annotations

from typing import Any

from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.rows import T
from kuk_xlsx.cohort.sheets import Formats, column_letter


def charts_sheet(
    wb: Any,
    ws: Any,
    cohort: Cohort,
    lang: str,
    ov_head: list[str],
    ov_rows: list[list[Any]],
    overview: str,
    fmt: Formats,
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
                "values": f"={sheet}!${column_letter(share)}$2:${column_letter(share)}${n + 1}",
                "fill": {"color": "#4472C4"},
            }
        )
        line = wb.add_chart({"type": "line"})
        for offset, colour in ((1, "#C00000"), (2, "#C00000")):
            line.add_series(
                {
                    "name": ov_head[share + offset],
                    "categories": f"={sheet}!$A$2:$A${n + 1}",
                    "values": f"={sheet}!${column_letter(share + offset)}$2:${column_letter(share + offset)}${n + 1}",
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
                "values": f"={sheet}!${column_letter(ksf)}$2:${column_letter(ksf)}${n + 1}",
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
