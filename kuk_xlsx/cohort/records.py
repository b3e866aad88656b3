"""What the cohort keeps of one returned file: a compact record, no cell grid, no plan.

Records are made in a worker process for large cohorts and pickled back, so they
hold only plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kuk_xlsx.read.values import normalise_label


@dataclass(slots=True)
class TextSketch:
    step: str
    cell: str  # "Sheet!B7"
    preview: str
    exact: int  # crc32 of the normalised text
    sketch: bytes  # the k smallest shingle hashes, packed (memory: 10,000 files)


@dataclass
class FileRecord:
    """What the cohort keeps of one file (no cell grid, no plan)."""

    path: str
    sha256: str
    mtime: float
    status: str
    problem: str = ""
    problem_fields: dict[str, Any] = field(default_factory=dict)  # FileProblem's, for its message
    org_id: str = ""
    org_name: str = ""
    region: str = ""
    contact: str = ""
    date_in_file: str = ""
    template_version: str = ""
    read_as: str = ""  # an earlier released version, read by its own layout
    language: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    rule_codes: list[str] = field(default_factory=list)
    findings: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    texts: list[TextSketch] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)  # display-ready long rows
    items_csv: bytes = b""  # the same rows as inert CSV lines (made in the worker)
    items_at: tuple[int, int] = (0, 0)  # offset and length in the cohort's CSV spool
    started: bool = True  # anything typed beyond what the built workbook carried
    # decided in finish()
    included: bool = False
    reason: str = ""  # why skipped: unreadable, not-template, not-started, duplicate, older
    reason_detail: str = ""
    ngo: str = ""  # the NGO key shown (name, or code with --anonymise)

    @property
    def org_key(self) -> str:
        return normalise_label(self.org_name)
