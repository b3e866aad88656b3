"""Many returned workbooks -> one cohort: who returned what, how complete, where it is weak.

Files are processed one at a time (or by a small process pool) into compact
:class:`FileRecord` s; the long item rows stream to a temporary file and are
copied to the outputs at the end, so memory stays flat however many files a
trainer points it at.  Decisions that need every file (duplicates, the latest
submission of each NGO, roster matching) are made in :meth:`Cohort.finish`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import Any

from kuk_xlsx.build.options import PREFILLED
from kuk_xlsx.checks.engine import validate
from kuk_xlsx.cohort.copies import (
    PREVIEW,
    CopyCluster,
    find_copies,
    long_text_min,
    sketch_text,
    template_examples,
)
from kuk_xlsx.cohort.items import csv_lines, plan_items, private_items
from kuk_xlsx.cohort.records import FileRecord, TextSketch
from kuk_xlsx.package.preflight import ReadError
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import read_bounded
from kuk_xlsx.read.values import normalise_label
from kuk_xlsx.roster import RosterEntry
from kuk_xlsx.spec.model import template_cache
from kuk_xlsx.spec.template import Template, load_template
from kuk_xlsx.summary import org_name, summarise

ITEM_ROWS_KEPT = 50_000  # long rows kept for the workbook's Items sheet; all go to CSV
POOL_MIN_FILES = 50  # fewer files finish before a process pool has started
TEXTS_PER_FILE = 20  # the longest long texts of a file are sketched for copy-paste


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _profile_value(plan: PlanData, key: str) -> str:
    blk = plan.block("profile", "org")
    v = blk.fields.get(key) if blk else None
    if v is None:
        return ""
    return v.value.isoformat() if isinstance(v.value, date) else str(v.value)


def process_file(
    path: str, tpl: Template | None = None, keep_items: bool = True, anonymise: bool = False
) -> FileRecord:
    """Validate one file and keep only what the cohort needs.  Never raises for a bad file.

    Runs in a worker process for large cohorts, so it also renders the file's long
    rows as inert CSV lines: the parent only copies bytes.
    """
    tpl = tpl or load_template()
    p = Path(path)
    try:
        stat = p.stat()
        data: bytes | None = read_bounded(p)
    except OSError as exc:
        return FileRecord(
            path, "", 0.0, "UNREADABLE", problem="unreadable", reason_detail=exc.strerror or ""
        )
    except ReadError:
        data = None  # too large, or not a regular file: validate() says which
    report = validate(p, tpl, data)
    if data is not None:
        sha = hashlib.sha256(data).hexdigest()
    else:
        sha = file_sha256(p) if S_ISREG(stat.st_mode) else ""
    rec = FileRecord(path, sha, stat.st_mtime, report.status)
    if report.problem is not None:
        rec.problem = report.problem.code
        rec.problem_fields = report.problem.fields()
        return rec
    plan = report.plan
    assert plan is not None
    rec.started = started(plan, tpl)
    if any(f.code == "KUK-FILE-NOT-TEMPLATE" for f in report.findings):
        rec.problem = "not-template"
        return rec
    rec.org_id = plan.org_id
    rec.org_name = org_name(plan)
    rec.region = _profile_value(plan, "region")
    rec.contact = _profile_value(plan, "contact")
    rec.date_in_file = _profile_value(plan, "date")
    rec.template_version = plan.template_version
    rec.read_as = plan.read_as
    rec.language = plan.language
    rec.summary = summarise(report, tpl)
    rec.rule_codes = sorted({f.code for f in report.findings})
    rec.findings = [(f.code, f.severity, f.step, f.sheet, f.cell) for f in report.findings]
    candidates = []
    min_chars = long_text_min(tpl)
    for step_key, block_key, cols in _long_columns(tpl):
        st = plan.steps.get(step_key)
        blk = st.blocks.get(block_key) if st is not None else None
        if blk is None:
            continue
        values = [r.values for r in blk.rows]
        values.append(blk.fields)
        for got in values:
            for col in cols:
                v = got.get(col)
                if v is not None:
                    text = v.value
                    if isinstance(text, str) and len(text) >= min_chars:
                        candidates.append((len(text), step_key, f"{v.sheet}!{v.cell}", text))
    # the longest texts are the ones worth comparing (and memory stays flat)
    for _n, step_key, cell, text in sorted(candidates, reverse=True)[:TEXTS_PER_FILE]:
        sk = sketch_text(text, min_chars)
        if sk:
            rec.texts.append(TextSketch(step_key, cell, text[:PREVIEW], *sk))
    rec.ngo = display_name(rec, anonymise)
    shown = f"{rec.ngo}{p.suffix}" if anonymise else path
    items = private_items(plan_items(plan), rec.ngo) if anonymise else plan_items(plan)
    rows = [(rec.ngo, shown, *item) for item in items]
    rec.items_csv = csv_lines(rows)
    if keep_items:
        rec.items = rows
    return rec


def started(plan: PlanData, tpl: Template) -> bool:
    """Whether the NGO typed anything: a table row, or a field beyond the profile
    values a built workbook carries already (:data:`build.options.PREFILLED`)."""
    core = {st.key for st in tpl.steps if st.module == "core"}
    for key, st in plan.steps.items():
        for blk in st.blocks.values():
            if blk.rows:
                return True
            if any(k not in PREFILLED or key not in core for k in blk.fields):
                return True
    return False


@template_cache
def _long_columns(tpl: Template) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(step, block, long-text column keys) of the template's blocks that have any."""
    by_block: dict[tuple[str, str], dict[str, None]] = {}
    for s in tpl.steps:
        for b in s.blocks:
            for c in b.columns:
                if c.type == "long_text":
                    by_block.setdefault((s.key, b.key), {})[c.key] = None
    return tuple((sk, bk, tuple(cols)) for (sk, bk), cols in by_block.items())


