"""Cohort outputs: cohort.xlsx (manifest, overview heat map, rules, native charts, long
data, copy-paste list) and tidy CSV files (UTF-8 with a BOM, so Excel opens Cyrillic).

Text from NGOs is always written as inert text: never a formula, never a link.

This module is the outputs' public face: :func:`write_cohort_xlsx` puts the
workbook together from the rows in :mod:`.rows`, the table sheets in
:mod:`.sheets` and the charts in :mod:`.charts`; the CSV files are written by
:mod:`.csv_files`, whose public names are importable from here.
"""

from __future__ import annotations

from pathlib import Path

from kuk_xlsx.cohort.charts import charts_sheet
from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.csv_files import inert_csv, write_cohort_csv, write_csv, write_items_csv
from kuk_xlsx.cohort.rows import T, copies_rows, manifest_rows, overview_rows, rules_rows
from kuk_xlsx.cohort.sheets import (
    Formats,
    items_sheet,
    overview_formats,
    rules_formats,
    table_rows,
    table_setup,
)
from kuk_xlsx.write.safe import atomic_path

__all__ = [
    "inert_csv",
    "write_cohort_csv",
    "write_cohort_xlsx",
    "write_csv",
    "write_items_csv",
]


def write_cohort_xlsx(path: Path, cohort: Cohort, lang: str = "kk") -> Path:
    """Write cohort.xlsx atomically."""
    from kuk_xlsx.write.xlsx import new_workbook

    clusters = cohort.copies()
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp, constant_memory=True)
        fmt = Formats(wb)
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
            table_setup(ws, head, len(rows), fmt)
            if key == "overview":
                overview_formats(ws, ov_head, ov_rows, cohort, fmt)
            elif key == "rules":
                rules_formats(ws, rules[1], fmt)
            table_rows(ws, rows)
        charts = wb.add_worksheet(T["charts"].get(lang))
        charts_sheet(wb, charts, cohort, lang, ov_head, ov_rows, T["overview"].get(lang), fmt)
        items = wb.add_worksheet(T["items"].get(lang))
        items_sheet(items, cohort, fmt, lang)
        wb.close()
    return path
