"""The cohort as tidy CSV files: UTF-8 with a BOM, so Excel opens Cyrillic, and inert fields.

overview, manifest, rules and copies carry the same rows as cohort.xlsx
(:mod:`.rows`); items.csv carries every long row of the included files, the lines
the collecting workers already made inert.  A field that a spreadsheet would run
(text starting with = + - @, a tab or a CR) gets an apostrophe in front.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.items import ITEM_COLUMNS
from kuk_xlsx.cohort.rows import copies_rows, manifest_rows, overview_rows, rules_rows
from kuk_xlsx.write.safe import EXCEL_CELL_LIMIT, atomic_path, clean_text, inert_field


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