def display_name(rec: FileRecord, anonymise: bool) -> str:
    """The NGO as outputs show it: its name, or a stable code with --anonymise."""
    name = rec.org_name or Path(rec.path).stem
    return anonymous_code(normalise_label(rec.org_id or name)) if anonymise else name


def anonymous_code(key: str) -> str:
    """A stable code for an organisation: the same input always gives the same code."""
    return "NGO-" + hashlib.sha256(key.encode()).hexdigest()[:6].upper()


class Cohort:
    """Collects records as files are processed; :meth:`finish` decides what counts."""

    def __init__(
        self,
        tpl: Template | None = None,
        roster: list[RosterEntry] | None = None,
        anonymise: bool = False,
        item_sink: Callable[[FileRecord], None] | None = None,
    ) -> None:
        self.tpl = tpl or load_template()
        self.roster = roster or []
        self.anonymise = anonymise
        self.records: list[FileRecord] = []
        self.missing: list[RosterEntry] = []
        self.not_started: list[FileRecord] = []
        self.old_version: list[FileRecord] = []
        self.off_roster: list[FileRecord] = []
        self.mismatched: list[tuple[FileRecord, RosterEntry]] = []
        # our own data only: pickle keeps types and is fast
        self._items = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed in close()
        self._csv = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed in close()
        self._kept_rows = 0
        self._copies: list[CopyCluster] | None = None

    def add(self, rec: FileRecord) -> None:
        """Keep a record; its item rows go to the temporary file, not memory."""
        if rec.items and self._kept_rows < ITEM_ROWS_KEPT:
            pickle.dump(
                (len(self.records), rec.items), self._items, protocol=pickle.HIGHEST_PROTOCOL
            )
            self._kept_rows += len(rec.items)
        rec.items = []
        if rec.items_csv:
            rec.items_at = (self._csv.tell(), len(rec.items_csv))
            self._csv.write(rec.items_csv)
        rec.items_csv = b""
        self.records.append(rec)

    def finish(self) -> None:
        """Duplicates, not-ours and unreadable files out; the latest submission of each NGO in."""
        seen_sha: dict[str, FileRecord] = {}
        candidates: list[FileRecord] = []
        for rec in self.records:
            if rec.problem:
                rec.reason = "unreadable" if rec.problem != "not-template" else "not-template"
                rec.reason_detail = rec.problem
            elif not rec.started:  # a blank sent back: not a submission
                rec.reason = "not-started"
            elif rec.sha256 in seen_sha:
                rec.reason, rec.reason_detail = "duplicate", seen_sha[rec.sha256].path
            else:
                seen_sha[rec.sha256] = rec
                candidates.append(rec)
        roster_ids = {e.org.id.casefold(): e for e in self.roster}
        roster_names = {normalise_label(e.org.name): e for e in self.roster}
        groups: dict[str, list[FileRecord]] = {}
        for rec in candidates:
            entry = roster_ids.get(rec.org_id.casefold()) if rec.org_id else None
            entry = entry or roster_names.get(rec.org_key)
            key = (
                f"id:{entry.org.id.casefold()}"
                if entry
                else (f"name:{rec.org_key}" if rec.org_key else f"file:{rec.path}")
            )
            if entry is not None:
                rec.org_id = rec.org_id or entry.org.id
                rec.org_name = rec.org_name or entry.org.name
            groups.setdefault(key, []).append(rec)
        for recs in groups.values():
            recs.sort(key=lambda r: (r.date_in_file, r.mtime), reverse=True)
            recs[0].included = True
            for older in recs[1:]:
                older.reason, older.reason_detail = "older", recs[0].path
        matched = {k.split(":", 1)[1] for k in groups if k.startswith("id:")}
        self.missing = [e for e in self.roster if e.org.id.casefold() not in matched]
        self.not_started = [r for r in self.records if r.reason == "not-started"]
        # included files of an earlier released version: aligned on today's keys, and
        # said, so a trainer knows whose completion leaves out what that version lacks
        self.old_version = [r for r in self.included if r.read_as]
        # what the trainer is told on screen: files no roster entry matches, and files
        # whose id is on the roster under another name (or whose name, another id)
        self.off_roster, self.mismatched = [], []
        if self.roster:
            for rec in candidates:
                by_id = roster_ids.get(rec.org_id.casefold()) if rec.org_id else None
                by_name = roster_names.get(rec.org_key)
                if by_id is None and by_name is None:
                    self.off_roster.append(rec)
                elif by_id is not None and rec.org_key and by_name is not by_id:
                    self.mismatched.append((rec, by_id))
                elif by_id is None and by_name is not None and rec.org_id:
                    self.mismatched.append((rec, by_name))
        for rec in self.records:
            name = rec.org_name or Path(rec.path).stem
            rec.ngo = (
                anonymous_code(normalise_label(rec.org_id or name)) if self.anonymise else name
            )

    @property
    def included(self) -> list[FileRecord]:
        return [r for r in self.records if r.included]

    def items(self) -> Iterator[tuple[Any, ...]]:
        """Long rows (ngo, file, step, block, row, column, value) of the included files,
        as far as they were kept for the workbook (:data:`ITEM_ROWS_KEPT`)."""
        self._items.flush()
        self._items.seek(0)
        while True:
            try:
                index, items = pickle.load(self._items)
            except EOFError:
                return
            if self.records[index].included:
                yield from items

    def items_csv(self) -> Iterator[bytes]:
        """Every included file's long rows as inert CSV lines, in file order."""
        self._csv.flush()
        for rec in self.records:
            start, length = rec.items_at
            if rec.included and length:
                self._csv.seek(start)
                yield self._csv.read(length)

    def shown_path(self, rec: FileRecord) -> str:
        return f"{rec.ngo}{Path(rec.path).suffix}" if self.anonymise else rec.path

    def close(self) -> None:
        """Remove the temporary files."""
        self._items.close()
        self._csv.close()

    def __enter__(self) -> Cohort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rule_pass_rates(self) -> list[tuple[str, int, int, float]]:
        """(code, files with the rule's finding, files checked, pass rate), worst first."""
        from kuk_xlsx.checks.rules import CATALOGUE

        included = self.included
        n = len(included)
        rows = []
        for code in CATALOGUE:
            failing = sum(code in r.rule_codes for r in included)
            rows.append((code, failing, n, 1 - failing / n if n else 1.0))
        rows.sort(key=lambda r: (r[3], r[0]))
        return rows

    def copies(self) -> list[CopyCluster]:
        """Copy-paste clusters among the included files (computed once)."""
        if self._copies is None:
            self._copies = find_copies(self.included, template_examples(self.tpl))
        return self._copies


