"""kuk_xlsx: training workbooks for NGO organisational development (kk/ru/en).

The public Python API — what the ``kuk-xlsx`` command does, one call each::

    import kuk_xlsx

    kuk_xlsx.build_workbook("plan.xlsx", lang="ru", org=kuk_xlsx.Organisation("KZ-1", "Үміт"))
    report = kuk_xlsx.validate("returned/plan.xlsx")        # never raises for a bad file
    report.status, [f.code for f in report.findings]
    kuk_xlsx.summarise(report)                              # the summary, stable keys
    kuk_xlsx.write_feedback(report, "feedback", lang="kk")  # a copy with the feedback inside
    plan = kuk_xlsx.read_workbook("returned/plan.xlsx")     # the typed data (raises ReadError)
    kuk_xlsx.run_cohort(["returned"], "cohort.xlsx", lang="kk")

Each name is imported from its stage only when first used, so ``import kuk_xlsx``
stays light (the command's ``--help`` does not load openpyxl or xlsxwriter).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kuk_xlsx.build.workbook import Organisation, build_workbook
    from kuk_xlsx.checks.engine import Report, validate
    from kuk_xlsx.outputs.feedback import write_feedback
    from kuk_xlsx.read.model import PlanData
    from kuk_xlsx.read.reader import ReadError, read_workbook
    from kuk_xlsx.spec.template import Template, load_template
    from kuk_xlsx.summary import summarise

# public name -> the module that holds it
_HOME = {
    "Organisation": "kuk_xlsx.build.workbook",
    "build_workbook": "kuk_xlsx.build.workbook",
    "Report": "kuk_xlsx.checks.engine",
    "validate": "kuk_xlsx.checks.engine",
    "write_feedback": "kuk_xlsx.outputs.feedback",
    "PlanData": "kuk_xlsx.read.model",
    "ReadError": "kuk_xlsx.read.reader",
    "read_workbook": "kuk_xlsx.read.reader",
    "Template": "kuk_xlsx.spec.template",
    "load_template": "kuk_xlsx.spec.template",
    "summarise": "kuk_xlsx.summary",
}

__all__ = [
    "Organisation",
    "PlanData",
    "ReadError",
    "Report",
    "Template",
    "__version__",
    "build_workbook",
    "load_template",
    "read_workbook",
    "run_cohort",
    "summarise",
    "validate",
    "write_feedback",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kuk_xlsx' has no attribute {name!r}")


def run_cohort(
    paths: list[Path | str],
    output: Path | str,
    *,
    lang: str = "kk",
    roster: Path | str | None = None,
    anonymise: bool = False,
    jobs: int = 1,
    template: Template | None = None,
) -> Path:
    """Aggregate returned workbooks (files or folders) into the cohort workbook ``output``.

    What ``kuk-xlsx cohort`` does without its CSV and database options; returns
    the path written.  A file that cannot be read is listed in the workbook, never
    raised.
    """
    from kuk_xlsx.cohort.collect import Cohort, run
    from kuk_xlsx.cohort.output import write_cohort_xlsx
    from kuk_xlsx.package.files import collect
    from kuk_xlsx.roster import read_roster

    files, _ = collect([Path(p) for p in paths])
    entries = read_roster(Path(roster), template) if roster is not None else []
    with Cohort(template, roster=entries, anonymise=anonymise) as cohort:
        run(files, cohort, jobs=jobs)
        return write_cohort_xlsx(Path(output), cohort, lang)
