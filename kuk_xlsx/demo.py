"""``kuk-xlsx demo``: the main job end to end on example data."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from kuk_xlsx.build import build_workbook
from kuk_xlsx.outputs import atomic_path
from kuk_xlsx.roster import read_roster, roster_filenames
from kuk_xlsx.spec import LANGS, load_template

EXAMPLE_ROSTER = [
    ("KZ-001", "«Сенің KZ» жастар орталығы", "Алматы", "Айгүл Сейітова", "+7 701 000 00 01"),
    ("KZ-002", "Мүгедек балалар қоғамы", "Шымкент", "Ерлан Омаров", "+7 702 000 00 02"),
    ("KZ-003", "ОФ «Әйел денсаулығы»", "Алматы", "Динара Ахметова", "dinara@example.kz"),
]


def run_demo(out_dir: Path) -> Iterator[str]:
    """Write blank templates in every language, a roster and its workbooks; yield what was made."""
    tpl = load_template()
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        yield str(build_workbook(out_dir / f"kuk_workbook_{lang}.xlsx", lang=lang, template=tpl))
    roster = out_dir / "roster_example.csv"
    with atomic_path(roster) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.label.get("kk") for c in tpl.roster])
        writer.writerows(EXAMPLE_ROSTER)
    yield str(roster)
    entries = read_roster(roster, tpl)
    folder = out_dir / "roster_workbooks"
    for entry, name in zip(entries, roster_filenames(entries), strict=True):
        yield str(build_workbook(folder / name, org=entry.org, template=tpl))