def default_jobs(n_files: int) -> int:
    """Processes for ``--jobs 0`` (auto): one per core, at most 4, for more than 100
    files; fewer files are not worth starting a pool for."""
    return min(os.cpu_count() or 1, 4) if n_files > 100 else 1


_WORKER: dict[str, Any] = {}


def _start_worker(tpl: Template, anonymise: bool) -> None:
    _WORKER.update(tpl=tpl, anonymise=anonymise)


def _worker_process_file(path: str) -> FileRecord:
    return process_file(path, _WORKER["tpl"], keep_items=True, anonymise=_WORKER["anonymise"])


def run(
    paths: Iterable[Path],
    cohort: Cohort,
    jobs: int = 1,
    progress: Callable[[FileRecord], None] | None = None,
) -> Cohort:
    """Process every file into ``cohort`` (in a small process pool when ``jobs`` > 1)."""
    files = [str(p) for p in paths]
    if jobs > 1 and len(files) > POOL_MIN_FILES:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
        # Each worker gets the cohort's own template once, at start: a worker that
        # loaded the default one would judge a custom template's files by the wrong spec.
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_start_worker,
            initargs=(cohort.tpl, cohort.anonymise),
        ) as pool:
            for rec in pool.map(_worker_process_file, files, chunksize=16):
                cohort.add(rec)
                if progress:
                    progress(rec)
    else:
        for f in files:
            rec = process_file(f, cohort.tpl, anonymise=cohort.anonymise)
            cohort.add(rec)
            if progress:
                progress(rec)
    cohort.finish()
    return cohort
