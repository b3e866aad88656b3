"""``kuk-xlsx demo``: the main job end to end on example data.

Writes the blank templates (kk/ru/en), a roster and its pre-filled workbooks,
then treats the shipped samples as returned files: validation report, feedback
copies, and a cohort workbook with CSV.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.roster import read_roster, roster_filenames
from kuk_xlsx.spec.template import LANGS, load_template
from kuk_xlsx.write.safe import atomic_path

# The samples' own organisations (samples/data/*.toml [org], same id and name:
# tests/test_cli_trainer.py keeps them agreeing), and one NGO that sends nothing,
# so the demo cohort shows who is missing.
EXAMPLE_ROSTER = [
    ("KZ-001", "«Сенің KZ» жастар орталығы", "Алматы", "Айгүл Сейітова", "+7 701 000 00 01"),
    ("KZ-002", "Мүгедек балалар қоғамы", "Тараз", "Гүлнар Бекова", "+7 705 000 00 04"),
    ("KZ-003", "ОФ «Әйел денсаулығы»", "Алматы", "Динара Ахметова", "dinara@example.kz"),
    ("KZ-004", "Jas Maman Public Foundation", "Қарағанды", "Ерлан Омаров", "+7 702 000 00 02"),
]


def sample_files() -> list[Path]:
    """The filled sample workbooks shipped with the project (none when installed without them)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "samples", package.parent / "samples"):
        found = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
        if found:
            return found
    return []


def run_demo(out_dir: Path, lang: str = "kk") -> Iterator[str]:
    """Do everything a trainer does, into ``out_dir``; yield each file made."""
    tpl = load_template()
    out_dir.mkdir(parents=True, exist_ok=True)
    for code in LANGS:
        yield str(build_workbook(out_dir / f"kuk_workbook_{code}.xlsx", lang=code, template=tpl))
    roster = out_dir / "roster_example.csv"
    with atomic_path(roster) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.label.get(lang) for c in tpl.roster])
        writer.writerows(EXAMPLE_ROSTER)
    yield str(roster)
    entries = read_roster(roster, tpl)
    folder = out_dir / "roster_workbooks"
    for entry, name in zip(entries, roster_filenames(entries), strict=True):
        yield str(build_workbook(folder / name, org=entry.org, template=tpl))

    returned = out_dir / "returned"
    returned.mkdir(exist_ok=True)
    for sample in sample_files():
        shutil.copy2(sample, returned / sample.name)
    if not any(returned.iterdir()):
        return
    yield from _validate_and_aggregate(returned, out_dir, roster, lang)


def _validate_and_aggregate(
    returned: Path, out_dir: Path, roster: Path, lang: str
) -> Iterator[str]:
    from kuk_xlsx.checks.engine import validate
    from kuk_xlsx.cohort.collect import Cohort, run
    from kuk_xlsx.cohort.output import write_cohort_csv, write_cohort_xlsx
    from kuk_xlsx.outputs.feedback import write_feedback
    from kuk_xlsx.outputs.report import write_xlsx_report
    from kuk_xlsx.package.files import collect

    files, _ = collect([returned])
    reports = [validate(f) for f in files]
    yield str(write_xlsx_report(out_dir / "validation_report.xlsx", reports, lang))
    for report in reports:
        if report.plan is not None:
            yield str(write_feedback(report, out_dir / "feedback", lang))
    with Cohort(roster=read_roster(roster)) as cohort:
        run(files, cohort)
        yield str(write_cohort_xlsx(out_dir / "cohort.xlsx", cohort, lang))
        for path in write_cohort_csv(out_dir / "cohort_csv", cohort, lang):
            yield str(path)
